import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../main/cli/io';
import { runCli } from '../main/cli/program';
import { startControlServer, type ControlServer } from '../main/control/control-server';
import { createCoreServices } from '../main/services/create-services';
import { createMemorySecretStore } from '../main/services/secret-store';
import { writeFileAtomic } from '../main/workspace/atomic-write';
import { DEMO_WORKSPACE_YAML, MAX_NESTING_DEPTH } from '../shared/model';

// Issue 14, serve and file items 8–11: each test reproduced the failure before the fix.
const TOKEN = 'test-token-0123456789abcdef';
let dir: string;
let server: ControlServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-serve-hard-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html>');
  await writeFile(join(dir, 'ws.yaml'), DEMO_WORKSPACE_YAML);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start() {
  const services = createCoreServices({ platform: 'serve', version: '0', cwd: dir, env: {}, secretStore: createMemorySecretStore() });
  server = await startControlServer({ services, rendererDir: join(dir, 'renderer'), token: TOKEN });
  return services;
}

async function api(method: string, payload: unknown): Promise<{ status: number; body: { ok: boolean; error?: { code: string; message: string; path?: string } } }> {
  const r = await fetch(`${server!.url}/api/workspace/${method}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  return { status: r.status, body: (await r.json()) as never };
}

describe('item 8: serve opens only workspaces and saves only over them', () => {
  it('a file that is not a workspace is refused without echoing its content', async () => {
    await start();
    const secret = 'root:$6$s3cr3tHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n';
    await writeFile(join(dir, 'shadow'), secret);
    const r = await api('open', { path: join(dir, 'shadow') });
    expect(r.body.ok).toBe(false);
    expect(r.body.error!.message).toContain('is not a Breakerboard workspace');
    for (const word of ['root', 's3cr3t', 'daemon', '19000']) expect(JSON.stringify(r.body)).not.toContain(word);
    // A YAML syntax error is reported by position only.
    await writeFile(join(dir, 'broken.yaml'), 'version: 1\nbackends: {"sEcReT-tag": !!hidden-value x\n');
    const broken = await api('open', { path: join(dir, 'broken.yaml') });
    expect(broken.body.ok).toBe(false);
    expect(JSON.stringify(broken.body)).not.toMatch(/sEcReT|hidden-value/);
    expect(broken.body.error!.message).toMatch(/line \d+, column \d+/);
  });

  it('a workspace with validation errors still opens (the editor shows them)', async () => {
    await start();
    await writeFile(join(dir, 'half.yaml'), 'version: 1\nbackends:\n  b1: { url: nope }\n');
    expect((await api('open', { path: join(dir, 'half.yaml') })).status).toBe(200);
  });

  it('saveAs only to .yaml, .yml or .json', async () => {
    await start();
    for (const name of ['notes.txt', 'ws.yaml.bak', 'bashrc']) {
      const r = await api('saveAs', { path: join(dir, name) });
      expect(r.status).toBe(400);
      expect(r.body.error!.message).toContain('.yaml, .yml or .json');
      await expect(lstat(join(dir, name))).rejects.toThrow();
    }
    expect((await api('saveAs', { path: join(dir, 'new.yml') })).status).toBe(200);
  });

  it('overwrite never replaces a file that is not a workspace without its own confirmation', async () => {
    await start();
    await writeFile(join(dir, 'other.json'), '{"name":"my-package","dependencies":{}}');
    const r = await api('saveAs', { path: join(dir, 'other.json'), overwrite: true });
    expect(r.body.ok).toBe(false);
    expect(r.body.error!.message).toContain('is not a Breakerboard workspace');
    expect(await readFile(join(dir, 'other.json'), 'utf8')).toBe('{"name":"my-package","dependencies":{}}');
    const confirmed = await api('saveAs', { path: join(dir, 'other.json'), overwrite: true, replaceNonWorkspace: true });
    expect(confirmed.status).toBe(200);
    expect(await readFile(join(dir, 'other.json'), 'utf8')).toContain('"version": 1');
  });

  it('never writes through a symlink to a file that is not a workspace, confirmed or not', async () => {
    await start();
    await writeFile(join(dir, 'victim.txt'), 'keep me');
    await symlink(join(dir, 'victim.txt'), join(dir, 'link.yaml'));
    for (const extra of [{}, { replaceNonWorkspace: true }]) {
      const r = await api('saveAs', { path: join(dir, 'link.yaml'), overwrite: true, ...extra });
      expect(r.body.ok).toBe(false);
      expect(r.body.error!.message).toContain('symbolic link');
    }
    expect(await readFile(join(dir, 'victim.txt'), 'utf8')).toBe('keep me');
    // A symlink to a workspace stays a symlink and is written through.
    await symlink(join(dir, 'ws.yaml'), join(dir, 'alias.yaml'));
    expect((await api('saveAs', { path: join(dir, 'alias.yaml'), overwrite: true })).status).toBe(200);
    expect((await lstat(join(dir, 'alias.yaml'))).isSymbolicLink()).toBe(true);
  });
});

describe('item 9: deep nesting is a 400 naming the limit', () => {
  const deep = (levels: number) => `{"workspace":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;
  it('5,000 levels in a payload → 400 "nested deeper than N levels"', async () => {
    await start();
    const r = await api('update', deep(5000));
    expect(r.status).toBe(400);
    expect(r.body.error!.message).toContain(`nested deeper than ${MAX_NESTING_DEPTH} levels`);
    expect((await api('update', deep(10))).status).toBe(200);
  });

  it('the service itself refuses it too (the desktop IPC path has no HTTP layer)', async () => {
    const services = await start();
    const workspace = JSON.parse(deep(5000)).workspace as Record<string, unknown>;
    await expect(services.workspace.update({ workspace })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining(`nested deeper than ${MAX_NESTING_DEPTH} levels`) });
  });

  it('validate on a 5,000-level file says "nested deeper than N levels"', async () => {
    for (const [name, text] of [
      ['deep.json', `{"version":1,"x":${'['.repeat(5000)}${']'.repeat(5000)}}`],
      ['deep.yaml', `version: 1\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
      ['block.yaml', `version: 1\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`],
    ]) {
      await writeFile(join(dir, name!), text!);
      const r = await cli('validate', name!);
      expect(r.code, name).toBe(1);
      expect(r.stderr).toContain(`nested deeper than ${MAX_NESTING_DEPTH} levels`);
      expect(r.stderr).not.toMatch(/call stack|\n\s+at /);
    }
  });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: dir, isTty: false };
  const code = await runCli(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('item 10: validate --json on an unreadable file prints JSON', () => {
  it('a read error (EIO) → exit 1 and one JSON document naming the file', async () => {
    const r = await cli('validate', '/proc/self/mem', '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { ok: boolean; errors: { path: string; message: string }[] };
    expect(doc.ok).toBe(false);
    expect(doc.errors[0]).toMatchObject({ path: '/proc/self/mem', message: expect.stringContaining('cannot be read') });
    const plain = await cli('validate', '/proc/self/mem');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error: \/proc\/self\/mem: cannot be read/);
  });
});

describe('item 11: stale temporary files of a crashed save are removed', () => {
  it('the next save or open removes .<name>.<dead pid>.<hex>.tmp siblings, and nothing else', async () => {
    const stale = join(dir, '.ws.yaml.999999999.0a1b2c3d.tmp');
    const live = join(dir, `.ws.yaml.${process.pid}.0a1b2c3d.tmp`);
    const foreign = [join(dir, '.ws.yaml.tmp'), join(dir, '.other.yaml.999999999.0a1b2c3d.tmp'), join(dir, 'ws.yaml.999999999.0a1b2c3d.tmp')];
    for (const f of [stale, live, ...foreign]) await writeFile(f, 'half');
    const services = await start();
    await services.workspace.open({ path: join(dir, 'ws.yaml') });
    let names = await readdir(dir);
    expect(names).not.toContain('.ws.yaml.999999999.0a1b2c3d.tmp');
    expect(names).toContain(`.ws.yaml.${process.pid}.0a1b2c3d.tmp`);
    for (const f of foreign) expect(names).toContain(f.slice(dir.length + 1));

    await writeFile(stale, 'half');
    await writeFileAtomic(join(dir, 'ws.yaml'), DEMO_WORKSPACE_YAML);
    names = await readdir(dir);
    expect(names).not.toContain('.ws.yaml.999999999.0a1b2c3d.tmp');
  });
});
