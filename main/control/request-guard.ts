import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ErrorInfo } from '../../shared/contract';

/*
 * Who may call the API: a request that carries the token as `Authorization: Bearer` and, when a browser says
 * where it comes from (Origin, Sec-Fetch-Site), comes from the dashboard's own origin. The Host check refuses DNS
 * rebinding (a foreign name pointing at 127.0.0.1) even before the token is looked at.
 */
export type GuardResult = { ok: true } | { ok: false; status: 401 | 403; error: ErrorInfo };

export function tokenMatches(expected: string, header: string | undefined): boolean {
  const m = /^Bearer ([A-Za-z0-9_-]{16,200})$/.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkRequest(req: IncomingMessage, token: string, port: number): GuardResult {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const forbidden = (message: string): GuardResult => ({ ok: false, status: 403, error: { code: 'forbidden', message } });
  if (!allowedHosts.includes(req.headers.host ?? '')) return forbidden('unexpected Host header');
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) return forbidden(`requests from ${origin} are not allowed`);
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return forbidden('cross-site requests are not allowed');
  if (!tokenMatches(token, req.headers.authorization)) {
    return { ok: false, status: 401, error: { code: 'unauthorized', message: 'missing or wrong token: open the dashboard URL that `breakerboard serve` printed' } };
  }
  return { ok: true };
}
