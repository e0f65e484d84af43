import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

// One build for everything that ships: the main process and CLI (bundled with their dependencies, so the app's
// asar needs no node_modules), the sandboxed preload (CommonJS: a sandboxed preload cannot be ESM), the renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'app/dist/main',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('main/index.ts'), cli: resolve('main/cli/index.ts') },
        external: ['electron'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'app/dist/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('main/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: { outDir: resolve('app/dist/renderer'), rollupOptions: { input: resolve('renderer/index.html') } },
  },
});
