import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan, importService } from '../main/apim';
import { formatPlan } from '../shared/deploy';
import { apiPolicyXml } from '../shared/export';
import { servedByExpression, servedByLines } from '../shared/export/served-by-header';
import { validateWorkspace, type Workspace } from '../shared/model';
import { apimSpecMissing } from './support/apim-spec';
import { portalPolicy } from './support/real-world/portal-policy';
import { demoSecrets, demoWorkspace, startDeployFixture, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * F-OBS-1 through the real SDK and the ARM emulator: an API that already has a policy (the portal's Azure OpenAI
 * template) gets the opt-in served-by header from apply, import reads it back, and taking it out of the workspace
 * takes only it out of the policy.
 */
if (apimSpecMissing) console.warn(`skipping served-by header apply tests: ${apimSpecMissing}`);

const PORTAL = portalPolicy();

const OUTBOUND = '<outbound>\n        <base />';

describe.skipIf(Boolean(apimSpecMissing))('the served-by header: plan, apply, import', () => {
  let f: DeployFixture;
  const secrets = demoSecrets();
  beforeEach(async () => {
    f = await startDeployFixture();
    f.em.state.putPolicy(f.svc, 'azure-openai', PORTAL);
  });
  afterEach(() => f.em.close());

  const plan = (ws: Workspace) => buildPlan(f.conn, f.target, ws, { secrets });
  const apply = async (ws: Workspace) => expect(await applyPlan(f.conn, f.target, await plan(ws), { secrets, sleep: async () => undefined })).toMatchObject({ ok: true });
  const policyText = () => String(f.svc.apis.get('azure-openai')!.policy!.properties.value);
  const withHeader = (name: string) => demoWorkspace((w) => (w.apis!['azure-openai']!.servedByHeader = name));

  it("adds it to the portal template's policy, import reads it back, and removing it restores the policy byte for byte", async () => {
    await apply(demoWorkspace());
    const wired = policyText();
    expect(wired).toContain(`${OUTBOUND}\n    </outbound>`);

    const ws = withHeader('x-served-by');
    const adding = await plan(ws);
    const change = adding.changes.find((c) => c.kind === 'apiPolicy')!;
    const expression = servedByExpression(ws, 'azure-openai');
    expect(change).toMatchObject({
      action: 'update',
      fields: [
        { path: 'servedByHeader', after: 'x-served-by' },
        { path: 'servedByHeader.exists-action', after: 'override' },
        { path: 'servedByHeader.value', after: expression.replace(/\s+/g, ' ') },
      ],
    });
    expect(formatPlan(adding).join('\n')).toContain('set-header: the served-by response header (outbound)');
    await apply(ws);
    // Exactly the export's element, after <base /> in <outbound>; every other byte as before.
    expect(policyText()).toBe(wired.replace(OUTBOUND, `${OUTBOUND}\n${servedByLines('x-served-by', expression).join('\n')}`));
    expect((await plan(ws)).changes.find((c) => c.kind === 'apiPolicy')).toMatchObject({ action: 'unchanged' });

    const { workspace, notes } = await importService(f.conn, f.target);
    expect((workspace.apis as Record<string, unknown>)['azure-openai']).toEqual({ ...ws.apis!['azure-openai'], operations: undefined });
    expect(notes.filter((n) => n.startsWith('apis.'))).toEqual([]);

    const renamed = await plan(withHeader('X-Backend'));
    expect(renamed.changes.find((c) => c.kind === 'apiPolicy')!.fields).toEqual([{ path: 'servedByHeader', before: 'x-served-by', after: 'X-Backend' }]);

    const removing = await plan(demoWorkspace());
    expect(removing.changes.find((c) => c.kind === 'apiPolicy')!.fields).toEqual([
      { path: 'servedByHeader', before: 'x-served-by' },
      { path: 'servedByHeader.exists-action', before: 'override' },
      { path: 'servedByHeader.value', before: expression.replace(/\s+/g, ' ') },
    ]);
    await apply(demoWorkspace());
    expect(policyText()).toBe(wired);
  });

  it('round trip: the exported policy with the header, imported, is the same workspace; a plan of it changes nothing', async () => {
    const ws = withHeader('x-served-by');
    f.em.state.putPolicy(f.svc, 'azure-openai', apiPolicyXml(ws, 'azure-openai'));
    await apply(ws);
    const { workspace } = await importService(f.conn, f.target);
    const v = validateWorkspace({ ...workspace, backends: ws.backends });
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    expect(v.workspace.apis).toEqual(ws.apis);
    expect((await plan(v.workspace)).changes.filter((c) => c.action !== 'unchanged')).toEqual([]);

    // Edited in the portal: another exists-action and a second copy. Import says so; plan puts ours back as written.
    const ours = servedByLines('x-served-by', servedByExpression(ws, 'azure-openai')).join('\n');
    const edited = policyText().replace(ours, `${ours.replace('exists-action="override"', 'exists-action="skip"')}\n${ours}`);
    f.em.state.putPolicy(f.svc, 'azure-openai', edited);
    expect((await importService(f.conn, f.target)).notes).toEqual(['apis.azure-openai.servedByHeader: 2 served-by set-header elements in <outbound>; the first is imported and apply keeps only it']);
    const fix = await plan(ws);
    expect(fix.changes.find((c) => c.kind === 'apiPolicy')!.fields).toEqual([
      { path: 'servedByHeader.copies', before: 2 },
      { path: 'servedByHeader.exists-action', before: 'skip', after: 'override' },
    ]);
    // A value for other URLs (or edited by hand) is said on import; apply puts the backends' mapping back.
    f.em.state.putPolicy(f.svc, 'azure-openai', edited.replace('return "aoai-uksouth"', 'return "elsewhere"'));
    expect((await importService(f.conn, f.target)).notes).toContain("apis.azure-openai.servedByHeader: its value in APIM is not the mapping of this API's backends to their URLs; apply would rewrite it");
    expect((await plan(ws)).changes.find((c) => c.kind === 'apiPolicy')!.fields.map((x) => x.path)).toEqual(['servedByHeader.copies', 'servedByHeader.exists-action', 'servedByHeader.value']);
    await apply(ws);
    expect(policyText()).toBe(apiPolicyXml(ws, 'azure-openai'));
  });

  it("a user's own set-header of that name is not taken for ours: import leaves it aside, plan stops naming it", async () => {
    const user = '        <set-header name="x-served-by" exists-action="override">\n            <value>@(context.Deployment.Region)</value>\n        </set-header>';
    f.em.state.putPolicy(f.svc, 'azure-openai', PORTAL.replace(OUTBOUND, `${OUTBOUND}\n${user}`));
    await apply(demoWorkspace());
    const { workspace, notes } = await importService(f.conn, f.target);
    expect((workspace.apis as Record<string, Record<string, unknown>>)['azure-openai']!.servedByHeader).toBeUndefined();
    expect(notes.find((n) => n.startsWith('apis.azure-openai:'))).toMatch(/: outbound: set-header$/);
    const blocked = await plan(withHeader('X-Served-By'));
    expect(blocked.blockers).toEqual(["api 'azure-openai': its policy cannot be edited: <outbound> already sets header 'x-served-by' with its own value: rename servedByHeader or remove that set-header, then plan again"]);
  });
});
