import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../main/cli/program';
import { parsePlan } from '../shared/deploy';
import { secretEnvName, validateWorkspaceText } from '../shared/model';
import { DEMO_WORKSPACE_YAML } from '../shared/model/demo';
import { apimSpecMissing } from './support/apim-spec';
import { RG, SECRET_VALUES, startDeployFixture, SUB, SVC, TOKEN, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * The import / plan / apply commands end to end: real SDK, ARM emulator, files on disk. Every byte the CLI
 * prints in this file is collected, and no secret value may be among them.
 */

if (apimSpecMissing) console.warn(`skipping deploy CLI tests: ${apimSpecMissing}`);

const everything: string[] = [];

async function cli(argv: string[], opts: { env?: NodeJS.ProcessEnv; cwd: string; isTty?: boolean; answer?: string; asked?: string[] }) {
  let stdout = '';
  let stderr = '';
  const env: NodeJS.ProcessEnv = {
    AZURE_ACCESS_TOKEN: TOKEN,
    ...Object.fromEntries(Object.entries(SECRET_VALUES).map(([k, v]) => [secretEnvName(k), v])),
    ...opts.env,
  };
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: opts.cwd, isTty: opts.isTty ?? false, ask: async (q) => {
    opts.asked?.push(q);
    return opts.answer ?? '';
  } });
  everything.push(stdout, stderr);
  return { code, stdout, stderr };
}

