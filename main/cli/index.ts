import { createInterface } from 'node:readline/promises';
import { runCli } from './program';

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** Entry used by bin/breakerboard.mjs: runs the command line of this process. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  let stop: () => void = () => undefined;
  const interrupted = new Promise<void>((r) => (stop = r));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await runCli(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTty: Boolean(process.stdout.isTTY && process.stdin.isTTY),
    ask,
    interrupted,
  });
  process.removeListener('SIGINT', stop);
  process.removeListener('SIGTERM', stop);
  return code;
}
