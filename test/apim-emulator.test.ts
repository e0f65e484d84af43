import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, listApis, listResourceGroups, listServices, listSubscriptions, staticTokenCredential } from '../main/apim';
import { apimSpecMissing } from './support/apim-spec';
import { RG, startDeployFixture, SUB, SVC, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * The ARM emulator itself, driven through the real @azure/arm-apimanagement SDK: what a deploy test relies on
 * must behave as APIM does (ETags, If-Match, paging, rejections with APIM's error shape, faults).
 */

if (apimSpecMissing) console.warn(`skipping ARM emulator tests: ${apimSpecMissing}`);

const full = (id: string) => `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SVC}/backends/${id}`;
const single = { url: 'https://a.openai.azure.com/openai', protocol: 'http' };

async function restError(p: Promise<unknown>): Promise<{ statusCode?: number; code?: string; body: { error: { code: string; message: string; details?: { target: string; message: string }[] } } }> {
  try {
    await p;
  } catch (e) {
    const r = e as { statusCode?: number; code?: string; response?: { bodyAsText?: string } };
    return { statusCode: r.statusCode, code: r.code, body: JSON.parse(r.response?.bodyAsText ?? '{}') };
  }
  throw new Error('expected the call to fail');
}

describe.skipIf(Boolean(apimSpecMissing))('ARM emulator through the APIM SDK', () => {
  let f: DeployFixture;
  beforeEach(async () => {
    f = await startDeployFixture({ pageSize: 2 });
  });
  afterEach(() => f.em.close());
  const be = () => f.conn.sdk.backend;

  it('lists subscriptions, resource groups, services and APIs, following nextLink', async () => {
    f.em.state.addService(SUB, 'rg-two', 'other-apim');
    f.em.state.addResourceGroup(SUB, 'rg-three');
    for (const id of ['a1', 'a2', 'a3']) f.em.state.addApi(f.svc, id);
    expect((await listSubscriptions(f.conn)).map((s) => s.id)).toEqual([SUB]);
    expect(await listResourceGroups(f.conn, SUB)).toEqual([RG, 'rg-two', 'rg-three']);
    expect((await listServices(f.conn)).map((s) => `${s.resourceGroup}/${s.name}`)).toEqual([`${RG}/${SVC}`, 'rg-two/other-apim']);
    expect((await listServices(f.conn, 'rg-two')).map((s) => s.name)).toEqual(['other-apim']);
    expect((await listApis(f.conn, RG, SVC)).map((a) => a.id)).toEqual(['azure-openai', 'a1', 'a2', 'a3']);
    expect(f.em.requests.filter((r) => r.path.endsWith('/apis') && r.method === 'GET')).toHaveLength(2);
  });

  it('keeps ETags: PUT with a stale If-Match is 412, PATCH and DELETE need If-Match, HEAD answers the ETag', async () => {
    const created = await be().createOrUpdate(RG, SVC, 'a', single);
    expect(created.eTag).toMatch(/^".+"$/);
    const head = await be().getEntityTag(RG, SVC, 'a');
    expect(head.eTag).toBe(created.eTag);
    const updated = await be().createOrUpdate(RG, SVC, 'a', { ...single, title: 'x' }, { ifMatch: created.eTag });
    expect(updated.eTag).not.toBe(created.eTag);
    const stale = await restError(be().createOrUpdate(RG, SVC, 'a', single, { ifMatch: created.eTag }));
    expect(stale.statusCode).toBe(412);
    expect(stale.body.error.code).toBe('PreconditionFailed');
    const patched = await be().update(RG, SVC, 'a', updated.eTag!, { description: 'patched' });
    expect(patched.description).toBe('patched');
    expect((await restError(be().delete(RG, SVC, 'a', updated.eTag!))).statusCode).toBe(412);
    await be().delete(RG, SVC, 'a', patched.eTag!);
    expect((await restError(be().get(RG, SVC, 'a'))).statusCode).toBe(404);
  });

  it("answers a pool as APIM does: url/protocol echoed as null, short and full member ids accepted", async () => {
    await be().createOrUpdate(RG, SVC, 'a', single);
    await be().createOrUpdate(RG, SVC, 'p', { typePropertiesType: 'Pool', pool: { services: [{ id: '/backends/a' }, { id: full('a'), weight: 3 }] } });
    const got = await be().get(RG, SVC, 'p');
    expect(got.typePropertiesType).toBe('Pool');
    expect(got.url).toBeNull();
    expect(f.em.specErrors).toEqual([]);
  });

  it.each([
    ['url on a pool', { typePropertiesType: 'Pool', url: 'https://x', pool: { services: [{ id: '/backends/a' }] } }, 'url', 'Url is not supported for backend pool.'],
    ['protocol on a pool', { typePropertiesType: 'Pool', protocol: 'http', pool: { services: [{ id: '/backends/a' }] } }, 'protocol', 'Protocol is not supported for backend pool.'],
    ['a missing member', { typePropertiesType: 'Pool', pool: { services: [{ id: full('backend-west') }] } }, 'pool', "Backend Entity 'backend-west' not found."],
    ['31 members', { typePropertiesType: 'Pool', pool: { services: Array.from({ length: 31 }, () => ({ id: '/backends/a' })) } }, 'pool', 'You can include up to 30 backends in a pool.'],
    ['two breaker rules', { ...single, circuitBreaker: { rules: [1, 2].map((n) => ({ name: `r${n}`, failureCondition: { count: 1, interval: 'PT1M' }, tripDuration: 'PT1M' })) } }, 'circuitBreaker', 'Only one rule is allowed in a backend circuit breaker.'],
    ['a missing named value', { ...single, credentials: { header: { 'api-key': ['{{nope}}'] } } }, 'credentials', "Property 'nope' not found."],
  ])('rejects %s with APIM wording and error shape', async (_name, body, target, message) => {
    await be().createOrUpdate(RG, SVC, 'a', single);
    const e = await restError(be().createOrUpdate(RG, SVC, 'x', body as never));
    expect(e.statusCode).toBe(400);
    expect(e.body.error.code).toBe('ValidationError');
    expect(e.body.error.details).toContainEqual({ code: 'ValidationError', target, message });
  });

  it("rejects protocol https and records bodies that fail the spec", async () => {
    const e = await restError(be().createOrUpdate(RG, SVC, 'x', { ...single, protocol: 'https' }));
    expect(e.statusCode).toBe(400);
    expect(f.em.specErrors).toHaveLength(1);
    const recorded = f.em.writes().at(-1)!;
    expect(recorded.body).toEqual({ properties: { url: single.url, protocol: 'https' } });
  });

  it('named values: secret values only through listValue', async () => {
    const nv = f.conn.sdk.namedValue;
    await nv.beginCreateOrUpdateAndWait(RG, SVC, 'k', { displayName: 'k', value: 'sekrit-value', secret: true });
    const got = await nv.get(RG, SVC, 'k');
    expect(got.value).toBeUndefined();
    expect(got.secret).toBe(true);
    expect((await nv.listValue(RG, SVC, 'k')).value).toBe('sekrit-value');
    await be().createOrUpdate(RG, SVC, 'a', { ...single, credentials: { header: { 'api-key': ['{{k}}'] } } });
  });

  it('policies: listByApi returns the value, HEAD the ETag; a backend-id must exist', async () => {
    const pol = f.conn.sdk.apiPolicy;
    const bad = await restError(pol.createOrUpdate(RG, SVC, 'azure-openai', 'policy', { value: '<policies><inbound><set-backend-service backend-id="nope" /></inbound></policies>', format: 'xml' }));
    expect(bad.body.error.details?.[0]?.message).toBe("Backend with id 'nope' could not be found.");
    const ok = await pol.createOrUpdate(RG, SVC, 'azure-openai', 'policy', { value: '<policies><inbound><base /></inbound></policies>', format: 'xml' });
    expect((await pol.getEntityTag(RG, SVC, 'azure-openai', 'policy')).eTag).toBe(ok.eTag);
    expect((await pol.listByApi(RG, SVC, 'azure-openai')).value?.[0]?.value).toContain('<base />');
    expect((await restError(pol.createOrUpdate(RG, SVC, 'azure-openai', 'policy', { value: '<policies><inbound>', format: 'xml' }))).statusCode).toBe(400);
  });

  it('injects faults: 409, 429 with Retry-After (retried by the SDK), 500 on the nth write, dropped connections', async () => {
    f.em.faults.add({ on: 'write', action: { kind: 'status', status: 409, code: 'Conflict' } });
    expect((await restError(be().createOrUpdate(RG, SVC, 'a', single))).statusCode).toBe(409);
    f.em.faults.throttleWrites(2, 0);
    await be().createOrUpdate(RG, SVC, 'a', single);
    expect(f.em.writes().map((w) => w.status)).toEqual([409, 429, 429, 201]);
    f.em.faults.failNthWrite(2);
    await be().createOrUpdate(RG, SVC, 'b', single);
    expect((await restError(be().createOrUpdate(RG, SVC, 'c', single))).statusCode).toBe(500);
    await be().createOrUpdate(RG, SVC, 'd', single);
    f.em.faults.clear();
    f.em.faults.dropNthWrite(1, 'after');
    const dropped = await restError(be().createOrUpdate(RG, SVC, 'e', single));
    expect(dropped.statusCode).toBeUndefined();
    expect(f.svc.backends.has('e')).toBe(true);
  });

  it('refuses requests without the bearer token', async () => {
    const other = connect(SUB, { credential: staticTokenCredential('wrong'), endpoint: f.em.url, retry: { maxRetries: 0 } });
    expect((await restError(other.sdk.backend.get(RG, SVC, 'a'))).statusCode).toBe(401);
  });
});
