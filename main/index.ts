import { app, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMainWindow } from './window';

// app/dist/main/index.js → app/dist
const distDir = join(dirname(fileURLToPath(import.meta.url)), '..');

app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  createMainWindow(distDir);
});
app.on('window-all-closed', () => app.quit());
