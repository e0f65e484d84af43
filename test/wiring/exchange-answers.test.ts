import { request, type IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { validateWorkspace } from '../../shared/model';
import { accessLogTap } from './access-log-tap';
import { closeRigs, rule, startRig } from './gateway-rig';
import { response, startRawUpstream, type RawUpstream } from './raw-upstream';

/*
 * What the client gets back from the real gateway (issue 19 item 7, the exchange's survivors in
 * docs/mutation-survivors.md): which of a backend's response headers pass, a body cut after the headers, and the
 * gateway's own error answers with their texts, counters and access-log codes.
 */
const raws: RawUpstream[] = [];
afterEach(async () => {
  await closeRigs();
  for (const u of raws.splice(0)) await u.close();
});

const CHAT = '/openai/deployments/gpt-4o/chat/completions';
const USAGE = '{"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}}';

type Got = { status: number; headers: IncomingHttpHeaders; body: string; complete: boolean };

/** A POST with node's client, which shows what arrived before a cut; `beforeBody` runs once the gateway sent 100 Continue. */
function post(url: string, beforeBody?: () => void): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 2, ...(beforeBody ? { expect: '100-continue' } : {}) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('error', () => undefined); // a cut answer: `complete` says so
      res.on('close', () => resolve({ status: res.statusCode!, headers: res.headers, body, complete: res.complete }));
    });
    req.on('error', reject);
    if (!beforeBody) return req.end('{}');
    req.on('continue', () => {
      beforeBody();
      req.end('{}');
    });
  });
}

/** Backend a (with `backend` settings) behind API `openai` (with `api` settings). */
const single = (url: string, api: object = {}, backend: object = {}) => ({ backends: { a: { url, ...backend } }, apis: { 'azure-openai': { path: 'openai', backend: 'a', ...api } } });

describe("the backend's answer as the client gets it", () => {
  it("drops hop-by-hop headers, the headers a Connection header names and the backend's x-breakerboard-*; keeps the rest and reads Content-Type", async () => {
    const first = response('200 OK', [['Content-Type', 'application/json'], ['Connection', 'keep-alive, X-Drop'], ['X-Drop', '1'], ['X-Kept', 'yes'], ['X-Breakerboard-Backend', 'forged'], ['Proxy-Authenticate', 'Basic realm="x"']], USAGE);
    const second = response('200 OK', [['Connection', 'X-Drop-Too, close'], ['X-Drop-Too', '1'], ['Content-Type', 'text/plain']], 'bye');
    const up = await startRawUpstream((n) => (n === 0 ? { bytes: first, then: 'keep' } : { bytes: second, then: 'end' }));
    raws.push(up);
    const r = await startRig([], () => single(up.url));
    const one = await r.chat();
    expect([one.status, one.body, one.backend, one.headers.get('x-kept'), one.headers.get('content-type')]).toEqual([200, USAGE, 'a', 'yes', 'application/json']);
    expect([one.headers.get('x-drop'), one.headers.get('proxy-authenticate')]).toEqual([null, null]);
    const two = await r.chat();
    expect([two.status, two.body, two.headers.get('x-drop-too')]).toEqual([200, 'bye', null]);
    // The JSON answer's usage was read because its Content-Type was; the text/plain one has none.
    expect(r.gw.status().backends.a!.tokens).toEqual({ prompt: 11, completion: 7 });
  });

  it('a body cut after the headers: the client gets the status and what was held back, then the cut; logged BodyError', async () => {
    const up = await startRawUpstream(() => ({ bytes: response('200 OK', [['Content-Type', 'application/json'], ['Content-Length', '100']], '{"partial":'), then: 'end' }));
    raws.push(up);
    const log = accessLogTap();
    const r = await startRig([], () => single(up.url), { accessLog: log.write });
    expect(await post(r.gw.url + CHAT)).toMatchObject({ status: 200, body: '{"partial":', complete: false });
    expect(await log.logged(1)).toMatchObject([{ status: 200, code: 'BodyError', backend: 'a', attempts: 1 }]);
    expect(r.gw.status().backends.a).toMatchObject({ requests: 1, failures: 1, failuresByReason: { 'body-error': 1 }, inFlight: 0 });
  });
});

