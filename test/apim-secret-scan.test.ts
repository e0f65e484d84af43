import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan } from '../main/apim';
import { runCli } from '../main/cli/program';
import type { ApplyEvent } from '../shared/deploy';
import { secretEnvName } from '../shared/model';
import { DEMO_WORKSPACE_YAML } from '../shared/model/demo';
import { apimSpecMissing } from './support/apim-spec';
import { demoSecrets, demoWorkspace, RG, SECRET_VALUES, startDeployFixture, SUB, SVC, TOKEN, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * Issue 12 item 3: a secret is seeded in every place the spec allows one (credential header and query values,
 * the Authorization parameter, the proxy password; on a backend the workspace changes and on one it does not
 * even model; a secret named value's value; a literal key in a policy; the local secrets; the bearer token),
 * then every output of import, plan and apply — text, --json, files, progress events, a failed apply whose
 * service error echoes values — is scanned. Not one value may appear; changed secret fields show `(secret)`.
 */

if (apimSpecMissing) console.warn(`skipping the secret scan: ${apimSpecMissing}`);

const SEEDED = {
  header: 'SEED-HEADER-api-key-0001',
  extraHeader: 'SEED-HEADER-x-extra-0002',
  query: 'SEED-QUERY-code-0003',
  authorization: 'SEED-AUTH-param-0004',
  proxy: 'SEED-PROXY-password-0005',
  otherHeader: 'SEED-OTHER-header-0006',
  otherQuery: 'SEED-OTHER-query-0007',
  otherAuthorization: 'SEED-OTHER-auth-0008',
  otherProxy: 'SEED-OTHER-proxy-0009',
  namedValue: 'SEED-NAMED-VALUE-0010',
  otherNamedValue: 'SEED-NAMED-VALUE-0011',
  policy: 'SEED-POLICY-literal-0012',
};
const ALL = [...Object.values(SEEDED), ...Object.values(SECRET_VALUES), TOKEN];

const credentials = (h: string, x: string, q: string, a: string) => ({ header: { 'api-key': [h], 'x-extra': [x] }, query: { code: [q] }, authorization: { scheme: 'Basic', parameter: a } });

describe.skipIf(Boolean(apimSpecMissing))('no secret in any output of import, plan and apply', () => {
  let f: DeployFixture;
  let dir: string;
  const outputs: { what: string; text: string }[] = [];

  const cli = async (what: string, ...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const env = { AZURE_ACCESS_TOKEN: TOKEN, ...Object.fromEntries(Object.entries(SECRET_VALUES).map(([k, v]) => [secretEnvName(k), v])) };
    const target = ['--subscription', SUB, '--resource-group', RG, '--service', SVC, '--endpoint', f.em.url];
    const code = await runCli([...argv, ...target], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: dir, isTty: false, ask: async () => '' });
    outputs.push({ what: `${what} stdout`, text: stdout }, { what: `${what} stderr`, text: stderr });
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bb-secret-scan-'));
    writeFileSync(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML.replace('retry: { count: 1, on: [429, 503] }', 'retry: { count: 2, on: [429, 503] }'));
    f = await startDeployFixture();
    const s = f.em.state;
    await applyPlan(f.conn, f.target, await buildPlan(f.conn, f.target, demoWorkspace(), { secrets: demoSecrets() }), { secrets: demoSecrets() });
    const eastus = f.svc.backends.get('aoai-eastus')!.properties;
    s.putBackend(f.svc, 'aoai-eastus', { ...eastus, credentials: credentials(SEEDED.header, SEEDED.extraHeader, SEEDED.query, SEEDED.authorization), proxy: { url: 'http://proxy.contoso.net:8080', username: 'svc', password: SEEDED.proxy } });
    s.putBackend(f.svc, 'legacy', { url: 'https://legacy.example.net', protocol: 'http', credentials: credentials(SEEDED.otherHeader, SEEDED.otherHeader, SEEDED.otherQuery, SEEDED.otherAuthorization), proxy: { url: 'http://proxy.contoso.net:8080', password: SEEDED.otherProxy } });
    s.putNamedValue(f.svc, 'aoai-eastus-key', { displayName: 'aoai-eastus-key', secret: true, value: SEEDED.namedValue });
    s.putNamedValue(f.svc, 'other-key', { displayName: 'other-key', secret: true, value: SEEDED.otherNamedValue });
    const xml = String(f.svc.apis.get('azure-openai')!.policy!.properties.value).replace('<base />', `<base />\n        <set-header name="x-upstream-key" exists-action="override"><value>${SEEDED.policy}</value></set-header>`);
    s.putPolicy(f.svc, 'azure-openai', xml);
  });
  afterAll(async () => {
    await f.em.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('import, plan and apply (text, --json, files) print no secret; changed secret fields read (secret)', async () => {
    expect((await cli('import', 'import')).code).toBe(0);
    expect((await cli('import --json', 'import', '--json')).code).toBe(0);
    expect((await cli('import --out', 'import', '--out', 'imported.yaml')).code).toBe(0);
    const plan = await cli('plan', 'plan', 'demo.yaml');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/credentials\.header\.api-key: "\(secret\)" → \["\{\{aoai-eastus-key\}\}"\]/);
    expect(plan.stdout).toMatch(/keeps as APIM has them: .*proxy/);
    expect((await cli('plan --json --out', 'plan', 'demo.yaml', '--json', '--out', 'plan.json')).code).toBe(0);
    // A failed apply whose service error echoes values it holds: filtered.
    f.em.faults.add({ on: 'write', pathIncludes: '/backends/aoai-eastus', times: 20, sticky: true, action: { kind: 'status', status: 400, code: 'ValidationError', message: `Header value '${SEEDED.header}' and proxy '${SEEDED.proxy}' rejected; key ${SECRET_VALUES['aoai-eastus-key']}.` } });
    const failed = await cli('apply (failing)', 'apply', 'demo.yaml', '--yes');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Header value '\(secret\)'/);
    f.em.faults.clear();
    expect((await cli('apply --json', 'apply', 'demo.yaml', '--yes', '--json')).code).toBe(0);
    expect((await cli('apply again', 'apply', 'demo.yaml', '--yes')).code).toBe(0);
    // The seeded values the workspace does not own are still in the service (kept, not stripped).
    expect(f.svc.backends.get('aoai-eastus')!.properties).toMatchObject({ proxy: { password: SEEDED.proxy }, credentials: { query: { code: [SEEDED.query] }, header: { 'api-key': ['{{aoai-eastus-key}}'], 'x-extra': [SEEDED.extraHeader] } } });
    expect(String(f.svc.apis.get('azure-openai')!.policy!.properties.value)).toContain(SEEDED.policy);
  });

  it('progress events and the result of a failed apply carry no secret', async () => {
    f.em.state.putNamedValue(f.svc, 'aoai-eastus-key', { displayName: 'aoai-eastus-key', secret: true, value: SEEDED.namedValue });
    const events: ApplyEvent[] = [];
    f.em.faults.add({ on: 'write', pathIncludes: '/namedValues/aoai-eastus-key', times: 20, sticky: true, action: { kind: 'status', status: 500, message: `old ${SEEDED.namedValue} new ${SECRET_VALUES['aoai-eastus-key']}` } });
    const plan = await buildPlan(f.conn, f.target, demoWorkspace(), { secrets: demoSecrets() });
    const result = await applyPlan(f.conn, f.target, plan, { secrets: demoSecrets(), onEvent: (e) => events.push(e) });
    f.em.faults.clear();
    expect(result.ok).toBe(false);
    outputs.push({ what: 'events', text: JSON.stringify(events) }, { what: 'result', text: JSON.stringify(result) }, { what: 'plan object', text: JSON.stringify(plan) });
  });

  it('the scan: nothing printed, saved or emitted holds a seeded value', () => {
    for (const file of readdirSync(dir)) outputs.push({ what: `file ${file}`, text: readFileSync(join(dir, file), 'utf8') });
    expect(outputs.length).toBeGreaterThan(15);
    const leaks = outputs.flatMap((o) => ALL.filter((v) => o.text.includes(v)).map((v) => `${o.what}: ${v}`));
    // The token is also the workspace's nothing: only the demo file may hold the secret *names*.
    expect(leaks.filter((l) => !l.startsWith('file demo.yaml'))).toEqual([]);
  });
});
