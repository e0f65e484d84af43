// `npm start`: build if needed, make sure the Electron binary is there (fetch it once), open the app.
// Where the binary cannot be fetched (no internet), say so in one sentence and point at serve mode.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

if (run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']).status !== 0) process.exit(1);

const electronDir = dirname(require.resolve('electron/package.json'));
const binaryPresent = () => {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path);
  } catch {
    return false;
  }
};
if (!binaryPresent()) {
  console.log('Fetching the Electron binary once (about 100 MB)...');
  const fetched = run(process.execPath, [join(electronDir, 'install.js')], { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' }, timeout: 300_000 });
  if (fetched.status !== 0 || !binaryPresent()) {
    console.log('The Electron binary could not be downloaded (no internet access?); run `npx breakerboard serve` to open the same dashboard in your browser.');
    process.exit(1);
  }
}
const child = spawn(require('electron'), [join(root, 'app')], { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: '' } });
child.on('exit', (code) => process.exit(code ?? 0));
