import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan, checkPlanTarget } from '../main/apim';
import { parsePlan, type ApplyEvent, type Plan } from '../shared/deploy';
import { apimSpecMissing } from './support/apim-spec';
import { demoSecrets, demoWorkspace, RG, secretsFrom, SECRET_VALUES, startDeployFixture, SUB, SVC, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * What apply shows and does at its edges (mutation run: these survived): the target check, the throttle budget
 * and wait, step numbers, the secret a named value needs, and the texts of a stopped apply.
 */

const target = { subscription: SUB, resourceGroup: RG, service: SVC };
const planFor = (t: Partial<Plan['target']>): Plan => ({ kind: 'breakerboard-plan', version: 1, createdAt: '2026-01-01T00:00:00.000Z', target: { ...target, endpoint: 'https://management.azure.com', ...t }, prune: false, changes: [], blockers: [], notes: [] });

describe('checkPlanTarget', () => {
  it('ignores any number of trailing slashes on either endpoint', () => {
    expect(() => checkPlanTarget(planFor({ endpoint: 'https://management.azure.com/' }), target, 'https://management.azure.com//')).not.toThrow();
    expect(() => checkPlanTarget(planFor({ endpoint: 'https://management.azure.com//' }), target, 'https://management.azure.com/')).not.toThrow();
  });

  it('names every field that differs, each with both values', () => {
    const plan = planFor({ resourceGroup: 'rg-other', service: 'apim-other' });
    expect(() => checkPlanTarget(plan, target, 'https://management.azure.com')).toThrow(
      'the plan is for another target: resource group rg-other in the plan, rg-ai for this apply; service apim-other in the plan, my-apim for this apply. Nothing was sent; make the plan again for this target',
    );
  });
});

describe.skipIf(Boolean(apimSpecMissing))('applyPlan against the emulator', () => {
  let f: DeployFixture;
  beforeEach(async () => {
    f = await startDeployFixture();
  });
  afterEach(() => f.em.close());
  const plan = (ws = demoWorkspace(), secrets = demoSecrets()) => buildPlan(f.conn, f.target, ws, { secrets });

  it('lists every blocker on its own line and sends nothing', async () => {
    const p = { ...(await plan()), blockers: ['first problem', 'second problem'] };
    await expect(applyPlan(f.conn, f.target, p, { secrets: demoSecrets() })).rejects.toThrow('the plan cannot be applied:\n  first problem\n  second problem');
    expect(f.em.writes()).toEqual([]);
  });

  it('numbers the steps from 1 and counts the changes it applied', async () => {
    const events: ApplyEvent[] = [];
    const r = await applyPlan(f.conn, f.target, await plan(), { secrets: demoSecrets(), onEvent: (e) => events.push(e) });
    expect(r.ok).toBe(true);
    expect(r.message).toBe('applied 6 changes to my-apim');
    const steps = events.flatMap((e) => (e.type === 'step' ? [`${e.index}/${e.total} ${e.status}`] : []));
    expect(steps).toEqual(['1/6 running', '1/6 done', '2/6 running', '2/6 done', '3/6 running', '3/6 done', '4/6 running', '4/6 done', '5/6 running', '5/6 done', '6/6 running', '6/6 done']);
    const one = await applyPlan(f.conn, f.target, await plan(demoWorkspace((w) => (w.backends['aoai-eastus']!.title = 'renamed'))), { secrets: demoSecrets() });
    expect(one.message).toBe('applied 1 change to my-apim');
  });

  it('a named value whose id is not its name is updated with the secret of its name; without it nothing is written', async () => {
    f.em.state.putNamedValue(f.svc, 'nv-east', { displayName: 'aoai-eastus-key', secret: true, value: 'old-value-1234' });
    const p = await plan();
    expect(p.changes.find((c) => c.kind === 'namedValue' && c.id === 'nv-east')).toMatchObject({ action: 'update', secretName: 'aoai-eastus-key' });
    const missing = secretsFrom({ 'aoai-uksouth-key': SECRET_VALUES['aoai-uksouth-key']! });
    await expect(applyPlan(f.conn, f.target, p, { secrets: missing })).rejects.toThrow("secret 'aoai-eastus-key' is not available locally: set BREAKERBOARD_SECRET_AOAI_EASTUS_KEY; nothing was written");
    expect(f.em.writes()).toEqual([]);
    expect((await applyPlan(f.conn, f.target, p, { secrets: demoSecrets() })).ok).toBe(true);
    expect(f.svc.namedValues.get('nv-east')!.properties.value).toBe(SECRET_VALUES['aoai-eastus-key']);
  });

  it('a plan file that deletes a named value needs no secret for it', async () => {
    const nv = f.em.state.putNamedValue(f.svc, 'stale-key', { displayName: 'stale-key', secret: true, value: 'stale-value-1234' });
    const parsed = parsePlan({ ...planFor({ endpoint: f.conn.endpoint }), changes: [{ kind: 'namedValue', id: 'stale-key', action: 'delete', etag: nv.etag, fields: [], secretName: 'stale-key' }] });
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const r = await applyPlan(f.conn, f.target, parsed.plan, { secrets: secretsFrom({}) });
    expect(r).toMatchObject({ ok: true, message: 'applied 1 change to my-apim' });
    expect(f.svc.namedValues.has('stale-key')).toBe(false);
  });

  it('waits what a 429 without Retry-After defaults to, and gives up after maxThrottleWaits', async () => {
    const p = await plan();
    f.em.faults.add({ on: 'write', times: 3, action: { kind: 'status', status: 429, code: 'TooManyRequests' } });
    const sleeps: number[] = [];
    const events: ApplyEvent[] = [];
    const r = await applyPlan(f.conn, f.target, p, { secrets: demoSecrets(), maxThrottleWaits: 1, sleep: async (ms) => void sleeps.push(ms), onEvent: (e) => events.push(e) });
    expect(sleeps).toEqual([5000]);
    expect(events.filter((e) => e.type === 'throttled').map((e) => (e.type === 'throttled' ? e.waitSeconds : 0))).toEqual([5]);
    expect(r.ok).toBe(false);
    expect(r.restored).toBe(true);
    expect(f.svc.namedValues.size).toBe(0);
    expect(r.message.split('\n').slice(1)).toEqual(['nothing had been changed.', 'restored: my-apim holds what it held before the apply (read again to check).']);
    expect(r.message.split('\n')[0]).toMatch(/^apply stopped at step 1 of 6 \(.*\): .*429/);
  });

  it('without an injected sleep, a Retry-After of 0 waits and the apply completes', async () => {
    const p = await plan();
    f.em.faults.throttleWrites(3, 0);
    const r = await applyPlan(f.conn, f.target, p, { secrets: demoSecrets() });
    expect(r.ok).toBe(true);
    expect(f.em.writes().filter((w) => w.status === 429)).toHaveLength(3);
  });

  it('a stop after two landed steps lists both under "rolled back", one per line', async () => {
    const p = await plan();
    f.em.faults.failNthWrite(3);
    const r = await applyPlan(f.conn, f.target, p, { secrets: demoSecrets(), sleep: async () => undefined });
    expect(r).toMatchObject({ ok: false, final: 'restored', restored: true });
    const lines = r.message.split('\n');
    expect(lines[0]).toMatch(/^apply stopped at step 3 of 6 \(.*aoai-eastus.*\): /);
    expect(lines.slice(1)).toEqual(['rolled back:', ...r.rollback.filter((x) => x.status === 'restored').map((x) => `  ${x.message}`), 'restored: my-apim holds what it held before the apply (read again to check).']);
    expect(lines).toHaveLength(5);
  });

  it('a rollback that cannot undo the landed step says nothing was rolled back and names what differs', async () => {
    const p = await plan();
    const events: ApplyEvent[] = [];
    f.em.faults.failNthWrite(3);
    f.em.faults.add({ on: 'write', method: 'DELETE', pathIncludes: '/namedValues/', times: 50, action: { kind: 'status', status: 500, code: 'InternalServerError' } });
    const r = await applyPlan(f.conn, f.target, p, { secrets: demoSecrets(), sleep: async () => undefined, onEvent: (e) => events.push(e) });
    expect(r).toMatchObject({ ok: false, final: 'only partly restored', restored: false });
    expect([...f.svc.namedValues.keys()]).toEqual(['aoai-eastus-key', 'aoai-uksouth-key']);
    expect(r.differing).toHaveLength(2);
    expect(r.message).toBe(
      [
        "apply stopped at step 3 of 6 (create backend 'aoai-eastus'): backend 'aoai-eastus' in service my-apim (resource group rg-ai): the service failed while writing it (500: Injected 500.)",
        'nothing was rolled back.',
        'only partly restored: these resources of my-apim differ from before the apply (check them in the portal):',
        "  named value 'aoai-eastus-key': created by this apply and still there",
        "  named value 'aoai-uksouth-key': created by this apply and still there",
      ].join('\n'),
    );
    expect(r.applied.map((x) => x.id)).toEqual(['aoai-eastus-key', 'aoai-uksouth-key']);
    expect(events.filter((e) => e.type === 'step' && e.status === 'failed').map((e) => (e.type === 'step' ? e.index : 0))).toEqual([3]);
  });

  it("a pool's credential value that the service echoes in an error is hidden", async () => {
    await applyPlan(f.conn, f.target, await plan(), { secrets: demoSecrets() });
    const pool = f.svc.backends.get('mybackendpool')!;
    f.em.state.putBackend(f.svc, 'mybackendpool', { ...pool.properties, credentials: { header: { 'x-pool-key': ['pool-secret-9876'] } } });
    const p = await plan(demoWorkspace((w) => (w.pools!['mybackendpool']!.description = 'changed')));
    f.em.faults.add({ on: 'write', pathIncludes: '/backends/mybackendpool', times: 50, action: { kind: 'status', status: 400, code: 'ValidationError', message: 'header x-pool-key value pool-secret-9876 is not allowed' } });
    const r = await applyPlan(f.conn, f.target, p, { secrets: demoSecrets(), sleep: async () => undefined });
    expect(r.ok).toBe(false);
    expect(r.failed?.message).toContain('value (secret) is not allowed');
    expect(r.message).not.toContain('pool-secret-9876');
  });
});
