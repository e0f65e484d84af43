import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

/*
 * Build notices that are known and harmless, dropped so the build prints only what needs a look:
 * - EVAL: hdr-histogram-js reaches zlib through `eval('require("zlib")')` in its log encoding, which the gateway
 *   never calls (it reads percentiles only).
 * - INEFFECTIVE_DYNAMIC_IMPORT of @azure/identity: the gateway imports it lazily so `breakerboard gateway` starts
 *   without it; in the bundle it already sits beside the deploy code, so the lazy import costs nothing.
 */
const QUIET: Array<{ code: string; about: RegExp }> = [
  { code: 'EVAL', about: /hdr-histogram-js/ },
  { code: 'INEFFECTIVE_DYNAMIC_IMPORT', about: /@azure[\\/]identity/ },
];
const onLog = (level: string, log: { code?: string; id?: string; message: string }, handler: (level: never, log: never) => void) => {
  if (QUIET.some((q) => q.code === log.code && q.about.test(`${log.id ?? ''} ${log.message}`))) return;
  handler(level as never, log as never);
};

/*
 * The renderer's libraries in chunks of their own (each under Vite's 500 kB warning), so an app change does not
 * invalidate them and no single file is megabytes. All are loaded by index.html as same-origin scripts, which the
 * CSP (`script-src 'self'`) allows; nothing is inlined or evaluated.
 */
const VENDOR_CHUNKS: Array<[string, RegExp, number?]> = [
  ['react', /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/],
  ['fluent-icons', /[\\/]node_modules[\\/]@fluentui[\\/]react-icons[\\/]/],
  // Fluent alone outgrows the warning: maxSize (bytes before minification) cuts it in two.
  ['fluent', /[\\/]node_modules[\\/](@fluentui|@griffel|@floating-ui|tabster|keyborg|@ctrl|rtl-css-js|stylis|@swc)[\\/]/, 1_200_000],
  ['charts', /[\\/]node_modules[\\/](recharts|d3-[a-z-]+|victory-vendor|internmap|decimal\.js-light|eventemitter3|@reduxjs|redux|react-redux|reselect|immer|use-sync-external-store|es-toolkit|tiny-invariant)[\\/]/],
  ['vendor', /[\\/]node_modules[\\/]/],
];

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
        onLog,
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
        onLog,
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: resolve('app/dist/renderer'),
      minify: true,
      // electron-vite copies rolldownOptions over rollupOptions for the renderer: name the options it keeps.
      rolldownOptions: {
        input: resolve('renderer/index.html'),
        onLog,
        output: { codeSplitting: { groups: VENDOR_CHUNKS.map(([name, test, maxSize], i) => ({ name, test, maxSize, priority: VENDOR_CHUNKS.length - i })) } },
      },
    },
  },
});
