import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, contractMethods, ipcChannel } from '../shared/contract';

/*
 * The Electron shell's composition root (main/index.ts + main/window.ts) against a stand-in `electron`: what the
 * window is allowed to do, what the session refuses, what IPC answers, and what the menu sends.
 */
type Handler = (...args: unknown[]) => unknown;
const userData = mkdtempSync(join(tmpdir(), 'bb-shell-'));

const h = vi.hoisted(() => {
  class FakeWebContents {
    handlers: Record<string, (...a: unknown[]) => unknown> = {};
    openHandler: ((...a: unknown[]) => unknown) | null = null;
    sent: [string, unknown][] = [];
    setWindowOpenHandler(fn: (...a: unknown[]) => unknown) {
      this.openHandler = fn;
    }
    on(event: string, fn: (...a: unknown[]) => unknown) {
      this.handlers[event] = fn;
    }
    once(event: string, fn: (...a: unknown[]) => unknown) {
      this.handlers[event] = fn;
    }
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    isDestroyed() {
      return false;
    }
  }
  const state = {
    FakeWebContents,
    windows: [] as { opts: { webPreferences: Record<string, unknown> }; webContents: InstanceType<typeof FakeWebContents>; loaded?: string }[],
    appEvents: {} as Record<string, (...a: unknown[]) => unknown>,
    ipc: new Map<string, (...a: unknown[]) => unknown>(),
    session: {} as Record<string, (...a: unknown[]) => unknown>,
    menu: null as unknown,
    enableSandbox: 0,
    opened: [] as string[],
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = new h.FakeWebContents();
    loaded?: string;
    constructor(readonly opts: { webPreferences: Record<string, unknown> }) {
      h.windows.push(this as never);
    }
    on() {}
    once() {}
    loadFile(path: string) {
      this.loaded = path;
      return Promise.resolve();
    }
    isMinimized() {
      return false;
    }
    focus() {}
  }
  return {
    BrowserWindow,
    app: {
      setPath: () => undefined,
      enableSandbox: () => void h.enableSandbox++,
      requestSingleInstanceLock: () => true,
      quit: () => undefined,
      exit: () => undefined,
      on: (event: string, fn: Handler) => void (h.appEvents[event] = fn),
      whenReady: () => Promise.resolve(),
      getPath: () => userData,
      getVersion: () => '0.1.0',
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Handler) => void (h.session.request = fn),
        setPermissionCheckHandler: (fn: Handler) => void (h.session.check = fn),
        webRequest: {
          onBeforeRequest: (fn: Handler) => void (h.session.beforeRequest = fn),
          onHeadersReceived: (fn: Handler) => void (h.session.headers = fn),
        },
      },
    },
    ipcMain: { handle: (c: string, fn: Handler) => void h.ipc.set(c, fn), removeHandler: (c: string) => void h.ipc.delete(c) },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }), showMessageBox: async () => ({ response: 2 }) },
    Menu: { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: (m: unknown) => void (h.menu = m) },
    safeStorage: { isEncryptionAvailable: () => false },
    shell: { openExternal: async (url: string) => void h.opened.push(url) },
  };
});

await import('./index');
await vi.waitFor(() => expect(h.windows).toHaveLength(1), { timeout: 10_000 });
const win = h.windows[0]!;

describe('the Electron shell', () => {
  it('opens one sandboxed, isolated window without Node, on the built renderer with the CJS preload', () => {
    expect(h.enableSandbox).toBe(1);
    expect(win.opts.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(String(win.opts.webPreferences.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(win.loaded).toMatch(/renderer[/\\]index\.html$/);
  });

  it('denies window.open and navigation, in the window and in any other web contents', () => {
    const prevent = vi.fn();
    expect(win.webContents.openHandler!()).toEqual({ action: 'deny' });
    win.webContents.handlers['will-navigate']!({ preventDefault: prevent });
    const other = new h.FakeWebContents();
    h.appEvents['web-contents-created']!({}, other);
    expect(other.openHandler!()).toEqual({ action: 'deny' });
    other.handlers['will-navigate']!({ preventDefault: prevent });
    other.handlers['will-attach-webview']!({ preventDefault: prevent });
    expect(prevent).toHaveBeenCalledTimes(3);
  });

  it('hands an Azure portal link to the system browser, and nothing else', () => {
    const open = (url: string) => (win.webContents.openHandler as (d: { url: string }) => unknown)({ url });
    expect(open('https://portal.azure.com/#@t/resource/x/overview')).toEqual({ action: 'deny' });
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('http://portal.azure.com/')).toEqual({ action: 'deny' });
    expect(h.opened).toEqual(['https://portal.azure.com/#@t/resource/x/overview']);
  });

  it('denies every permission, blocks the network, and sends the shared CSP', () => {
    const answer = vi.fn();
    h.session.request!({}, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect(h.session.check!({}, 'notifications')).toBe(false);
    const decide = (url: string) => {
      let cancel: unknown;
      h.session.beforeRequest!({ url }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('https://example.com/x.js')).toBe(true);
    expect(decide('file:///app/dist/renderer/index.html')).toBe(false);
    let headers: Record<string, string[]> = {};
    h.session.headers!({ responseHeaders: {} }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('answers IPC from its own page only', async () => {
    expect([...h.ipc.keys()].sort()).toEqual(contractMethods.map((m) => ipcChannel(m.service, m.method)).sort());
    const info = h.ipc.get(ipcChannel('app', 'info'))!;
    const own = { sender: win.webContents, senderFrame: { url: `file://${win.loaded}`, parent: null } };
    expect(await info(own, undefined)).toMatchObject({ ok: true, value: { platform: 'electron', nativeDialogs: true } });
    expect(await info({ ...own, senderFrame: { url: 'https://evil.example/', parent: null } }, undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await info({ ...own, sender: new h.FakeWebContents() }, undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const current = await h.ipc.get(ipcChannel('workspace', 'current'))!(own, undefined);
    expect(current).toMatchObject({ ok: true, value: { path: null, name: 'Demo workspace' } }); // nothing remembered: the demo
  });

  it('has a menu with the usual shortcuts, whose workspace commands go to the renderer', () => {
    type Item = { label?: string; accelerator?: string; role?: string; click?: () => void; submenu?: Item[] };
    const items = ((h.menu as { template: Item[] }).template ?? []).flatMap((m) => m.submenu ?? []);
    const byAccel = (a: string) => items.find((i) => i.accelerator === a);
    for (const a of ['CmdOrCtrl+O', 'CmdOrCtrl+S', 'CmdOrCtrl+Shift+S', 'CmdOrCtrl+Z']) expect(byAccel(a), a).toBeDefined();
    expect(items.some((i) => i.role === 'quit' || i.role === 'close')).toBe(true);
    byAccel('CmdOrCtrl+S')!.click!();
    expect(win.webContents.sent).toContainEqual([ipcChannel('app', 'command'), { command: 'save' }]);
  });
});
