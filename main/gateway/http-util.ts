import type { ServerResponse } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus what undici refuses to forward; never passed on either way. */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Also dropped from client requests: the backend gets its own host and credentials; undici has no 100-continue. */
export const REQUEST_DROP = new Set([...HOP_BY_HOP, 'host', 'api-key', 'authorization', 'expect']);

export type GatewayErrorCode = 'NoHealthyBackend' | 'BackendUnavailable' | 'BackendTimeout' | 'RequestTooLarge' | 'Unauthorized' | 'NotFound' | 'BadRequest' | 'InternalError' | 'TokenLimitExceeded' | 'TokenQuotaExceeded';

/** The gateway's own JSON error answer (DESIGN §3). `extra` are header name/value pairs. */
export function sendError(res: ServerResponse, status: number, code: GatewayErrorCode, message: string, extra: string[] = []): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)), ...extra]);
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** Undici and socket errors → why the try got no response (APIM-SEMANTICS B4). */
export function transportReason(err: unknown): 'timeout' | 'connection-failure' {
  const code = (err as { code?: string } | null)?.code ?? '';
  return code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT' ? 'timeout' : 'connection-failure';
}

/**
 * One pass over the client's raw headers: fills `out` with what is forwarded and returns the body length
 * (0 none, -1 chunked/unknown). Reading `rawHeaders` spares node building the `req.headers` object.
 */
export function scanRequestHeaders(raw: string[], out: string[]): number {
  let length = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (lower === 'content-length') length = Number(raw[i + 1]);
    else if (lower === 'transfer-encoding' && length === 0) length = -1;
    if (REQUEST_DROP.has(lower)) continue;
    out.push(name, raw[i + 1]!);
  }
  return Number.isFinite(length) ? length : -1;
}

/** Removes the headers a `Connection:` header lists (RFC 9110 §7.6.1). Rare; off the common path. */
export function stripListed(out: string[], tokens: string): void {
  const names = new Set(tokens.split(',').map((t) => t.trim().toLowerCase()));
  for (let i = out.length - 2; i >= 0; i -= 2) {
    if (names.has(out[i]!.toLowerCase())) out.splice(i, 2);
  }
}
