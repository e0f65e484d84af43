import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkRequest, tokenMatches } from './request-guard';

// The guard as a function of the request's headers (control-server.test.ts covers it on the wire): every header
// that decides, each on its own, so that loosening any one comparison fails a test.
const TOKEN = 'abcdefghijklmnop_QRSTUV-0123456789';
const PORT = 4321;
const req = (headers: Record<string, string | undefined>) => ({ headers: { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}`, ...headers } }) as unknown as IncomingMessage;
const verdict = (headers: Record<string, string | undefined>) => {
  const r = checkRequest(req(headers), TOKEN, PORT);
  return r.ok ? 'ok' : `${r.status} ${r.error.code}: ${r.error.message}`;
};

describe('tokenMatches', () => {
  it('accepts exactly "Bearer <token>"', () => {
    expect(tokenMatches(TOKEN, `Bearer ${TOKEN}`)).toBe(true);
  });
  it.each([
    ['no header', undefined],
    ['another scheme', `Basic ${TOKEN}`],
    ['lower-case scheme', `bearer ${TOKEN}`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token plus a character', `Bearer ${TOKEN}x`],
    ['a different token of the same length', `Bearer ${TOKEN.slice(0, -1)}Z`],
    ['leading text', `x Bearer ${TOKEN}`],
    ['trailing text', `Bearer ${TOKEN} x`],
    ['two spaces', `Bearer  ${TOKEN}`],
    ['a character outside the token alphabet', `Bearer ${TOKEN.slice(0, -1)}=`],
  ])('refuses %s', (_what, header) => {
    expect(tokenMatches(TOKEN, header)).toBe(false);
  });
  it('takes tokens of 16 to 200 characters and no others', () => {
    for (const n of [16, 200]) expect(tokenMatches('a'.repeat(n), `Bearer ${'a'.repeat(n)}`)).toBe(true);
    for (const n of [15, 201]) expect(tokenMatches('a'.repeat(n), `Bearer ${'a'.repeat(n)}`)).toBe(false);
  });
});

describe('checkRequest', () => {
  it('lets in the dashboard: either loopback name, same-origin or direct navigation, with the token', () => {
    expect(verdict({})).toBe('ok');
    expect(verdict({ host: `localhost:${PORT}`, origin: `http://localhost:${PORT}` })).toBe('ok');
    expect(verdict({ origin: `http://127.0.0.1:${PORT}`, 'sec-fetch-site': 'same-origin' })).toBe('ok');
    expect(verdict({ 'sec-fetch-site': 'none' })).toBe('ok');
  });

  it('refuses a foreign or missing Host before looking at the token (DNS rebinding)', () => {
    expect(verdict({ host: `evil.example:${PORT}`, authorization: undefined })).toBe('403 forbidden: unexpected Host header');
    expect(verdict({ host: `127.0.0.1:${PORT + 1}` })).toBe('403 forbidden: unexpected Host header');
    expect(verdict({ host: undefined })).toBe('403 forbidden: unexpected Host header');
  });

  it('refuses another origin, naming it, and cross-site fetches', () => {
    expect(verdict({ origin: 'http://evil.example' })).toBe('403 forbidden: requests from http://evil.example are not allowed');
    expect(verdict({ origin: `https://127.0.0.1:${PORT}` })).toBe(`403 forbidden: requests from https://127.0.0.1:${PORT} are not allowed`);
    expect(verdict({ origin: `http://127.0.0.1:${PORT + 1}` })).toMatch(/^403 forbidden: requests from/);
    expect(verdict({ 'sec-fetch-site': 'cross-site' })).toBe('403 forbidden: cross-site requests are not allowed');
    expect(verdict({ 'sec-fetch-site': 'same-site' })).toBe('403 forbidden: cross-site requests are not allowed');
  });

  it('refuses a missing or wrong token with 401 and says where the right one is', () => {
    const say = '401 unauthorized: missing or wrong token: open the dashboard URL that `breakerboard serve` printed';
    expect(verdict({ authorization: undefined })).toBe(say);
    expect(verdict({ authorization: 'Bearer wrong-token-0123456789' })).toBe(say);
  });
});
