import { describe, expect, it } from 'vitest';
import type { CliIo } from '../main/cli/io';
import { runCli } from '../main/cli/program';
import { startGateway } from '../main/gateway';
import { startSimulators } from '../main/simulator';
import { simWorkspace } from './simulator-support';

function cli(interrupted?: Promise<void>) {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: process.cwd(), isTty: false, interrupted };
  return { io, out: () => out, err: () => err };
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('timed out');
}

describe('simulate and fault commands', () => {
  it('prints one line per backend, serves faults on its control port until interrupted', async () => {
    let stop!: () => void;
    const sim = cli(new Promise<void>((r) => (stop = r)));
    const running = runCli(['simulate', 'shared/model/demo/demo.yaml'], sim.io);
    await waitFor(() => sim.out().includes('fault control on'));
    const lines = sim.out().trim().split('\n');
    expect(lines[0]).toMatch(/^simulated aoai-eastus on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/^simulated aoai-uksouth on http:\/\/127\.0\.0\.1:\d+$/);
    const control = /fault control on (\S+)/.exec(lines[2]!)![1]!;
    const east = lines[0]!.split(' on ')[1]!;

    const f = cli();
    expect(await runCli(['fault', control, 'aoai-eastus', 'outage'], f.io)).toBe(0);
    expect(f.out()).toBe('aoai-eastus: outage\n');
    await expect(fetch(`${east}/openai/deployments/gpt-4o/chat/completions`, { method: 'POST', body: '{}' })).rejects.toThrow();
    const c = cli();
    expect(await runCli(['fault', control, 'aoai-eastus', 'clear'], c.io)).toBe(0);
    expect(c.out()).toBe('aoai-eastus: cleared\n');

    // The backend ports serve the same endpoint, so a backend URL works as <url> too.
    const t = cli();
    expect(await runCli(['fault', east, 'aoai-uksouth', 'throttle', '--retry-after', '5', '--json'], t.io)).toBe(0);
    expect(JSON.parse(t.out())).toEqual({ backend: 'aoai-uksouth', fault: { type: 'throttle', retryAfter: 5 } });

    const unknown = cli();
    expect(await runCli(['fault', control, 'nope', 'hang'], unknown.io)).toBe(1);
    expect(unknown.err()).toContain('error: nope: no simulated backend "nope"');

    stop();
    expect(await running).toBe(0);
  });

  it('refuses bad fault usage with exit 2 and an unreachable URL with exit 1', async () => {
    const a = cli();
    expect(await runCli(['fault', 'http://127.0.0.1:9', 'x', 'melt'], a.io)).toBe(2);
    expect(a.err()).toContain('<type>: must be one of outage, errors, throttle, slow, hang, reset, clear');
    const b = cli();
    expect(await runCli(['fault', 'http://127.0.0.1:9', 'x', 'throttle', '--rate', '0.5'], b.io)).toBe(2);
    expect(b.err()).toContain('--rate applies to errors only');
    const c = cli();
    expect(await runCli(['fault', 'http://127.0.0.1:9', 'x', 'errors', '--rate', '3'], c.io)).toBe(2);
    expect(c.err()).toContain('--rate: must be between 0 and 1');
    const d = cli();
    expect(await runCli(['fault', 'http://127.0.0.1:9', 'x', 'hang'], d.io)).toBe(1);
    expect(d.err()).toContain('cannot connect');
  });

  it('switches a fault through a running gateway', async () => {
    const ws = simWorkspace({ east: { latencyMs: { p50: 2, p99: 2 } }, west: { latencyMs: { p50: 2, p99: 2 } } });
    const sims = await startSimulators(ws);
    const gw = await startGateway({ workspace: ws, port: 0, simulation: sims, backendUrls: { east: sims.backends.east!.url, west: sims.backends.west!.url } });
    try {
      const c = cli();
      expect(await runCli(['fault', gw.url, 'east', 'errors', '--rate', '1', '--status', '503'], c.io)).toBe(0);
      expect(c.out()).toBe('east: errors rate=1 status=503\n');
      expect(sims.faults().east).toEqual({ type: 'errors', rate: 1, status: 503 });
      const res = await fetch(`${gw.url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, { method: 'POST', body: '{"messages":[{"role":"user","content":"hi"}]}' });
      expect([res.status, res.headers.get('x-breakerboard-backend')]).toEqual([503, 'east']);
      expect(await runCli(['fault', gw.url, 'east', 'clear'], cli().io)).toBe(0);
      expect(sims.faults().east).toBeNull();
    } finally {
      await gw.close();
      await sims.close();
    }
  });
});
