import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApimError } from './errors';
import { all, armScope, call, checkEndpoint, connect, headerAuthPolicy } from './client';
import { staticTokenCredential } from './credential';
import { resolveTarget } from './session';

/*
 * The ARM connection's edges: which endpoints are accepted (and in which words they are refused), which token
 * audience is asked for, where a relative GET goes, and how a failed answer or a failed pager reads.
 */

const SUB = '11111111-2222-3333-4444-555555555555';
const credential = staticTokenCredential('tok-1234');

describe('checkEndpoint', () => {
  it('takes http only for the loopback names, in any case', () => {
    for (const ok of ['http://127.0.0.1', 'http://127.10.20.30:9', 'http://LOCALHOST:1', 'http://[::1]:2']) expect(checkEndpoint(ok).href).toBe(new URL(ok).href);
    for (const host of ['128.0.0.1', 'localhost.example.com', 'mylocalhost', '10.0.0.127', '127.0.0.1.nip.io']) {
      expect(() => checkEndpoint(`http://${host}`), host).toThrow(`--endpoint: plain http is accepted only for loopback hosts (127.0.0.1, localhost, ::1), not ${host}: use https`);
    }
  });

  it('refuses other schemes and non-URLs as input errors', () => {
    const scheme = (() => {
      try {
        checkEndpoint('ftp://x');
      } catch (e) {
        return e as ApimError;
      }
    })();
    expect(scheme).toBeInstanceOf(ApimError);
    expect(scheme).toMatchObject({ code: 'input', message: '--endpoint: "ftp://x" must be an https URL' });
    expect(() => checkEndpoint('nope')).toThrow('--endpoint: "nope" is not a URL (e.g. https://management.azure.com)');
  });
});

describe('armScope', () => {
  it("asks a sovereign cloud's management host for its own audience, anything else for public ARM", () => {
    expect(armScope(new URL('https://Management.usgovcloudapi.net/'))).toBe('https://management.usgovcloudapi.net/.default');
    expect(armScope(new URL('https://arm.example.com'))).toBe('https://management.azure.com/.default');
    expect(armScope(new URL('https://my.management.example.com'))).toBe('https://management.azure.com/.default');
    expect(armScope(new URL('http://management.localhost'))).toBe('https://management.azure.com/.default');
  });
});

describe('resolveTarget', () => {
  it('names every missing flag, one or several', () => {
    expect(() => resolveTarget({})).toThrow('--subscription, --resource-group, --service are required (or set target: in the workspace)');
    expect(() => resolveTarget({ subscription: SUB, service: 's' })).toThrow('--resource-group is required (or set target: in the workspace)');
    const e = (() => {
      try {
        resolveTarget({ subscription: SUB, resourceGroup: 'rg' });
      } catch (x) {
        return x as ApimError;
      }
    })();
    expect(e).toMatchObject({ code: 'usage', message: '--service is required (or set target: in the workspace)' });
  });

  it('takes flags over the workspace, the workspace endpoint over the default, and wants a GUID', () => {
    const ws = { subscription: SUB, resourceGroup: 'rg', service: 'svc', endpoint: 'http://127.0.0.1:9' };
    expect(resolveTarget({ resourceGroup: 'rg2' }, ws)).toEqual({ subscription: SUB, resourceGroup: 'rg2', service: 'svc', endpoint: 'http://127.0.0.1:9' });
    expect(resolveTarget({ endpoint: 'https://e.example' }, ws).endpoint).toBe('https://e.example');
    expect(() => resolveTarget({ subscription: `${SUB}0`, resourceGroup: 'r', service: 's' })).toThrow(`--subscription: "${SUB}0" is not a subscription id (a GUID)`);
    expect(() => resolveTarget({ subscription: `x${SUB}`, resourceGroup: 'r', service: 's' })).toThrow(/is not a subscription id/);
    expect(resolveTarget({ subscription: SUB.toUpperCase(), resourceGroup: 'r', service: 's' }).subscription).toBe(SUB.toUpperCase());
  });
});

describe('connect and getJson against a local server', () => {
  let server: Server;
  let base = '';
  const seen: { url: string; auth?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      if (req.url?.includes('/fail')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'gone' } }));
      } else if (req.url?.includes('/empty')) {
        res.writeHead(200).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('drops a trailing slash but keeps a path prefix, and signs plain-http requests with the bearer token', async () => {
    const conn = connect(SUB, { credential, endpoint: `${base}/prefix/`, retry: { maxRetries: 0 } });
    expect(conn.endpoint).toBe(`${base}/prefix`);
    expect(conn.insecure).toBe(true);
    expect(await conn.getJson('/subscriptions?api-version=1', 'the subscriptions')).toEqual({ path: '/prefix/subscriptions?api-version=1' });
    expect(seen.at(-1)).toEqual({ url: '/prefix/subscriptions?api-version=1', auth: 'Bearer tok-1234' });
    // An absolute URL (a next page link) is followed as it is.
    expect(await conn.getJson(`${base}/elsewhere`, 'the next page')).toEqual({ path: '/elsewhere' });
    expect(await conn.getJson('/empty', 'nothing')).toBeUndefined();
  });

  it('an https endpoint is not insecure', () => {
    expect(connect(SUB, { credential, endpoint: 'https://management.azure.com' }).insecure).toBe(false);
    expect(connect(SUB, { credential }).endpoint).toBe('https://management.azure.com');
  });

  it('a failed answer is an ApimError naming what was read', async () => {
    const conn = connect(SUB, { credential, endpoint: base, retry: { maxRetries: 0 } });
    await expect(conn.getJson('/fail', 'the resource groups')).rejects.toMatchObject({ code: 'not-found', message: 'the resource groups was not found (404): check --subscription, --resource-group and --service' });
  });

  it('a refused connection is a read that changed nothing', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const conn = connect(SUB, { credential, endpoint: `http://127.0.0.1:${port}`, retry: { maxRetries: 0 } });
    await expect(conn.getJson('/x', 'the subscriptions')).rejects.toMatchObject({ code: 'network', ambiguous: false });
  });
});

describe('headerAuthPolicy, call and all', () => {
  it('refuses to send without a token', async () => {
    const policy = headerAuthPolicy({ getToken: async () => null }, 'scope');
    expect(policy.name).toBe('breakerboardLoopbackBearer');
    await expect(policy.sendRequest({ headers: new Map() } as never, async () => ({}) as never)).rejects.toMatchObject({ code: 'sign-in', message: 'not signed in to Azure: run `az login` (or set AZURE_ACCESS_TOKEN)' });
  });

  it('call words a failure with what and whether it was a write', async () => {
    await expect(call('x', 'https://e', async () => 5)).resolves.toBe(5);
    await expect(call('pool p', 'https://e', () => Promise.reject({ code: 'ECONNRESET' }), true)).rejects.toMatchObject({ ambiguous: true, message: 'pool p: the connection to https://e failed (ECONNRESET); the change may or may not have been made' });
    await expect(call('pool p', 'https://e', () => Promise.reject({ code: 'ECONNRESET' }))).rejects.toMatchObject({ ambiguous: false });
  });

  it('all collects every item, and a failing page is a read error', async () => {
    async function* pages() {
      yield 1;
      yield 2;
    }
    expect(await all('items', 'https://e', pages())).toEqual([1, 2]);
    async function* broken() {
      yield 1;
      throw { statusCode: 404 };
    }
    await expect(all('the backends', 'https://e', broken())).rejects.toMatchObject({ code: 'not-found', ambiguous: false });
  });
});
