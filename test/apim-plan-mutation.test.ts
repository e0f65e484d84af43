import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan } from '../main/apim';
import type { Workspace } from '../shared/model';
import { apimSpecMissing } from './support/apim-spec';
import { demoSecrets, demoWorkspace, SECRET_VALUES, startDeployFixture, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * What a plan shows (mutation run: these survived): named values found by display name, their fields and the
 * tags kept, Key Vault references, the policy's wiring view (base-url, forward-request), policies that are blank,
 * links or not editable, checks on unchanged backends, and pools left over in APIM.
 */

const TOUCHES = ['set-backend-service', 'retry', 'authentication-managed-identity (Azure OpenAI)', 'token-limit and emit-token-metric (first of each)', 'on-error: the 502 / 504 answer for no response', 'set-header: the served-by response header (outbound)'];
const KEEPS = ['every other element, attribute, comment and whitespace'];

describe.skipIf(Boolean(apimSpecMissing))('buildPlan against the emulator', () => {
  let f: DeployFixture;
  beforeEach(async () => {
    f = await startDeployFixture();
  });
  afterEach(() => f.em.close());
  const plan = (ws: Workspace = demoWorkspace(), prune = false) => buildPlan(f.conn, f.target, ws, { secrets: demoSecrets(), prune });
  const deployDemo = async () => {
    const r = await applyPlan(f.conn, f.target, await plan(), { secrets: demoSecrets() });
    if (!r.ok) throw new Error(r.message);
  };
  const policyOf = async (ws?: Workspace) => (await plan(ws)).changes.find((c) => c.kind === 'apiPolicy');

  it('a new named value shows its name, secret and a hidden value', async () => {
    const p = await plan();
    expect(p.changes[0]).toEqual({
      kind: 'namedValue',
      id: 'aoai-eastus-key',
      action: 'create',
      fields: [{ path: 'displayName', after: 'aoai-eastus-key' }, { path: 'secret', after: true }, { path: 'value', secret: true }],
      body: { displayName: 'aoai-eastus-key', secret: true },
      secretName: 'aoai-eastus-key',
    });
  });

  it('finds a named value by its display name, turns it secret and keeps its tags', async () => {
    const nv = f.em.state.putNamedValue(f.svc, 'nv-east', { displayName: 'aoai-eastus-key', secret: false, value: SECRET_VALUES['aoai-eastus-key'], tags: ['team-a'] });
    const uk = f.em.state.putNamedValue(f.svc, 'aoai-uksouth-key', { secret: true, value: 'old-value-1234', tags: [] });
    const p = await plan();
    expect(p.changes.slice(0, 2)).toEqual([
      { kind: 'namedValue', id: 'nv-east', etag: nv.etag, action: 'update', fields: [{ path: 'secret', before: false, after: true }], body: { displayName: 'aoai-eastus-key', secret: true, tags: ['team-a'] }, secretName: 'aoai-eastus-key' },
      { kind: 'namedValue', id: 'aoai-uksouth-key', etag: uk.etag, action: 'update', fields: [{ path: 'value', secret: true }], body: { displayName: 'aoai-uksouth-key', secret: true }, secretName: 'aoai-uksouth-key' },
    ]);
  });

  it('a named value without tags, already as wanted, is unchanged; a Key Vault reference is kept as it is', async () => {
    const east = f.em.state.putNamedValue(f.svc, 'aoai-eastus-key', { secret: true, value: SECRET_VALUES['aoai-eastus-key'] });
    const uk = f.em.state.putNamedValue(f.svc, 'aoai-uksouth-key', { secret: true, keyVault: { secretIdentifier: 'https://kv.vault.azure.net/secrets/uk' } });
    const p = await plan();
    expect(p.changes.slice(0, 2)).toEqual([
      { kind: 'namedValue', id: 'aoai-eastus-key', etag: east.etag, action: 'unchanged', fields: [], body: { displayName: 'aoai-eastus-key', secret: true }, secretName: 'aoai-eastus-key' },
      { kind: 'namedValue', id: 'aoai-uksouth-key', etag: uk.etag, action: 'unchanged', fields: [], note: 'a Key Vault reference: kept as it is' },
    ]);
  });

  it("the policy view shows a base-url as the backend it replaces, and what an update touches and keeps", async () => {
    await deployDemo();
    const xml = String(f.svc.apis.get('azure-openai')!.policy!.properties.value);
    const policy = f.em.state.putPolicy(f.svc, 'azure-openai', xml.replace(/<set-backend-service backend-id="mybackendpool" \/>/, '<set-backend-service base-url="https://old.example.com/openai" />'));
    expect(await policyOf()).toEqual({
      kind: 'apiPolicy',
      id: 'azure-openai',
      action: 'update',
      etag: policy.etag,
      fields: [{ path: 'backend-id', before: 'https://old.example.com/openai', after: 'mybackendpool' }],
      body: { wiring: expect.any(Object) },
      touches: TOUCHES,
      keeps: KEEPS,
    });
  });

  it('a policy that only lacks its inbound section is an update that says so', async () => {
    await deployDemo();
    const xml = String(f.svc.apis.get('azure-openai')!.policy!.properties.value);
    f.em.state.putPolicy(f.svc, 'azure-openai', xml.replace(/<inbound>[\s\S]*?<\/inbound>/, ''));
    expect((await policyOf())?.fields).toEqual([{ path: 'policy', before: 'sections missing', after: 'inbound/backend sections added' }]);
  });

  it('the forward-request view shows the timeout and streaming the workspace sets, and nothing when it sets neither', async () => {
    const fwd = async (edit: (a: NonNullable<Workspace['apis']>[string]) => void) =>
      (await policyOf(demoWorkspace((w) => edit(w.apis!['azure-openai']!))))?.fields.filter((x) => x.path.startsWith('forward-request'));
    expect(await fwd(() => undefined)).toEqual([]);
    expect(await fwd((a) => ((a.timeout = 'PT30S'), (a.stream = true)))).toEqual([{ path: 'forward-request', after: { timeout: 'PT30S', 'buffer-response': 'false' } }]);
    expect(await fwd((a) => (a.timeout = 'PT30S'))).toEqual([{ path: 'forward-request', after: { timeout: 'PT30S' } }]);
    expect(await fwd((a) => (a.stream = true))).toEqual([{ path: 'forward-request', after: { 'buffer-response': 'false' } }]);
  });

  it('a blank policy is created; a linked or unreadable one is a blocker; a different path is a note', async () => {
    f.em.state.putPolicy(f.svc, 'azure-openai', '  \n  ');
    expect((await policyOf())?.action).toBe('create');
    f.em.state.putPolicy(f.svc, 'azure-openai', '<policies />');
    expect((await plan()).blockers).toEqual(["api 'azure-openai': its policy cannot be edited: the policy has no <policies> element"]);
    f.em.state.putPolicy(f.svc, 'azure-openai', '<policies><inbound><base /></inbound></policies>').properties.format = 'xml-link';
    const p = await plan(demoWorkspace((w) => (w.apis!['azure-openai']!.path = 'aoai')));
    expect(p.blockers).toEqual(["api 'azure-openai': its policy is a link (xml-link); Breakerboard edits inline policies only"]);
    expect(p.notes).toEqual(["api 'azure-openai': its path in APIM is 'openai', the workspace says 'aoai' (apply does not change APIs)"]);
  });

  it("the policy view shows a user retry's waits, and none when it has no timing attribute, beside Breakerboard's", async () => {
    await deployDemo();
    const xml = String(f.svc.apis.get('azure-openai')!.policy!.properties.value);
    const timing = async (attrs: string) => {
      f.em.state.putPolicy(f.svc, 'azure-openai', xml.replace(/ interval="0" first-fast-retry="true"/, attrs));
      return (await policyOf())?.fields.filter((x) => x.path === 'retry.timing');
    };
    expect(await timing(' interval="2" delta="1"')).toEqual([{ path: 'retry.timing', before: 'interval=2 delta=1', after: 'interval=0 first-fast-retry=true' }]);
    expect(await timing('')).toEqual([{ path: 'retry.timing', before: '(none)', after: 'interval=0 first-fast-retry=true' }]);
  });

  it('a policy that is not well-formed as read is a blocker naming what and where, and it is left as it was', async () => {
    // APIM stores only well-formed policies, so this is a misreading; an edit placed by it would land in the wrong place.
    const broken = '<policies>\n  <inbound>\n    <base />\n    <set-backend-service backend-id="old" />\n  <backend>\n    <base />\n  </backend>\n</policies>';
    const before = f.em.state.putPolicy(f.svc, 'azure-openai', broken).etag;
    const p = await plan();
    expect(p.blockers).toEqual([
      "api 'azure-openai': its policy cannot be edited: it is not well-formed XML as Breakerboard reads it: <inbound> is never closed (line 2, column 3). APIM keeps only well-formed policies, so look at that spot in the portal's policy editor; nothing in this policy is changed",
    ]);
    expect(p.changes.some((c) => c.kind === 'apiPolicy')).toBe(false);
    expect(f.svc.apis.get('azure-openai')!.policy).toEqual({ properties: { value: broken, format: 'xml' }, etag: before });
  });

  // buildPlan is also a library call: a body over the spec's limits (a workspace object that skipped validation)
  // is a blocker only when the plan would write it; a breaker on Consumption is one even when unchanged.
  it('an unchanged backend is not blocked for what APIM already holds, a changed one is, and a breaker on Consumption always is', async () => {
    await deployDemo();
    const long = 'd'.repeat(2001);
    const ws = demoWorkspace((w) => (w.backends['aoai-eastus']!.description = long));
    expect((await plan(ws)).blockers).toEqual(["backend 'aoai-eastus': description: must be 1 to 2000 characters"]);
    const east = f.svc.backends.get('aoai-eastus')!;
    f.em.state.putBackend(f.svc, 'aoai-eastus', { ...east.properties, description: long });
    const same = await plan(ws);
    expect(same.changes.find((c) => c.id === 'aoai-eastus')?.action).toBe('unchanged');
    expect(same.blockers).toEqual([]);
    f.svc.sku = 'Consumption';
    const consumption = await plan();
    expect(consumption.changes.filter((c) => c.id === 'aoai-uksouth').map((c) => c.action)).toEqual(['unchanged']);
    expect(consumption.blockers).toEqual(
      ['aoai-eastus', 'aoai-uksouth'].map((id) => `backend '${id}': circuitBreaker: Circuit breaker isn't supported in the Consumption tier (service my-apim has SKU Consumption); remove the rule or deploy to a Developer, Basic, Standard, Premium or v2 tier`),
    );
  });

  it('backends and pools only in APIM are kept with a note, or deleted pools first with --prune', async () => {
    await deployDemo();
    const ws = demoWorkspace((w) => {
      delete w.pools!['mybackendpool'];
      delete w.backends['aoai-uksouth'];
      delete w.apis;
    });
    const kept = await plan(ws);
    expect(kept.notes).toEqual([
      "pool 'mybackendpool' is in APIM but not in the workspace: kept (--prune deletes it)",
      "backend 'aoai-uksouth' is in APIM but not in the workspace: kept (--prune deletes it)",
    ]);
    const pruned = await plan(ws, true);
    expect(pruned.changes.filter((c) => c.action === 'delete').map((c) => `${c.kind} ${c.id}`)).toEqual(['pool mybackendpool', 'backend aoai-uksouth']);
  });
});
