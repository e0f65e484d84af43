import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../shared/model';
import type { GatewayEvent } from '../../shared/monitor';
import { FakeClock } from '../../test/support/fake-clock';
import { demoWorkspace } from '../../test/support/workspace-arbitrary';
import { defaultCredentialOptions, GatewayEngine, type EngineTimers } from './engine';

/*
 * The engine's own decisions, exactly, driven by an injected clock and hand-run timers (no server, no network):
 * which meters and reset timers a reload keeps, the events it writes (reload, refusal, trip, extension, Retry-After
 * over an hour, reset at openUntil, carbon emission), the per-second window after a stall, and what `history` returns.
 */

const EAST = 'aoai-eastus';
const SOUTH = 'aoai-uksouth';
const START = Date.UTC(2026, 11, 4, 3, 0, 0);

/** Timers that fire only when the test says so, at the fake clock's time. */
class ManualTimers implements EngineTimers {
  private seq = 0;
  readonly pending = new Map<number, { at: number; fn: () => void }>();
  constructor(private readonly clock: FakeClock) {}
  setTimeout = (fn: () => void, ms: number): unknown => {
    this.pending.set(++this.seq, { at: this.clock.t + ms, fn });
    return this.seq;
  };
  clearTimeout = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };
  /** Moves the clock to `t` and fires every timer due by then, in order. */
  runUntil(t: number): void {
    this.clock.t = t;
    for (;;) {
      const due = [...this.pending].filter(([, p]) => p.at <= t).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) return;
      this.pending.delete(due[0]);
      due[1].fn();
    }
  }
}

/** The demo workspace, changed by `edit` (a fresh copy each time). */
function workspace(edit?: (ws: Workspace) => void): Workspace {
  const ws = structuredClone(demoWorkspace());
  edit?.(ws);
  return ws;
}

function rig(ws = workspace(), opts: { speed?: number } = {}) {
  const clock = new FakeClock(START);
  const timers = new ManualTimers(clock);
  const engine = new GatewayEngine(ws, { ...opts, now: clock.now, timers, secrets: { get: () => 'key' } });
  const events: GatewayEvent[] = [];
  engine.events.subscribe((e) => events.push(e));
  return { clock, timers, engine, events };
}

const iso = (t: number): string => new Date(t).toISOString();

/** Trips `backend` with a 429 now, as the request handler does: the router records, the engine announces. */
function trip(r: ReturnType<typeof rig>, backend: string): void {
  const change = r.engine.router.record(backend, r.clock.t, { status: 429 });
  expect(change?.kind).toBe('trip');
  r.engine.breakerChanged(backend, change!, undefined);
}

describe('gateway engine: reload', () => {
  it('keeps the meter of a backend still in the table, drops the meter of one removed, and says which breakers it kept', () => {
    const r = rig();
    const east = r.engine.meters.get(EAST)!;
    east.status(200, false);
    r.clock.advance(250);
    r.engine.apply(
      workspace((ws) => {
        delete ws.backends[SOUTH];
        const pool = ws.pools!.mybackendpool!;
        pool.services = pool.services.filter((s) => s.backend === EAST);
        delete ws.simulation![SOUTH];
      }),
    );
    expect([...r.engine.meters.keys()]).toEqual([EAST]);
    expect(r.engine.meters.get(EAST)).toBe(east);
    expect(east.windowView().requests).toBe(1);
    expect(r.events).toEqual([{ type: 'config', backend: null, ok: true, kept: [EAST], at: iso(START + 250), reason: 'reloaded' }]);
  });

  it('a refused edit is announced with its errors and says the previous configuration keeps serving', () => {
    const r = rig();
    const errors = [{ path: 'backends.x.url', message: 'must be a URL' }];
    r.engine.refuse(errors);
    expect(r.events).toEqual([{ type: 'config', backend: null, ok: false, errors, at: iso(START), reason: 'invalid edit refused; the previous configuration keeps serving' }]);
  });

  it('keeps the reset timer of a breaker whose rule is unchanged and cancels the one of a breaker that was replaced', () => {
    const r = rig();
    trip(r, EAST);
    trip(r, SOUTH);
    r.events.length = 0;
    r.clock.advance(10_000);
    r.engine.apply(
      workspace((ws) => {
        ws.backends[EAST]!.circuitBreaker!.rules[0]!.tripDuration = 'PT2M';
      }),
    );
    expect(r.events).toEqual([{ type: 'config', backend: null, ok: true, kept: [SOUTH], at: iso(START + 10_000), reason: 'reloaded' }]);
    expect(r.engine.isOpen(EAST)).toBe(false);
    expect(r.engine.isOpen(SOUTH)).toBe(true);
    expect(r.timers.pending.size).toBe(1);
    // At the old openUntil only the kept breaker announces its reset: the replaced one was never announced again.
    r.timers.runUntil(START + 60_000);
    expect(r.events.slice(1)).toEqual([{ type: 'reset', backend: SOUTH, at: iso(START + 60_000), reason: 'expired' }]);
    expect(r.engine.isOpen(SOUTH)).toBe(false);
  });
});

