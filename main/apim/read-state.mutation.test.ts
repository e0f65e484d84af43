import { createHttpHeaders, type PipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { PREVIEW_API_VERSION, STABLE_API_VERSION } from '../../shared/deploy';
import type { ArmConnection } from './client';
import { readActualState, readApi, readBackend, readNamedValue, readNamedValueValue, readPolicy } from './read-state';
import { readSnapshot } from './resource-ops';

/*
 * What a read of the service keeps and how a failed read is worded. The SDK is a stand-in object here (each
 * method answers or fails as ARM would: a RestError carries `statusCode`), so every failure path is cheap to
 * reach; the wire format itself is covered against the ARM emulator in test/apim-*.test.ts.
 */

const T = { subscription: 'sub', resourceGroup: 'rg', service: 'svc' };
const SVC = 'service svc (resource group rg)';
const IN = `in ${SVC}`;
const fail500 = () => Promise.reject({ statusCode: 500 });
const fail404 = () => Promise.reject({ statusCode: 404 });
/** `what` names the resource; `of` joins it to the service ("in" for one resource, "of" for a list). */
const failed = (what: string, of = 'in') => ({ code: 'service', status: 500, message: `${what} ${of} ${SVC}: the service failed while reading it (500)` });

async function* pager<T>(items: T[], broken = false): AsyncGenerator<T> {
  for (const i of items) yield i;
  if (broken) throw { statusCode: 500 };
}

/** The SDK's operation groups (or `sendRequest`) this read uses. */
type Sdk = Record<string, unknown>;
const conn = (sdk: Sdk) => ({ sdk, endpoint: 'https://arm.test', insecure: false, getJson: async () => undefined }) as unknown as ArmConnection;

/** A raw-JSON answer as the pipeline returns it. */
const answer = (request: PipelineRequest, status: number, body?: unknown) => ({
  request,
  status,
  headers: createHttpHeaders(status < 300 ? { etag: '"e1"' } : {}),
  bodyAsText: body === undefined ? undefined : JSON.stringify(body),
});

describe('readBackend', () => {
  const versions: string[] = [];
  /** Answers the preview api-version with `preview`, the stable one with the backend. */
  const backendConn = (preview: number, message: string) =>
    conn({
      sendRequest: async (r: PipelineRequest) => {
        const v = new URL(r.url).searchParams.get('api-version')!;
        versions.push(v);
        return v === PREVIEW_API_VERSION ? answer(r, preview, { error: { code: 'X', message } }) : answer(r, 200, { properties: { url: 'https://b' } });
      },
    });

  it('falls back to the stable api-version only when the preview one is refused as an unknown api-version (400)', async () => {
    versions.length = 0;
    const refused = backendConn(400, "The api-version '2024-10-01-preview' is invalid. InvalidApiVersionParameter");
    expect(await readBackend(refused, T, 'b1')).toEqual({ id: 'b1', properties: { url: 'https://b' }, etag: '"e1"' });
    expect(versions).toEqual([PREVIEW_API_VERSION, STABLE_API_VERSION]);
  });

  it('any other failure of the preview read is the error, worded for the backend', async () => {
    versions.length = 0;
    await expect(readBackend(backendConn(400, 'properties.url is not valid'), T, 'b1')).rejects.toMatchObject({
      code: 'rejected',
      message: `APIM rejected backend 'b1' ${IN}: properties.url is not valid`,
    });
    await expect(readBackend(backendConn(500, 'api-version store is down'), T, 'b1')).rejects.toMatchObject({
      code: 'service',
      message: `backend 'b1' ${IN}: the service failed while reading it (500: api-version store is down)`,
    });
    expect(versions).toEqual([PREVIEW_API_VERSION, PREVIEW_API_VERSION]);
  });
});

describe('readNamedValue and its value', () => {
  it('a missing named value is undefined; any other failure names it', async () => {
    expect(await readNamedValue(conn({ namedValue: { get: fail404 } }), T, 'nv')).toBeUndefined();
    await expect(readNamedValue(conn({ namedValue: { get: fail500 } }), T, 'nv')).rejects.toMatchObject(failed("named value 'nv'"));
    await expect(readNamedValueValue(conn({ namedValue: { listValue: fail500 } }), T, 'nv')).rejects.toMatchObject(failed("the value of named value 'nv'"));
  });

  it("a snapshot for rollback keeps the named value's tags, and leaves out an empty list", async () => {
    const nv = (tags?: string[]) =>
      conn({ namedValue: { get: async () => ({ displayName: 'NV', secret: false, tags, eTag: '"n1"' }), listValue: async () => ({ value: 'v' }) } });
    expect(await readSnapshot(nv(['team-a', 'aoai']), T, { kind: 'namedValue', id: 'nv' })).toEqual({
      exists: true,
      etag: '"n1"',
      body: { displayName: 'NV', secret: false, tags: ['team-a', 'aoai'] },
      value: 'v',
    });
    expect((await readSnapshot(nv([]), T, { kind: 'namedValue', id: 'nv' })).body).toEqual({ displayName: 'NV', secret: false });
  });
});

describe('readPolicy', () => {
  const policyConn = (value: unknown[]) => conn({ apiPolicy: { getEntityTag: async () => ({ eTag: '"p1"' }), listByApi: async () => ({ value }) } });

  it("takes the entry named 'policy' wherever it is in the list, else the first one", async () => {
    const other = { name: 'other', value: '<other/>', format: 'xml' };
    expect(await readPolicy(policyConn([other, { name: 'policy', value: '<policies/>', format: 'rawxml' }]), T, 'a')).toEqual({ xml: '<policies/>', format: 'rawxml', etag: '"p1"' });
    expect(await readPolicy(policyConn([other]), T, 'a')).toEqual({ xml: '<other/>', format: 'xml', etag: '"p1"' });
    expect(await readPolicy(policyConn([]), T, 'a')).toBeUndefined();
  });

  it('an entry without value or format reads as an empty xml policy', async () => {
    expect(await readPolicy(policyConn([{ name: 'policy' }]), T, 'a')).toEqual({ xml: '', format: 'xml', etag: '"p1"' });
  });

  it('no policy (404 on its ETag) is undefined; any other failure names the policy', async () => {
    const listByApi = () => Promise.reject(new Error('must not list'));
    expect(await readPolicy(conn({ apiPolicy: { getEntityTag: fail404, listByApi } }), T, 'a')).toBeUndefined();
    await expect(readPolicy(conn({ apiPolicy: { getEntityTag: fail500, listByApi } }), T, 'a')).rejects.toMatchObject(failed("the policy of api 'a'"));
  });
});

describe('readApi', () => {
  const apiPolicy = { getEntityTag: fail404 };

  it('an API without a path reads as the empty path', async () => {
    expect(await readApi(conn({ api: { get: async () => ({}) }, apiPolicy }), T, 'a')).toEqual({ id: 'a', path: '', policy: undefined });
  });

  it("a missing API is undefined; its own failure names the API, its policy's failure names the policy", async () => {
    expect(await readApi(conn({ api: { get: fail404 }, apiPolicy }), T, 'a')).toBeUndefined();
    await expect(readApi(conn({ api: { get: fail500 }, apiPolicy }), T, 'a')).rejects.toMatchObject(failed("api 'a'"));
    const policyDown = { getEntityTag: fail500 };
    await expect(readApi(conn({ api: { get: async () => ({ path: 'p' }) }, apiPolicy: policyDown }), T, 'a')).rejects.toMatchObject(failed("the policy of api 'a'"));
  });
});

describe('readActualState', () => {
  /** A service with APIs a and b (a has a policy-less API and three operations, two of them incomplete). */
  const service = (over: Sdk = {}, svc: unknown = { sku: { name: 'Developer' } }) =>
    conn({
      apiManagementService: { get: async () => svc },
      backend: { listByService: () => pager([]) },
      namedValue: { listByService: () => pager([]) },
      api: { listByService: () => pager([{ name: 'a' }, { name: 'b' }]), get: async () => ({ path: 'p' }) },
      apiPolicy: { getEntityTag: fail404 },
      apiOperation: {
        listByApi: () =>
          pager([
            { method: 'POST', urlTemplate: '/chat' },
            { method: 'GET', urlTemplate: undefined },
            { method: undefined, urlTemplate: '/x' },
          ]),
      },
      ...over,
    });

  it("for import ('all') reads every API with its complete operations; for a deploy only the named APIs, without operations", async () => {
    const all = await readActualState(service(), T, 'all');
    expect(all.sku).toBe('Developer');
    expect([...all.apis.keys()]).toEqual(['a', 'b']);
    expect(all.apis.get('a')!.operations).toEqual([{ method: 'POST', urlTemplate: '/chat' }]);
    const some = await readActualState(service(), T, ['b']);
    expect([...some.apis.values()]).toEqual([{ id: 'b', path: 'p', policy: undefined }]);
  });

  it('a service without a sku reads as no sku', async () => {
    expect((await readActualState(service({}, {}), T, [])).sku).toBeUndefined();
  });

  it('a failing list names what was listed', async () => {
    const broken = () => pager([], true);
    await expect(readActualState(service({ backend: { listByService: broken } }), T, [])).rejects.toMatchObject(failed('the backends', 'of'));
    await expect(readActualState(service({ namedValue: { listByService: broken } }), T, [])).rejects.toMatchObject(failed('the named values', 'of'));
    await expect(readActualState(service({ api: { listByService: broken } }), T, 'all')).rejects.toMatchObject(failed('the APIs', 'of'));
    await expect(readActualState(service({ apiOperation: { listByApi: broken } }), T, 'all')).rejects.toMatchObject(failed("the operations of api 'a'"));
  });
});
