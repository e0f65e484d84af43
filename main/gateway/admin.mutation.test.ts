import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateWorkspace } from '../../shared/model';
import type { FaultSpec, SimulationControl } from '../../shared/simulation/faults';
import { FakeClock } from '../../test/support/fake-clock';
import { FakeRequest, FakeResponse } from '../../test/support/fake-http';
import { breakerRule } from '../../test/support/workspace-arbitrary';
import { handleAdmin, isAdminPath } from './admin';
import { GatewayEngine } from './engine';
import { buildStatus } from './status';

/*
 * The gateway's own endpoints (DESIGN §3) driven through `handleAdmin` with a real engine on a fake clock and a
 * request/response pair without a socket: every answer compared whole (status, headers, JSON body), and the SSE
 * stream's framing, heartbeat, slow-reader cut-off and unsubscribe on either side's close observed exactly.
 */

const engines: GatewayEngine[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const e of engines.splice(0)) await e.close(true);
});

function engine(): GatewayEngine {
  const r = validateWorkspace({
    version: 1,
    backends: { east: { url: 'https://east.example.com/openai', circuitBreaker: { rules: [breakerRule()] } }, west: { url: 'https://west.example.com/openai' } },
    apis: { chat: { path: 'openai', backend: 'east' } },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const clock = new FakeClock(Date.UTC(2026, 11, 4, 3, 0, 0));
  const e = new GatewayEngine(r.workspace, { now: clock.now, secrets: { get: () => undefined }, timers: { setTimeout: () => 0, clearTimeout: () => undefined } });
  engines.push(e);
  return e;
}

function registry(): Registry {
  const reg = new Registry();
  new Counter({ name: 'bb_admin_test_total', help: 'a counter for the test', registers: [reg] }).inc(3);
  return reg;
}

const simulation = (): SimulationControl => {
  const faults: Record<string, FaultSpec | null> = { east: null };
  return { setFault: (id, f) => (faults[id] = f), clearFault: (id) => (faults[id] = null), faults: () => faults };
};

async function call(method: string | undefined, url: string | undefined, opts: { e?: GatewayEngine; sim?: SimulationControl } = {}) {
  const req = new FakeRequest(method, url);
  const res = new FakeResponse();
  await handleAdmin(opts.e ?? engine(), registry(), opts.sim, req.asIncoming, res.asServer);
  return { req, res };
}

const notFound = (message: string) => ({ error: { code: 'NotFound', message } });
const errorHeaders = (body: unknown) => ({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(JSON.stringify(body))) });

async function expectError(method: string | undefined, url: string | undefined, status: number, body: unknown, sim?: SimulationControl) {
  const { res } = await call(method, url, { sim });
  expect([res.status, res.headers, res.json(), res.ended]).toEqual([status, errorHeaders(body), body, true]);
}

describe('isAdminPath: what the proxy hands to the admin endpoints', () => {
  it('the /_breakerboard/ prefix and /metrics (with or without a query), nothing else', () => {
    const paths = ['/_breakerboard/status', '/_breakerboard/', '/metrics', '/metrics?name=x', '/openai/deployments/x/chat/completions', '/', '/_breakerboard', '/metricsx', '/x/metrics?', '/metrics/'];
    expect(paths.map(isAdminPath)).toEqual([true, true, true, true, false, false, false, false, false, false]);
  });
});

describe('handleAdmin: routing and the whole answer', () => {
  it('a request without url and method counts as GET /', async () => {
    await expectError(undefined, undefined, 404, notFound('no gateway endpoint GET /'));
  });

  it('GET /metrics answers the registry text in its content type; other methods are not an endpoint', async () => {
    const reg = registry();
    for (const url of ['/metrics', '/metrics?x=1']) {
      const res = new FakeResponse();
      await handleAdmin(engine(), reg, undefined, new FakeRequest('GET', url).asIncoming, res.asServer);
      expect([res.status, res.headers, res.body]).toEqual([200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }, await reg.metrics()]);
      expect(res.body).toContain('bb_admin_test_total 3');
    }
    await expectError('POST', '/metrics', 404, notFound('no gateway endpoint POST /metrics'));
  });

  it('GET /_breakerboard/status is the status document; POST is not an endpoint', async () => {
    const e = engine();
    const { res } = await call('GET', '/_breakerboard/status?pretty', { e });
    expect([res.status, res.headers['cache-control'], res.json()]).toEqual([200, 'no-store', JSON.parse(JSON.stringify(buildStatus(e)))]);
    await expectError('POST', '/_breakerboard/status', 404, notFound('no gateway endpoint POST /_breakerboard/status'));
  });

  it('an unknown path or a wrong method on events is 404 naming method and path (no stream, no simulator hint)', async () => {
    await expectError('GET', '/_breakerboard/nothing', 404, notFound('no gateway endpoint GET /_breakerboard/nothing'));
    await expectError('POST', '/_breakerboard/events', 404, notFound('no gateway endpoint POST /_breakerboard/events'));
    await expectError('DELETE', '/_breakerboard/x', 404, notFound('no gateway endpoint DELETE /_breakerboard/x'));
  });

  it('POST /_breakerboard/backends/<id>/reset closes the breaker and says so; the exact path and method only', async () => {
    const e = engine();
    const events: unknown[] = [];
    e.events.subscribe((x) => events.push(x));
    const { res } = await call('POST', '/_breakerboard/backends/east/reset', { e });
    expect([res.status, res.json()]).toEqual([200, { ok: true, backend: 'east', state: 'closed' }]);
    expect(events).toEqual([{ type: 'reset', backend: 'east', at: '2026-12-04T03:00:00.000Z', reason: 'manual' }]);
    await expectError('GET', '/_breakerboard/backends/east/reset', 404, notFound('no gateway endpoint GET /_breakerboard/backends/east/reset'));
    await expectError('POST', '/_breakerboard/backends/east/reset/now', 404, notFound('no gateway endpoint POST /_breakerboard/backends/east/reset/now'));
    await expectError('POST', '/_breakerboard/x/_breakerboard/backends/east/reset', 404, notFound('no gateway endpoint POST /_breakerboard/x/_breakerboard/backends/east/reset'));
    await expectError('POST', '/_breakerboard/backends/ghost/reset', 404, notFound('no backend ghost'));
    await expectError('POST', '/_breakerboard/backends/%E0%A4%A/reset', 400, { error: { code: 'BadRequest', message: 'the backend id in /_breakerboard/backends/%E0%A4%A/reset is not valid %-encoding' } });
  });

  it('simulation paths: a hint without --simulate, the simulator route with it, 404 for what it does not know', async () => {
    const hint = notFound('faults can be switched only when the gateway runs with --simulate');
    await expectError('GET', '/_breakerboard/simulation', 404, hint);
    await expectError('POST', '/_breakerboard/simulation/east/fault', 404, hint);
    const sim = simulation();
    const { res } = await call('GET', '/_breakerboard/simulation', { sim });
    expect([res.status, res.json()]).toEqual([200, { faults: { east: null } }]);
    await expectError('GET', '/_breakerboard/simulation/east', 404, notFound('no gateway endpoint GET /_breakerboard/simulation/east'), sim);
  });
});

