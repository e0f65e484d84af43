import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { runCli } from '../../../main/cli/program';

/** The built renderer must exist; build once when it does not (CI builds before testing anyway). */
export function ensureBuilt(): void {
  if (existsSync(resolve('app/dist/renderer/index.html'))) return;
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
