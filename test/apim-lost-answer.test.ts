import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan } from '../main/apim';
import type { ApplyResult } from '../shared/deploy';
import type { Workspace } from '../shared/model';
import { apimSpecMissing } from './support/apim-spec';
import type { RecordedRequest } from './support/arm-emulator';
import { demoSecrets, demoWorkspace, startDeployFixture, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * Issue 12 item 2 and issue 19 item 2. A four-write apply (update a backend, create a backend, update the pool,
 * update the policy) with "the write lands, the answer is lost" at every write position, alone and followed by a
 * real failure; after any failure the report is built from what the service holds and matches it resource by
 * resource; rollback never deletes a backend still referenced; every write to an existing resource carries
 * If-Match equal to the ETag the emulator held when the request arrived.
 */

if (apimSpecMissing) console.warn(`skipping lost-answer scenarios: ${apimSpecMissing}`);

const secrets = demoSecrets();
const PATHS = ['/backends/aoai-uksouth', '/backends/aoai-westus', '/backends/mybackendpool', '/apis/azure-openai/policies/policy'];
const IDS = ['aoai-uksouth', 'aoai-westus', 'mybackendpool', 'azure-openai'];

const change = (): Workspace =>
  demoWorkspace((w) => {
    w.backends['aoai-westus'] = { ...w.backends['aoai-uksouth']!, title: 'openai-westus', url: 'https://westus-aoai.openai.azure.com/openai' };
    w.backends['aoai-uksouth']!.circuitBreaker!.rules[0]!.tripDuration = 'PT2M';
    w.pools!.mybackendpool!.services.push({ backend: 'aoai-westus', priority: 2, weight: 1 });
    w.apis!['azure-openai']!.retry = { count: 2, on: [429, 503] };
  });

/**
 * Every write to an existing resource names its ETag. Only the SDK's resend after a lost answer may differ: it
 * repeats the request as it was (an old If-Match, or none for a create that had landed).
 */
function checkPreconditions(requests: RecordedRequest[]): void {
  const last = new Map<string, RecordedRequest>();
  let checked = 0;
  for (const w of requests.filter((r) => r.method === 'PUT' || r.method === 'DELETE')) {
    const previous = last.get(`${w.method} ${w.path}`);
    last.set(`${w.method} ${w.path}`, w);
    const resend = previous !== undefined && previous.status === -1 && previous.ifMatch === w.ifMatch;
    if (w.etagAtReceipt === undefined || resend) continue;
    checked += 1;
    expect(w.ifMatch, `${w.method} ${w.path}`).toBe(w.etagAtReceipt);
  }
  expect(checked).toBeGreaterThan(0);
}

describe.skipIf(Boolean(apimSpecMissing))('apply when answers are lost', () => {
  let f: DeployFixture;
  afterEach(() => f?.em.close());

  /** A service with the demo applied; returns its content and the plan of `change()`. */
  async function prepared() {
    f = await startDeployFixture();
    await applyPlan(f.conn, f.target, await buildPlan(f.conn, f.target, demoWorkspace(), { secrets }), { secrets });
    const start = f.em.state.snapshot(f.svc) as { backends: Record<string, unknown>; apis: Record<string, { policy: unknown }> };
    const plan = await buildPlan(f.conn, f.target, change(), { secrets });
    expect(plan.changes.filter((c) => c.action !== 'unchanged').map((c) => c.id)).toEqual(IDS);
    return { start, plan, mark: f.em.requests.length };
  }

  const content = () => f.em.state.snapshot(f.svc) as { backends: Record<string, unknown>; apis: Record<string, { policy: unknown }> };
  const resource = (s: ReturnType<typeof content>, id: string) => (id === 'azure-openai' ? s.apis[id]!.policy : s.backends[id]);

  /** The report says exactly which touched resources differ from `start`. */
  function reportMatchesService(result: ApplyResult, start: ReturnType<typeof content>) {
    const now = content();
    const differs = IDS.filter((id) => JSON.stringify(resource(now, id)) !== JSON.stringify(resource(start, id)));
    expect(result.differing.map((d) => d.id).sort()).toEqual([...differs].sort());
    expect(result.final).toBe(differs.length === 0 ? 'restored' : 'only partly restored');
  }

  let clean: unknown;
  it('without faults: applied, and every write names the ETag the service held', async () => {
    const { plan, mark } = await prepared();
    const result = await applyPlan(f.conn, f.target, plan, { secrets });
    expect(result).toMatchObject({ ok: true, final: 'applied', differing: [] });
    clean = content();
    checkPreconditions(f.em.requests.slice(mark));
    for (const w of f.em.requests.slice(mark).filter((r) => r.method === 'PUT' && r.etagAtReceipt !== undefined)) expect(w.ifMatch).toBe(w.etagAtReceipt);
  });

  for (const [pos, sticky] of [1, 2, 3, 4].flatMap((p) => [[p, true], [p, false]] as const)) {
    it(`write ${pos} lands and its answer is lost (${sticky ? 'every resend too' : 'the resend meets 412'}): applied, as without the fault`, async () => {
      const { plan, mark } = await prepared();
      f.em.faults.add({ on: 'write', pathIncludes: PATHS[pos - 1], times: sticky ? 20 : 1, sticky: true, action: { kind: 'drop', when: 'after' } });
      const result = await applyPlan(f.conn, f.target, plan, { secrets });
      expect(result).toMatchObject({ ok: true, final: 'applied' });
      expect(content()).toEqual(clean);
      // An update's resend names the old ETag and meets 412; a create's resend (no If-Match) simply lands again.
      if (!sticky && pos !== 2) expect(f.em.requests.slice(mark).some((r) => r.status === 412 && r.path.endsWith(PATHS[pos - 1]!))).toBe(true);
      checkPreconditions(f.em.requests.slice(mark));
    });
  }

  for (const pos of [1, 2, 3]) {
    it(`write ${pos} lands with its answer lost, write ${pos + 1} fails: rolled back, the report says restored and it is`, async () => {
      const { plan, start, mark } = await prepared();
      f.em.faults
        .add({ on: 'write', pathIncludes: PATHS[pos - 1], times: 20, sticky: true, action: { kind: 'drop', when: 'after' } })
        .add({ on: 'write', pathIncludes: PATHS[pos], times: 20, sticky: true, action: { kind: 'status', status: 500, code: 'InternalServerError' } });
      const result = await applyPlan(f.conn, f.target, plan, { secrets });
      expect(result.ok).toBe(false);
      expect(result.failed?.step.id).toBe(IDS[pos]);
      expect(result.rollback.find((r) => r.step.id === IDS[pos - 1])?.status).toBe('restored');
      expect(result.rollback.find((r) => r.step.id === IDS[pos])?.status).toBe('unchanged');
      expect(result).toMatchObject({ final: 'restored', differing: [], restored: true });
      expect(content()).toEqual(start);
      reportMatchesService(result, start);
      expect(result.message).toMatch(/restored: my-apim holds what it held before the apply/);
      checkPreconditions(f.em.requests.slice(mark));
    });
  }

  it('a rollback never deletes a backend a pool still points at: "only partly restored", naming exactly what differs', async () => {
    const { plan, start, mark } = await prepared();
    f.em.faults
      .add({ on: 'write', pathIncludes: PATHS[3], times: 20, sticky: true, action: { kind: 'status', status: 500, code: 'InternalServerError' } })
      // The pool's second PUT is the rollback's: it fails, so the pool keeps pointing at aoai-westus.
      .add({ on: 'write', method: 'PUT', pathIncludes: PATHS[2], nth: 2, times: 20, sticky: true, action: { kind: 'status', status: 500, code: 'InternalServerError' } });
    const result = await applyPlan(f.conn, f.target, plan, { secrets });
    expect(result.ok).toBe(false);
    expect(f.svc.backends.has('aoai-westus')).toBe(true);
    expect(result.rollback.map((r) => `${r.step.id} ${r.status}`)).toEqual(['azure-openai unchanged', 'mybackendpool failed', 'aoai-westus failed', 'aoai-uksouth restored']);
    expect(result.rollback.find((r) => r.step.id === 'aoai-westus')!.message).toMatch(/not deleted, because pool 'mybackendpool' still points at it/);
    expect(result.final).toBe('only partly restored');
    expect(result.differing.map((d) => d.message)).toEqual(["backend 'aoai-westus': created by this apply and still there", "pool 'mybackendpool': still as the apply wrote it"]);
    expect(content().backends['aoai-uksouth']).toEqual(start.backends['aoai-uksouth']);
    reportMatchesService(result, start);
    expect(result.message).toMatch(/only partly restored: these resources of my-apim differ from before the apply/);
    expect(f.em.requests.slice(mark).some((r) => r.method === 'DELETE')).toBe(false);
    checkPreconditions(f.em.requests.slice(mark));
  });

  it('deletes (--prune) and their rollback name the ETag too', async () => {
    f = await startDeployFixture();
    await applyPlan(f.conn, f.target, await buildPlan(f.conn, f.target, demoWorkspace(), { secrets }), { secrets });
    f.em.state.putBackend(f.svc, 'legacy-a', { url: 'https://a.example.net', protocol: 'http' });
    f.em.state.putBackend(f.svc, 'legacy-b', { url: 'https://b.example.net', protocol: 'http' });
    const start = content();
    const mark = f.em.requests.length;
    const plan = await buildPlan(f.conn, f.target, demoWorkspace(), { secrets, prune: true });
    f.em.faults.add({ on: 'write', method: 'DELETE', pathIncludes: '/backends/legacy-b', times: 20, sticky: true, action: { kind: 'status', status: 500 } });
    const result = await applyPlan(f.conn, f.target, plan, { secrets });
    expect(result).toMatchObject({ ok: false, final: 'restored' });
    expect(content()).toEqual(start);
    const deletes = f.em.requests.slice(mark).filter((r) => r.method === 'DELETE');
    expect(deletes.length).toBeGreaterThan(0);
    checkPreconditions(f.em.requests.slice(mark));
  });
});
