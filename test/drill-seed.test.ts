import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../main/cli/program';
import type { CliIo } from '../main/cli/io';
import type { DrillReport } from '../main/loadgen';

const DEMO = 'shared/model/demo';
const dir = mkdtempSync(join(tmpdir(), 'bb-drill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A shorter drill on the demo (400 requests): a throttle with a short Retry-After, cleared before the end, and a
// random error rate on UKSouth (seeded), so runs differ if anything but the clock's schedule decided.
writeFileSync(join(dir, 'short.drill.yaml'), `version: 1
load: { rps: 20, duration: PT20S, stream: true, maxTokens: 3 }
timeline:
  - { at: PT4S, fault: { backend: aoai-eastus, type: throttle, retryAfter: 3 } }
  - { at: PT8S, fault: { backend: aoai-uksouth, type: slow, factor: 3 } }
  - { at: PT12S, clear: { backend: aoai-eastus } }
expect: { clientErrors: 0, tripped: [aoai-eastus] }
`);

function cli(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: process.cwd(), isTty: false }, out: () => out, err: () => err };
}

/*
 * The seed drill (shared/model/demo/demo.drill.yaml: 20 req/s for 90 s, EastUS throttled with Retry-After 30 from
 * 10 s to 70 s) through the real gateway and the real simulated backends. With --virtual-time every part reads one
 * clock that moves only when all requests in flight wait on a simulated latency, so the report is the same on an
 * idle laptop and on a saturated CI box: the assertions below are exact, not tolerances.
 */
