import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armJson } from './arm-json';
import { checkEndpoint, connect } from './client';
import { describeArmError, describeSignInError } from './errors';

/*
 * What goes over the wire to ARM and how its answers read: the raw-JSON requests' headers, which failed answers
 * are errors (and whether they were reads or writes), how the ARM connection signs its requests (the SDK's
 * bearer policy for https, ours for loopback http, a fresh token on each try), and a refused or throttled GET's
 * words. Against a local server on 127.0.0.1; the https case stops the request after signing, before any network.
 */

const SUB = '11111111-2222-3333-4444-555555555555';
const T = 'the backend b';

/** A credential that records every scope it is asked for. */
function recordingCredential(): TokenCredential & { asked: unknown[] } {
  const asked: unknown[] = [];
  return { asked, getToken: async (scopes) => (asked.push(scopes), { token: `tok-${asked.length}`, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

describe('against a local ARM stand-in', () => {
  let server: Server;
  let base = '';
  const seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let flaky = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        const json = (status: number, b: unknown, h: Record<string, string> = {}) =>
          res.writeHead(status, { 'content-type': 'application/json', ...h }).end(JSON.stringify(b));
        const path = req.url ?? '';
        if (path.startsWith('/s500')) json(500, { error: { message: 'backend store down' } });
        else if (path.startsWith('/s404')) json(404, { error: { message: 'gone' } });
        else if (path.startsWith('/s400')) json(400, { error: { message: 'Bad request', details: [{ target: 'properties.url', message: 'not a URL' }] } });
        else if (path.startsWith('/s429')) json(429, { error: { message: 'slow down' } }, { 'retry-after': '7' });
        else if (path.startsWith('/flaky') && flaky++ === 0) json(503, { error: { message: 'busy' } });
        else json(200, { path }, { etag: '"e9"' });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const conn = (credential: TokenCredential = recordingCredential(), maxRetries = 0) =>
    connect(SUB, { credential, endpoint: base, retry: { maxRetries, retryDelayInMs: 1, maxRetryDelayInMs: 1 } });

  describe('armJson', () => {
    it('asks for JSON, and says a body is JSON only when it sends one', async () => {
      const c = conn();
      expect(await armJson(c, '/b', { method: 'GET', apiVersion: 'v1', what: T })).toEqual({ status: 200, etag: '"e9"', body: { path: '/b?api-version=v1' } });
      expect(seen.at(-1)!.headers.accept).toBe('application/json');
      expect(seen.at(-1)!.headers['content-type']).toBeUndefined();
      await armJson(c, '/b', { method: 'PUT', apiVersion: 'v1', what: T, body: { properties: { url: 'https://x' } }, ifMatch: '"e1"' });
      expect(seen.at(-1)).toMatchObject({ method: 'PUT', body: '{"properties":{"url":"https://x"}}' });
      expect(seen.at(-1)!.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json; charset=utf-8', 'if-match': '"e1"' });
      await armJson(c, '/b', { method: 'DELETE', apiVersion: 'v1', what: T });
      expect(seen.at(-1)!.headers['content-type']).toBeUndefined();
    });

    it('a failed GET was a read (nothing changed), a failed PUT a write that may have landed', async () => {
      const c = conn();
      await expect(armJson(c, '/s500', { method: 'GET', apiVersion: 'v1', what: T })).rejects.toMatchObject({
        ambiguous: false,
        message: `${T}: the service failed while reading it (500: backend store down)`,
      });
      await expect(armJson(c, '/s500', { method: 'PUT', apiVersion: 'v1', what: T, body: {} })).rejects.toMatchObject({
        ambiguous: true,
        message: `${T}: the service failed while writing it (500: backend store down)`,
      });
    });

    it('404 is an answer to a GET (absent), but an error for a DELETE', async () => {
      const c = conn();
      expect(await armJson(c, '/s404', { method: 'GET', apiVersion: 'v1', what: T })).toEqual({ status: 404 });
      await expect(armJson(c, '/s404', { method: 'DELETE', apiVersion: 'v1', what: T })).rejects.toMatchObject({ code: 'not-found', status: 404 });
    });
  });

  describe('connect', () => {
    it('signs each try afresh on loopback http (a retry after a wait does not reuse the first token)', async () => {
      const credential = recordingCredential();
      flaky = 0;
      expect(await conn(credential, 1).getJson('/flaky', T)).toEqual({ path: '/flaky' });
      expect(credential.asked).toEqual(['https://management.azure.com/.default', 'https://management.azure.com/.default']);
      expect(seen.slice(-2).map((s) => s.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    });

    it("a relative path is the endpoint's even when its query holds a URL", async () => {
      expect(await conn().getJson('/subscriptions?next=https://elsewhere/x', T)).toEqual({ path: '/subscriptions?next=https://elsewhere/x' });
    });

    it("a refused or throttled GET reads with the service's words and its Retry-After", async () => {
      await expect(conn().getJson('/s400', T)).rejects.toMatchObject({ code: 'rejected', message: `APIM rejected ${T}: Bad request: properties.url: not a URL` });
      await expect(conn().getJson('/s429', T)).rejects.toMatchObject({ code: 'throttled', retryAfter: 7, message: `${T}: Azure is throttling requests (429), retry after 7 s` });
    });
  });
});

describe('connect to https', () => {
  it("uses the SDK's bearer policy with the ARM audience: one token for several requests", async () => {
    const credential = recordingCredential();
    const c = connect(SUB, { credential, endpoint: 'https://management.azure.com' });
    const auth: (string | undefined)[] = [];
    // Stands in for the network, after the request is signed.
    c.sdk.pipeline.addPolicy({ name: 'answer', sendRequest: async (request) => (auth.push(request.headers.get('authorization')), { request, status: 200, headers: createHttpHeaders(), bodyAsText: '{"ok":1}' }) }, { afterPhase: 'Sign' });
    expect(await c.getJson('/subscriptions', T)).toEqual({ ok: 1 });
    expect(await c.getJson('/tenants', T)).toEqual({ ok: 1 });
    expect(credential.asked).toEqual([['https://management.azure.com/.default']]);
    expect(auth).toEqual(['Bearer tok-1', 'Bearer tok-1']);
  });
});

describe('edges of the words', () => {
  it('refuses a non-http scheme even for a loopback host', () => {
    expect(() => checkEndpoint('ftp://localhost')).toThrow('--endpoint: "ftp://localhost" must be an https URL');
  });

  it("a sign-in that fails with no reason at all still reads as a sign-in failure", () => {
    expect(describeSignInError(null)).toMatchObject({ code: 'sign-in', message: 'sign-in failed: null; run `az login` (or set AZURE_ACCESS_TOKEN to a valid ARM token)' });
  });

  it("a conflict drops only the service message's final full stop", () => {
    const e = { statusCode: 409, response: { bodyAsText: JSON.stringify({ error: { message: 'Operation on api v1.2 is in progress.' } }) } };
    expect(describeArmError(e, T).message).toBe(`${T}: conflict (409): Operation on api v1.2 is in progress; try again shortly`);
  });
});
