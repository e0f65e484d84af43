import { existsSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { startGateway } from '../../../main/gateway';
import { runCli } from '../../../main/cli/program';
import { startControlServer } from '../../../main/control/control-server';
import { defaultRendererDir } from '../../../main/control/renderer-dir';
import { createCoreServices, type CoreServices } from '../../../main/services/create-services';
import { createMemorySecretStore } from '../../../main/services/secret-store';
import { startSimulators } from '../../../main/simulator';

/** What the renderer bundle is built from: a change in any of these makes the bundle stale. */
const SOURCES = ['renderer', 'shared', 'electron.vite.config.ts', 'package.json'];
const BUNDLE = 'app/dist/renderer/index.html';

/** The newest modification time under `path` (files only; node_modules and dot folders skipped). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    // Tests are not bundled: editing one does not make the bundle stale.
    if (name === 'node_modules' || name.startsWith('.') || /\.test\.tsx?$/.test(name)) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

/** Whether the renderer bundle is missing or older than any of its sources (issue 19 item 4). */
export function bundleIsStale(root = resolve('.')): boolean {
  const bundle = join(root, BUNDLE);
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return SOURCES.some((s) => newest(join(root, s)) > built);
}

/**
 * The browser suites test what the sources say: build when the bundle is missing or stale, so a stale bundle can
 * never let a broken screen pass.
 */
export function ensureBuilt(): void {
  if (!bundleIsStale()) return;
  execFileSync(process.execPath, [resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build'], { stdio: 'ignore' });
}

export interface RunningServe {
  url: string;
  firstLine: string;
  stop(): Promise<number>;
}

/** `breakerboard serve` through the real CLI code, in this process; stopped like Ctrl-C. */
export async function startServe(args: string[], cwd: string): Promise<RunningServe> {
  let out = '';
  let stop!: () => void;
  const interrupted = new Promise<void>((r) => (stop = r));
  let gotLine!: (line: string) => void;
  const firstLine = new Promise<string>((r) => (gotLine = r));
  const exit = runCli(['serve', ...args], {
    stdout: (t) => {
      out += t;
      if (out.includes('\n')) gotLine(out.split('\n')[0]!);
    },
    stderr: (t) => {
      out += t;
    },
    env: { ...process.env },
    cwd,
    isTty: false,
    interrupted,
  });
  const line = await Promise.race([firstLine, exit.then((code) => Promise.reject(new Error(`serve exited ${code}: ${out}`)))]);
  return {
    url: line.replace(/^dashboard at /, ''),
    firstLine: line,
    stop: async () => {
      stop();
      return exit;
    },
  };
}

export interface ClockedServe {
  url: string;
  services: CoreServices;
  stop(): Promise<void>;
}

/**
 * What `serve <ws>` composes (the same services and control server), with the gateway's clock injected: the
 * test moves the gateway through minutes of uptime without waiting for them.
 */
export async function startServeWithClock(workspacePath: string, cwd: string, now: () => number): Promise<ClockedServe> {
  const services = createCoreServices({
    platform: 'serve',
    version: '0.0.0-test',
    cwd,
    env: {},
    secretStore: createMemorySecretStore(),
    // A drill in virtual time (a deployed drill's prediction) brings its own clock; every other gateway reads the test's.
    engines: { startGateway: (opts) => startGateway({ ...opts, now: opts.now ?? now }), startSimulators },
  });
  await services.workspace.open({ path: workspacePath });
  const server = await startControlServer({ services, rendererDir: defaultRendererDir(), port: 0 });
  return {
    url: server.dashboardUrl,
    services,
    stop: async () => {
      await server.close();
      await services.dispose();
    },
  };
}
