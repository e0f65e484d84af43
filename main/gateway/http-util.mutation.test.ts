import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answerClientError, confinePath, connectionCap, HOP_BY_HOP, isGatewayHeader, REQUEST_DROP, scanRequestHeaders, sendError, sendJson, stripListed, transportReason } from './http-util';

/*
 * The gateway's HTTP helpers one case at a time: which headers are forwarded, which paths stay under the API's
 * base path and how they are resolved, which transport errors count as timeouts, and the exact answer to a request
 * HTTP cannot parse (the integration suites see these only through a live gateway).
 */

/** A ServerResponse stand-in that records what was written. */
function response(headersSent = false) {
  const out: { status?: number; headers?: unknown; body?: string; destroyed: boolean; headersSent: boolean } = { destroyed: false, headersSent };
  const res = {
    get headersSent() {
      return out.headersSent;
    },
    writeHead(status: number, headers: unknown) {
      out.status = status;
      out.headers = headers;
      out.headersSent = true;
      return res;
    },
    end(body?: string) {
      out.body = body;
    },
    destroy() {
      out.destroyed = true;
    },
  };
  return { res: res as never, out };
}

describe('headers', () => {
  it('drops hop-by-hop headers and the client credentials, forwards the rest in order', () => {
    expect([...HOP_BY_HOP].sort()).toEqual(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
    expect([...REQUEST_DROP].filter((h) => !HOP_BY_HOP.has(h)).sort()).toEqual(['api-key', 'authorization', 'expect', 'host']);
    const out: string[] = [];
    const length = scanRequestHeaders(['Host', 'x', 'Content-Type', 'application/json', 'API-Key', 'k', 'Content-Length', '12', 'X-A', '1', 'Expect', '100-continue', 'Connection', 'close'], out);
    expect(length).toBe(12);
    expect(out).toEqual(['Content-Type', 'application/json', 'Content-Length', '12', 'X-A', '1']);
  });

  it('reads the body length: none, chunked, or unreadable', () => {
    expect(scanRequestHeaders(['x-a', '1'], [])).toBe(0);
    expect(scanRequestHeaders(['Transfer-Encoding', 'chunked'], [])).toBe(-1);
    // A Content-Length after Transfer-Encoding wins (node refuses both together before we see them).
    expect(scanRequestHeaders(['content-length', '5', 'transfer-encoding', 'chunked'], [])).toBe(5);
    expect(scanRequestHeaders(['content-length', 'abc'], [])).toBe(-1);
  });

  it('stripListed removes the headers a Connection header names, whatever their case', () => {
    const out = ['X-One', '1', 'keep', 'k', 'x-two', '2', 'X-ONE', '3'];
    stripListed(out, ' x-one , X-Two');
    expect(out).toEqual(['keep', 'k']);
    const first = ['a', '1', 'b', '2'];
    stripListed(first, 'a');
    expect(first).toEqual(['b', '2']);
  });

  it('only x-breakerboard-* headers are the gateway own', () => {
    expect(isGatewayHeader('x-breakerboard-served-by')).toBe(true);
    expect(isGatewayHeader('x-breakerboard')).toBe(false);
    expect(isGatewayHeader('y-breakerboard-x')).toBe(false);
    expect(isGatewayHeader('x-other')).toBe(false);
  });
});

describe('transportReason', () => {
  it('the undici and socket timeouts are timeouts; anything else a connection failure', () => {
    for (const code of ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']) expect(transportReason({ code })).toBe('timeout');
    for (const err of [{ code: 'ECONNREFUSED' }, { code: 'UND_ERR_SOCKET' }, {}, null, undefined]) expect(transportReason(err)).toBe('connection-failure');
  });
});

describe('confinePath', () => {
  const P = '/openai';
  it('returns a plain target untouched, query included', () => {
    expect(confinePath('/openai/deployments/x/chat?api-version=1&a=/../b', P)).toBe('/openai/deployments/x/chat?api-version=1&a=/../b');
    expect(confinePath('/openai/x%20y', P)).toBe('/openai/x%20y');
  });

  it('resolves dot segments, plain and encoded, keeping the query as it is', () => {
    expect(confinePath('/openai/a/./b?x=%2e', P)).toBe('/openai/a/b?x=%2e');
    expect(confinePath('/openai/a/../b', P)).toBe('/openai/b');
    expect(confinePath('/openai/a/%2E%2e/b', P)).toBe('/openai/b');
    expect(confinePath('/openai/a/.%2e/b', P)).toBe('/openai/b');
    expect(confinePath('/openai/a/%2e/b', P)).toBe('/openai/a/b');
    // A dot segment at the end leaves a trailing slash.
    expect(confinePath('/openai/a/..', P)).toBe('/openai/');
    expect(confinePath('/openai/a/.', P)).toBe('/openai/a/');
    // Three dots, or dots with other characters, are ordinary names.
    expect(confinePath('/openai/.../a', P)).toBe('/openai/.../a');
    expect(confinePath('/openai/.a/b', P)).toBe('/openai/.a/b');
  });

  it('refuses a path that leaves the base path, or hides a slash or backslash', () => {
    expect(confinePath('/openai/..', P)).toBeNull();
    expect(confinePath('/openai/a/../../x', P)).toBeNull();
    expect(confinePath('/openai/%2e%2e/x', P)).toBeNull();
    for (const hidden of ['/openai/a%2fb', '/openai/a%2Fb', '/openai/a%5cb', '/openai/a%5Cb', '/openai/a\\b']) expect(confinePath(hidden, P), hidden).toBeNull();
    // The query may hold anything.
    expect(confinePath('/openai/a/./b?p=%2f', P)).toBe('/openai/a/b?p=%2f');
  });

  it('looks at the path only where it starts with a dot, a percent sign or a backslash too', () => {
    // Without `/.`, `%` or `\` nothing is resolved, even a leading dot segment of a target that is not origin-form.
    expect(confinePath('./a', P)).toBe('./a');
    expect(confinePath('../a', P)).toBe('../a');
    // Each of them found at the very first character still sends the path through resolution.
    expect(confinePath('/./openai/a', P)).toBe('/openai/a');
    expect(confinePath('%2e%2e/x', P)).toBeNull();
    expect(confinePath('\\openai', P)).toBeNull();
    // A target that is all query is returned as it is.
    expect(confinePath('?x=/./', P)).toBe('?x=/./');
  });

  it('counts the base path by its segments', () => {
    expect(confinePath('/a/b/c/../d', '/a/b')).toBe('/a/b/d');
    expect(confinePath('/a/b/../d', '/a/b')).toBeNull();
  });
});

describe('connectionCap', () => {
  it('caps each remote address, frees a slot on release, never caps loopback', () => {
    const cap = connectionCap(2);
    expect([cap.admit('10.0.0.1'), cap.admit('10.0.0.1'), cap.admit('10.0.0.1')]).toEqual([true, true, false]);
    expect(cap.admit('10.0.0.2')).toBe(true);
    cap.release('10.0.0.1');
    expect(cap.admit('10.0.0.1')).toBe(true);
    expect(cap.admit('10.0.0.1')).toBe(false);
    cap.release('10.0.0.1');
    cap.release('10.0.0.1');
    cap.release('10.0.0.1');
    // Released past zero: the address starts again from nothing, not from a negative count.
    expect([cap.admit('10.0.0.1'), cap.admit('10.0.0.1'), cap.admit('10.0.0.1')]).toEqual([true, true, false]);
    for (const a of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1', undefined]) {
      expect([1, 2, 3].map(() => cap.admit(a)), String(a)).toEqual([true, true, true]);
      cap.release(a);
    }
    expect(cap.admit('::1.example')).toBe(true);
    // ::10 is another address, not loopback ::1.
    expect([cap.admit('::10'), cap.admit('::10'), cap.admit('::10')]).toEqual([true, true, false]);
    const zero = connectionCap(0);
    expect(zero.admit('::2')).toBe(false);
    expect(zero.admit('1127.0.0.1')).toBe(false);
  });
});

describe('the gateway own answers', () => {
  it('sendError writes the JSON error with its length and extra headers', () => {
    const { res, out } = response();
    sendError(res, 503, 'NoHealthyBackend', 'all tripped', ['retry-after', '7']);
    const body = JSON.stringify({ error: { code: 'NoHealthyBackend', message: 'all tripped' } });
    expect(out).toMatchObject({ status: 503, body, headers: ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)), 'retry-after', '7'] });
    const plain = response();
    sendError(plain.res, 404, 'NotFound', 'é');
    expect(plain.out.headers).toEqual(['content-type', 'application/json', 'content-length', String(Buffer.byteLength(plain.out.body!))]);
  });

  it('sendError after the headers went out only closes the connection', () => {
    const { res, out } = response(true);
    sendError(res, 500, 'InternalError', 'late');
    expect(out).toEqual({ destroyed: true, headersSent: true });
  });

  it('sendJson is never cached', () => {
    const { res, out } = response();
    sendJson(res, 200, { a: 'é' });
    expect(out).toMatchObject({ status: 200, body: '{"a":"é"}', headers: { 'content-type': 'application/json', 'content-length': 10, 'cache-control': 'no-store' } });
  });
});

