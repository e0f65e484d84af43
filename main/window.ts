import { BrowserWindow } from 'electron';
import { join } from 'node:path';

/** The one window: sandboxed, isolated, no Node, no navigation, no pop-ups (STYLE rule 5). */
export function createMainWindow(distDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    title: 'Breakerboard',
    webPreferences: {
      preload: join(distDir, 'preload', 'index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadFile(join(distDir, 'renderer', 'index.html'));
  return win;
}
