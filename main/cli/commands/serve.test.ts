import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../program';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-serve-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const run = async (args: string[], stopAfterFirstLine = true) => {
  let out = '';
  let err = '';
  let stop!: () => void;
  const interrupted = new Promise<void>((r) => (stop = r));
  const code = runCli(['serve', ...args], {
    stdout: (t) => {
      out += t;
      if (stopAfterFirstLine && out.includes('\n')) stop();
    },
    stderr: (t) => (err += t),
    env: {},
    cwd: dir,
    isTty: false,
    interrupted,
  });
  return { code: await code, out, err };
};

describe('breakerboard serve', () => {
  it('prints exactly the dashboard line, then stops cleanly when interrupted', async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^dashboard at http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}\n$/);
  });

  it('refuses a workspace file that cannot be read, and bad usage', async () => {
    const missing = await run(['missing.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('error: missing.yaml: file not found\n');
    expect((await run(['--port', 'abc'])).code).toBe(2);
    expect((await run(['--port', '70000'])).code).toBe(2);
  });
});
