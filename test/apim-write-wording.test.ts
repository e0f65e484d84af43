import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan } from '../main/apim';
import type { Workspace } from '../shared/model';
import { apimSpecMissing } from './support/apim-spec';
import { demoSecrets, demoWorkspace, startDeployFixture, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * What apply sends for a first policy, and what it says when it finishes or a write fails (issue 19 item 7: survivors of the
 * mutation run in main/apim/intended.ts and resource-ops.ts). The real SDK against the ARM emulator; the
 * assertions are on the request the emulator received and on the apply's failure message.
 */

if (apimSpecMissing) console.warn(`skipping write-wording scenarios: ${apimSpecMissing}`);

const secrets = demoSecrets();
const POLICY = '/apis/azure-openai/policies/policy';

describe.skipIf(Boolean(apimSpecMissing))('apply: the first policy of an API, and what apply says when it finishes or a write fails', () => {
  let f: DeployFixture;
  beforeEach(async () => {
    f = await startDeployFixture();
  });
  afterEach(() => f.em.close());

  const apply = async (ws: Workspace, prune = false) => applyPlan(f.conn, f.target, await buildPlan(f.conn, f.target, ws, { secrets, prune }), { secrets, sleep: async () => undefined });
  const failWrites = (method: string, pathIncludes: string) => f.em.faults.add({ on: 'write', method, pathIncludes, times: 20, sticky: true, action: { kind: 'status', status: 500, code: 'InternalServerError' } });

  it('an API without a policy gets a whole policy, in xml, created without If-Match', async () => {
    expect(f.svc.apis.get('azure-openai')!.policy).toBeUndefined();
    const result = await apply(demoWorkspace());
    expect(result.ok).toBe(true);
    const puts = f.em.writes().filter((w) => w.path.endsWith(POLICY));
    expect(puts).toHaveLength(1);
    expect(puts[0]!.ifMatch).toBeUndefined();
    const sent = (puts[0]!.body as { properties: { value: string; format: string } }).properties;
    expect(sent.format).toBe('xml');
    // Built from nothing: only Breakerboard's elements, each section present once.
    expect(sent.value).toMatch(/^<policies>\s*<inbound>\s*<base \/>\s*<set-backend-service backend-id="mybackendpool" \/>/);
    expect(sent.value.match(/<policies>/g)).toHaveLength(1);
    expect(sent.value).toMatch(/<\/policies>\s*$/);
    expect(f.em.specErrors).toEqual([]);
  });

  it('a finished apply says how many changes it made, in words that count', async () => {
    expect((await apply(demoWorkspace())).message).toBe('applied 6 changes to my-apim');
    const again = await apply(demoWorkspace());
    expect(again).toMatchObject({ ok: true, message: 'no changes: my-apim already matches the workspace' });
    const one = await apply(demoWorkspace((w) => void (w.pools!.mybackendpool!.services[1]!.weight = 4)));
    expect(one.message).toBe('applied 1 change to my-apim');
  });

  it('a named value whose write fails: the message says the service failed while writing it', async () => {
    failWrites('PUT', '/namedValues/aoai-eastus-key');
    const result = await apply(demoWorkspace());
    expect(result.failed?.message).toMatch(/^named value 'aoai-eastus-key' in .*my-apim.*: the service failed while writing it \(500/);
  });

  it('a policy whose write fails: the message says the service failed while writing it', async () => {
    failWrites('PUT', POLICY);
    const result = await apply(demoWorkspace());
    expect(result.failed?.message).toMatch(/^the policy of api 'azure-openai' in .*my-apim.*: the service failed while writing it \(500/);
  });

  it('a delete that fails (--prune): the message says the service failed while writing it', async () => {
    expect((await apply(demoWorkspace())).ok).toBe(true);
    f.em.state.putBackend(f.svc, 'legacy-b', { url: 'https://b.example.net', protocol: 'http' });
    failWrites('DELETE', '/backends/legacy-b');
    const result = await apply(demoWorkspace(), true);
    expect(result.failed?.step).toMatchObject({ id: 'legacy-b', action: 'delete' });
    expect(result.failed?.message).toMatch(/^backend 'legacy-b' in .*my-apim.*: the service failed while writing it \(500/);
    expect(f.svc.backends.has('legacy-b')).toBe(true);
  });
});