describe('gateway engine: breaker events', () => {
  it('a trip is announced without `extended`, a later failure that extends it with `extended: true`', () => {
    const r = rig();
    trip(r, EAST);
    r.clock.advance(5000);
    const change = r.engine.router.record(EAST, r.clock.t, { status: 503 });
    expect(change?.kind).toBe('extend');
    r.engine.breakerChanged(EAST, change!, undefined);
    expect(r.events).toEqual([
      { type: 'trip', backend: EAST, at: iso(START), openUntil: iso(START + 60_000), reason: '429' },
      { type: 'trip', backend: EAST, at: iso(START + 5000), openUntil: iso(START + 65_000), reason: '503', extended: true },
    ]);
  });

  it('warns about a Retry-After over one hour (in seconds, rounded), not at exactly one hour, not when the rule ignored it', () => {
    const r = rig();
    const openUntil = START + 3_600_001;
    r.engine.breakerChanged(EAST, { kind: 'trip', openUntil, reason: '429, Retry-After 3600', retryAfterMs: 3_600_001 }, 3_600_001);
    expect(r.events).toEqual([
      { type: 'trip', backend: EAST, at: iso(START), openUntil: iso(openUntil), reason: '429, Retry-After 3600' },
      { type: 'warning', backend: EAST, at: iso(START), reason: `Retry-After of 3600 s (over one hour) keeps ${EAST} open until ${iso(openUntil)}` },
    ]);
    r.events.length = 0;
    r.engine.breakerChanged(SOUTH, { kind: 'trip', openUntil: START + 3_600_000, reason: '429, Retry-After 3600', retryAfterMs: 3_600_000 }, 3_600_000);
    // acceptRetryAfter: false — the breaker opened for its own trip duration, so the long Retry-After keeps nothing open.
    r.engine.breakerChanged(SOUTH, { kind: 'extend', openUntil: START + 60_000, reason: '429' }, 7_200_000);
    expect(r.events.map((e) => e.type)).toEqual(['trip', 'trip']);
  });

  it('at openUntil the breaker closes and the reset is announced once', () => {
    const r = rig();
    trip(r, EAST);
    r.timers.runUntil(START + 59_999);
    expect(r.events).toHaveLength(1);
    r.timers.runUntil(START + 60_000);
    const breaker = r.engine.router.breakers.get(EAST)!;
    expect(breaker.openUntil).toBe(0);
    expect(breaker.reason).toBeNull();
    expect(r.events.slice(1)).toEqual([{ type: 'reset', backend: EAST, at: iso(START + 60_000), reason: 'expired' }]);
    expect(r.timers.pending.size).toBe(0);
  });

  it('a late reset timer does not empty the window of a breaker that already closed itself and counted a new failure', () => {
    const r = rig(
      workspace((ws) => {
        ws.backends[EAST]!.circuitBreaker!.rules[0]!.failureCondition.count = 2;
      }),
    );
    r.engine.router.record(EAST, r.clock.t, { status: 500 });
    trip(r, EAST);
    // openUntil passed but the timer has not fired yet (a busy loop): the next failure closes the breaker and counts.
    r.clock.t = START + 60_500;
    expect(r.engine.router.record(EAST, r.clock.t, { status: 500 })).toBeNull();
    const breaker = r.engine.router.breakers.get(EAST)!;
    expect(breaker.openUntil).toBe(0);
    r.timers.runUntil(START + 60_600);
    expect(breaker.windowCounts(r.clock.t)).toEqual({ failures: 1, total: 1 });
    expect(r.engine.router.record(EAST, r.clock.t, { status: 500 })?.kind).toBe('trip');
    expect(r.events.at(-1)).toEqual({ type: 'reset', backend: EAST, at: iso(START + 60_600), reason: 'expired' });
  });

  it('an unknown backend is not open', () => {
    expect(rig().engine.isOpen('nope')).toBe(false);
  });
});

