import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify, parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main/cli/program';
import type { CliIo } from '../main/cli/io';
import { DEMO_WORKSPACE_YAML } from '../shared/model';

// Issue 15 item 6: `gateway` listens on the workspace's gateway.port without --port; --port-base places the
// simulated backends as `simulate` does.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-gw-ports-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io() {
  let stop: () => void = () => undefined;
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: dir, isTty: false, interrupted: new Promise<void>((r) => (stop = r)) };
  return { cli, out, err, stop: () => stop() };
}

/** A run of `n` consecutive ports free right now on 127.0.0.1 (checked by listening on each). */
async function freeRun(n: number): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const probe = createServer();
    const base = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as { port: number }).port)));
    await new Promise((r) => probe.close(r));
    if (base + n > 65535) continue;
    const held = [];
    let ok = true;
    for (let p = base; p < base + n && ok; p++) {
      const s = createServer();
      ok = await new Promise<boolean>((r) => s.once('error', () => r(false)).listen(p, '127.0.0.1', () => r(true)));
      held.push(s);
    }
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
    if (ok) return base;
  }
  throw new Error('no free run of ports');
}

async function lines(out: string[], count: number): Promise<string[]> {
  for (let i = 0; i < 500; i++) {
    const all = out.join('').split('\n');
    if (all.length > count) return all.slice(0, count);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${count} lines: ${out.join('')}`);
}

describe('gateway CLI ports', () => {
  it('without --port: the workspace gateway.port; --simulate --port-base N: backends on N, N+1', async () => {
    const base = await freeRun(3);
    const ws = parse(DEMO_WORKSPACE_YAML) as Record<string, unknown>;
    ws.gateway = { ...(ws.gateway as object), port: base + 2 };
    await writeFile(join(dir, 'ws.yaml'), stringify(ws));
    const g = io();
    const running = runCli(['gateway', 'ws.yaml', '--simulate', '--port-base', String(base)], g.cli);
    expect(await lines(g.out, 3)).toEqual([
      `gateway listening on http://127.0.0.1:${base + 2}`,
      `simulated aoai-eastus on http://127.0.0.1:${base}/openai`,
      `simulated aoai-uksouth on http://127.0.0.1:${base + 1}/openai`,
    ]);
    g.stop();
    expect(await running).toBe(0);
  });

  it('--port-base without --simulate is a usage error naming the flag', async () => {
    await writeFile(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
    const g = io();
    expect(await runCli(['gateway', 'demo.yaml', '--port-base', '9000'], g.cli)).toBe(2);
    expect(g.err.join('')).toMatch(/^error: --port-base: only with --simulate/);
  });
});
