import { describe, expect, it } from 'vitest';
import { BackendMeter } from './backend-meter';
import { createMetricsRegistry } from './prometheus';

/*
 * The exact exposition text of the request and token counters: each status counted, the tries without a response
 * (timeouts plus connection failures) under status "0" only when there are some, and prompt and completion tokens
 * as two series per backend.
 */

/** The lines of one metric family in the scrape. */
const family = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.endsWith(` ${name} counter`) || l.startsWith(`# HELP ${name} `));

describe('/metrics', () => {
  it('counts requests by status with "0" for no response, and tokens by kind', async () => {
    const a = new BackendMeter();
    a.status(200, false);
    a.status(429, true);
    a.failure('timeout');
    a.failure('timeout');
    a.failure('connection-failure');
    a.tokens(10, 4);
    const b = new BackendMeter();
    b.status(200, false);
    b.failure('client-abort');
    const registry = createMetricsRegistry({ meters: () => new Map([['a', a], ['b', b]]), isOpen: (id) => id === 'a' });
    const text = await registry.metrics();
    expect(family(text, 'breakerboard_requests_total')).toEqual([
      '# HELP breakerboard_requests_total Requests sent to each backend, by response status ("0" = no response)',
      '# TYPE breakerboard_requests_total counter',
      'breakerboard_requests_total{backend="a",status="200"} 1',
      'breakerboard_requests_total{backend="a",status="429"} 1',
      'breakerboard_requests_total{backend="a",status="0"} 3',
      'breakerboard_requests_total{backend="b",status="200"} 1',
    ]);
    expect(family(text, 'breakerboard_tokens_total')).toEqual([
      '# HELP breakerboard_tokens_total Tokens reported in usage by each backend, by kind (prompt, completion)',
      '# TYPE breakerboard_tokens_total counter',
      'breakerboard_tokens_total{backend="a",kind="prompt"} 10',
      'breakerboard_tokens_total{backend="a",kind="completion"} 4',
      'breakerboard_tokens_total{backend="b",kind="prompt"} 0',
      'breakerboard_tokens_total{backend="b",kind="completion"} 0',
    ]);
    // A later scrape shows the totals then, not the sum of both scrapes.
    b.failure('timeout');
    b.tokens(1, 2);
    const again = await registry.metrics();
    expect(family(again, 'breakerboard_requests_total').slice(2)).toEqual([
      'breakerboard_requests_total{backend="a",status="200"} 1',
      'breakerboard_requests_total{backend="a",status="429"} 1',
      'breakerboard_requests_total{backend="a",status="0"} 3',
      'breakerboard_requests_total{backend="b",status="200"} 1',
      'breakerboard_requests_total{backend="b",status="0"} 1',
    ]);
    expect(family(again, 'breakerboard_tokens_total').slice(4)).toEqual(['breakerboard_tokens_total{backend="b",kind="prompt"} 1', 'breakerboard_tokens_total{backend="b",kind="completion"} 2']);
  });
});
