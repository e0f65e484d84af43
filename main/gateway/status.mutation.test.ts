import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { validateWorkspace } from '../../shared/model';
import { FakeClock } from '../../test/support/fake-clock';
import { breakerRule } from '../../test/support/workspace-arbitrary';
import { operationNotFound } from './apim-answers';
import { GatewayEngine } from './engine';
import type { AccessLogEntry } from './exchange';
import { buildStatus } from './status';

/*
 * The `/_breakerboard/status` document and APIM's own 404 for an undeclared operation, from a real engine on a fake
 * clock (no server, no timers, no network): every field compared exactly.
 */

const START = Date.UTC(2026, 11, 3, 12, 0, 0);

function workspace() {
  const r = validateWorkspace({
    version: 1,
    backends: {
      east: { url: 'https://east.example.com/openai', azureRegion: 'westeurope', circuitBreaker: { rules: [breakerRule()] } },
      west: { url: 'https://west.example.com/openai', azureRegion: 'westeurope' },
      solo: { url: 'https://solo.example.com/openai' },
    },
    pools: { pool: { services: [{ backend: 'east', priority: 1, weight: 3 }, { backend: 'west' }] } },
    apis: {
      chat: { path: 'openai', backend: 'pool', retry: { count: 2, on: [429, 503] } },
      single: { path: 'solo/v1', backend: 'solo' },
      zero: { path: 'zero', backend: 'solo', retry: { count: 0, on: [500] } },
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.workspace;
}

const engines: GatewayEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close(true);
});

function engineAt(clock: FakeClock): GatewayEngine {
  const engine = new GatewayEngine(workspace(), { now: clock.now, secrets: { get: () => undefined }, timers: { setTimeout: () => 0, clearTimeout: () => undefined } });
  engines.push(engine);
  return engine;
}

const emptyBackend = (url: string, rule: string | null) => ({
  state: 'closed',
  openUntil: null,
  reason: null,
  url,
  rule,
  requests: 0,
  failures: 0,
  byStatus: {},
  failuresByReason: {},
  latencyMs: { p50: null, p90: null, p99: null },
  tokens: { prompt: 0, completion: 0 },
  inFlight: 0,
  breakerWindow: { failures: 0, total: 0 },
  total: { requests: 0, failures: 0 },
});

describe('buildStatus', () => {
  it('reports backends, only pools as pools, API paths without their "/", retry only when it retries, and regions', () => {
    const clock = new FakeClock(START);
    const engine = engineAt(clock);
    clock.advance(2_500);
    const east = engine.meters.get('east')!;
    east.status(200, false);
    east.status(429, true);
    east.latencyMs(12);
    east.inFlight = 1;
    expect(engine.router.breakers.get('east')!.record(clock.t, { status: 429 })?.kind).toBe('trip');
    engine.gatewayError('OperationNotFound');

    expect(buildStatus(engine)).toEqual({
      startedAt: '2026-12-03T12:00:00.000Z',
      at: '2026-12-03T12:00:02.500Z',
      windowSeconds: 900,
      backends: {
        east: {
          ...emptyBackend('https://east.example.com/openai', 'rule'),
          state: 'open',
          openUntil: '2026-12-03T12:01:02.500Z',
          reason: '429',
          requests: 2,
          failures: 1,
          byStatus: { '200': 1, '429': 1 },
          failuresByReason: { status: 1 },
          latencyMs: { p50: 12.03, p90: 12.03, p99: 12.03 },
          inFlight: 1,
          total: { requests: 2, failures: 1 },
        },
        west: emptyBackend('https://west.example.com/openai', null),
        solo: emptyBackend('https://solo.example.com/openai', null),
      },
      pools: {
        pool: {
          members: [
            { backend: 'east', priority: 1, weight: 3, state: 'open' },
            { backend: 'west', priority: null, weight: null, state: 'closed' },
          ],
        },
      },
      apis: {
        chat: { path: 'openai', backend: 'pool', retry: { count: 2, on: [429, 503] } },
        single: { path: 'solo/v1', backend: 'solo', retry: null },
        zero: { path: 'zero', backend: 'solo', retry: null },
      },
      gatewayErrors: { OperationNotFound: 1 },
      warnings: [],
      carbonEmission: {},
      regions: { westeurope: ['east', 'west'] },
    });
  });

  it('a breaker whose open time has passed is closed again, without openUntil or reason', () => {
    const clock = new FakeClock(START);
    const engine = engineAt(clock);
    engine.router.breakers.get('east')!.record(clock.t, { status: 429 });
    clock.advance(60_000);
    const s = buildStatus(engine);
    expect(s.backends['east']).toMatchObject({ state: 'closed', openUntil: null, reason: null });
    expect(s.pools['pool']!.members[0]!.state).toBe('closed');
  });
});

/** A response that keeps what the gateway wrote. */
function recordingResponse() {
  const sent: { status?: number; headers?: unknown; body?: string } = {};
  const res = {
    headersSent: false,
    writeHead(status: number, headers: unknown) {
      sent.status = status;
      sent.headers = headers;
      return res;
    },
    end(body: string) {
      sent.body = body;
      return res;
    },
  };
  return { res: res as unknown as ServerResponse, sent };
}

describe('operationNotFound (F-OPS-1)', () => {
  function answer(req: Partial<IncomingMessage>) {
    const clock = new FakeClock(START);
    const engine = engineAt(clock);
    const log: AccessLogEntry[] = [];
    engine.accessLog = (e) => log.push(e);
    const { res, sent } = recordingResponse();
    operationNotFound(engine, req as IncomingMessage, res, 'chat');
    return { engine, log, sent };
  }

  it('answers 404 OperationNotFound naming the method, the path without its query, and the API; counts and logs it', () => {
    const { engine, log, sent } = answer({ method: 'DELETE', url: '/openai/files/x?api-version=1' });
    const body = '{"error":{"code":"OperationNotFound","message":"Unable to match incoming request to an operation (DELETE /openai/files/x, API chat)."}}';
    expect(sent).toEqual({ status: 404, headers: ['content-type', 'application/json', 'content-length', String(body.length)], body });
    expect(log).toEqual([{ at: '2026-12-03T12:00:00.000Z', method: 'DELETE', path: '/openai/files/x?api-version=1', api: 'chat', status: 404, backend: null, attempts: 0, ms: 0, code: 'OperationNotFound' }]);
    expect(Object.fromEntries(engine.gatewayErrorsTotal)).toEqual({ OperationNotFound: 1 });
  });

  it('writes an empty method and path when the request has none', () => {
    const { log, sent } = answer({});
    expect(JSON.parse(sent.body!)).toEqual({ error: { code: 'OperationNotFound', message: 'Unable to match incoming request to an operation ( , API chat).' } });
    expect(log[0]).toMatchObject({ method: '', path: '' });
  });
});
