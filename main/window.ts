import { BrowserWindow, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { AppCommand } from '../shared/contract';
import { isAzurePortalUrl } from '../shared/deploy/portal-url';

/** The one window: sandboxed, isolated, no Node, no navigation, no pop-ups, no webviews (STYLE rule 5). */
export function createMainWindow(distDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Breakerboard',
    webPreferences: {
      preload: join(distDir, 'preload', 'index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise open links in a new window, around setWindowOpenHandler.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  // No window ever opens inside the app; the Deploy screen's link to the service's portal page goes to the system
  // browser, and nothing else does.
  win.webContents.setWindowOpenHandler((details) => {
    if (isAzurePortalUrl(details?.url)) void shell.openExternal(details.url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadFile(join(distDir, 'renderer', 'index.html'));
  return win;
}

/**
 * The native menu with the usual shortcuts. Workspace commands go to the renderer (which owns undo history and
 * shows errors the same way as its own buttons); text editing and quit use Electron's roles.
 */
export function buildAppMenu(run: (command: AppCommand) => void, isMac = process.platform === 'darwin'): Menu {
  const item = (label: string, accelerator: string, command: AppCommand): MenuItemConstructorOptions => ({ label, accelerator, click: () => run(command) });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('New from the Demo', 'CmdOrCtrl+N', 'newFromDemo'),
        item('&Open…', 'CmdOrCtrl+O', 'open'),
        { type: 'separator' },
        item('&Save', 'CmdOrCtrl+S', 'save'),
        item('Save &As…', 'CmdOrCtrl+Shift+S', 'saveAs'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit', accelerator: 'Ctrl+Q' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('&Undo', 'CmdOrCtrl+Z', 'undo'),
        item('&Redo', isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y', 'redo'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: '&View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