describe('handleAdmin: the SSE event stream', () => {
  const KEEP_ALIVE = ': keep-alive\n\n';
  const MAX_BUFFERED = 1024 * 1024;

  async function stream() {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const e = engine();
    const before = e.events.size;
    const { req, res } = await call('GET', '/_breakerboard/events', { e });
    return { e, req, res, before };
  }

  it('opens with the stream headers and a comment, frames each event, and beats every 15 s', async () => {
    const { e, res, before } = await stream();
    expect([res.status, res.headers, res.chunks, res.ended]).toEqual([
      200,
      { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' },
      [': breakerboard events\n\n'],
      false,
    ]);
    expect(e.events.size).toBe(before + 1);
    e.reset('west');
    expect(res.chunks.slice(1)).toEqual(['event: reset\ndata: {"type":"reset","backend":"west","at":"2026-12-04T03:00:00.000Z","reason":"manual"}\n\n']);
    vi.advanceTimersByTime(14_999);
    expect(res.chunks).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(res.chunks.slice(2)).toEqual([KEEP_ALIVE]);
    vi.advanceTimersByTime(15_000);
    expect(res.chunks.slice(2)).toEqual([KEEP_ALIVE, KEEP_ALIVE]);
  });

  it('a reader with up to 1 MiB queued still gets events; one byte more and the stream is dropped', async () => {
    const { e, res } = await stream();
    res.writableLength = MAX_BUFFERED;
    e.reset('west');
    expect([res.chunks.length, res.destroyed]).toEqual([2, false]);
    res.writableLength = MAX_BUFFERED + 1;
    e.reset('west');
    expect([res.chunks.length, res.destroyed]).toEqual([2, true]);
  });

  for (const side of ['req', 'res'] as const) {
    it(`the ${side} closing alone unsubscribes and stops the heartbeat`, async () => {
      const s = await stream();
      s[side].emit('close');
      expect(s.e.events.size).toBe(s.before);
      s.e.reset('west');
      vi.advanceTimersByTime(60_000);
      expect(s.res.chunks).toEqual([': breakerboard events\n\n']);
      expect(vi.getTimerCount()).toBe(0);
    });
  }
});
