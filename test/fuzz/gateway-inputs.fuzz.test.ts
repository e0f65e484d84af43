import fc from 'fast-check';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayHandle } from '../../main/gateway';
import { confinePath } from '../../main/gateway/http-util';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryAfterSeconds } from '../../shared/semantics';
import { seedWorkspace, startTestBackend, testSecrets, type TestBackend } from '../support/test-backend';
import { fuzzRuns, hostilePath, hostileRetryAfter } from './hostile';

/*
 * What clients and backends send, fuzzed (issue 14): Retry-After values, request paths with dot segments, and raw
 * HTTP requests against a live gateway. The gateway answers every request with a status line, never forwards a
 * path outside the API's base path, and keeps serving.
 */
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

describe('fuzz: values from the wire', () => {
  it('Retry-After: ignored or a whole number of ms in [0, the clamp]; the 503 answer is a sane integer', () => {
    fc.assert(
      fc.property(hostileRetryAfter, (value) => {
        const ms = parseRetryAfter(value, NOW);
        if (ms === undefined) return;
        expect(Number.isFinite(ms) && ms >= 0 && ms <= MAX_RETRY_AFTER_MS).toBe(true);
        expect(Number.isFinite(new Date(NOW + ms).getTime())).toBe(true);
        const secs = retryAfterSeconds(ms);
        expect(Number.isInteger(secs) && secs >= 1 && secs <= MAX_RETRY_AFTER_MS / 1000).toBe(true);
      }),
      fuzzRuns(150),
    );
  });

  it('request paths: refused, or normalised to stay under the base path with no dot segment left', () => {
    fc.assert(
      fc.property(hostilePath, (url) => {
        const out = confinePath(url, '/openai');
        if (out === null) return;
        const path = out.split('?')[0]!;
        expect(path === '/openai' || path.startsWith('/openai/')).toBe(true);
        expect(path.split('/').some((s) => /^(?:\.|%2e){1,2}$/i.test(s))).toBe(false);
        expect(out.slice(path.length)).toBe(url.slice(url.split('?')[0]!.length));
      }),
      fuzzRuns(150),
    );
  });
});

describe('fuzz: raw requests against a live gateway', () => {
  let gw: GatewayHandle;
  let backend: TestBackend;
  let other: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend('east');
    other = await startTestBackend('uk');
    const ws = seedWorkspace(backend, other, { retry: { count: 0, on: [429] }, timeouts: { connect: 'PT1S', response: 'PT1S' } });
    Object.assign(ws.gateway, { timeouts: { ...ws.gateway.timeouts, clientHeaders: 'PT0.5S', clientBody: 'PT0.5S' } });
    gw = await startGateway({ workspace: ws, secrets: testSecrets });
  });
  afterAll(async () => {
    await gw.close();
    await backend.close();
    await other.close();
  });

  function send(text: string): Promise<string> {
    return new Promise((resolve) => {
      const s = connect(gw.port, '127.0.0.1', () => s.end(text));
      let out = '';
      s.on('data', (d) => (out += d.toString('latin1')));
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
      // Bounded: a request the gateway waits on is cut by its own client timeouts (0.5 s); this is the backstop.
      s.setTimeout(5_000, () => s.destroy());
    });
  }

  const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/);
  const headerLine = fc.oneof(
    fc.tuple(token, fc.string({ maxLength: 20 })).map(([n, v]) => `${n}: ${v}`),
    fc.constantFrom('Content-Length: 5', 'Content-Length: -1', 'Content-Length: 1e3', 'Transfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked', ' folded', 'X-A: 1\nX-B: 2', 'X-A: 1\rX-B: 2', 'Host: a', 'Host: a\r\nHost: b', 'Connection: close'),
  );
  const request = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'BREW', 'G\u00c9T'),
    path: fc.oneof(hostilePath, fc.constantFrom('/_breakerboard/status', '/_breakerboard/backends/%E0%A4%A/reset', '/metrics', '*', 'http://evil/openai/x', '/openai/x y')),
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1x'),
    headers: fc.array(headerLine, { maxLength: 4 }),
    body: fc.string({ maxLength: 20 }),
  });

  it('every request gets a status line (or a close for an early hang-up); nothing escapes the base path', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const text = `${r.method} ${r.path} ${r.version}\r\n${r.headers.join('\r\n')}${r.headers.length ? '\r\n' : ''}\r\n${r.body}`;
        const answer = await send(text);
        if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
        expect(answer).not.toMatch(/\n\s+at |RangeError|TypeError/);
      }),
      fuzzRuns(100),
    );
    for (const got of [...backend.received, ...other.received]) {
      const path = got.url.split('?')[0]!;
      expect(path.startsWith('/openai/') || path === '/openai').toBe(true);
      expect(path.split('/').some((s) => /^(?:\.|%2e){1,2}$/i.test(s))).toBe(false);
    }
    const status = await fetch(`${gw.url}/_breakerboard/status`);
    expect(status.status).toBe(200);
    await status.text();
  });
});
