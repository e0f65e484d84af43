import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../../shared/contract';
import { FAKE_SUB, FAKE_TARGET, okReport, samplePlan } from './fake-apim';
import { createDeployTestStore, createFakeApiWithApim } from './test-store';
import { foldProgress, initialProgress } from './progress';
import { describeAzureError, planCounts, planTree, portalUrl, selectCanApply, selectPlanIsStale } from './selectors';
import { mergeImported } from './workspace-target';

async function ready() {
  const { api, apim } = createFakeApiWithApim();
  const store = createDeployTestStore(api);
  await store.getState().boot();
  await store.getState().initDeploy();
  return { api, apim, store, s: () => store.getState() };
}

async function picked() {
  const r = await ready();
  await r.s().signIn({ method: 'token', token: 't' });
  await r.s().chooseSubscription(FAKE_SUB);
  await r.s().chooseResourceGroup('rg-ai');
  r.s().chooseService('my-apim');
  return r;
}

describe('deploy slice', () => {
  it('signs in, then fills subscription → resource group → service, and remembers the target in the workspace', async () => {
    const { s, apim } = await picked();
    expect(s().deploy.account).toMatchObject({ signedIn: true, user: 'ada@contoso.com' });
    expect(s().deploy.subscriptions).toHaveLength(1);
    expect(s().deploy.resourceGroups).toEqual(['rg-ai', 'rg-web']);
    expect(s().deploy.services!.map((x) => x.name)).toEqual(['my-apim', 'other-apim']);
    expect(s().workspace.value!.target).toEqual(FAKE_TARGET);
    expect(s().workspace.past).toHaveLength(1); // one undoable edit
    s().chooseService('my-apim');
    expect(s().workspace.past).toHaveLength(1); // the same target again records nothing
    expect(apim.calls.find((c) => c.method === 'signIn')!.input).toEqual({ method: 'token', token: 't' });
  });

  it('adopts a remembered target (and its endpoint) when the screen opens', async () => {
    const { api, apim } = createFakeApiWithApim();
    const store = createDeployTestStore(api);
    await store.getState().boot();
    store.getState().editWorkspace((d) => void (d.target = { ...FAKE_TARGET, endpoint: 'http://127.0.0.1:9999' }));
    await store.getState().initDeploy();
    expect(store.getState().deploy.pick).toEqual(FAKE_TARGET);
    expect(apim.calls.find((c) => c.method === 'setSettings')!.input).toEqual({ endpoint: 'http://127.0.0.1:9999' });
  });

  it('imports into the open workspace as one undoable edit and keeps the report', async () => {
    const { s } = await picked();
    expect(await s().importService('open')).toBe(true);
    expect(s().workspace.value!.pools).toEqual({ p: { services: [{ backend: 'a', priority: 1, weight: 2 }] } });
    expect(s().deploy.importReport).toMatchObject({ into: 'open', service: 'my-apim', read: { backends: ['a'] } });
    expect(s().deploy.importReport!.keptAside[0]).toMatch(/tls not modeled/);
    s().undo();
    expect(s().workspace.value!.pools).toMatchObject({ p: { services: [{ backend: 'a', weight: 10 }, { backend: 'b', weight: 1 }] } });
  });

  it('plans what the editor shows, applies by plan id, and folds progress per resource', async () => {
    const { s, apim } = await picked();
    expect(await s().makePlan()).toBe(true);
    expect(apim.calls.find((c) => c.method === 'plan')!.input).toMatchObject({ target: FAKE_TARGET, workspace: s().workspace.value });
    expect(selectCanApply(s())).toBe(true);
    expect(s().deploy.progress).toEqual([{ kind: 'pool', id: 'p', action: 'update', status: 'pending' }]);
    apim.next.events = [
      { type: 'start', total: 1 },
      { type: 'step', index: 1, total: 1, step: { kind: 'pool', id: 'p', action: 'update' }, status: 'running' },
      { type: 'step', index: 1, total: 1, step: { kind: 'pool', id: 'p', action: 'update' }, status: 'done' },
    ];
    expect(await s().applyPlan()).toBe(true);
    expect(apim.calls.at(-1)).toEqual({ method: 'apply', input: { planId: 'plan-1' } });
    expect(s().deploy.progress[0]!.status).toBe('done');
    expect(s().deploy.report).toEqual(okReport());
    expect(selectCanApply(s())).toBe(false);
  });

  it('a plan goes stale when the workspace is edited after it', async () => {
    const { s } = await picked();
    await s().makePlan();
    expect(selectPlanIsStale(s())).toBe(false);
    s().editWorkspace((d) => void ((d.pools as { p: { services: { weight: number }[] } }).p.services[0]!.weight = 7));
    expect(selectPlanIsStale(s())).toBe(true);
  });

  it('keeps a refusal as an error with its field instead of throwing', async () => {
    const { s, apim } = await picked();
    apim.next.failure = new ContractError('invalid-workspace', 'fix the workspace before planning: pools.p.services[0].weight: must be between 0 and 100', 'pools.p.services[0].weight');
    expect(await s().makePlan()).toBe(false);
    expect(s().deploy.error).toEqual({ action: 'Plan', message: expect.stringMatching(/must be between/), path: 'pools.p.services[0].weight' });
    expect(s().deploy.busy).toBeNull();
  });

  it('signing out forgets the lists and the plan', async () => {
    const { s } = await picked();
    await s().makePlan();
    await s().signOut();
    expect(s().deploy).toMatchObject({ account: { signedIn: false }, subscriptions: null, plan: null });
  });
});