describe("the gateway's own error answers", () => {
  it('NoHealthyBackend names the pool or the backend, after a retry names the backend tried; a refused connection names its code', async () => {
    const log = accessLogTap();
    const r = await startRig(
      ['a', 'refused:c'],
      (u) => ({
        backends: { a: { url: u.a, circuitBreaker: rule() }, c: { url: u.c } },
        pools: { p: { services: [{ backend: 'a' }] } },
        apis: { 'azure-openai': { path: 'openai', backend: 'p', retry: { count: 1, on: [429] } }, direct: { path: 'direct', backend: 'a' }, dead: { path: 'dead', backend: 'c' } },
      }),
      { accessLog: log.write },
    );
    r.backends.a!.behave({ kind: 'status', status: 429 });
    const pool = await r.chat();
    expect(pool).toMatchObject({ status: 503, code: 'NoHealthyBackend', backend: 'a', attempts: '1' });
    expect([JSON.parse(pool.body).error.message, pool.headers.get('retry-after')]).toEqual(['every member of pool p is open; retry in 60 s', '60']);
    // The 429 that tripped a was counted once, at its status line; the 503 replaced it, nothing more happened to it.
    expect(r.gw.status().backends.a).toMatchObject({ requests: 1, failures: 1, failuresByReason: { status: 1 }, inFlight: 0 });
    expect(r.gw.status().backends.a!.failuresByReason).toEqual({ status: 1 });
    const direct = await r.chat({ path: 'direct' });
    expect(direct).toMatchObject({ status: 503, code: 'NoHealthyBackend', backend: null, attempts: '0' });
    expect(JSON.parse(direct.body).error.message).toBe('backend a is open; retry in 60 s');
    const dead = await r.chat({ path: 'dead' });
    expect(dead).toMatchObject({ status: 502, code: 'BackendUnavailable', backend: 'c', attempts: '1' });
    expect(JSON.parse(dead.body).error.message).toBe('backend c gave no response (ECONNREFUSED)');
    expect(r.gw.status().gatewayErrors).toEqual({ NoHealthyBackend: 2, BackendUnavailable: 1 });
    expect((await log.logged(3)).map((e) => [e.status, e.code])).toEqual([
      [503, 'NoHealthyBackend'],
      [503, 'NoHealthyBackend'],
      [502, 'BackendUnavailable'],
    ]);
  });

  it('a managed-identity token that cannot be had: 502 BackendUnavailable with the first line of the reason; the next token is used', async () => {
    let calls = 0;
    const r = await startRig(['a'], (u) => single(u.a!, {}, { auth: { type: 'managed-identity' } }), {
      tokenCredential: () => ({
        getToken: () => (++calls === 1 ? Promise.reject(new Error('AADSTS7000215: Invalid client secret provided.\nTrace ID: 1')) : Promise.resolve({ token: 'tok', expiresOnTimestamp: r.clock.t + 3_600_000 })),
      }),
    });
    const failed = await r.chat();
    expect(failed).toMatchObject({ status: 502, code: 'BackendUnavailable', backend: 'a', attempts: '1' });
    expect(JSON.parse(failed.body).error.message).toBe('could not get a token for a: AADSTS7000215: Invalid client secret provided.');
    expect([r.calls().a, r.gw.status().gatewayErrors]).toEqual([0, { BackendUnavailable: 1 }]);
    expect(await r.chat()).toMatchObject({ status: 200, backend: 'a' });
    expect(r.backends.a!.received.map((q) => q.headers.authorization)).toEqual(['Bearer tok']);
  });

  it('a client cut while its token is fetched: logged as 499 at once; the token that arrives later is not used for it', async () => {
    const log = accessLogTap();
    let asked!: () => void;
    let release!: (t: { token: string; expiresOnTimestamp: number }) => void;
    const askedFor = new Promise<void>((resolve) => (asked = resolve));
    const r = await startRig(['a'], (u) => single(u.a!, {}, { auth: { type: 'managed-identity' } }), {
      tokenCredential: () => ({
        getToken: () => {
          asked();
          return new Promise((resolve) => (release = resolve));
        },
      }),
      accessLog: log.write,
    });
    const pending = r.chat().then(
      () => 'answered',
      () => 'cut',
    );
    await askedFor;
    // Closing the gateway cuts the waiting client; once close() resolves, the exchange has seen its client leave.
    await r.gw.close();
    expect(await pending).toBe('cut');
    // Without a try in flight nothing else would end the exchange: the cut itself logs and counts it.
    expect((await log.logged(1)).map((e) => [e.status, e.code, e.backend, e.attempts])).toEqual([[499, 'ClientClosedRequest', 'a', 1]]);
    release({ token: 'late', expiresOnTimestamp: r.clock.t + 3_600_000 });
    await new Promise((resolve) => setImmediate(resolve));
    expect([r.calls().a, r.gw.status().backends.a!.failuresByReason, r.gw.status().backends.a!.inFlight, log.entries.length]).toEqual([0, {}, 0, 1]);
  });

  it('a client that leaves while its body is still being buffered (the API retries): logged as 499, no backend called', async () => {
    const log = accessLogTap();
    const r = await startRig(['a'], (u) => single(u.a!, { retry: { count: 1, on: [429] } }), { accessLog: log.write });
    const req = request(r.gw.url + CHAT, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 100, expect: '100-continue' } });
    req.on('error', () => undefined);
    // Half the body once the gateway asked for it, then the client is gone.
    req.on('continue', () => req.write('{"messages":', () => req.destroy()));
    expect((await log.logged(1)).map((e) => [e.status, e.code, e.backend, e.attempts])).toEqual([[499, 'ClientClosedRequest', null, 0]]);
    expect([r.calls().a, log.entries.length]).toEqual([0, 1]);
  });

  it('a try at a backend a reload removed while the body was read: 502 "not configured", no backend named, attempts 0', async () => {
    const r = await startRig(['a', 'b'], (u) => ({ backends: { a: { url: u.a }, b: { url: u.b } }, apis: { 'azure-openai': { path: 'openai', backend: 'a', retry: { count: 1, on: [429] } } } }));
    const next = validateWorkspace({ version: 1, backends: { b: { url: r.backends.b!.url } }, apis: { 'azure-openai': { path: 'openai', backend: 'b' } } });
    if (!next.ok) throw new Error(JSON.stringify(next.errors));
    const got = await post(r.gw.url + CHAT, () => r.gw.reload(next.workspace));
    expect(got).toMatchObject({ status: 502, headers: { 'x-breakerboard-backend': '', 'x-breakerboard-attempts': '0' } });
    expect(JSON.parse(got.body)).toEqual({ error: { code: 'BackendUnavailable', message: 'backend a is not configured' } });
    expect([r.calls(), r.gw.status().gatewayErrors]).toEqual([{ a: 0, b: 0 }, { BackendUnavailable: 1 }]);
  });

  it('an undeclared operation: 404 OperationNotFound naming method, path and API; counted and logged with nothing called', async () => {
    const log = accessLogTap();
    const r = await startRig(['a'], (u) => single(u.a!, { operations: [{ method: 'POST', urlTemplate: '/deployments/{id}/chat/completions' }] }), { accessLog: log.write });
    const got = await r.chat({ rest: '/deployments/d/embeddings?api-version=2024-10-21' });
    expect([got.status, JSON.parse(got.body)]).toEqual([
      404,
      { error: { code: 'OperationNotFound', message: 'Unable to match incoming request to an operation (POST /openai/deployments/d/embeddings, API azure-openai).' } },
    ]);
    expect([r.calls().a, r.gw.status().gatewayErrors]).toEqual([0, { OperationNotFound: 1 }]);
    expect(await log.logged(1)).toEqual([
      { at: r.clock.iso(), method: 'POST', path: '/openai/deployments/d/embeddings?api-version=2024-10-21', api: 'azure-openai', status: 404, backend: null, attempts: 0, ms: 0, code: 'OperationNotFound' },
    ]);
  });
});