describe('answerClientError', () => {
  /** A socket stand-in that collects what is written and whether it was destroyed. */
  function socket(opts: { writable?: boolean; headersSent?: boolean } = {}) {
    const s = new PassThrough() as PassThrough & { _httpMessage?: { headersSent?: boolean } | null };
    let written = '';
    s.on('data', (d: Buffer) => (written += d.toString()));
    if (opts.writable === false) s.end();
    s._httpMessage = opts.headersSent === undefined ? null : { headersSent: opts.headersSent };
    return { s, text: () => written };
  }
  const err = (code: string) => Object.assign(new Error(code), { code });
  const settle = () => new Promise((r) => setImmediate(r));

  it('answers a parse error with 400 and the reason in words, then closes', async () => {
    const { s, text } = socket();
    expect(answerClientError(err('HPE_INVALID_CONTENT_LENGTH'), s)).toBe('BadRequest');
    await settle();
    const body = JSON.stringify({ error: { code: 'BadRequest', message: 'malformed request: the Content-Length header is not a number' } });
    expect(text()).toBe(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
    expect(s.destroyed).toBe(true);
  });

  it('431 for headers too large, 408 for a slow request, a generic reason for an unknown code', async () => {
    const big = socket();
    expect(answerClientError(err('HPE_HEADER_OVERFLOW'), big.s)).toBe('BadRequest');
    const slow = socket();
    expect(answerClientError(err('ERR_HTTP_REQUEST_TIMEOUT'), slow.s)).toBe('RequestTimeout');
    const odd = socket();
    expect(answerClientError(err('HPE_SOMETHING_NEW'), odd.s)).toBe('BadRequest');
    await settle();
    expect(big.text()).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n[\s\S]*"message":"malformed request: the request headers are too large"/);
    expect(slow.text()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*"code":"RequestTimeout","message":"the request did not arrive in time \(gateway\.timeouts\.clientHeaders \/ clientBody\)"/);
    expect(odd.text()).toContain('"message":"malformed request: HTTP/1.1 cannot parse it"');
  });

  it('closes the connection once the answer is written, even when the socket would stay open by itself', async () => {
    const s = new PassThrough({ autoDestroy: false });
    s.resume();
    const ended = new Promise((r) => s.on('finish', r));
    expect(answerClientError(err('HPE_INVALID_URL'), s)).toBe('BadRequest');
    await ended;
    await settle();
    expect(s.destroyed).toBe(true);
  });

  it('writes nothing on a reset, a closed socket, or once an answer has started', async () => {
    for (const [e, s] of [
      [err('ECONNRESET'), socket()],
      [err('HPE_INVALID_METHOD'), socket({ writable: false })],
      [err('HPE_INVALID_METHOD'), socket({ headersSent: true })],
    ] as const) {
      expect(answerClientError(e, s.s)).toBeUndefined();
      await settle();
      expect(s.text()).toBe('');
      expect(s.s.destroyed).toBe(true);
    }
    const notStarted = socket({ headersSent: false });
    expect(answerClientError(err('HPE_INVALID_METHOD'), notStarted.s)).toBe('BadRequest');
  });
});
