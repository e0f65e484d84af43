/** Where a command writes and what it reads from its surroundings; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTty: boolean;
  /** Asks the person at the terminal a question and resolves to their answer (only called when isTty). */
  ask?: (question: string) => Promise<string>;
  /** Resolves when the command should stop (Ctrl-C); long-running commands await it. */
  interrupted?: Promise<void>;
}

export const EXIT = { ok: 0, input: 1, usage: 2 } as const;

/** An error whose message is for the user as it is; `code` is the exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.input) {
    super(message);
  }
}

export const line = (io: CliIo, text: string) => io.stdout(`${text}\n`);
export const errLine = (io: CliIo, text: string) => io.stderr(`${text}\n`);
export const json = (io: CliIo, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);
