import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../../shared/contract';
import { createAppStore } from '../create-app-store';
import { createFakeApi } from '../testing/fake-api';
import { selectCanRedo, selectCanUndo, selectDirty, selectWorkspaceName, toPoolRows } from './selectors';
import { COALESCE_MS } from './slice';

type Draft = { pools: { p: { services: { weight: number }[] } } };
const setWeight = (w: number) => (d: Record<string, unknown>) => void ((d as Draft).pools.p.services[1]!.weight = w);
const weightOf = (s: ReturnType<ReturnType<typeof createAppStore>['getState']>) => toPoolRows(s.workspace.value?.pools)[0]!.members[1]!.weight;

async function booted(api = createFakeApi(), now = () => 0) {
  const store = createAppStore(api, { now });
  await store.getState().boot();
  return { api, store };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('workspace slice', () => {
  it('boots from the main side: name, value, clean', async () => {
    const { store } = await booted();
    const s = store.getState();
    expect(s.phase).toBe('ready');
    expect(selectWorkspaceName(s)).toBe('demo.yaml');
    expect(selectDirty(s)).toBe(false);
    expect(weightOf(s)).toBe(1);
  });

  it('an edit is local at once, sent to the main side, and marks dirty', async () => {
    const { api, store } = await booted();
    store.getState().editWorkspace(setWeight(3));
    expect(weightOf(store.getState())).toBe(3);
    expect(selectDirty(store.getState())).toBe(true); // before the answer arrives
    await settle();
    expect(api.state().dirty).toBe(true);
    expect(selectDirty(store.getState())).toBe(true);
    expect(selectCanUndo(store.getState())).toBe(true);
  });

  it('undo restores the previous value on both sides (clean again), redo brings the edit back', async () => {
    const { api, store } = await booted();
    store.getState().editWorkspace(setWeight(3));
    await settle();
    store.getState().undo();
    expect(weightOf(store.getState())).toBe(1);
    await settle();
    expect(api.state().dirty).toBe(false);
    expect(selectDirty(store.getState())).toBe(false);
    expect(selectCanRedo(store.getState())).toBe(true);
    store.getState().redo();
    await settle();
    expect(weightOf(store.getState())).toBe(3);
    expect(api.state().dirty).toBe(true);
    store.getState().editWorkspace(setWeight(4));
    expect(selectCanRedo(store.getState())).toBe(false); // a new edit drops the redo branch
  });

  it('edits with one coalesce key inside the window are one undo step; outside it, two', async () => {
    let t = 0;
    const { store } = await booted(createFakeApi(), () => t);
    for (const w of [2, 3, 4]) {
      store.getState().editWorkspace(setWeight(w), { coalesceKey: 'w' });
      t += 100;
    }
    expect(store.getState().workspace.past).toHaveLength(1);
    t += COALESCE_MS;
    store.getState().editWorkspace(setWeight(5), { coalesceKey: 'w' });
    expect(store.getState().workspace.past).toHaveLength(2);
    store.getState().undo();
    store.getState().undo();
    expect(weightOf(store.getState())).toBe(1);
  });

  it('a no-op edit records nothing', async () => {
    const { store } = await booted();
    store.getState().editWorkspace(setWeight(1));
    expect(store.getState().workspace.past).toHaveLength(0);
  });

  it('save sends the latest edits first, then saves; clean afterwards', async () => {
    const { api, store } = await booted();
    store.getState().editWorkspace(setWeight(3));
    store.getState().editWorkspace(setWeight(7));
    expect(await store.getState().saveWorkspace()).toBe(true);
    expect((api.saved[0] as Draft).pools.p.services[1]!.weight).toBe(7);
    expect(selectDirty(store.getState())).toBe(false);
    expect(store.getState().notices.at(-1)).toMatchObject({ intent: 'success', title: 'Saved' });
  });

  it('the demo (no path) asks for a path; an existing file asks before overwriting', async () => {
    const { store } = await booted(createFakeApi({ path: null }));
    expect(await store.getState().saveWorkspace()).toBe(false);
    expect(store.getState().pathPrompt).toEqual({ mode: 'save' });
    expect(await store.getState().saveWorkspaceAs('/w/exists.yaml')).toBe(false);
    expect(store.getState().pathPrompt).toMatchObject({ mode: 'save', existing: expect.stringContaining('already exists') });
    expect(await store.getState().saveWorkspaceAs('/w/exists.yaml', true)).toBe(true);
    expect(selectWorkspaceName(store.getState())).toBe('exists.yaml');
  });

  it('a refused save shows an error notice and keeps the edits', async () => {
    const { api, store } = await booted();
    store.getState().editWorkspace(setWeight(500));
    await settle();
    api.failNext(new ContractError('invalid-workspace', 'not saved: pools.p.services[1].weight: must be between 0 and 100'));
    expect(await store.getState().saveWorkspace()).toBe(false);
    expect(store.getState().notices.at(-1)).toMatchObject({ intent: 'error', title: 'Not saved', untilValid: true });
    expect(weightOf(store.getState())).toBe(500);
    // Saying it again does not stack a second banner with the same words.
    api.failNext(new ContractError('invalid-workspace', 'not saved: pools.p.services[1].weight: must be between 0 and 100'));
    await store.getState().saveWorkspace();
    expect(store.getState().notices.filter((n) => n.title === 'Not saved')).toHaveLength(1);
  });

  it('another document from the main side (menu Open, New) replaces the value and starts a fresh history', async () => {
    const { api, store } = await booted();
    store.getState().editWorkspace(setWeight(3));
    await settle();
    await api.workspace.newFromDemo();
    const s = store.getState();
    expect(selectWorkspaceName(s)).toBe('Demo workspace');
    expect(weightOf(s)).toBe(1);
    expect(selectCanUndo(s)).toBe(false);
  });

  it('ignores an answer older than what it already has', async () => {
    const { api, store } = await booted();
    const old = api.state();
    store.getState().editWorkspace(setWeight(3));
    await settle();
    api.fire.workspaceChanged({ ...old, revision: old.revision - 1 });
    expect(weightOf(store.getState())).toBe(3);
  });
});
