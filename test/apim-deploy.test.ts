import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan } from '../main/apim';
import type { ApplyEvent } from '../shared/deploy';
import { apimSpecMissing, validateAgainstSpec, validateBackendProperties } from './support/apim-spec';
import { demoSecrets, demoWorkspace, RG, SECRET_VALUES, SVC, startDeployFixture, SUB, type DeployFixture } from './support/arm-emulator/fixtures';
import type { Workspace } from '../shared/model';

/*
 * Plan and apply against the ARM emulator through the real SDK: the scenarios of issue 5.
 */

if (apimSpecMissing) console.warn(`skipping deploy scenarios: ${apimSpecMissing}`);

type Props = Record<string, unknown>;

/** Every body the client sent, validated against the spec definition of its path. */
function specProblems(f: DeployFixture): string[] {
  const out: string[] = [];
  for (const w of f.em.writes()) {
    if (w.method === 'DELETE') continue;
    const props = (w.body as { properties?: Props } | undefined)?.properties ?? {};
    const errors = /\/backends\//.test(w.path)
      ? validateBackendProperties(props)
      : /\/namedValues\//.test(w.path)
        ? validateAgainstSpec('NamedValueCreateContractProperties', props)
        : validateAgainstSpec('PolicyContractProperties', props);
    out.push(...errors.map((e) => `${w.method} ${w.path}: ${e.path} ${e.message}`));
  }
  return out;
}

