import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceState } from '../../shared/contract';
import { DEMO_WORKSPACE_YAML } from '../../shared/model';
import { createRecentWorkspaceMemory } from './recent-workspace';
import { createWorkspaceService, DEMO_NAME, type FileDialogs } from './workspace-service';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-ws-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

type Pools = { mybackendpool: { services: { weight: number }[] } };
const withWeight = (state: WorkspaceState, weight: number) => {
  const ws = structuredClone(state.workspace);
  (ws.pools as Pools).mybackendpool.services[1]!.weight = weight;
  return ws;
};

describe('workspace service', () => {
  it('starts on the demo in memory: no path, not dirty, valid', async () => {
    const s = await createWorkspaceService({ cwd: dir }).current();
    expect(s).toMatchObject({ path: null, name: DEMO_NAME, dirty: false, valid: true, counts: { backends: 2, pools: 1, apis: 1 } });
  });

  it('tracks dirty against the saved value, emits changes, and is clean again when an edit is undone', async () => {
    const svc = createWorkspaceService({ cwd: dir });
    const seen: WorkspaceState[] = [];
    svc.onChanged((s) => seen.push(s));
    const start = await svc.current();
    const edited = await svc.update({ workspace: withWeight(start, 3) });
    expect(edited.dirty).toBe(true);
    expect(edited.revision).toBeGreaterThan(start.revision);
    const back = await svc.update({ workspace: start.workspace });
    expect(back.dirty).toBe(false);
    expect(seen.map((s) => s.dirty)).toEqual([true, false]);
  });

  it('saves over the file it opened, keeping comments and flow style', async () => {
    const path = join(dir, 'demo.yaml');
    await writeFile(path, DEMO_WORKSPACE_YAML);
    const svc = createWorkspaceService({ cwd: dir });
    const opened = await svc.open({ path: 'demo.yaml' });
    expect(opened).toMatchObject({ path, name: 'demo.yaml', dirty: false });
    await svc.update({ workspace: withWeight(opened, 3) });
    const saved = await svc.save();
    expect(saved.dirty).toBe(false);
    const text = await readFile(path, 'utf8');
    expect(text).toContain('- { backend: aoai-uksouth, priority: 1, weight: 3 }');
    expect(text).toContain('# as in the seed; 429 + 500-599 would spare client errors');
    expect(text.split('\n').length).toBe(DEMO_WORKSPACE_YAML.split('\n').length);
  });

  it('refuses to save an invalid workspace and leaves the file alone', async () => {
    const path = join(dir, 'demo.yaml');
    await writeFile(path, DEMO_WORKSPACE_YAML);
    const svc = createWorkspaceService({ cwd: dir });
    const opened = await svc.open({ path });
    const s = await svc.update({ workspace: withWeight(opened, 500) });
    expect(s.valid).toBe(false);
    expect(s.errors[0]!.path).toBe('pools.mybackendpool.services[1].weight');
    await expect(svc.save()).rejects.toMatchObject({ code: 'invalid-workspace', path: 'pools.mybackendpool.services[1].weight' });
    expect(await readFile(path, 'utf8')).toBe(DEMO_WORKSPACE_YAML);
  });

  it('without dialogs, the demo asks for a path; save-as refuses to overwrite unless confirmed', async () => {
    const svc = createWorkspaceService({ cwd: dir });
    await expect(svc.save()).rejects.toMatchObject({ code: 'needs-path' });
    await expect(svc.open({})).rejects.toMatchObject({ code: 'needs-path' });
    const s = await svc.saveAs({ path: 'mine.yaml' });
    expect(s).toMatchObject({ path: join(dir, 'mine.yaml'), name: 'mine.yaml', dirty: false });
    expect(await readFile(join(dir, 'mine.yaml'), 'utf8')).toContain('# Breakerboard demo workspace');
    await writeFile(join(dir, 'other.yaml'), 'version: 1 # keep me\n');
    await expect(svc.saveAs({ path: 'other.yaml' })).rejects.toMatchObject({ code: 'exists' });
    expect(await readFile(join(dir, 'other.yaml'), 'utf8')).toBe('version: 1 # keep me\n');
    await svc.saveAs({ path: 'other.yaml', overwrite: true });
    expect(await readFile(join(dir, 'other.yaml'), 'utf8')).toContain('version: 1');
  });

  it('uses the native dialogs where there are some, and treats a closed dialog as cancelled', async () => {
    let answer: string | null = null;
    const dialogs: FileDialogs = { pickOpenPath: async () => answer, pickSavePath: async () => answer };
    const svc = createWorkspaceService({ cwd: dir, dialogs });
    await expect(svc.save()).rejects.toMatchObject({ code: 'cancelled' });
    answer = join(dir, 'picked.json');
    const s = await svc.save();
    expect(s).toMatchObject({ path: answer, format: 'json' });
    expect(JSON.parse(await readFile(answer, 'utf8'))).toMatchObject({ version: 1 });
    const reopened = await svc.open({});
    expect(reopened.documentId).toBeGreaterThan(s.documentId);
  });

  it('reports unreadable files clearly and keeps the current document', async () => {
    const svc = createWorkspaceService({ cwd: dir });
    await expect(svc.open({ path: 'missing.yaml' })).rejects.toMatchObject({ code: 'not-found' });
    await writeFile(join(dir, 'broken.yaml'), 'version: 1\n  bad: [');
    await expect(svc.open({ path: 'broken.yaml' })).rejects.toMatchObject({ code: 'invalid-workspace' });
    expect((await svc.current()).name).toBe(DEMO_NAME);
  });

  it('opens a file with validation errors so they can be fixed', async () => {
    await writeFile(join(dir, 'bad.yaml'), 'version: 1\nbackends:\n  a: { url: not-a-url }\n');
    const s = await createWorkspaceService({ cwd: dir }).open({ path: 'bad.yaml' });
    expect(s.valid).toBe(false);
    expect(s.errors[0]!.path).toBe('backends.a.url');
  });

  it('remembers the last workspace and reopens it; falls back to the demo when it is gone', async () => {
    const memory = createRecentWorkspaceMemory(join(dir, 'config'));
    const path = join(dir, 'demo.yaml');
    await writeFile(path, DEMO_WORKSPACE_YAML);
    await createWorkspaceService({ cwd: dir, memory }).open({ path });
    expect(await memory.get()).toBe(path);
    expect((await createWorkspaceService({ cwd: dir, memory }).openLastOrDemo()).path).toBe(path);
    await rm(path);
    expect((await createWorkspaceService({ cwd: dir, memory }).openLastOrDemo()).path).toBeNull();
    expect(await createRecentWorkspaceMemory(join(dir, 'nowhere')).get()).toBeNull();
  });

  it('validates a value without changing anything', async () => {
    const svc = createWorkspaceService({ cwd: dir });
    const before = await svc.current();
    const r = await svc.validate({ workspace: { version: 2 } });
    expect(r.valid).toBe(false);
    expect((await svc.current()).revision).toBe(before.revision);
  });
});