describe('the seed drill, end to end through the real gateway', () => {
  it('holds its expectations at --speed 10 in virtual time: no client errors, EastUS trips on the throttle, UKSouth takes over', async () => {
    const c = cli();
    const code = await runCli(['drill', `${DEMO}/demo.yaml`, `${DEMO}/demo.drill.yaml`, '--speed', '10', '--virtual-time', '--json'], c.io);
    const r = JSON.parse(c.out()) as DrillReport;
    expect(c.err()).toBe('');
    expect(r.expectations.map((x) => [x.name, x.pass, x.actual])).toEqual([
      ['clientErrors', true, '0'],
      ['tripped aoai-eastus', true, '2 trips'],
      ['maxTimeToTrip', true, '0 s'],
    ]);
    expect(code).toBe(0);
    expect(r).toMatchObject({ virtualTime: true, speed: 10, durationMs: 90_000, requests: 1800, statusCounts: { 200: 1800 } });
    // The request due at the fault's instant meets the throttle first: 429, the breaker opens for Retry-After 30 s
    // (F-CB-4) and the request is retried on UKSouth. At 40 s EastUS closes, is still throttled, and trips again
    // on the next request; at 70 s the throttle is cleared as the breaker closes.
    expect(r.events.map((e) => [e.type, e.backend, e.atMs, e.reason, e.row])).toEqual([
      ['trip', 'aoai-eastus', 10_000, '429, Retry-After 30', 'F-CB-4'],
      ['reset', 'aoai-eastus', 40_000, 'expired', 'F-CB-3'],
      ['trip', 'aoai-eastus', 40_000, '429, Retry-After 30', 'F-CB-4'],
      ['reset', 'aoai-eastus', 70_000, 'expired', 'F-CB-3'],
    ]);
    expect(r.retried).toBe(2);
    expect(r.failovers).toBe(2);
    expect(r.timeToTrip).toEqual([{ backend: 'aoai-eastus', faultAtMs: 10_000, tripAtMs: 10_000, ms: 0 }]);
    // Shares per 10 s of drill time. Calm (0–10 s) and after the clear (70–90 s): EastUS serves 10 of every 11 by
    // weight, give or take the round-robin's phase at a bucket's edge.
    const tenOfEleven = (b: DrillReport['shares'][number]) => Math.abs(b.byBackend['aoai-eastus']! - (b.total * 10) / 11) <= 1;
    const [calm, faulted, ...rest] = r.shares;
    expect(r.shares).toHaveLength(9);
    expect(tenOfEleven(calm!)).toBe(true);
    // 10–20 s: only the requests already sent before the fault were answered by EastUS, every later one by UKSouth.
    expect(faulted!.byBackend['aoai-eastus']).toBeLessThan(faulted!.total / 10);
    // 20–70 s: UKSouth serves everything, also across the second trip.
    for (const b of rest.slice(0, 5)) expect(b.byBackend).toEqual({ 'aoai-uksouth': b.total });
    // 70–80 s: EastUS is back; the answers UKSouth still had in flight at the clear count there (the recorder
    // places a request in flight at a step at that step). 80–90 s: 10 of every 11 again.
    const [back, last] = rest.slice(5);
    expect(back!.byBackend['aoai-eastus']! / back!.total).toBeGreaterThan(0.8);
    expect(tenOfEleven(last!)).toBe(true);
    expect(r.shares.reduce((n, b) => n + b.total, 0)).toBe(1800);
  }, 120_000);

  it('reports the same drill alike every time in virtual time', async () => {
    const runs: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const c = cli();
      expect(await runCli(['drill', `${DEMO}/demo.yaml`, join(dir, 'short.drill.yaml'), '--speed', '10', '--virtual-time', '--json'], c.io)).toBe(0);
      const { realDurationMs: _wall, ...r } = JSON.parse(c.out()) as DrillReport;
      runs.push(r);
    }
    expect(runs[1]).toEqual(runs[0]);
    expect((runs[0] as DrillReport).events.length).toBeGreaterThan(0);
  }, 120_000);

  it('runs in real time without --virtual-time: the same counts and outcome, times from the wall clock', async () => {
    const c = cli();
    const code = await runCli(['drill', `${DEMO}/demo.yaml`, join(dir, 'short.drill.yaml'), '--speed', '10', '--json'], c.io);
    const r = JSON.parse(c.out()) as DrillReport;
    expect(r.virtualTime).toBeUndefined();
    expect(r).toMatchObject({ speed: 10, durationMs: 20_000, requests: 400, clientErrors: 0 });
    // Whatever the machine: the throttle trips EastUS at some point after it began, and every answer was a 2xx.
    expect(r.expectations.map((x) => [x.name, x.pass])).toEqual([['clientErrors', true], ['tripped aoai-eastus', true]]);
    expect(r.timeToTrip[0]!.tripAtMs).toBeGreaterThanOrEqual(r.timeToTrip[0]!.faultAtMs);
    expect(code).toBe(0);
  }, 120_000);

  it('exits 1 with the failed expectation named, and 1 with a path for a malformed drill file', async () => {
    const strict = join(dir, 'strict.drill.yaml');
    writeFileSync(strict, `version: 1
load: { rps: 10, duration: PT20S }
timeline: [{ at: PT5S, fault: { backend: aoai-eastus, type: throttle, retryAfter: 30 } }]
expect: { notTripped: [aoai-eastus] }
`);
    const c = cli();
    expect(await runCli(['drill', `${DEMO}/demo.yaml`, strict, '--speed', '20', '--virtual-time'], c.io)).toBe(1);
    expect(c.out()).toMatch(/FAIL {2}notTripped aoai-eastus: expected no trip, was 1 trip\n/);
    expect(c.out()).toContain('result: FAILED (1 of 1 expectations)');
    expect(c.out()).toMatch(/^drill: 200 requests over 20 s at speed 20 \([\d.]+ m?s real, virtual time\)/);

    const bad = join(dir, 'bad.drill.yaml');
    writeFileSync(bad, 'version: 1\nload: { rps: 10, duration: PT20S }\ntimeline: [{ at: soon, clear: { backend: aoai-eastus } }]\n');
    const b = cli();
    expect(await runCli(['drill', `${DEMO}/demo.yaml`, bad], b.io)).toBe(1);
    expect(b.err()).toBe('error: timeline[0].at: "soon" is not an ISO 8601 duration (examples: PT30S, PT1M, PT1H)\n');

    const both = cli();
    expect(await runCli(['drill', `${DEMO}/demo.yaml`, strict, '--virtual-time', '--against', 'https://x.azure-api.net/openai'], both.io)).toBe(2);
    expect(both.err()).toContain('--virtual-time: a deployed service runs in real time');
  }, 30_000);
});
