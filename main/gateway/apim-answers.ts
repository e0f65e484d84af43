import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteTarget } from '../../shared/semantics';
import type { GatewayEngine } from './engine';
import { sendError } from './http-util';

/*
 * Two APIM behaviours off the hot path (docs/apim-fidelity.md): the 404 for an undeclared operation, and reading
 * and writing the session cookie of a pool with session affinity.
 */

/** APIM's answer for a path or method the API does not declare (F-OPS-1): 404 OperationNotFound, nothing called. */
export function operationNotFound(engine: GatewayEngine, req: IncomingMessage, res: ServerResponse, api: string): void {
  engine.gatewayError('OperationNotFound');
  engine.accessLog?.({ at: engine.iso(), method: req.method ?? '', path: req.url ?? '', api, status: 404, backend: null, attempts: 0, ms: 0, code: 'OperationNotFound' });
  sendError(res, 404, 'OperationNotFound', `Unable to match incoming request to an operation (${req.method ?? ''} ${(req.url ?? '').split('?')[0]}, API ${api}).`);
}

/** The index of the member a `name=<backend id>` cookie names, or -1 (F-ROUTE-6). */
export function stickyMember(header: string | undefined, name: string, members: RouteTarget['members']): number {
  if (!header) return -1;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return -1; // a malformed escape is no session
    }
    return members.findIndex((m) => m.backend === value);
  }
  return -1;
}

/** The `Set-Cookie` value that keeps a session on `backend` (F-ROUTE-6). */
export const affinityCookie = (name: string, backend: string): string => `${name}=${encodeURIComponent(backend)}; Path=/; HttpOnly`;
