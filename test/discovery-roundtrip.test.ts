import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan, staticTokenCredential } from '../main/apim';
import { apimSpecMissing } from './support/apim-spec';
import { startDeployFixture } from './support/arm-emulator/fixtures';
import { discoverAccounts } from '../main/openai-accounts';
import type { DiscoveredAccount } from '../shared/contract/discovery';
import { addDiscoveredBackends, applySuggestion, suggestPool, type DeploymentPick } from '../shared/edit';
import { exportArmTemplate, exportBicep, singleBackendProperties } from '../shared/export';
import { serializeWorkspace, validateWorkspace, validateWorkspaceText, type Workspace } from '../shared/model';
import { startCognitiveEmulator, SUB_A, SUB_B, type CognitiveEmulator } from './support/cognitive-emulator';

/*
 * Issue 17, end to end below the UI: discovery through the real SDK against the Cognitive Services emulator →
 * backends added in one step → the pool suggestion → validation → export (nothing APIM would reject) → save and
 * reload (the capacity facts survive in the file).
 */

if (apimSpecMissing) console.warn(`skipping the APIM plan/apply step of the discovery round trip: ${apimSpecMissing}`);

const TOKEN = 'test-token';
let arm: CognitiveEmulator;
const retry = { maxRetries: 0 };

beforeAll(async () => {
  arm = await startCognitiveEmulator({ token: TOKEN, pageSize: 1 });
});
afterAll(async () => {
  await arm?.close();
});

const discover = (subscriptions?: string[], token = TOKEN) => discoverAccounts({ credential: staticTokenCredential(token), endpoint: arm.url, subscriptions, retry });

describe('discover', () => {
  it('lists OpenAI and AI Foundry accounts of every subscription, with capacity as the service reports it', async () => {
    const r = await discover();
    expect(r.problems).toEqual([]);
    expect(r.accounts.map((a) => a.name)).toEqual(['aoai-swedencentral', 'aoai-uksouth', 'foundry-eastus2']);
    const sweden = r.accounts[0]!;
    expect(sweden).toMatchObject({ region: 'swedencentral', endpoint: 'https://aoai-swedencentral.openai.azure.com/', kind: 'OpenAI', subscription: SUB_A, resourceGroup: 'rg-ai' });
    expect(sweden.deployments).toEqual([
      { name: 'embed', model: 'text-embedding-3-small', version: '1', sku: 'Standard', capacity: 350, tokensPerMinute: 350_000, requestsPerMinute: 2100 },
      // PTU: the capacity is PTUs; the token rate is not reported and not guessed.
      { name: 'gpt-4o-ptu', model: 'gpt-4o', version: '2024-08-06', sku: 'ProvisionedManaged', capacity: 100, tokensPerMinute: null, requestsPerMinute: null },
    ]);
    // AI Foundry: the OpenAI endpoint of the account's endpoint list, not the generic one.
    expect(r.accounts[2]!.endpoint).toBe('https://foundry-eastus2.openai.azure.com/');
    // Paging was followed (page size 1).
    expect(arm.requests.some((q) => q.query.$skiptoken)).toBe(true);
  });

  it('a subscription it cannot read is reported; the others are still listed', async () => {
    const denied = await startCognitiveEmulator({ token: TOKEN, forbidden: [SUB_B] });
    try {
      const r = await discoverAccounts({ credential: staticTokenCredential(TOKEN), endpoint: denied.url, retry });
      expect(r.accounts.map((a) => a.name)).toEqual(['aoai-swedencentral', 'aoai-uksouth']);
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toContain(SUB_B);
    } finally {
      await denied.close();
    }
  });

  it('a rejected sign-in stops with a message saying what to do', async () => {
    await expect(discover([SUB_A], 'wrong')).rejects.toThrow(/az login|sign/i);
  });
});

