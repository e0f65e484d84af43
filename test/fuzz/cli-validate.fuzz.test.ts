import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../main/cli/io';
import { runCli } from '../../main/cli/program';
import { fuzzRuns, hostileText } from './hostile';

/*
 * `breakerboard validate` on fuzzed files (issue 14): exit 0 or 1, never a crash; `--json` always prints one JSON
 * document; every error line is `error: <path>: <message>`; nothing reads like a stack trace.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-fuzz-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: dir, isTty: false };
  const code = await runCli(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const STACK = /\n\s+at |Maximum call stack|RangeError|TypeError|\[object Object\]/;

describe('fuzz: validate on hostile files', () => {
  it('exit codes, --json documents and error lines hold for any file', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostileText, fc.constantFrom('yaml', 'json'), async (text, ext) => {
        const name = `f${n++}.${ext}`;
        await writeFile(join(dir, name), text);
        const plain = await cli('validate', name);
        expect([0, 1]).toContain(plain.code);
        expect(plain.stderr).not.toMatch(STACK);
        for (const line of plain.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^(error|warning): [^:]+(?::[^:]+)*: .+/);
        if (plain.code === 1) expect(plain.stderr).toMatch(/^error: |\nerror: /);
        const json = await cli('validate', name, '--json');
        expect(json.code).toBe(plain.code);
        const doc = JSON.parse(json.stdout) as { ok: boolean; errors: { path: string; message: string }[] };
        expect(doc.ok).toBe(plain.code === 0);
        for (const e of doc.errors) {
          expect(typeof e.path).toBe('string');
          expect(e.message).not.toMatch(STACK);
        }
      }),
      fuzzRuns(100),
    );
  });
});
