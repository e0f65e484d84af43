import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan } from '../main/apim';
import { apimSpecMissing } from './support/apim-spec';
import { demoSecrets, demoWorkspace, startDeployFixture, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * Apply's precondition for a create (mutation run: it survived): a create is a PUT without If-Match, so if someone
 * created the resource after the plan, only this check keeps their resource from being overwritten.
 */

describe.skipIf(Boolean(apimSpecMissing))('apply: a create meets a resource created since the plan', () => {
  let f: DeployFixture;
  beforeEach(async () => {
    f = await startDeployFixture();
  });
  afterEach(() => f.em.close());

  it('stops with a clear message and leaves the other resource as it is', async () => {
    const secrets = demoSecrets();
    const p = await buildPlan(f.conn, f.target, demoWorkspace(), { secrets, prune: false });
    expect(p.changes.find((c) => c.id === 'aoai-eastus')?.action).toBe('create');
    f.em.state.putBackend(f.svc, 'aoai-eastus', { url: 'https://portal-made.openai.azure.com/openai', protocol: 'http' });
    const result = await applyPlan(f.conn, f.target, p, { secrets, sleep: async () => undefined });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/backend 'aoai-eastus' in service .* was created by someone else since the plan/);
    expect(f.svc.backends.get('aoai-eastus')!.properties.url).toBe('https://portal-made.openai.azure.com/openai');
  });
});
