import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../main/cli/io';
import { runCli } from '../main/cli/program';
import { startSimulators, type SimulatorHandle } from '../main/simulator';
import { parseShortDuration } from '../shared/simulation';
import { simWorkspace } from './simulator-support';

function cli() {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: process.cwd(), isTty: false };
  return { io, out: () => out, err: () => err };
}

describe('load command', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulators(simWorkspace({ east: { latencyMs: { p50: 2, p99: 4 } } }));
  });
  afterAll(() => sim.close());

  it('prints a report a person can read', async () => {
    const c = cli();
    expect(await runCli(['load', `http://127.0.0.1:${sim.backends.east!.port}`, '--requests', '20', '--concurrency', '4'], c.io)).toBe(0);
    expect(c.out()).toMatch(/^closed loop, 4 in flight: 20 sent, 20 completed in [\d.]+ s/);
    expect(c.out()).toContain('ok (2xx): 20 (100%), failed: 0');
    expect(c.out()).toContain('status: 200: 20');
    expect(c.out()).toMatch(/latency: p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms/);
  });

  it('prints one JSON document with --json, open loop with --rps and --duration, streaming', async () => {
    const c = cli();
    expect(await runCli(['load', sim.backends.east!.url, '--rps', '50', '--duration', '200ms', '--stream', '--json'], c.io)).toBe(0);
    const r = JSON.parse(c.out());
    expect(r).toMatchObject({ mode: 'open', rps: 50, sent: 10, ok: 10, statusCounts: { 200: 10 } });
    expect(r.url).toMatch(/\/openai\/deployments\/gpt-4o\/chat\/completions\?api-version=/);
    expect(r.ttftMs.count).toBe(10);
  });

  it('keeps a live progress line on a terminal (stderr), and clears it before the report', async () => {
    const c = cli();
    c.io.isTty = true;
    expect(await runCli(['load', sim.backends.east!.url, '--rps', '10', '--duration', '1200ms'], c.io)).toBe(0);
    const ERASE = '\r\u001b[K';
    expect(c.err().startsWith(ERASE)).toBe(true);
    // Each line says how far the run is in whole seconds; which second the first tick lands on is the machine's.
    expect(c.err().slice(ERASE.length)).toMatch(/^\d+ s: \d+ sent, \d+ done, \d+ ok, 0 failed, \d+ in flight/);
    expect(c.err().endsWith(ERASE)).toBe(true);
    expect(c.out()).toContain('open loop at 10 req/s: 12 sent');
  });

  it('exits 2 on bad flags and 1 when nothing answers', async () => {
    const a = cli();
    expect(await runCli(['load', 'http://127.0.0.1:9', '--duration', 'soon'], a.io)).toBe(2);
    expect(a.err()).toContain('--duration: "soon" is not a duration');
    const b = cli();
    expect(await runCli(['load', 'http://127.0.0.1:9', '--requests', '5', '--duration', '1s'], b.io)).toBe(2);
    const c = cli();
    expect(await runCli(['load', 'not a url'], c.io)).toBe(2);
    sim.setFault('west', { type: 'outage' });
    const d = cli();
    expect(await runCli(['load', `http://127.0.0.1:${sim.backends.west!.port}`, '--requests', '2'], d.io)).toBe(1);
    expect(d.err()).toContain('no request got an answer (refused)');
    sim.clearFault('west');
  });
});

describe('short durations for CLI flags', () => {
  it('reads 500ms, 30s, 2m, 1h, 1m30s and ISO 8601, and refuses the rest', () => {
    expect(['500ms', '30s', '2m', '1h', '1m30s', 'PT30S', 'pt1m'].map((t) => parseShortDuration(t))).toEqual(
      [500, 30_000, 120_000, 3_600_000, 90_000, 30_000, 60_000].map((ms) => ({ ok: true, ms })),
    );
    expect(parseShortDuration('30')).toMatchObject({ ok: false });
    expect(parseShortDuration('0s')).toEqual({ ok: false, message: 'must be greater than zero' });
    expect(parseShortDuration('5 s')).toMatchObject({ ok: false });
  });
});
