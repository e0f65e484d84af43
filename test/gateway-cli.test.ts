import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main/cli/program';
import type { CliIo } from '../main/cli/io';
import { DEMO_WORKSPACE_YAML } from '../shared/model';

// `gateway <ws> --simulate` and `reset <url> <backend>` through the real command line (DESIGN §2).
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-gw-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io(env: NodeJS.ProcessEnv = {}) {
  let stop: () => void = () => undefined;
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    cwd: dir,
    isTty: false,
    interrupted: new Promise<void>((r) => (stop = r)),
  };
  return { cli, out, err, stop: () => stop() };
}

async function firstLine(out: string[], ms = 10_000): Promise<string> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const text = out.join('');
    if (text.includes('\n')) return text.split('\n')[0]!;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no output');
}

describe('gateway CLI', () => {
  it('--simulate serves the demo, prints the first line exactly, reset works, Ctrl-C stops it with 0', async () => {
    await writeFile(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
    const g = io();
    const running = runCli(['gateway', 'demo.yaml', '--port', '0', '--simulate', '--access-log', 'access.log'], g.cli);
    const first = await firstLine(g.out);
    expect(first).toMatch(/^gateway listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = first.slice('gateway listening on '.length);
    const status = (await (await fetch(`${url}/_breakerboard/status`)).json()) as { backends: Record<string, { state: string }> };
    expect(Object.keys(status.backends)).toEqual(['aoai-eastus', 'aoai-uksouth']);
    const fault = await fetch(`${url}/_breakerboard/simulation/aoai-eastus/fault`, { method: 'POST', body: JSON.stringify({ type: 'throttle', retryAfter: 30 }) });
    expect(fault.status).toBe(200);
    await fault.text();
    const answer = await fetch(`${url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }),
    });
    expect(answer.status).toBe(200);
    await answer.text();

    const r = io();
    expect(await runCli(['reset', url, 'aoai-eastus'], r.cli)).toBe(0);
    expect(r.out.join('')).toBe('reset aoai-eastus: closed\n');
    const unknown = io();
    expect(await runCli(['reset', url, 'nope'], unknown.cli)).toBe(1);
    expect(unknown.err.join('')).toMatch(/^error: nope: no backend nope/);

    g.stop();
    expect(await running).toBe(0);
    const log = (await readFile(join(dir, 'access.log'), 'utf8')).trim().split('\n');
    expect(JSON.parse(log[0]!)).toMatchObject({ api: 'azure-openai', status: 200 });
  });

  it('refuses a non-loopback --host without BREAKERBOARD_GATEWAY_KEY, and a bad port as usage', async () => {
    await writeFile(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
    const a = io();
    expect(await runCli(['gateway', 'demo.yaml', '--host', '0.0.0.0'], a.cli)).toBe(1);
    expect(a.err.join('')).toMatch(/BREAKERBOARD_GATEWAY_KEY/);
    const b = io();
    expect(await runCli(['gateway', 'demo.yaml', '--port', 'x'], b.cli)).toBe(2);
  });
});
