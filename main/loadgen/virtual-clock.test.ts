import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock';

/** Two turns of the event loop's check phase: the clock has looked at least once whether it may move. */
const settle = () => new Promise<void>((r) => setImmediate(() => setImmediate(r)));

describe('virtual clock', () => {
  it('fires timers in time order, ties in the order they were set, and jumps to each one', async () => {
    const clock = new VirtualClock();
    const seen: [string, number][] = [];
    clock.setTimeout(() => seen.push(['b', clock.now()]), 20);
    clock.setTimeout(() => seen.push(['a', clock.now()]), 10);
    clock.setTimeout(() => seen.push(['c', clock.now()]), 20);
    const gone = clock.setTimeout(() => seen.push(['never', clock.now()]), 15);
    clock.clearTimeout(gone);
    const done = new Promise<void>((resolve) => clock.setTimeout(resolve, 30));
    const release = clock.virtual.hold();
    await done;
    release();
    expect(seen).toEqual([['a', 10], ['b', 20], ['c', 20]]);
    expect(clock.now()).toBe(30);
  });

  it('does not move while nobody holds it', async () => {
    const clock = new VirtualClock();
    let fired = false;
    clock.setTimeout(() => (fired = true), 5);
    await settle();
    expect([fired, clock.now()]).toEqual([false, 0]);
    const release = clock.virtual.hold();
    await new Promise<void>((r) => clock.setTimeout(r, 6));
    release();
    expect(fired).toBe(true);
  });

  it('waits while a request is in flight and not parked, and moves on once it parks on a simulator timer', async () => {
    const clock = new VirtualClock();
    const sim = clock.simulatorTimers();
    const release = clock.virtual.hold();
    let later = false;
    clock.setTimeout(() => (later = true), 1);
    clock.virtual.requestStarted();
    // Real work under way (e.g. the request on its way through the gateway): time must not pass.
    await settle();
    await settle();
    expect([later, clock.now()]).toEqual([false, 0]);
    // The simulated backend parks it on its latency: now time may pass, up to the answer.
    const answered = new Promise<number>((resolve) => sim.setTimeout(() => resolve(clock.now()), 50));
    expect(await answered).toBe(50);
    expect(later).toBe(true);
    // The answer is on its way back (work again): the next timer waits for it.
    let next = false;
    clock.setTimeout(() => (next = true), 10);
    await settle();
    expect(next).toBe(false);
    clock.virtual.requestEnded();
    await new Promise<void>((r) => clock.setTimeout(r, 20));
    expect(next).toBe(true);
    release();
  });

  it('a wait the client abandons (cleared) is work again until the request ends', async () => {
    const clock = new VirtualClock();
    const sim = clock.simulatorTimers();
    const release = clock.virtual.hold();
    clock.virtual.requestStarted();
    const handle = sim.setTimeout(() => undefined, 1000);
    sim.clearTimeout(handle);
    let moved = false;
    clock.setTimeout(() => (moved = true), 1);
    await settle();
    await settle();
    expect(moved).toBe(false);
    clock.virtual.requestEnded();
    await new Promise<void>((r) => clock.setTimeout(r, 2));
    expect(moved).toBe(true);
    release();
  });

  it('says when it stalls: a request neither answered nor parked, and nothing else can happen', async () => {
    const clock = new VirtualClock(50);
    const release = clock.virtual.hold();
    clock.virtual.requestStarted();
    await new Promise((r) => clock.stalled.addEventListener('abort', r, { once: true }));
    expect((clock.stalled.reason as Error).message).toMatch(/virtual time stalled at 0 ms: 1 request\(s\) in flight/);
    release();
  });

  it('never fires a timer at infinity (a hang), and gives an epoch view for the engine', async () => {
    const clock = new VirtualClock();
    const sim = clock.simulatorTimers();
    const release = clock.virtual.hold();
    clock.virtual.requestStarted();
    let hung = false;
    sim.setTimeout(() => (hung = true), Infinity);
    await new Promise<void>((r) => clock.setTimeout(r, 120_000));
    expect(hung).toBe(false);
    expect(clock.epoch(1_000_000)()).toBe(1_120_000);
    release();
  });
});