describe.skipIf(Boolean(apimSpecMissing))('CLI: import, plan, apply against the ARM emulator', () => {
  let f: DeployFixture;
  let dir: string;
  let target: string[];
  const run = (...argv: string[]) => cli([...argv, ...target], { cwd: dir });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bb-apim-cli-'));
    writeFileSync(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    f = await startDeployFixture();
    target = ['--subscription', SUB, '--resource-group', RG, '--service', SVC, '--endpoint', f.em.url];
  });
  afterEach(() => f.em.close());

  it('plan prints changes per resource; --exit-code says 3, --json and --out give a plan file', async () => {
    const human = await run('plan', 'demo.yaml');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^ {2}\+ create pool mybackendpool$/m);
    expect(human.stdout).toMatch(/6 to create, 0 to update, 0 to delete, 0 unchanged/);
    expect((await run('plan', 'demo.yaml', '--exit-code')).code).toBe(3);
    const json = await run('plan', 'demo.yaml', '--json', '--out', 'plan.json');
    expect(parsePlan(JSON.parse(json.stdout)).ok).toBe(true);
    expect(parsePlan(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'))).ok).toBe(true);
    expect(f.em.writes()).toEqual([]);
  });

  it('apply refuses without a terminal and without --yes (exit 2), writing nothing', async () => {
    const r = await run('apply', 'demo.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a confirmation: run it in a terminal or pass --yes/);
    expect(f.em.writes()).toEqual([]);
  });

  it('apply at a terminal asks, naming the service: "n" writes nothing, "y" applies', async () => {
    const asked: string[] = [];
    const no = await cli(['apply', 'demo.yaml', ...target], { cwd: dir, isTty: true, answer: 'n', asked });
    expect(no.code).toBe(0);
    expect(asked).toEqual([`apply these changes to ${SVC}? [y/N] `]);
    expect(no.stderr).toMatch(/apply cancelled: nothing was changed/);
    expect(f.em.writes()).toEqual([]);
    const yes = await cli(['apply', 'demo.yaml', ...target], { cwd: dir, isTty: true, answer: 'y' });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/applied 6 changes to my-apim/);
    expect(f.em.writes().length).toBe(6);
  });

  it('apply --yes prints progress per step; a second apply reports no changes; plan --exit-code is then 0', async () => {
    const first = await run('apply', 'demo.yaml', '--yes');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("[1/6] create named value 'aoai-eastus-key': done");
    expect(first.stdout).toContain("[6/6] create api policy 'azure-openai': done");
    expect(first.stdout).toMatch(/applied 6 changes to my-apim/);
    const second = await run('apply', 'demo.yaml', '--yes');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/no changes/);
    expect((await run('plan', 'demo.yaml', '--exit-code')).code).toBe(0);
  });

  it('apply --plan applies exactly that plan; a stale plan stops with a clear message', async () => {
    expect((await run('plan', 'demo.yaml', '--out', 'p2.json')).code).toBe(0);
    const bare = await cli(['apply', '--plan', 'p2.json'], { cwd: dir });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/a plan file does not choose where credentials go/);
    const applied = await run('apply', '--plan', 'p2.json');
    expect(applied.code).toBe(0);
    expect(f.svc.backends.size).toBe(3);
    const again = await run('apply', '--plan', 'p2.json');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/was created by someone else since the plan; nothing more was written/);
  });

  it('a failed apply rolls back and says so; service errors never show secret values', async () => {
    const secret = SECRET_VALUES['aoai-uksouth-key']!;
    f.em.faults.add({ on: 'write', pathIncludes: '/namedValues/aoai-uksouth-key', action: { kind: 'status', status: 400, code: 'ValidationError', message: `Value '${secret}' is not allowed.` } });
    const r = await run('apply', 'demo.yaml', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/apply stopped at step 2 of 6 \(create named value 'aoai-uksouth-key'\): APIM rejected named value 'aoai-uksouth-key'/);
    expect(r.stderr).toMatch(/Value '\(secret\)' is not allowed/);
    expect(r.stderr).toMatch(/rolled back:\n {2}create named value 'aoai-eastus-key': deleted again/);
    expect(r.stderr).toMatch(/restored: my-apim holds what it held before the apply/);
    expect(f.svc.namedValues.size).toBe(0);
  });

  it('import prints a workspace that validates, and refuses to overwrite --out', async () => {
    await run('apply', 'demo.yaml', '--yes');
    const printed = await run('import');
    expect(printed.code).toBe(0);
    const check = validateWorkspaceText(printed.stdout);
    expect(check.ok && check.counts).toEqual({ backends: 2, pools: 1, apis: 1 });
    expect((await run('import', '--out', 'imported.yaml')).code).toBe(0);
    expect(existsSync(join(dir, 'imported.yaml'))).toBe(true);
    const again = await run('import', '--out', 'imported.yaml');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists; choose another file or pass --force/);
    const planned = await cli(['plan', 'imported.yaml', '--exit-code'], { cwd: dir });
    expect(planned.code).toBe(0);
  });

  it('says what is wrong with the target, in words', async () => {
    f.svc.apis.clear();
    const missingApi = await run('plan', 'demo.yaml');
    expect(missingApi.code).toBe(1);
    expect(missingApi.stdout).toMatch(/error: api 'azure-openai' does not exist in service my-apim: create it first/);
    f.em.faults.add({ on: 'read', action: { kind: 'status', status: 403, code: 'AuthorizationFailed' } });
    const forbidden = await run('plan', 'demo.yaml');
    expect(forbidden.stderr).toMatch(/error: no access to service my-apim \(resource group rg-ai\) \(403 AuthorizationFailed\)/);
    const remote = await cli(['plan', 'demo.yaml', '--subscription', SUB, '--resource-group', RG, '--service', SVC, '--endpoint', 'http://arm.example.com'], { cwd: dir });
    expect(remote.code).toBe(1);
    expect(remote.stderr).toMatch(/plain http is accepted only for loopback hosts/);
    const noTarget = await cli(['plan', 'demo.yaml'], { cwd: dir });
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toMatch(/--subscription, --resource-group, --service are required \(or set target: in the workspace\)/);
    const noService = await cli(['plan', 'demo.yaml', '--subscription', SUB, '--resource-group', RG, '--service', 'nope', '--endpoint', f.em.url], { cwd: dir });
    expect(noService.stderr).toMatch(/service nope \(resource group rg-ai\) was not found \(404\)/);
  });

  it("takes the target from the workspace's target: when no flags are given", async () => {
    const yaml = DEMO_WORKSPACE_YAML.replace(/^simulation:/m, `target: { subscription: ${SUB}, resourceGroup: ${RG}, service: ${SVC}, endpoint: '${f.em.url}' }\nsimulation:`);
    writeFileSync(join(dir, 'targeted.yaml'), yaml);
    const r = await cli(['apply', 'targeted.yaml', '--yes'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(f.svc.backends.size).toBe(3);
  });

  it('without AZURE_ACCESS_TOKEN and no Azure CLI login it says to run az login (Azure CLI not found where it is missing)', async () => {
    const r = await cli(['plan', 'demo.yaml', ...target], { cwd: dir, env: { AZURE_ACCESS_TOKEN: '', PATH: '/nonexistent' } });
    expect(r.code).toBe(1);
    // Which one depends on whether this machine has `az`; main/apim/client.test.ts pins each wording.
    expect(r.stderr).toMatch(/^error: (Azure CLI not found: install it .* run `az login`|not signed in to Azure .*run `az login`)/);
    expect(r.stderr).not.toMatch(/500|may or may not/);
  });

  it('apply --plan refuses a plan whose target differs from the workspace and flags, naming both, sending nothing', async () => {
    expect((await run('plan', 'demo.yaml', '--out', 'p3.json')).code).toBe(0);
    const planned = JSON.parse(readFileSync(join(dir, 'p3.json'), 'utf8')) as { target: Record<string, string> };
    for (const [field, value, words] of [['endpoint', 'https://attacker.example', 'endpoint https://attacker.example in the plan'], ['service', 'other-apim', 'service other-apim in the plan, my-apim for this apply'], ['subscription', '99999999-2222-3333-4444-555555555555', 'subscription 99999999-2222-3333-4444-555555555555 in the plan']] as const) {
      writeFileSync(join(dir, 'p4.json'), JSON.stringify({ ...planned, target: { ...planned.target, [field]: value } }));
      const before = f.em.requests.length;
      const r = await run('apply', '--plan', 'p4.json');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(words);
      expect(f.em.requests.length).toBe(before);
    }
  });

  it('no secret value appeared in anything the commands printed (stdout, stderr, errors, plan files)', () => {
    const files = ['plan.json', 'p2.json', 'imported.yaml'].map((n) => (existsSync(join(dir, n)) ? readFileSync(join(dir, n), 'utf8') : ''));
    const all = [...everything, ...files].join('\n');
    expect(all.length).toBeGreaterThan(1000);
    for (const v of Object.values(SECRET_VALUES)) expect(all).not.toContain(v);
  });
});
