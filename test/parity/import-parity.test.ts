import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan, importService } from '../../main/apim';
import { validateWorkspace } from '../../shared/model';
import { apimSpecMissing } from '../support/apim-spec';
import { demoSecrets, demoWorkspace, startDeployFixture, type DeployFixture } from '../support/arm-emulator/fixtures';

/*
 * What import brings so the local gateway behaves like the service it was read from (docs/apim-fidelity.md): the
 * API's operations (F-OPS-1), the forward-request timeout (F-RETRY-6) and response buffering (F-STREAM-1); and
 * planning the imported workspace against the same service changes nothing.
 */
if (apimSpecMissing) console.warn(`skipping import parity tests: ${apimSpecMissing}`);

describe.skipIf(Boolean(apimSpecMissing))('import parity', () => {
  let f: DeployFixture;
  const secrets = demoSecrets();
  beforeEach(async () => {
    f = await startDeployFixture();
  });
  afterEach(() => f.em.close());

  it("brings the API's operations, timeout and streaming; a plan of the result is empty", async () => {
    const ws = demoWorkspace();
    ws.apis!['azure-openai'] = { ...ws.apis!['azure-openai']!, timeout: 'PT60S', stream: true };
    await applyPlan(f.conn, f.target, await buildPlan(f.conn, f.target, ws, { secrets }), { secrets });
    f.em.state.addOperation(f.svc, 'azure-openai', 'ChatCompletions_Create', { method: 'POST', urlTemplate: '/deployments/{deployment-id}/chat/completions?api-version={api-version}' });
    f.em.state.addOperation(f.svc, 'azure-openai', 'embeddings_create', { method: 'POST', urlTemplate: '/deployments/{deployment-id}/embeddings?api-version={api-version}' });
    const { workspace, notes } = await importService(f.conn, f.target);
    expect(notes).toEqual([]);
    expect((workspace.apis as Record<string, unknown>)['azure-openai']).toMatchObject({
      timeout: 'PT60S',
      stream: true,
      operations: [
        { method: 'POST', urlTemplate: '/deployments/{deployment-id}/chat/completions?api-version={api-version}' },
        { method: 'POST', urlTemplate: '/deployments/{deployment-id}/embeddings?api-version={api-version}' },
      ],
    });
    const valid = validateWorkspace(workspace);
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    const plan = await buildPlan(f.conn, f.target, valid.workspace, { secrets });
    expect(plan.changes.filter((c) => c.action !== 'unchanged')).toEqual([]);
  });

  it('imports no operations when one cannot be held, and says so', async () => {
    await applyPlan(f.conn, f.target, await buildPlan(f.conn, f.target, demoWorkspace(), { secrets }), { secrets });
    f.em.state.addOperation(f.svc, 'azure-openai', 'ok', { method: 'POST', urlTemplate: '/deployments/{id}/chat/completions' });
    f.em.state.addOperation(f.svc, 'azure-openai', 'odd', { method: 'POST', urlTemplate: 'no-leading-slash' });
    const { workspace, notes } = await importService(f.conn, f.target);
    expect((workspace.apis as Record<string, Record<string, unknown>>)['azure-openai']!.operations).toBeUndefined();
    expect(notes).toEqual(["apis.azure-openai.operations: 'POST no-leading-slash' cannot be written in a workspace; no operations imported (the local gateway serves every path)"]);
  });
});
