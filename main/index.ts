import { app, dialog, Menu, safeStorage, session, type BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../shared/contract';
import { forwardEvents, ownWindowSenderCheck, registerIpcHandlers } from './ipc/ipc-adapter';
import { createCoreServices, type CoreServices } from './services/create-services';
import { createRecentWorkspaceMemory } from './services/recent-workspace';
import { createEncryptedFileSecretStore, createMemorySecretStore } from './services/secret-store';
import type { FileDialogs } from './services/workspace-service';
import { buildAppMenu, createMainWindow } from './window';

/*
 * The desktop shell's composition root: lock the app down, build the plain-Node services with the Electron-only
 * pieces they need (native dialogs, safeStorage, the user-data folder), wire them to IPC, open the window.
 */
const distDir = join(dirname(fileURLToPath(import.meta.url)), '..'); // app/dist/main/index.js → app/dist
const rendererUrl = pathToFileURL(join(distDir, 'renderer', 'index.html')).href;
const FILTERS = [{ name: 'Breakerboard workspace', extensions: ['yaml', 'yml', 'json'] }];

// Tests start the app with a throw-away profile; nothing else sets this.
if (process.env.BREAKERBOARD_USER_DATA) app.setPath('userData', process.env.BREAKERBOARD_USER_DATA);
app.enableSandbox();
// A second start focuses the first window instead of opening another app on the same files.
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();

// Every web contents, present or future: no navigation, no new windows, no webviews.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

let win: BrowserWindow | null = null;

function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // The page is a local file and talks to main over IPC only: nothing may be fetched from a network.
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !/^(file|data|devtools):/.test(details.url) }));
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }),
  );
}

function nativeDialogs(): FileDialogs {
  return {
    async pickOpenPath() {
      const r = win ? await dialog.showOpenDialog(win, { properties: ['openFile'], filters: FILTERS }) : await dialog.showOpenDialog({ properties: ['openFile'], filters: FILTERS });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async pickSavePath(suggestedName) {
      const opts = { defaultPath: suggestedName, filters: FILTERS };
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}

async function createServices(): Promise<CoreServices> {
  const userData = app.getPath('userData');
  const secretStore = safeStorage.isEncryptionAvailable()
    ? await createEncryptedFileSecretStore(join(userData, 'secrets.json'), {
        encrypt: (plain) => safeStorage.encryptString(plain),
        decrypt: (sealed) => safeStorage.decryptString(sealed),
      })
    : createMemorySecretStore(); // no keychain (e.g. a bare Linux session): keep secrets for this run only
  return createCoreServices({
    platform: 'electron',
    version: app.getVersion(),
    cwd: app.getPath('home'),
    env: process.env,
    secretStore,
    dialogs: nativeDialogs(),
    memory: createRecentWorkspaceMemory(userData),
  });
}

/** Closing with unsaved changes asks first: save, discard, or stay. */
function confirmCloseWhenDirty(window: BrowserWindow, services: CoreServices): void {
  let confirmed = false;
  window.on('close', (event) => {
    if (confirmed) return;
    event.preventDefault();
    void (async () => {
      const state = await services.workspace.current();
      if (!state.dirty) return closeNow();
      const { response } = await dialog.showMessageBox(window, {
        type: 'warning',
        buttons: ['Save', 'Don\'t Save', 'Cancel'],
        defaultId: 0,
        cancelId: 2,
        message: `Save the changes to ${state.name}?`,
        detail: 'Your changes are lost if you close without saving.',
      });
      if (response === 2) return;
      if (response === 0) {
        const saved = await services.workspace.save().then(() => true, () => false);
        if (!saved) return; // cancelled or refused (e.g. invalid): stay open, the window shows why on the next save
      }
      closeNow();
    })();
  });
  const closeNow = () => {
    confirmed = true;
    window.close();
  };
}

/** BREAKERBOARD_SMOKE=1: report when the renderer is ready, then quit (the Electron smoke test). */
function smokeCheck(window: BrowserWindow): void {
  const started = Date.now();
  const poll = async () => {
    const state = await window.webContents.executeJavaScript("document.querySelector('[data-app-state]')?.getAttribute('data-app-state') ?? ''").catch(() => '');
    if (state === 'ready' || state === 'failed' || Date.now() - started > 30_000) {
      process.stdout.write(`breakerboard-smoke: ${state || 'timeout'}\n`);
      app.exit(state === 'ready' ? 0 : 1);
      return;
    }
    setTimeout(() => void poll(), 200);
  };
  window.webContents.once('did-finish-load', () => void poll());
}

let disposeServices: (() => Promise<void>) | null = null;

app.whenReady().then(async () => {
  if (!primaryInstance) return;
  lockDownSession();
  const services = await createServices();
  disposeServices = services.dispose;
  await services.workspace.openLastOrDemo();
  registerIpcHandlers(services, ownWindowSenderCheck(rendererUrl, () => win?.webContents ?? null));
  forwardEvents(services, () => win?.webContents ?? null);
  Menu.setApplicationMenu(buildAppMenu((command) => services.app.sendCommand(command)));
  win = createMainWindow(distDir);
  win.on('closed', () => (win = null));
  confirmCloseWhenDirty(win, services);
  if (process.env.BREAKERBOARD_SMOKE === '1') smokeCheck(win);
});

app.on('second-instance', () => {
  if (win?.isMinimized()) win.restore();
  win?.focus();
});
app.on('window-all-closed', () => app.quit());
// A running gateway holds ports and simulated backends: stop it before the process goes.
app.on('will-quit', (event) => {
  const dispose = disposeServices;
  if (!dispose) return;
  disposeServices = null;
  event.preventDefault();
  void dispose().finally(() => app.quit());
});
