import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, ContractError, contractEvents, contractMethods } from '../../shared/contract';
import { CONTRACT_EXAMPLES } from '../../shared/contract/examples';
import { createCoreServices } from '../services/create-services';
import { createMemorySecretStore } from '../services/secret-store';
import { startControlServer, type ControlServer } from './control-server';
import { createSpyServices } from './testing/spy-services';

const TOKEN = 'test-token-0123456789abcdef';
let dir: string;
let server: ControlServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-control-'));
  await mkdir(join(dir, 'renderer', 'assets'), { recursive: true });
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'outside');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

type Call = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A raw request, so headers like Host and Origin are exactly what the test says. */
function call(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Call> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server!.port, path, method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const auth = { authorization: `Bearer ${TOKEN}` };
const json = (payload: unknown) => ({ headers: { ...auth, 'content-type': 'application/json' }, body: payload === undefined ? undefined : JSON.stringify(payload) });

describe('control server: the contract over HTTP', () => {
  it('wires every contract method to its service, with the payload as sent', async () => {
    const spy = createSpyServices();
    server = await startControlServer({ services: spy.api, rendererDir: join(dir, 'renderer'), token: TOKEN });
    for (const { service, method } of contractMethods) {
      const payload = CONTRACT_EXAMPLES[service][method]!.valid;
      const r = await call(`/api/${service}/${method}`, json(payload));
      expect(r.status, `${service}.${method}: ${r.body}`).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ ok: true, value: { echo: payload ?? null } });
    }
    expect(spy.calls.map((c) => `${c.service}.${c.method}`)).toEqual(contractMethods.map((m) => m.channel));
  });

  it('streams every contract event over SSE to a caller with the token', async () => {
    const spy = createSpyServices();
    server = await startControlServer({ services: spy.api, rendererDir: join(dir, 'renderer'), token: TOKEN });
    const res = await fetch(`${server.url}/api/events`, { headers: auth });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (const e of contractEvents) spy.emit(e.service, e.event, { n: e.channel });
    while (contractEvents.some((e) => !text.includes(`event: ${e.channel}\ndata: {"n":"${e.channel}"}`))) text += (await reader.read()).value ?? '';
    await reader.cancel();
    const refused = await fetch(`${server.url}/api/events`);
    expect(refused.status).toBe(401);
  });

  describe('refusals change nothing', () => {
    const start = async () => {
      const services = createCoreServices({ platform: 'serve', version: '0', cwd: dir, env: {}, secretStore: createMemorySecretStore() });
      server = await startControlServer({ services, rendererDir: join(dir, 'renderer'), token: TOKEN });
      const before = await services.workspace.current();
      const edit = { workspace: { ...before.workspace, backends: {} } };
      return { services, before, edit };
    };

    it('401 without the token or with a wrong one', async () => {
      const { services, before, edit } = await start();
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]) {
        const r = await call('/api/workspace/update', { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(edit) });
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toBe('Bearer');
        expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      }
      expect((await services.workspace.current()).revision).toBe(before.revision);
    });

    it('403 from another origin, a cross-site fetch or a foreign Host, even with the token', async () => {
      const { services, before, edit } = await start();
      for (const extra of [{ origin: 'http://evil.example' } as Record<string, string>, { origin: 'http://127.0.0.1:1' }, { 'sec-fetch-site': 'cross-site' }, { host: 'evil.example' }]) {
        const r = await call('/api/workspace/update', { headers: { ...json(edit).headers, ...extra }, body: JSON.stringify(edit) });
        expect(r.status, JSON.stringify(extra)).toBe(403);
        expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      const same = await call('/api/app/info', { headers: { ...auth, origin: `http://127.0.0.1:${server!.port}` } });
      expect(same.status).toBe(200);
      expect((await services.workspace.current()).revision).toBe(before.revision);
    });

    it('400 with the envelope for a bad payload, bad JSON or an unknown method; 413/415 for the body itself', async () => {
      const { services, before } = await start();
      const bad = await call('/api/workspace/update', json({ workspace: 'not a map' }));
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body)).toEqual({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('workspace.update: workspace:'), path: 'workspace' } });
      expect((await call('/api/workspace/update', { headers: { ...auth, 'content-type': 'application/json' }, body: '{nope' })).status).toBe(400);
      expect((await call('/api/workspace/update', { headers: { ...auth, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
      expect((await call('/api/workspace/nothing', json({}))).status).toBe(404);
      expect((await call('/api/workspace/current', { method: 'GET', headers: auth })).status).toBe(405);
      const huge = await call('/api/workspace/update', { headers: { ...auth, 'content-type': 'application/json' }, body: 'x'.repeat(7 * 1024 * 1024) });
      expect(huge.status).toBe(413);
      expect((await services.workspace.current()).revision).toBe(before.revision);
    });
  });

  it("a service's own refusal is a 200 carrying ok: false (no failed request in the browser's console)", async () => {
    const spy = createSpyServices();
    (spy.api.workspace as unknown as Record<string, () => Promise<never>>).save = async () => {
      throw new ContractError('needs-path', 'choose where to save the demo first');
    };
    server = await startControlServer({ services: spy.api, rendererDir: join(dir, 'renderer'), token: TOKEN });
    const r = await call('/api/workspace/save', json(CONTRACT_EXAMPLES.workspace.save!.valid));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'needs-path', message: 'choose where to save the demo first' } });
  });

  it('serves the built renderer with the CSP header, and nothing outside its folder', async () => {
    server = await startControlServer({ services: createSpyServices().api, rendererDir: join(dir, 'renderer'), token: TOKEN });
    const page = await call('/', { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-store');
    expect((await call('/assets/app.js', { method: 'GET' })).headers['content-type']).toMatch(/^text\/javascript/);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/missing.js']) {
      const r = await call(path, { method: 'GET' });
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('outside');
    }
    expect((await call('/', { method: 'DELETE' })).status).toBe(405);
  });

  it('listens on 127.0.0.1 only and prints the token in the fragment', async () => {
    server = await startControlServer({ services: createSpyServices().api, rendererDir: join(dir, 'renderer') });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.dashboardUrl).toBe(`${server.url}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