describe('deploy helpers', () => {
  it('groups the plan by kind in apply order and counts actions', () => {
    const plan = samplePlan();
    expect(planTree(plan).map((g) => `${g.title}:${g.changes.length}`)).toEqual(['Named values:1', 'Backends:1', 'Pools:1']);
    expect(planCounts(plan)).toEqual({ create: 0, update: 1, delete: 0, unchanged: 2 });
  });

  it('rollback events mark what was put back; the failed step keeps its reason', () => {
    const pool = { kind: 'pool' as const, id: 'p', action: 'update' as const };
    const backend = { kind: 'backend' as const, id: 'a', action: 'update' as const };
    let steps = initialProgress(samplePlan({ changes: [{ ...backend, fields: [] }, { ...pool, fields: [] }] }));
    steps = foldProgress(steps, { type: 'step', index: 1, total: 2, step: backend, status: 'done' });
    steps = foldProgress(steps, { type: 'step', index: 2, total: 2, step: pool, status: 'failed', message: 'conflict (409)' });
    steps = foldProgress(steps, { type: 'rollback', step: pool, status: 'skipped', message: 'not written' });
    steps = foldProgress(steps, { type: 'rollback', step: backend, status: 'done', message: 'restored' });
    expect(steps.map((x) => `${x.id}:${x.status}:${x.message}`)).toEqual(['a:rolled-back:restored', 'p:failed:conflict (409)']);
  });

  it('links the portal of the endpoint’s cloud', () => {
    expect(portalUrl(FAKE_TARGET, 'https://management.azure.com', 't1')).toBe(
      `https://portal.azure.com/#@t1/resource/subscriptions/${FAKE_SUB}/resourceGroups/rg-ai/providers/Microsoft.ApiManagement/service/my-apim/overview`,
    );
    expect(portalUrl(FAKE_TARGET, 'https://management.usgovcloudapi.net')).toMatch(/^https:\/\/portal\.azure\.us\/#\/resource\//);
  });

  it('puts Azure errors in words with the field', () => {
    expect(describeAzureError('Apply', "APIM rejected pool 'p' in service s: One or more fields contain incorrect values: pool: Backend Entity 'x' not found.")).toMatchObject({
      title: 'Apply: Azure refused a value',
      field: 'pool',
    });
    expect(describeAzureError('Plan', 'no access to backends (403 AuthorizationFailed): …').title).toBe('Plan: no permission');
    expect(describeAzureError('Sign in', 'Azure did not accept the sign-in while reading x (401): run `az login`').title).toBe('Sign in: sign-in needed');
  });

  it('an import keeps local gateway settings and the simulation of backends that still exist', () => {
    const open = { version: 1, backends: { a: {}, old: {} }, pools: { q: {} }, gateway: { timeouts: {} }, simulation: { a: { tokensPerMinute: 1 }, old: {} } };
    const out = mergeImported(open, { version: 1, backends: { a: { url: 'u' } }, target: FAKE_TARGET });
    expect(out).toEqual({ version: 1, backends: { a: { url: 'u' } }, gateway: { timeouts: {} }, simulation: { a: { tokensPerMinute: 1 } }, target: FAKE_TARGET });
  });
});
