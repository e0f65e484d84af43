import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus what undici refuses to forward; never passed on either way. */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Also dropped from client requests: the backend gets its own host and credentials; undici has no 100-continue. */
export const REQUEST_DROP = new Set([...HOP_BY_HOP, 'host', 'api-key', 'authorization', 'expect']);

export type GatewayErrorCode = 'NoHealthyBackend' | 'BackendUnavailable' | 'BackendTimeout' | 'RequestTooLarge' | 'Unauthorized' | 'NotFound' | 'OperationNotFound' | 'BadRequest' | 'RequestTimeout' | 'InternalError' | 'TokenLimitExceeded' | 'TokenQuotaExceeded';

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

/** Headers only the gateway may set: a backend's own `x-breakerboard-*` are dropped so it cannot speak for us. */
export function isGatewayHeader(lower: string): boolean {
  return lower.charCodeAt(0) === 120 /* x */ && lower.startsWith('x-breakerboard-');
}

const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * The request target with dot segments resolved (RFC 3986 §5.2.4), or null when the path would leave the API's
 * base path `prefix`, or hides a slash or backslash in an encoding a backend might decode (`%2f`, `%5c`, `\`).
 * Encoded dots (`%2e`) count as dots. The common target has none of `/.`, `%`, `\` and is returned as it is
 * after three scans; the query string is never touched.
 */
export function confinePath(url: string, prefix: string): string | null {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path.indexOf('/.') < 0 && path.indexOf('%') < 0 && path.indexOf('\\') < 0) return url;
  if (/%2f|%5c|\\/i.test(path)) return null;
  const base = prefix.split('/').length;
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (!DOT_SEGMENT.test(seg)) {
      out.push(seg);
      continue;
    }
    if (seg.length > 1 && seg.replace(/%2e/gi, '.') === '..') {
      if (out.length <= base) return null;
      out.pop();
    }
    // A dot segment at the end leaves a trailing slash, as a browser would resolve it.
    if (i === segments.length - 1) out.push('');
  }
  return out.join('/') + (q < 0 ? '' : url.slice(q));
}

/** One gateway instance's cap on concurrent connections per client address; loopback clients are not capped. */
export function connectionCap(max: number): { admit(address: string | undefined): boolean; release(address: string | undefined): void } {
  const open = new Map<string, number>();
  const capped = (a: string | undefined): a is string => a !== undefined && !/^(?:127\.|::1$|::ffff:127\.)/.test(a);
  return {
    admit(address) {
      if (!capped(address)) return true;
      const n = open.get(address) ?? 0;
      if (n >= max) return false;
      open.set(address, n + 1);
      return true;
    },
    release(address) {
      if (!capped(address)) return;
      const n = (open.get(address) ?? 1) - 1;
      if (n <= 0) open.delete(address);
      else open.set(address, n);
    },
  };
}

const PARSER_ERRORS: Record<string, string> = {
  HPE_INVALID_CONTENT_LENGTH: 'the Content-Length header is not a number',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length and Transfer-Encoding must not both be sent',
  HPE_INVALID_TRANSFER_ENCODING: 'the Transfer-Encoding header is not valid',
  HPE_INVALID_CHUNK_SIZE: 'a chunk size of the chunked body is not valid',
  HPE_LF_EXPECTED: 'a line ends in a bare CR or LF (HTTP needs CRLF)',
  HPE_CR_EXPECTED: 'a line ends in a bare CR or LF (HTTP needs CRLF)',
  HPE_INVALID_HEADER_TOKEN: 'a header name or value has characters HTTP does not allow (bare CR or LF, or a folded line)',
  HPE_INVALID_METHOD: 'the request method is not valid',
  HPE_INVALID_URL: 'the request target is not valid',
  HPE_INVALID_VERSION: 'the HTTP version is not valid',
  HPE_HEADER_OVERFLOW: 'the request headers are too large',
};

/**
 * The server's `clientError`: a request HTTP cannot parse (or one too slow to arrive) gets the gateway's JSON error
 * and a closed connection, instead of a silent reset. Nothing is written once an answer to this request has
 * started (node keeps the response being written on the socket; earlier answers on a kept-alive one are done).
 * Returns the code answered, for the gateway's error counters.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } | null }): GatewayErrorCode | undefined {
  if (err.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
    socket.destroy();
    return undefined;
  }
  const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const status = timeout ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const code: GatewayErrorCode = timeout ? 'RequestTimeout' : 'BadRequest';
  const message = timeout
    ? 'the request did not arrive in time (gateway.timeouts.clientHeaders / clientBody)'
    : `malformed request: ${PARSER_ERRORS[err.code ?? ''] ?? 'HTTP/1.1 cannot parse it'}`;
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`, () => socket.destroy());
  return code;
}

/** A host as it goes into a URL: an IPv6 address in brackets (`[::1]`), anything else as it is. */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);
