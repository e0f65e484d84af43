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

function cli(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: process.cwd(), isTty: false }, out: () => out, err: () => err };
}

describe('the seed drill, end to end through the real gateway', () => {
  it('holds its expectations at --speed 10: no client errors, EastUS trips within 5 s, UKSouth takes over', async () => {
    const c = cli();
    const code = await runCli(['drill', `${DEMO}/demo.yaml`, `${DEMO}/demo.drill.yaml`, '--speed', '10', '--json'], c.io);
    const r = JSON.parse(c.out()) as DrillReport;
    expect(c.err()).toBe('');
    expect(r.expectations.map((x) => [x.name, x.pass, x.actual])).toEqual([
      ['clientErrors', true, '0'],
      ['tripped aoai-eastus', true, expect.stringMatching(/^\d+ trips?$/)],
      ['maxTimeToTrip', true, expect.stringMatching(/^[\d.]+ m?s$/)],
    ]);
    expect(code).toBe(0);
    expect(r.requests).toBe(1800);
    expect(r.retried).toBeGreaterThan(0);
    // Before the fault EastUS serves 10 of every 11; while it is open UKSouth serves everything.
    const first = r.shares[0]!;
    expect(first.byBackend['aoai-eastus']! / first.total).toBeGreaterThan(0.85);
    expect(r.shares[2]!.byBackend).toEqual({ 'aoai-uksouth': r.shares[2]!.total });
    expect(r.events.find((e) => e.type === 'trip')).toMatchObject({ backend: 'aoai-eastus', reason: expect.stringContaining('429') });
  }, 30_000);

  it('exits 1 with the failed expectation named, and 1 with a path for a malformed drill file', async () => {
    const strict = join(dir, 'strict.drill.yaml');
    writeFileSync(strict, `version: 1
load: { rps: 10, duration: PT20S }
timeline: [{ at: PT5S, fault: { backend: aoai-eastus, type: throttle, retryAfter: 30 } }]
expect: { notTripped: [aoai-eastus] }
`);
    const c = cli();
    expect(await runCli(['drill', `${DEMO}/demo.yaml`, strict, '--speed', '20'], c.io)).toBe(1);
    expect(c.out()).toMatch(/FAIL {2}notTripped aoai-eastus: expected no trip, was \d+ trips?/);
    expect(c.out()).toContain('result: FAILED (1 of 1 expectations)');

    const bad = join(dir, 'bad.drill.yaml');
    writeFileSync(bad, 'version: 1\nload: { rps: 10, duration: PT20S }\ntimeline: [{ at: soon, clear: { backend: aoai-eastus } }]\n');
    const b = cli();
    expect(await runCli(['drill', `${DEMO}/demo.yaml`, bad], b.io)).toBe(1);
    expect(b.err()).toBe('error: timeline[0].at: "soon" is not an ISO 8601 duration (examples: PT30S, PT1M, PT1H)\n');
  }, 20_000);
});
