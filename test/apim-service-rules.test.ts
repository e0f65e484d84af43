import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../main/cli/program';
import { secretEnvName } from '../shared/model';
import { DEMO_WORKSPACE_YAML } from '../shared/model/demo';
import { apimSpecMissing } from './support/apim-spec';
import { RG, SECRET_VALUES, startDeployFixture, SUB, SVC, TOKEN, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * Issue 12 item 5: what the service would refuse is refused by plan, before anything is written, in the
 * service's words and naming the field — here the Consumption tier, which has no circuit breaker (Learn
 * "Backends"; gateway feature table).
 */

if (apimSpecMissing) console.warn(`skipping service-rule tests: ${apimSpecMissing}`);

describe.skipIf(Boolean(apimSpecMissing))('service-side rules, before writing', () => {
  let f: DeployFixture;
  let dir: string;
  beforeEach(async () => {
    f = await startDeployFixture();
    dir = mkdtempSync(join(tmpdir(), 'bb-rules-'));
    writeFileSync(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
  });
  afterEach(async () => {
    await f.em.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const env = { AZURE_ACCESS_TOKEN: TOKEN, ...Object.fromEntries(Object.entries(SECRET_VALUES).map(([k, v]) => [secretEnvName(k), v])) };
    const code = await runCli([...argv, '--subscription', SUB, '--resource-group', RG, '--service', SVC, '--endpoint', f.em.url], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: dir, isTty: false });
    return { code, stdout, stderr };
  };

  it('Consumption tier + circuit breaker: plan exits 1 naming the SKU and the breaker field; apply writes nothing', async () => {
    f.svc.sku = 'Consumption';
    const plan = await cli('plan', 'demo.yaml');
    expect(plan.code).toBe(1);
    expect(plan.stdout).toMatch(/error: backend 'aoai-eastus': circuitBreaker: Circuit breaker isn't supported in the Consumption tier \(service my-apim has SKU Consumption\)/);
    expect(plan.stdout).toMatch(/error: backend 'aoai-uksouth': circuitBreaker:/);
    const apply = await cli('apply', 'demo.yaml', '--yes');
    expect(apply.code).toBe(1);
    expect(f.em.writes()).toEqual([]);
    // What the plan spares us: the service itself refuses the write.
    const body = { properties: { url: 'https://x.example.net', protocol: 'http', circuitBreaker: { rules: [{ name: 'r', failureCondition: { count: 1, interval: 'PT1M' }, tripDuration: 'PT1M' }] } } };
    const res = await fetch(`${f.em.url}/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ApiManagement/service/${SVC}/backends/x?api-version=2024-05-01`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Circuit breaker isn't supported in the Consumption tier.");
  });

  it('the same workspace on a Developer tier plans fine; without breakers Consumption is fine too (pools are allowed there)', async () => {
    expect((await cli('plan', 'demo.yaml')).code).toBe(0);
    f.svc.sku = 'Consumption';
    writeFileSync(join(dir, 'nobreaker.yaml'), DEMO_WORKSPACE_YAML.replace(/ {4}circuitBreaker:\n( {6}.*\n)+/g, ''));
    const r = await cli('plan', 'nobreaker.yaml');
    expect(r.stderr + r.stdout).not.toMatch(/Consumption/);
    expect(r.code).toBe(0);
  });
});