describe('discovery → backends → suggestion → validate → export', () => {
  let accounts: DiscoveredAccount[];
  let ws: Workspace;

  beforeAll(async () => {
    accounts = (await discover()).accounts;
    const picks: DeploymentPick[] = accounts.flatMap((account) => account.deployments.filter((d) => d.model === 'gpt-4o').map((deployment) => ({ account, deployment })));
    const added = addDiscoveredBackends({ version: 1, backends: {} }, picks);
    expect(added.added).toEqual(['aoai-swedencentral-gpt-4o-ptu', 'aoai-uksouth-gpt-4o', 'foundry-eastus2-gpt-4o-global', 'foundry-eastus2-gpt-4o-ptu-east']);
    ws = added.workspace;
  });

  it('adds each deployment as a backend: URL, /openai, managed identity, title with region and SKU, capacity', () => {
    expect(ws.backends['aoai-uksouth-gpt-4o']).toEqual({
      title: 'gpt-4o (uksouth, Standard)',
      url: 'https://aoai-uksouth.openai.azure.com/openai',
      auth: { type: 'managed-identity' },
      capacity: { sku: 'Standard', tokensPerMinute: 30_000, requestsPerMinute: 180, model: 'gpt-4o', modelVersion: '2024-08-06', region: 'uksouth', deployment: 'gpt-4o' },
    });
    expect(ws.backends['foundry-eastus2-gpt-4o-ptu-east']!.capacity).toMatchObject({ sku: 'GlobalProvisionedManaged', ptu: 300 });
    // Adding the same deployments again adds nothing.
    const again = addDiscoveredBackends(ws, accounts.flatMap((account) => account.deployments.filter((d) => d.model === 'gpt-4o').map((deployment) => ({ account, deployment }))));
    expect(again.added).toEqual([]);
    expect(again.workspace).toBe(ws);
  });

  it('suggests PTU in priority 1 and pay-as-you-go in priority 2, weights by capacity, breakers by SKU', () => {
    const r = suggestPool(ws, { model: 'gpt-4o' });
    if (!r.ok) throw new Error(r.message);
    const s = r.suggestion;
    expect(s.pool).toBe('pool-gpt-4o');
    expect(s.members).toEqual([
      { backend: 'aoai-swedencentral-gpt-4o-ptu', lane: 'ptu', priority: 1, weight: 1, capacity: 100 },
      { backend: 'foundry-eastus2-gpt-4o-ptu-east', lane: 'ptu', priority: 1, weight: 3, capacity: 300 },
      { backend: 'aoai-uksouth-gpt-4o', lane: 'payg', priority: 2, weight: 1, capacity: 30_000 },
      { backend: 'foundry-eastus2-gpt-4o-global', lane: 'payg', priority: 2, weight: 15, capacity: 450_000 },
    ]);
    expect(s.changes.map((c) => c.path)).toEqual([
      'pools.pool-gpt-4o',
      'backends.aoai-swedencentral-gpt-4o-ptu.circuitBreaker',
      'backends.foundry-eastus2-gpt-4o-ptu-east.circuitBreaker',
      'backends.aoai-uksouth-gpt-4o.circuitBreaker',
      'backends.foundry-eastus2-gpt-4o-global.circuitBreaker',
      'apis.azure-openai',
    ]);
    const ptuRule = (s.changes[1]!.after as { rules: { failureCondition: { statusCodeRanges: unknown } ; acceptRetryAfter: boolean }[] }).rules[0]!;
    expect(ptuRule.failureCondition.statusCodeRanges).toEqual([{ min: 429, max: 429 }]);
    expect(ptuRule.acceptRetryAfter).toBe(true);
    const paygRule = (s.changes[3]!.after as { rules: { failureCondition: { statusCodeRanges: unknown } }[] }).rules[0]!;
    expect(paygRule.failureCondition.statusCodeRanges).toEqual([{ min: 429, max: 429 }, { min: 500, max: 599 }]);
    expect(s.notes.join(' ')).toMatch(/deployment names differ/);
  });

  it('accepting only some changes applies only those; the rest stays as it was', () => {
    const r = suggestPool(ws, { model: 'gpt-4o' });
    if (!r.ok) throw new Error(r.message);
    const partial = applySuggestion(ws, r.suggestion, ['pools.pool-gpt-4o']);
    expect(partial.pools?.['pool-gpt-4o']?.services).toHaveLength(4);
    expect(partial.backends['aoai-uksouth-gpt-4o']!.circuitBreaker).toBeUndefined();
    expect(ws.pools).toBeUndefined();
  });

  it('the accepted workspace validates, exports without capacity, and keeps capacity through save and reload', () => {
    const r = suggestPool(ws, { model: 'gpt-4o' });
    if (!r.ok) throw new Error(r.message);
    const accepted = applySuggestion(ws, r.suggestion);
    const v = validateWorkspace(accepted);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    expect(v.warnings.filter((w) => /capacit/.test(w.message))).toEqual([]);
    const bicep = exportBicep(v.workspace);
    const arm = JSON.stringify(exportArmTemplate(v.workspace));
    for (const text of [bicep, arm, JSON.stringify(singleBackendProperties(v.workspace.backends['aoai-uksouth-gpt-4o']!))]) {
      for (const word of ['capacity', 'tokensPerMinute', 'requestsPerMinute', 'modelVersion', 'ptu:', '"ptu"']) expect(text).not.toContain(word);
    }
    expect(bicep).toContain("'pool-gpt-4o'");
    const yaml = serializeWorkspace(v.workspace, 'yaml');
    const back = validateWorkspaceText(yaml);
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect(back.workspace).toEqual(v.workspace);
  });

  it.skipIf(Boolean(apimSpecMissing))('plans and applies to APIM (the spec-validating ARM emulator) without any capacity field', async () => {
    const r = suggestPool(ws, { model: 'gpt-4o' });
    if (!r.ok) throw new Error(r.message);
    const v = validateWorkspace(applySuggestion(ws, r.suggestion));
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    const f = await startDeployFixture();
    try {
      const plan = await buildPlan(f.conn, f.target, v.workspace, { secrets: { get: () => undefined } });
      expect(JSON.stringify(plan)).not.toMatch(/capacity|tokensPerMinute|modelVersion/);
      const applied = await applyPlan(f.conn, f.target, plan, { secrets: { get: () => undefined } });
      expect(applied.ok).toBe(true);
      expect(f.em.writes().length).toBeGreaterThan(4);
      expect(f.em.specErrors).toEqual([]);
      expect(JSON.stringify(f.em.writes().map((w) => w.body))).not.toMatch(/capacity|tokensPerMinute/);
    } finally {
      await f.em.close();
    }
  });

  it('names the field when the model has no deployments or the pool id is taken', () => {
    expect(suggestPool(ws, { model: 'gpt-5' })).toEqual({ ok: false, message: 'no backend with a recorded capacity serves gpt-5 (models: gpt-4o)' });
    expect(suggestPool(ws, { model: 'gpt-4o', pool: 'aoai-uksouth-gpt-4o' })).toMatchObject({ ok: false, message: expect.stringMatching(/^pool: /) });
  });
});
