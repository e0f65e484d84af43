import { beforeEach, describe, expect, it, vi } from 'vitest';
import { contractEvents, contractMethods, ipcChannel } from '../../shared/contract';
import { CONTRACT_EXAMPLES } from '../../shared/contract/examples';
import { createSpyServices } from '../control/testing/spy-services';

// `import 'electron'` throws under plain Node: the shell is tested against this stand-in (TOOLCHAIN.md).
const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { forwardEvents, isOwnRendererFrame, ownWindowSenderCheck, registerIpcHandlers } = await import('./ipc-adapter');

const RENDERER = 'file:///opt/Breakerboard/resources/app.asar/dist/renderer/index.html';
const webContents = { id: 1, isDestroyed: () => false, send: vi.fn() };
const ownEvent = { sender: webContents, senderFrame: { url: RENDERER, parent: null } };

describe('IPC adapter', () => {
  beforeEach(() => {
    handlers.clear();
    webContents.send.mockClear();
  });

  const setup = () => {
    const spy = createSpyServices();
    const off = registerIpcHandlers(spy.api, ownWindowSenderCheck(RENDERER, () => webContents as never));
    return { spy, off };
  };

  it('registers one handler per contract method and wires each to its service', async () => {
    const { spy, off } = setup();
    expect([...handlers.keys()].sort()).toEqual(contractMethods.map((m) => ipcChannel(m.service, m.method)).sort());
    for (const { service, method } of contractMethods) {
      const payload = CONTRACT_EXAMPLES[service][method]!.valid;
      expect(await handlers.get(ipcChannel(service, method))!(ownEvent, payload)).toEqual({ ok: true, value: { echo: payload ?? null } });
    }
    expect(spy.calls.map((c) => `${c.service}.${c.method}`)).toEqual(contractMethods.map((m) => m.channel));
    off();
    expect(handlers.size).toBe(0);
  });

  it('refuses foreign senders before looking at the payload, and calls nothing', async () => {
    const { spy } = setup();
    const save = handlers.get(ipcChannel('workspace', 'saveAs'))!;
    const foreign = [
      { sender: webContents, senderFrame: { url: 'https://evil.example/index.html', parent: null } },
      { sender: webContents, senderFrame: { url: 'file:///tmp/other/index.html', parent: null } },
      { sender: webContents, senderFrame: { url: RENDERER, parent: { url: RENDERER } } }, // a subframe
      { sender: webContents, senderFrame: null },
      { sender: { id: 2 }, senderFrame: { url: RENDERER, parent: null } }, // another webContents
    ];
    for (const event of foreign) {
      expect(await save(event, { path: '/tmp/x.yaml' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(spy.calls).toEqual([]);
  });

  it('refuses bad payloads with the envelope, and calls nothing', async () => {
    const { spy } = setup();
    for (const { service, method } of contractMethods) {
      const invalid = CONTRACT_EXAMPLES[service][method]!.invalid;
      if (invalid === undefined) continue;
      expect(await handlers.get(ipcChannel(service, method))!(ownEvent, invalid), `${service}.${method}`).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(spy.calls).toEqual([]);
  });

  it('forwards every contract event to the window on its own channel', () => {
    const spy = createSpyServices();
    const off = forwardEvents(spy.api, () => webContents as never);
    for (const e of contractEvents) spy.emit(e.service, e.event, { n: 1 });
    expect(webContents.send.mock.calls.map((c) => c[0])).toEqual(contractEvents.map((e) => ipcChannel(e.service, e.event)));
    off();
    for (const e of contractEvents) expect(spy.listenerCount(e.service, e.event)).toBe(0);
  });

  it('recognises our own renderer page by scheme, host and path only', () => {
    expect(isOwnRendererFrame({ url: `${RENDERER}#x`, parent: null }, RENDERER)).toBe(true);
    expect(isOwnRendererFrame({ url: 'not a url', parent: null }, RENDERER)).toBe(false);
    expect(isOwnRendererFrame({ url: 'file:///opt/Breakerboard/resources/app.asar/dist/renderer/evil.html', parent: null }, RENDERER)).toBe(false);
  });
});