describe.skipIf(Boolean(apimSpecMissing))('deploy: plan and apply through the SDK against the ARM emulator', () => {
  let f: DeployFixture;
  const secrets = demoSecrets();
  beforeEach(async () => {
    f = await startDeployFixture();
  });
  afterEach(() => f.em.close());

  const plan = (ws: Workspace, prune = false) => buildPlan(f.conn, f.target, ws, { secrets, prune });
  const apply = async (ws: Workspace, prune = false, events: ApplyEvent[] = []) => applyPlan(f.conn, f.target, await plan(ws, prune), { secrets, onEvent: (e) => events.push(e), sleep: async () => undefined });
  const snapshot = () => f.em.state.snapshot(f.svc);

  it('applies the demo to an empty service in dependency order, with progress events', async () => {
    const events: ApplyEvent[] = [];
    const result = await apply(demoWorkspace(), false, events);
    expect(result.ok).toBe(true);
    const writes = f.em.writes().map((w) => `${w.method} ${w.path.split(`/service/${SVC}/`)[1]}`);
    expect(writes).toEqual([
      'PUT namedValues/aoai-eastus-key',
      'PUT namedValues/aoai-uksouth-key',
      'PUT backends/aoai-eastus',
      'PUT backends/aoai-uksouth',
      'PUT backends/mybackendpool',
      'PUT apis/azure-openai/policies/policy',
    ]);
    expect(f.svc.namedValues.get('aoai-eastus-key')!.properties).toMatchObject({ secret: true, value: SECRET_VALUES['aoai-eastus-key'] });
    expect(f.svc.backends.get('mybackendpool')!.properties.type).toBe('Pool');
    expect(String(f.svc.apis.get('azure-openai')!.policy!.properties.value)).toContain('<set-backend-service backend-id="mybackendpool" />');
    expect(events.filter((e) => e.type === 'step' && e.status === 'done')).toHaveLength(6);
    expect(events.at(-1)).toMatchObject({ type: 'finish', ok: true });
    expect(specProblems(f)).toEqual([]);
    expect(f.em.specErrors).toEqual([]);
  });

  it('re-applying writes nothing', async () => {
    await apply(demoWorkspace());
    const before = f.em.writes().length;
    const second = await plan(demoWorkspace());
    expect(second.changes.every((c) => c.action === 'unchanged')).toBe(true);
    const result = await applyPlan(f.conn, f.target, second, { secrets });
    expect(result.message).toMatch(/no changes/);
    expect(f.em.writes()).toHaveLength(before);
  });

  it('changing one weight is exactly one PUT, with the plan ETag as If-Match', async () => {
    await apply(demoWorkspace());
    const etag = f.svc.backends.get('mybackendpool')!.etag;
    const before = f.em.writes().length;
    const ws = demoWorkspace((w) => (w.pools!.mybackendpool!.services[1]!.weight = 5));
    const p = await plan(ws);
    const changed = p.changes.filter((c) => c.action !== 'unchanged');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.fields).toEqual([{ path: 'pool.services[1].weight', before: 1, after: 5 }]);
    await applyPlan(f.conn, f.target, p, { secrets });
    const writes = f.em.writes().slice(before);
    expect(writes.map((w) => `${w.method} ${w.path.split('/').pop()}`)).toEqual(['PUT mybackendpool']);
    expect(writes[0]!.ifMatch).toBe(etag);
  });

  it('prunes backends the workspace no longer has (pools before singles), and only with --prune', async () => {
    await apply(demoWorkspace());
    const ws = demoWorkspace((w) => {
      delete w.pools;
      delete w.backends['aoai-uksouth'];
      w.apis!['azure-openai']!.backend = 'aoai-eastus';
    });
    const without = await plan(ws, false);
    expect(without.changes.some((c) => c.action === 'delete')).toBe(false);
    expect(without.notes.join('\n')).toMatch(/backend 'aoai-uksouth' is in APIM but not in the workspace: kept \(--prune deletes it\)/);
    const result = await apply(ws, true);
    expect(result.ok).toBe(true);
    expect(f.em.writes().filter((w) => w.method === 'DELETE').map((w) => w.path.split('/').pop())).toEqual(['mybackendpool', 'aoai-uksouth']);
    expect([...f.svc.backends.keys()]).toEqual(['aoai-eastus']);
  });

  it('a failed delete during a prune re-creates what was already deleted', async () => {
    await apply(demoWorkspace());
    const start = snapshot();
    const ws = demoWorkspace((w) => {
      delete w.pools;
      delete w.backends['aoai-uksouth'];
      w.apis!['azure-openai']!.backend = 'aoai-eastus';
    });
    f.em.faults.add({ on: 'write', method: 'DELETE', pathIncludes: '/backends/aoai-uksouth', times: 10, action: { kind: 'status', status: 409, code: 'Conflict' } });
    const result = await apply(ws, true);
    expect(result.ok).toBe(false);
    expect(result.rollback.map((r) => `${r.step.action} ${r.step.id} ${r.status}`)).toEqual([
      'delete aoai-uksouth unchanged',
      'delete mybackendpool restored',
      'update azure-openai restored',
    ]);
    expect(snapshot()).toEqual(start);
  });

  it('a concurrent edit after the plan stops the apply with a clear message and writes nothing', async () => {
    await apply(demoWorkspace());
    const p = await plan(demoWorkspace((w) => (w.pools!.mybackendpool!.services[0]!.weight = 20)));
    f.em.state.putBackend(f.svc, 'mybackendpool', { ...f.svc.backends.get('mybackendpool')!.properties, description: 'edited in the portal' });
    const before = f.em.writes().length;
    const result = await applyPlan(f.conn, f.target, p, { secrets });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/pool 'mybackendpool' in service my-apim .* was changed by someone else since the plan \(ETag mismatch, 412\)/);
    expect(result.message).toMatch(/nothing had been changed/);
    expect(f.em.writes()).toHaveLength(before);
    expect(f.svc.backends.get('mybackendpool')!.properties.description).toBe('edited in the portal');
  });

  it('a 412 from the service mid-way stops the apply and rolls back what was written', async () => {
    await apply(demoWorkspace());
    const start = snapshot();
    const ws = demoWorkspace((w) => {
      w.backends['aoai-eastus']!.url = 'https://eastus2-aoai.openai.azure.com/openai';
      w.pools!.mybackendpool!.services[1]!.weight = 4;
    });
    const p = await plan(ws);
    f.em.faults.add({ on: 'write', pathIncludes: '/backends/mybackendpool', action: { kind: 'status', status: 412, code: 'PreconditionFailed' } });
    const result = await applyPlan(f.conn, f.target, p, { secrets });
    expect(result.ok).toBe(false);
    expect(result.failed?.message).toMatch(/changed by someone else since the plan/);
    // The pool's write did not land (the service holds what it held): nothing to undo there.
    expect(result.rollback.map((r) => `${r.step.id} ${r.status}`)).toEqual(['mybackendpool unchanged', 'aoai-eastus restored']);
    expect(result.final).toBe('restored');
    expect(snapshot()).toEqual(start);
  });

  it('a failure on the 3rd write leaves the service identical to before, with an exact report', async () => {
    await apply(demoWorkspace());
    const start = snapshot();
    const ws = demoWorkspace((w) => {
      w.backends['aoai-eastus']!.description = 'PTU, moved';
      w.backends['aoai-uksouth']!.circuitBreaker!.rules[0]!.tripDuration = 'PT2M';
      w.pools!.mybackendpool!.services[0]!.weight = 7;
      w.apis!['azure-openai']!.retry = { count: 0, on: [429] };
    });
    const p = await plan(ws);
    expect(p.changes.filter((c) => c.action === 'update').map((c) => c.id)).toEqual(['aoai-eastus', 'aoai-uksouth', 'mybackendpool', 'azure-openai']);
    const before = f.em.writes().length;
    f.em.faults.failNthWrite(3);
    const result = await applyPlan(f.conn, f.target, p, { secrets });
    expect(result.ok).toBe(false);
    expect(result.applied.map((s) => s.id)).toEqual(['aoai-eastus', 'aoai-uksouth']);
    expect(result.failed?.step.id).toBe('mybackendpool');
    expect(result.rollback.map((r) => `${r.step.id} ${r.status}`)).toEqual(['mybackendpool unchanged', 'aoai-uksouth restored', 'aoai-eastus restored']);
    expect(result.restored).toBe(true);
    expect(result.final).toBe('restored');
    expect(result.differing).toEqual([]);
    expect(result.message).toMatch(/apply stopped at step 3 of 4 \(update pool 'mybackendpool'\)/);
    expect(result.message).toMatch(/restored: my-apim holds what it held before the apply/);
    expect(snapshot()).toEqual(start);
    expect(f.em.writes().slice(before).filter((w) => w.path.endsWith('/policy'))).toEqual([]);
  });

  it('a write whose connection drops after it landed counts as landed: the apply goes on', async () => {
    f.em.faults.dropNthWrite(3, 'after');
    const events: ApplyEvent[] = [];
    const result = await apply(demoWorkspace(), false, events);
    expect(result.ok).toBe(true);
    expect(result.final).toBe('applied');
    expect(events.some((e) => e.type === 'step' && /answer was lost, but the service holds the change/.test(e.message ?? ''))).toBe(true);
    expect(f.svc.backends.size).toBe(3);
  });

  it('a write that dropped before it landed is not undone, the rest is, and the report says restored', async () => {
    const start = snapshot();
    f.em.faults.dropNthWrite(3, 'before');
    const result = await apply(demoWorkspace());
    expect(result.ok).toBe(false);
    expect(result.failed?.message).toMatch(/connection .* failed \(ECONNRESET\); the change may or may not have been made/);
    expect(result.rollback.map((r) => `${r.step.id} ${r.status}`)).toEqual(['aoai-eastus unchanged', 'aoai-uksouth-key restored', 'aoai-eastus-key restored']);
    expect(result.final).toBe('restored');
    expect(snapshot()).toEqual(start);
  });

  it('throttled writes wait as Retry-After says and complete', async () => {
    const events: ApplyEvent[] = [];
    f.em.faults.throttleWrites(8, 0);
    const result = await apply(demoWorkspace(), false, events);
    expect(result.ok).toBe(true);
    expect(f.em.writes().filter((w) => w.status === 429)).toHaveLength(8);
    expect(events.some((e) => e.type === 'throttled')).toBe(true);
    expect(f.svc.backends.size).toBe(3);
  });

  it('keeps what the workspace does not model: backend TLS and proxy, other policy elements', async () => {
    await apply(demoWorkspace());
    const eastus = f.svc.backends.get('aoai-eastus')!.properties;
    f.em.state.putBackend(f.svc, 'aoai-eastus', { ...eastus, tls: { validateCertificateChain: false, validateCertificateName: true }, credentials: { ...(eastus.credentials as Props), query: { tenant: ['contoso'] } } });
    const xml = String(f.svc.apis.get('azure-openai')!.policy!.properties.value).replace('<base />', '<base />\n        <!-- ours -->\n        <rate-limit calls="20" renewal-period="90" />');
    f.em.state.putPolicy(f.svc, 'azure-openai', xml);
    const result = await apply(demoWorkspace((w) => (w.backends['aoai-eastus']!.title = 'renamed')));
    expect(result.ok).toBe(true);
    const after = f.svc.backends.get('aoai-eastus')!.properties;
    expect(after.tls).toEqual({ validateCertificateChain: false, validateCertificateName: true });
    expect(after.credentials).toEqual({ header: { 'api-key': ['{{aoai-eastus-key}}'] }, query: { tenant: ['contoso'] } });
    expect(after.title).toBe('renamed');
    expect(f.svc.apis.get('azure-openai')!.policy!.properties.value).toBe(xml);
    await apply(demoWorkspace((w) => (w.apis!['azure-openai']!.retry = { count: 2, on: [429] })));
    const policy = String(f.svc.apis.get('azure-openai')!.policy!.properties.value);
    expect(policy).toContain('<rate-limit calls="20" renewal-period="90" />');
    expect(policy).toContain('<!-- ours -->');
    expect(policy).toContain('count="2"');
    expect(specProblems(f)).toEqual([]);
  });

  it('a missing API is an error that says to create it first; nothing is written', async () => {
    f.svc.apis.clear();
    const p = await plan(demoWorkspace());
    expect(p.blockers).toEqual([expect.stringMatching(/api 'azure-openai' does not exist in service my-apim: create it first/)]);
    await expect(applyPlan(f.conn, f.target, p, { secrets })).rejects.toThrow(/create it first/);
    expect(f.em.writes()).toEqual([]);
  });

  it('a secret that is not available locally leaves the remote value unchanged, and blocks a create', async () => {
    const none = { get: () => undefined };
    const blocked = await buildPlan(f.conn, f.target, demoWorkspace(), { secrets: none });
    expect(blocked.blockers[0]).toMatch(/secret 'aoai-eastus-key' is not in APIM and not available locally: set BREAKERBOARD_SECRET_AOAI_EASTUS_KEY/);
    await apply(demoWorkspace());
    const later = await buildPlan(f.conn, f.target, demoWorkspace(), { secrets: none });
    expect(later.blockers).toEqual([]);
    expect(later.changes[0]).toMatchObject({ kind: 'namedValue', action: 'unchanged', note: expect.stringMatching(/left unchanged/) });
    const rotated = await buildPlan(f.conn, f.target, demoWorkspace(), { secrets: { get: (n) => `${SECRET_VALUES[n]}-rotated` } });
    expect(rotated.changes.filter((c) => c.action === 'update').map((c) => [c.id, c.fields])).toEqual([
      ['aoai-eastus-key', [{ path: 'value', secret: true }]],
      ['aoai-uksouth-key', [{ path: 'value', secret: true }]],
    ]);
    expect(JSON.stringify(rotated)).not.toContain('sk-');
  });

  it('never puts a secret value in results, events or thrown messages, even when the service echoes one', async () => {
    const secret = SECRET_VALUES['aoai-eastus-key']!;
    f.em.faults.add({ on: 'write', pathIncludes: '/backends/aoai-eastus', action: { kind: 'status', status: 400, code: 'ValidationError', message: `header value ${secret} rejected` } });
    const events: ApplyEvent[] = [];
    const result = await apply(demoWorkspace(), false, events);
    expect(result.ok).toBe(false);
    expect(result.failed?.message).toMatch(/header value \(secret\) rejected/);
    const everything = JSON.stringify({ result, events, plan: await plan(demoWorkspace()) });
    for (const v of Object.values(SECRET_VALUES)) expect(everything).not.toContain(v);
  });

  it('rewrites a pool APIM holds with a url (which the service rejects) without it', async () => {
    f.em.state.putBackend(f.svc, 'mybackendpool', { type: 'Pool', url: 'https://legacy', pool: { services: [] } });
    const p = await plan(demoWorkspace());
    // A pool that APIM holds with a url is rewritten without it (the workspace owns url/protocol on pools).
    expect(p.changes.find((c) => c.id === 'mybackendpool')!.body).not.toHaveProperty('url');
    expect(p.blockers).toEqual([]);
  });

  it('refuses a plan for another service', async () => {
    const p = await plan(demoWorkspace());
    await expect(applyPlan(f.conn, { ...f.target, service: 'other' }, p, { secrets })).rejects.toThrow(/service my-apim in the plan, other for this apply/);
    await expect(applyPlan(f.conn, f.target, p, { secrets, endpoint: 'https://evil.example' })).rejects.toThrow(new RegExp(`endpoint ${f.em.url} in the plan, https://evil.example for this apply`));
    expect(f.em.writes()).toEqual([]);
    expect(SUB).toBeTruthy();
    expect(RG).toBe('rg-ai');
  });
});
