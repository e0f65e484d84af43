import { z } from 'zod';
import { formatPath } from '../model/paths';

/*
 * How errors cross every boundary (IPC, HTTP): `{ ok: false, error: { code, message, path? } }` (STYLE rule 4).
 * A thrown Error does not survive Electron's contextBridge with its fields, and an HTTP status alone says too
 * little, so calls answer with an envelope and the client turns it back into a ContractError.
 */
export const ERROR_CODES = [
  'bad-request', // the payload does not match the contract
  'unauthorized', // no or wrong token (serve mode)
  'forbidden', // foreign sender frame or origin
  'not-found', // unknown service/method, or a file that does not exist
  'needs-path', // the document has no file yet and no file picker is available: ask the user for a path
  'exists', // save-as would overwrite a file and overwrite was not confirmed
  'invalid-workspace', // the workspace has errors: refused (the list is in the workspace state)
  'io', // the file system refused
  'cancelled', // the user closed a dialog
  'unavailable', // the service cannot do this here (e.g. no keychain)
  'internal', // a bug: the message says what, the log has the rest
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorInfoSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string(), path: z.string().optional() });
export type ErrorInfo = z.infer<typeof errorInfoSchema>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorInfoSchema }),
]);

/** An error meant for the user as it is; services throw it, adapters turn it into the envelope. */
export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }

  toInfo(): ErrorInfo {
    return this.path === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, path: this.path };
  }
}

export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof ContractError) return e.toInfo();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `unexpected error: ${message}` };
}

export const fail = (error: ErrorInfo): Envelope<never> => ({ ok: false, error });
export const succeed = <T>(value: T): Envelope<T> => ({ ok: true, value });

/** The first zod issue as `{ message, path }`, path in the workspace's own notation (`services[1].weight`). */
export function zodErrorInfo(error: z.ZodError, what: string): ErrorInfo {
  const issue = error.issues[0];
  if (!issue) return { code: 'bad-request', message: `${what}: invalid payload` };
  const path = formatPath(issue.path);
  return { code: 'bad-request', message: `${what}: ${path === '(root)' ? '' : `${path}: `}${issue.message}`, path };
}
