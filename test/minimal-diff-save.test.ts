import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorkspaceService } from '../main/services/workspace-service';
import { setWeight } from '../shared/edit/pools';
import { DEMO_WORKSPACE_YAML, type Workspace } from '../shared/model';

// Issue 15 item 10: saving changes only what changed — a one-weight edit is a one-line git diff, on the demo and on
// a hand-formatted file (flow maps, aligned values and comments, trailing comments), also after earlier saves.
const HAND_FORMATTED = `# hand-formatted: alignment and flow maps are the author's
version: 1
backends:
  east:   { url: "https://east.example.com/openai", auth: {type: api-key, secret: east-key} }   # PTU
  west:   { url: 'https://west.example.com/openai', auth: {type: api-key, secret: west-key} }   # PAYG
  north:
    url:         https://north.example.com/openai    # aligned
    auth:        { type: api-key,   secret: north-key }
pools:
  main:
    services: [
      { backend: east,  priority: 1, weight: 10 },   # big
      { backend: west,  priority: 1, weight:  1 },   # small
      {backend: north, priority: 2}
    ]
apis:
  chat: { path: openai, backend: main, retry: {count: 1, on: [429, 503]} }   # the one API
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-mindiff-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function changedLines(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return b.flatMap((l, i) => (l === a[i] ? [] : [[a[i]!, l] as [string, string]]));
}

async function openService(name: string, text: string) {
  await writeFile(join(dir, name), text);
  const svc = createWorkspaceService({ cwd: dir });
  const state = await svc.open({ path: name });
  return { svc, state, path: join(dir, name) };
}

/** The hand-formatted file opened, a backend `south` added, saved. */
async function handWithSouthSaved() {
  const opened = await openService('hand.yaml', HAND_FORMATTED);
  const ws = structuredClone(opened.state.workspace) as Record<string, Record<string, unknown>>;
  ws.backends!.south = { url: 'https://south.example.com/openai', auth: { type: 'api-key', secret: 'south-key' } };
  await opened.svc.update({ workspace: ws });
  await opened.svc.save();
  return opened;
}

describe('saving changes only what changed', () => {
  it('demo: a one-weight edit through the editor changes exactly one line', async () => {
    const { svc, state, path } = await openService('demo.yaml', DEMO_WORKSPACE_YAML);
    await svc.update({ workspace: setWeight(state.workspace as Workspace, 'mybackendpool', 'aoai-uksouth', 4) as Record<string, unknown> });
    await svc.save();
    expect(changedLines(DEMO_WORKSPACE_YAML, await readFile(path, 'utf8'))).toEqual([
      ['      - { backend: aoai-uksouth, priority: 1, weight: 1 }', '      - { backend: aoai-uksouth, priority: 1, weight: 4 }'],
    ]);
  });

  it('hand-formatted: flow maps, alignment and trailing comments survive; one weight = one line', async () => {
    const { svc, state, path } = await openService('hand.yaml', HAND_FORMATTED);
    expect(state.valid).toBe(true);
    await svc.update({ workspace: setWeight(state.workspace as Workspace, 'main', 'west', 3) as Record<string, unknown> });
    await svc.save();
    const saved = await readFile(path, 'utf8');
    expect(changedLines(HAND_FORMATTED, saved)).toEqual([['      { backend: west,  priority: 1, weight:  1 },   # small', '      { backend: west,  priority: 1, weight:  3 },   # small']]);
  });

  it('after a structural edit was saved, the next one-weight edit is still a one-line diff against that file', async () => {
    const { svc, path } = await handWithSouthSaved();
    const first = await readFile(path, 'utf8');
    expect(first).toContain('south');
    const now = await svc.current();
    await svc.update({ workspace: setWeight(now.workspace as Workspace, 'main', 'east', 7) as Record<string, unknown> });
    await svc.save();
    const second = await readFile(path, 'utf8');
    const changed = changedLines(first, second);
    expect(changed).toHaveLength(1);
    expect(changed[0]![1]).toMatch(/backend: east,.*weight: 7/);
  });

  it('a structural edit keeps untouched lines: adding a backend leaves every other line as it was', async () => {
    const { path } = await handWithSouthSaved();
    const saved = (await readFile(path, 'utf8')).split('\n');
    const original = HAND_FORMATTED.split('\n');
    // Every original line is still there, in order; the new backend's lines are the only additions.
    let at = 0;
    for (const line of saved) if (line === original[at]) at++;
    expect(at).toBe(original.length);
    expect(saved.length - original.length).toBeGreaterThan(0);
    expect(saved.filter((l) => !original.includes(l)).every((l) => /south/.test(l) || /^\s+(auth|type|secret|url)/.test(l))).toBe(true);
  });
});

describe('structural edits splice or re-print, and never lose a value or a comment', () => {
  const comments = (text: string) => text.split('\n').flatMap((l) => (l.match(/#\s.*$/) ?? []).map((c) => c.trim()));
  type Edit = (ws: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
  const edits: [string, Edit][] = [
    ['add a backend', (ws) => (ws.backends.south = { url: 'https://south.example.com/openai' })],
    [
      'remove a backend and its uses',
      (ws) => {
        const id = Object.keys(ws.backends).at(-1)!;
        delete ws.backends[id];
        if (ws.simulation) delete ws.simulation[id];
        for (const pool of Object.values(ws.pools as Record<string, { services: { backend: string }[] }>)) pool.services = pool.services.filter((m) => m.backend !== id);
      },
    ],
    [
      'add a backend and a pool member for it',
      (ws) => {
        ws.backends.south = { url: 'https://south.example.com/openai' };
        Object.values(ws.pools as Record<string, { services: object[] }>)[0]!.services.push({ backend: 'south', priority: 9 });
      },
    ],
    ['drop the last pool member', (ws) => Object.values(ws.pools as Record<string, { services: object[] }>)[0]!.services.pop()],
    ['add a retry status', (ws) => Object.values(ws.apis as Record<string, { retry: { on: number[] } }>)[0]!.retry.on.push(500)],
    ['add a field to a flow map', (ws) => (Object.values(ws.backends as Record<string, Record<string, unknown>>)[0]!.description = 'with # hash and: colon')],
    ['remove a field', (ws) => delete Object.values(ws.apis as Record<string, Record<string, unknown>>)[0]!.retry],
    ['add a gateway section', (ws) => (ws.gateway = { port: 8080, timeouts: { clientHeaders: 'PT30S' } })],
  ];
  for (const [fileName, original] of [['demo', DEMO_WORKSPACE_YAML], ['hand-formatted', HAND_FORMATTED]] as const) {
    it.each(edits)(`${fileName}: %s`, async (_name, edit) => {
      const { svc, state, path } = await openService('w.yaml', original);
      const ws = structuredClone(state.workspace);
      edit(ws);
      await svc.update({ workspace: ws });
      await svc.save();
      const saved = await readFile(path, 'utf8');
      const reopened = await createWorkspaceService({ cwd: dir }).open({ path: 'w.yaml' });
      expect(reopened.workspace).toEqual(ws);
      // Comments on the lines of what was removed go with it (the hand-formatted file's `north` is aligned).
      const gone = _name.startsWith('remove') ? ['# aligned'] : [];
      for (const c of comments(original)) if (!gone.includes(c)) expect(saved).toContain(c);
    });
  }
});
