import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../shared/contract';
import type { ApplyProgressEvent } from '../../shared/contract/apim';
import { applyPlan, buildPlan } from '../apim';
import { apimSpecMissing } from '../../test/support/apim-spec';
import { demoSecrets, demoWorkspace, RG, SUB, SVC, startDeployFixture, TOKEN, type DeployFixture } from '../../test/support/arm-emulator/fixtures';
import { accountFromToken } from './apim-account';
import { removedMemberWarnings, toPlanView } from './apim-plan-view';
import { createApimService, type ApimServiceImpl } from './apim-service';

/*
 * The deploy service over the real APIM client and SDK, pointed at the ARM emulator through its endpoint
 * setting (the same setting a sovereign-cloud user changes).
 */

const target = { subscription: SUB, resourceGroup: RG, service: SVC };
const jwt = (claims: object) => `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

// The emulator checks every body against the APIM spec; without it (APIM_SPEC_DIR), it cannot answer.
if (apimSpecMissing) console.warn(`skipping the apim service scenarios: ${apimSpecMissing}`);

describe.skipIf(Boolean(apimSpecMissing))('apim service against the ARM emulator', () => {
  let f: DeployFixture;
  let svc: ApimServiceImpl;
  let open: Record<string, unknown>;
  beforeEach(async () => {
    f = await startDeployFixture();
    // The demo is already in APIM: what a user who deployed it once with the CLI has.
    await applyPlan(f.conn, f.target, await buildPlan(f.conn, f.target, demoWorkspace(), { secrets: demoSecrets() }), { secrets: demoSecrets() });
    open = demoWorkspace() as unknown as Record<string, unknown>;
    svc = createApimService({ secrets: demoSecrets(), workspace: { value: () => open }, retry: { maxRetries: 0 } });
  });
  afterEach(() => f.em.close());

  const signIn = async () => {
    await svc.setSettings({ endpoint: f.em.url });
    return svc.signIn({ method: 'token', token: TOKEN });
  };

  it('refuses plain http to a remote host and keeps the setting', async () => {
    await expect(svc.setSettings({ endpoint: 'http://arm.example.com' })).rejects.toMatchObject({ code: 'bad-request', path: 'endpoint' });
    expect((await svc.settings()).endpoint).toBe('https://management.azure.com');
  });

  it('signs in with a token, lists subscriptions, groups and services, and signs out', async () => {
    const events: unknown[] = [];
    svc.onAccountChanged((a) => events.push(a));
    const account = await signIn();
    expect(account).toMatchObject({ signedIn: true, method: 'token', tenant: '72f988bf-0000-0000-0000-000000000000', endpoint: f.em.url });
    expect(JSON.stringify(account)).not.toContain(TOKEN);
    expect(await svc.listSubscriptions()).toEqual([expect.objectContaining({ id: SUB })]);
    expect(await svc.listResourceGroups({ subscription: SUB })).toEqual([RG]);
    expect(await svc.listServices({ subscription: SUB, resourceGroup: RG })).toEqual([{ name: SVC, resourceGroup: RG, location: 'eastus', sku: 'Developer' }]);
    await svc.signOut();
    expect(events).toHaveLength(2);
    await expect(svc.listSubscriptions()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/sign in first/) });
  });

  it('a missing Azure CLI is "Azure CLI not found" (sign-in, not an internal error / HTTP 500); a failed listing is a read, not "may or may not have been made"', async () => {
    const missing = Object.assign(new Error('Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions.'), { name: 'CredentialUnavailableError' });
    const cli = createApimService({ secrets: demoSecrets(), workspace: { value: () => open }, retry: { maxRetries: 0 }, credentials: () => ({ getToken: () => Promise.reject(missing) }) });
    await cli.setSettings({ endpoint: f.em.url });
    await expect(cli.signIn({ method: 'cli' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^Azure CLI not found/) });
    await signIn();
    f.em.faults.add({ on: 'read', action: { kind: 'drop', when: 'before' } });
    const e = await svc.listSubscriptions().catch((x: unknown) => x as ContractError);
    expect(e).toBeInstanceOf(ContractError);
    expect((e as ContractError).message).toMatch(/nothing was changed \(this was a read\)/);
    expect((e as ContractError).message).not.toMatch(/may or may not/);
  });

  it('a wrong token is refused at sign-in with what to do', async () => {
    await svc.setSettings({ endpoint: f.em.url });
    const e = await svc.signIn({ method: 'token', token: 'wrong' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ContractError);
    expect((e as Error).message).toMatch(/401.*az login/);
    expect((await svc.account()).signedIn).toBe(false);
  });

  it('imports what was read and what was kept aside', async () => {
    f.em.state.putBackend(f.svc, 'legacy-sf', { url: 'fabric:/app/svc', protocol: 'http' });
    await signIn();
    const r = await svc.import({ target });
    expect(r.read).toEqual({ backends: ['aoai-eastus', 'aoai-uksouth'], pools: ['mybackendpool'], apis: ['azure-openai'] });
    expect(r.keptAside.join('\n')).toMatch(/legacy-sf: url "fabric:\/app\/svc" is not an http\(s\) URL/);
  });

  it('plans exactly one weight change, applies it with progress, and a plan is used once', async () => {
    await signIn();
    const ws = demoWorkspace((w) => (w.pools!.mybackendpool!.services[1]!.weight = 5));
    const plan = await svc.plan({ target, workspace: ws as unknown as Record<string, unknown> });
    const changed = plan.changes.filter((c) => c.action !== 'unchanged');
    expect(changed).toEqual([{ kind: 'pool', id: 'mybackendpool', action: 'update', fields: [{ path: 'pool.services[1].weight', before: 1, after: 5 }], touches: ['title', 'description', 'type', 'pool.services', 'pool.failureResponse', 'pool.sessionAffinity'] }]);
    expect(JSON.stringify(plan)).not.toMatch(/sk-EASTUS|"body"/);
    const events: ApplyProgressEvent[] = [];
    svc.onApplyProgress((p) => p.planId === plan.planId && events.push(p.event));
    const report = await svc.apply({ planId: plan.planId });
    expect(report).toMatchObject({ ok: true, outcome: 'applied', restored: true });
    expect(f.svc.backends.get('mybackendpool')!.properties).toMatchObject({ pool: { services: [expect.anything(), expect.objectContaining({ weight: 5 })] } });
    expect(events.map((e) => e.type)).toEqual(['start', 'step', 'step', 'finish']);
    await expect(svc.apply({ planId: plan.planId })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a change made in APIM since the plan stops the apply: outcome changed-since-plan', async () => {
    await signIn();
    const plan = await svc.plan({ target, workspace: demoWorkspace((w) => (w.pools!.mybackendpool!.services[1]!.weight = 5)) as unknown as Record<string, unknown> });
    f.em.faults.add({ on: 'write', action: { kind: 'status', status: 412, code: 'PreconditionFailed' } });
    const report = await svc.apply({ planId: plan.planId });
    expect(report).toMatchObject({ ok: false, outcome: 'changed-since-plan', restored: true });
  });

  it('refuses to plan an invalid workspace, naming the field', async () => {
    await signIn();
    const ws = demoWorkspace((w) => (w.pools!.mybackendpool!.services[1]!.weight = 500));
    await expect(svc.plan({ target, workspace: ws as unknown as Record<string, unknown> })).rejects.toMatchObject({ code: 'invalid-workspace', path: 'pools.mybackendpool.services[1].weight' });
  });
});

describe('plan view', () => {
  it('warns about a member removed while it takes traffic, masks literal credentials, drops bodies', () => {
    const change = {
      kind: 'pool' as const,
      id: 'p',
      action: 'update' as const,
      fields: [{ path: 'pool.services[1]', before: { id: '/backends/b', priority: 1, weight: 1 } }],
      body: { type: 'Pool', pool: { services: [{ id: '/backends/a', priority: 1, weight: 3 }] } },
    };
    expect(removedMemberWarnings(change)).toEqual([{ kind: 'pool', id: 'p', message: "member 'b' is about to be removed while it still takes traffic (about 25% of requests, priority 1, weight 1)" }]);
    const view = toPlanView(
      {
        kind: 'breakerboard-plan',
        version: 1,
        createdAt: 't',
        target: { ...target, endpoint: 'https://management.azure.com' },
        prune: false,
        changes: [change, { kind: 'backend', id: 'a', action: 'update', fields: [{ path: 'credentials.header.api-key', before: ['literal-key'], after: ['{{k}}'] }], body: { x: 1 } }],
        blockers: [],
        notes: [],
      },
      'id-1',
    );
    expect(view.changes[1]!.fields).toEqual([{ path: 'credentials.header.api-key', before: '(hidden)', after: ['{{k}}'] }]);
    expect(JSON.stringify(view)).not.toContain('literal-key');
    expect(view.warnings).toHaveLength(1);
  });

  it('reads who is signed in from the token claims', () => {
    expect(accountFromToken(jwt({ upn: 'ada@contoso.com', tid: 't-1' }))).toEqual({ user: 'ada@contoso.com', tenant: 't-1' });
    expect(accountFromToken(jwt({ appid: 'abc' }))).toEqual({ user: 'app abc', tenant: null });
    expect(accountFromToken('opaque')).toEqual({ user: null, tenant: null });
  });
});
