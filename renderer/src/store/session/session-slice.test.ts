import { describe, expect, it, vi } from 'vitest';
import { ContractError } from '../../../../shared/contract';
import { createAppStore } from '../create-app-store';
import { createFakeApi } from '../testing/fake-api';

type Draft = { pools: { p: { services: { weight: number }[] } } };

describe('session slice', () => {
  it('fails the boot with a readable message when the main side refuses', async () => {
    const api = createFakeApi();
    (api.app as unknown as { info: () => Promise<never> }).info = async () => {
      throw new ContractError('unauthorized', 'missing or wrong token');
    };
    const store = createAppStore(api);
    await store.getState().boot();
    expect(store.getState().phase).toBe('failed');
    expect(store.getState().bootError).toMatch(/access token was refused/);
  });

  it('runs menu commands: undo and redo act on the workspace, unless a text field has focus', async () => {
    const api = createFakeApi();
    let editing = false;
    const nativeEdit = vi.fn();
    const store = createAppStore(api, { isEditingText: () => editing, nativeEdit });
    await store.getState().boot();
    store.getState().editWorkspace((d) => void ((d as Draft).pools.p.services[0]!.weight = 5));
    editing = true;
    api.fire.command('undo');
    expect(nativeEdit).toHaveBeenCalledWith('undo');
    expect(store.getState().workspace.past).toHaveLength(1);
    editing = false;
    api.fire.command('undo');
    expect(store.getState().workspace.past).toHaveLength(0);
  });

  it('without native dialogs, Open and Save As ask for a path in the page', async () => {
    const store = createAppStore(createFakeApi());
    await store.getState().boot();
    store.getState().runCommand('open');
    expect(store.getState().pathPrompt).toEqual({ mode: 'open' });
    store.getState().closePathPrompt();
    store.getState().runCommand('saveAs');
    expect(store.getState().pathPrompt).toEqual({ mode: 'save' });
  });

  it('keeps at most four notices, newest last', () => {
    const store = createAppStore(createFakeApi());
    for (let i = 0; i < 6; i++) store.getState().notify({ intent: 'info', title: `n${i}`, message: '' });
    expect(store.getState().notices.map((n) => n.title)).toEqual(['n2', 'n3', 'n4', 'n5']);
    store.getState().dismissNotice(store.getState().notices[0]!.id);
    expect(store.getState().notices).toHaveLength(3);
  });
});

describe('gateway status', () => {
  it('is read at boot and followed afterwards', async () => {
    const api = createFakeApi();
    const store = createAppStore(api);
    await store.getState().boot();
    expect(store.getState().gateway).toEqual({ available: true, running: false, url: null });
    api.fire.running({ running: true, url: 'http://127.0.0.1:9', simulate: true, startedAt: null });
    expect(store.getState().gateway).toEqual({ available: true, running: true, url: 'http://127.0.0.1:9' });
  });
});