describe('gateway engine: options, client counts, carbon', () => {
  it('a speed that is not positive is 1', () => {
    expect(rig(workspace(), { speed: -2 }).engine.speed).toBe(1);
    expect(rig(workspace(), { speed: 0 }).engine.speed).toBe(1);
    expect(rig(workspace(), { speed: 4 }).engine.speed).toBe(4);
  });

  it('a retried request counts as saved only when its final status is 2xx', () => {
    const r = rig();
    const snaps: unknown[] = [];
    r.engine.snapshots.subscribe((s) => snaps.push(s.client));
    for (const status of [199, 200, 299, 300]) r.engine.clientOutcome(status, 2);
    r.clock.advance(1000);
    r.engine.tick();
    expect(snaps).toEqual([{ requests: 4, byStatus: { '199': 1, '200': 1, '299': 1, '300': 1 }, retried: 4, saved: 2 }]);
  });

  it('a run-time carbon emission, the workspace value back, and no value at all: answered and announced', () => {
    const r = rig(
      workspace((ws) => {
        ws.gateway = { carbonEmission: { westeurope: 'High' } };
      }),
    );
    expect(r.engine.setCarbonEmission('West Europe', 'Low')).toEqual({ emission: 'Low', source: 'set' });
    expect(r.engine.setCarbonEmission('westeurope', null)).toEqual({ emission: 'High', source: 'workspace' });
    expect(r.engine.setCarbonEmission('northeurope', null)).toEqual({ emission: null, source: 'none' });
    const at = iso(START);
    expect(r.events).toEqual([
      { type: 'config', backend: null, ok: true, at, reason: 'carbon emission of West Europe: Low (set at run time)' },
      { type: 'config', backend: null, ok: true, at, reason: 'carbon emission of westeurope: High (the workspace value)' },
      { type: 'config', backend: null, ok: true, at, reason: 'carbon emission of northeurope: none (no value)' },
    ]);
  });
});

describe('gateway engine: rolling window and history', () => {
  it('a closed second stays in the window for 900 seconds, then leaves it', () => {
    const r = rig();
    const east = r.engine.meters.get(EAST)!;
    east.status(200, false);
    r.clock.advance(1000);
    r.engine.tick();
    expect(east.windowView().requests).toBe(1);
    r.clock.t = START + 900_000;
    r.engine.tick();
    expect(east.windowView().requests).toBe(1);
    r.clock.t = START + 901_000;
    r.engine.tick();
    expect(east.windowView().requests).toBe(0);
  });

  it('after a clock jump past the window the seconds nobody closed are emptied, old counts included', () => {
    const r = rig();
    const east = r.engine.meters.get(EAST)!;
    east.status(429, true);
    r.clock.advance(1000);
    r.engine.tick();
    r.clock.t = START + 1_000_000;
    r.engine.tick();
    expect(east.windowView()).toEqual({ requests: 0, failures: 0, byStatus: {}, failuresByReason: {}, tokens: { prompt: 0, completion: 0 } });
  });

  it('history gives the events from one second before its first snapshot on', () => {
    const r = rig();
    for (let i = 0; i < 3; i++) {
      r.engine.emit({ type: 'warning', backend: null, at: r.engine.iso(), reason: `w${i}` });
      r.clock.advance(1000);
      r.engine.tick();
    }
    const h = r.engine.history(1);
    expect(h.snapshots.map((s) => s.t)).toEqual([START + 2000]);
    expect(h.events.map((e) => e.reason)).toEqual(['w1', 'w2']);
  });

  it('keeps the last 1000 events', () => {
    const r = rig();
    for (let i = 0; i <= 1000; i++) r.engine.emit({ type: 'warning', backend: null, at: r.engine.iso(), reason: `w${i}` });
    const events = r.engine.history(900).events;
    expect(events).toHaveLength(1000);
    expect(events[0]!.reason).toBe('w1');
    expect(events.at(-1)!.reason).toBe('w1000');
  });
});

describe('the managed identity a backend asks DefaultAzureCredential for', () => {
  it("a user-assigned identity by the backend's clientId, else the system-assigned one", () => {
    expect(defaultCredentialOptions('00000000-0000-0000-0000-0000000000aa')).toEqual({ managedIdentityClientId: '00000000-0000-0000-0000-0000000000aa' });
    expect(defaultCredentialOptions(undefined)).toEqual({});
  });
});
