import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CliIo } from '../main/cli/io';
import { runCli } from '../main/cli/program';
import { DEMO_DRILL_YAML, DEMO_WORKSPACE_YAML } from '../shared/model';
import { BAD_FILES, workspaceWith } from './support/workspace-arbitrary';

/* `init`, `validate` and `export` in-process, exactly as DESIGN §2 says: output lines, exit codes 0/1/2, --json. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-cli-'));
  await writeFile(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: dir, isTty: false };
  const code = await runCli(argv, io);
  const lines = (chunks: string[]) => chunks.join('').split('\n').filter((l) => l !== '');
  return { code, stdout: out.join(''), stderr: err.join(''), out: lines(out), err: lines(err) };
}

const golden = (name: string) => readFile(join(process.cwd(), 'test', 'golden', name), 'utf8');
const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |TypeError|ReferenceError|node:internal/);

describe('breakerboard validate', () => {
  it('accepts the demo: exact first line, warnings on stderr, exit 0', async () => {
    const r = await cli('validate', 'demo.yaml');
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('ok: 2 backends, 1 pools, 1 apis');
    expect(r.err).toEqual([
      'warning: backends.aoai-eastus.circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]: 400-599 counts client errors other than 429 as failures: one malformed request can trip a healthy backend',
      'warning: backends.aoai-uksouth.circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]: 400-599 counts client errors other than 429 as failures: one malformed request can trip a healthy backend',
    ]);
  });

  it('prints counts without plural forms and no warnings for a quiet file', async () => {
    await writeFile(join(dir, 'one.json'), JSON.stringify({ version: 1, backends: { b: { url: 'https://b.example.com' } }, apis: { a: { path: 'x', backend: 'b' } } }));
    const r = await cli('validate', 'one.json');
    expect(r).toMatchObject({ code: 0, out: ['ok: 1 backends, 0 pools, 1 apis'], err: [] });
  });

  it('reports every error as `error: <path>: <message>`, exit 1', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify(workspaceWith({ 'pools.p1.services[1].weight': 101, 'apis.a1.backend': 'nowhere' })));
    const r = await cli('validate', 'bad.json');
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual(['error: pools.p1.services[1].weight: must be between 0 and 100', 'error: apis.a1.backend: no backend or pool named "nowhere"']);
  });

  it('--json prints one document { ok, counts, errors, warnings }', async () => {
    const good = await cli('validate', 'demo.yaml', '--json');
    expect(good.code).toBe(0);
    expect(good.stderr).toBe('');
    const doc = JSON.parse(good.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['ok', 'counts', 'errors', 'warnings']);
    expect(doc).toMatchObject({ ok: true, counts: { backends: 2, pools: 1, apis: 1 }, errors: [] });
    expect(doc.warnings).toEqual([
      { path: 'backends.aoai-eastus.circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]', message: expect.any(String) },
      { path: 'backends.aoai-uksouth.circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]', message: expect.any(String) },
    ]);

    const bad = await cli('validate', 'bad.json', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, errors: [{ path: 'pools.p1.services[1].weight', message: 'must be between 0 and 100' }, { path: 'apis.a1.backend' }] });
  });

  for (const bad of BAD_FILES) {
    it(`rejects ${bad.name} with error lines and leaves the file as it was`, async () => {
      await writeFile(join(dir, bad.file), bad.content);
      const before = await readFile(join(dir, bad.file));
      const r = await cli('validate', bad.file);
      expect(r.code).toBe(1);
      expect(r.out).toEqual([]);
      expect(r.err.length).toBeGreaterThan(0);
      for (const l of r.err) expect(l).toMatch(/^error: [^:]+(, column \d+)?: \S/);
      // File-level problems name the file as given; others their place in it.
      const where = bad.path ? bad.path.source.replace(/^\^|\$$/g, '') : bad.file.replace('.', '\\.');
      expect(r.err[0]).toMatch(new RegExp(`^error: ${where}: `));
      noStackTrace(r.stderr);
      expect((await readFile(join(dir, bad.file))).equals(before)).toBe(true);
    });
  }

  it('rejects a directory and a missing file by name', async () => {
    await mkdir(join(dir, 'folder.yaml'), { recursive: true });
    expect(await cli('validate', 'folder.yaml')).toMatchObject({ code: 1, err: ['error: folder.yaml: is a directory, not a file'] });
    expect(await cli('validate', 'missing.yaml')).toMatchObject({ code: 1, err: ['error: missing.yaml: file not found'] });
  });

  it('bad usage exits 2', async () => {
    expect((await cli('validate')).code).toBe(2);
    expect((await cli('validate', 'demo.yaml', '--colour')).code).toBe(2);
  });
});

describe('breakerboard init', () => {
  it('writes the demo and the drill beside it, named <stem>.drill.yaml, pointing at the file', async () => {
    const r = await cli('init', 'ws/my.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toEqual([`wrote ${join(dir, 'ws', 'my.yaml')}`, `wrote ${join(dir, 'ws', 'my.drill.yaml')}`]);
    expect(await readFile(join(dir, 'ws', 'my.yaml'), 'utf8')).toBe(DEMO_WORKSPACE_YAML);
    const drill = await readFile(join(dir, 'ws', 'my.drill.yaml'), 'utf8');
    expect(parse(drill)).toEqual({ ...(parse(DEMO_DRILL_YAML) as object), workspace: 'my.yaml' });
    expect(drill.split('\n').filter((l) => l.startsWith('#'))).toEqual(DEMO_DRILL_YAML.split('\n').filter((l) => l.startsWith('#')));
    expect((await cli('validate', 'ws/my.yaml')).out[0]).toBe('ok: 2 backends, 1 pools, 1 apis');
  });

  it('names the drill from the stem whatever the extension, quoting odd file names', async () => {
    expect((await cli('init', 'other ws.yml')).code).toBe(0);
    expect(parse(await readFile(join(dir, 'other ws.drill.yaml'), 'utf8'))).toMatchObject({ workspace: 'other ws.yml' });
  });

  it('writes JSON for a .json path', async () => {
    expect((await cli('init', 'demo-json.json')).code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'demo-json.json'), 'utf8'))).toEqual(parse(DEMO_WORKSPACE_YAML));
    expect(parse(await readFile(join(dir, 'demo-json.drill.yaml'), 'utf8'))).toMatchObject({ workspace: 'demo-json.json' });
    expect((await cli('validate', 'demo-json.json')).out[0]).toBe('ok: 2 backends, 1 pools, 1 apis');
  });

  it('--empty writes an empty workspace and no drill', async () => {
    const r = await cli('init', 'new-empty.yaml', '--empty');
    expect(r).toMatchObject({ code: 0, out: [`wrote ${join(dir, 'new-empty.yaml')}`] });
    expect(await readdir(dir)).not.toContain('new-empty.drill.yaml');
    expect(await cli('validate', 'new-empty.yaml')).toMatchObject({ code: 0, out: ['ok: 0 backends, 0 pools, 0 apis'], err: [] });
  });

  it('never overwrites the workspace: exit 1, file unchanged, no drill written', async () => {
    await writeFile(join(dir, 'mine.yaml'), 'version: 1 # mine\n');
    const r = await cli('init', 'mine.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`error: ${join(dir, 'mine.yaml')}: already exists; init never overwrites a file`]);
    expect(await readFile(join(dir, 'mine.yaml'), 'utf8')).toBe('version: 1 # mine\n');
    expect(await readdir(dir)).not.toContain('mine.drill.yaml');
    expect((await cli('init', 'mine.yaml', '--empty')).code).toBe(1);
    expect(await readFile(join(dir, 'mine.yaml'), 'utf8')).toBe('version: 1 # mine\n');
  });

  it('never overwrites an existing drill either, and then writes nothing', async () => {
    await writeFile(join(dir, 'fresh.drill.yaml'), 'my drill\n');
    const r = await cli('init', 'fresh.yaml');
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/fresh\.drill\.yaml: already exists/);
    expect(await readdir(dir)).not.toContain('fresh.yaml');
    expect(await readFile(join(dir, 'fresh.drill.yaml'), 'utf8')).toBe('my drill\n');
  });

  it('bad usage exits 2', async () => {
    expect((await cli('init')).code).toBe(2);
  });
});

describe('breakerboard export', () => {
  for (const [format, file] of [['bicep', 'demo.bicep'], ['arm', 'demo.arm.json'], ['policy', 'demo.policy.xml']] as const) {
    it(`--format ${format} prints the golden output to stdout`, async () => {
      const r = await cli('export', 'demo.yaml', '--format', format);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(await golden(file));
    });

    it(`--format ${format} --out writes the file`, async () => {
      const out = `out/${file}`;
      await mkdir(join(dir, 'out'), { recursive: true });
      const r = await cli('export', 'demo.yaml', '--format', format, '--out', out);
      expect(r).toMatchObject({ code: 0, out: [`wrote ${out}`], err: [] });
      expect(await readFile(join(dir, out), 'utf8')).toBe(await golden(file));
    });
  }

  it('--api picks one api; an unknown one exits 1 and names --api', async () => {
    expect(await cli('export', 'demo.yaml', '--format', 'policy', '--api', 'azure-openai')).toMatchObject({ code: 0, stdout: await golden('demo.policy.xml') });
    const r = await cli('export', 'demo.yaml', '--format', 'arm', '--api', 'nope');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.err).toEqual(['error: --api: no api "nope" in demo.yaml (apis: azure-openai)']);
    expect((await cli('export', 'demo.yaml', '--format', 'policy', '--api', 'toString')).code).toBe(1);
  });

  it('policy needs --api when there are several apis (exit 2) and an api at all (exit 1)', async () => {
    await writeFile(join(dir, 'two-apis.json'), JSON.stringify(workspaceWith({ 'apis.a2': { path: 'two', backend: 'b1' } })));
    const several = await cli('export', 'two-apis.json', '--format', 'policy');
    expect(several.code).toBe(2);
    expect(several.err[0]).toMatch(/^error: --api: .*several apis \(a1, a2\)/);
    await writeFile(join(dir, 'no-apis.json'), JSON.stringify(workspaceWith({ apis: undefined })));
    expect(await cli('export', 'no-apis.json', '--format', 'policy')).toMatchObject({ code: 1, err: ['error: --api: the workspace has no apis'] });
  });

  it('--json wraps the content in one document', async () => {
    const r = await cli('export', 'demo.yaml', '--format', 'policy', '--json');
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, format: 'policy', content: await golden('demo.policy.xml') });
  });

  it('usage errors exit 2: bad --format, missing --format, missing workspace', async () => {
    const badFormat = await cli('export', 'demo.yaml', '--format', 'terraform');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/terraform/);
    expect((await cli('export', 'demo.yaml')).code).toBe(2);
    expect((await cli('export', '--format', 'arm')).code).toBe(2);
  });

  it('an invalid workspace exits 1 with its errors and exports nothing', async () => {
    const r = await cli('export', 'bad.json', '--format', 'bicep', '--out', 'never.bicep');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.err).toEqual(['error: pools.p1.services[1].weight: must be between 0 and 100', 'error: apis.a1.backend: no backend or pool named "nowhere"']);
    expect(await readdir(dir)).not.toContain('never.bicep');
  });

  it('a missing workspace or an unwritable --out exits 1 without a stack trace', async () => {
    expect(await cli('export', 'missing.yaml', '--format', 'arm')).toMatchObject({ code: 1, err: ['error: missing.yaml: file not found'] });
    const r = await cli('export', 'demo.yaml', '--format', 'arm', '--out', 'no/such/dir/x.json');
    expect(r.code).toBe(1);
    expect(r.err).toEqual(['error: --out: cannot write no/such/dir/x.json (ENOENT)']);
    noStackTrace(r.stderr);
  });
});
