import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main/cli/program';
import { startGateway } from '../main/gateway';
import { buildTarget, runLoad } from '../main/loadgen';
import { startSimulators } from '../main/simulator';
import { validateWorkspaceText } from '../shared/model';
import { startCognitiveEmulator, SUB_A, type CognitiveEmulator } from './support/cognitive-emulator';

/* `discover` and `capacity` (DESIGN §6) through the CLI: shapes, exit codes, messages naming the flag. */

async function cli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd, isTty: false, ask: async () => '' });
  return { code, stdout, stderr };
}

const WS = `version: 1
backends:
  ptu:
    url: https://ptu.openai.azure.com/openai
    capacity: { sku: ProvisionedManaged, tokensPerMinute: 60000, ptu: 100 }
    circuitBreaker:
      rules:
        - name: ptu
          failureCondition: { count: 1, interval: PT1M, statusCodeRanges: [{ min: 429, max: 429 }] }
          tripDuration: PT1M
          acceptRetryAfter: true
  payg:
    url: https://payg.openai.azure.com/openai
pools:
  pool:
    services: [{ backend: ptu, priority: 1 }, { backend: payg, priority: 2 }]
apis:
  chat: { path: openai, backend: pool, retry: { count: 1, on: [429, 503] } }
simulation:
  payg: { tokensPerMinute: 120000 }
`;

let dir: string;
let arm: CognitiveEmulator;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bb-capacity-'));
  writeFileSync(join(dir, 'ws.yaml'), WS);
  arm = await startCognitiveEmulator({ token: 'tok' });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await arm?.close();
});

describe('capacity', () => {
  it('--json prints { runs: [ { factor, requests, clientSuccess, status, servedBy, trips } ], wallMs }', async () => {
    const r = await cli(['capacity', 'ws.yaml', '--rpm', '600', '--tokens-per-request', '100', '--duration', 'PT10M', '--sweep', '0.5:1.5:0.5', '--json'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runs.map((x: { factor: number }) => x.factor)).toEqual([0.5, 1, 1.5]);
    expect(typeof out.wallMs).toBe('number');
    const [low, , high] = out.runs;
    expect(low).toMatchObject({ requests: 3000, clientSuccess: 1, status: { 200: 3000 }, servedBy: { ptu: 3000 }, trips: [] });
    expect(high.trips[0]).toMatchObject({ backend: 'ptu', reason: expect.stringMatching(/^429, Retry-After/) });
    expect(typeof high.trips[0].at).toBe('number');
    expect(high.servedBy.payg).toBeGreaterThan(0);
    expect(out.unlimited).toEqual([]);
  });

  it('prints one sentence per load factor', async () => {
    const r = await cli(['capacity', 'ws.yaml', '--rpm', '600', '--tokens-per-request', '100', '--duration', '10m', '--sweep', '1.5:1.5:1'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^at 1\.5×: 100\.0 % success; ptu trips at 0:\d\d \(429, Retry-After \d+\)/m);
  });

  it('exit 2 for a missing flag, exit 1 naming the flag for a bad value or a missing api', async () => {
    expect((await cli(['capacity', 'ws.yaml', '--rpm', '600'], dir)).code).toBe(2);
    const bad = async (args: string[], re: RegExp) => {
      const r = await cli(['capacity', 'ws.yaml', '--rpm', '600', '--tokens-per-request', '100', ...args], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(re);
    };
    await bad(['--sweep', '3:1:1'], /^error: --sweep: /);
    await bad(['--duration', 'P1M'], /^error: --duration: .*month/);
    await bad(['--api', 'nope'], /^error: --api: "nope" is not an api/);
    await bad(['--arrivals', 'burst'], /^error: --arrivals: /);
    const huge = await cli(['capacity', 'ws.yaml', '--rpm', '1000000', '--tokens-per-request', '100', '--duration', 'P1D'], dir);
    expect(huge.code).toBe(1);
    expect(huge.stderr).toMatch(/^error: --duration: 1,440,000,000 requests at 1× over 1440 min; at most 20,000,000 per run/);
    const r = await cli(['capacity', 'ws.yaml', '--rpm', '-1', '--tokens-per-request', '100'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --rpm: /);
  });
});

describe('capacity --from-gateway', () => {
  it('takes requests per minute and tokens per request from the gateway it observed', { timeout: 30_000 }, async () => {
    const v = validateWorkspaceText(WS);
    if (!v.ok) throw new Error('invalid');
    const sims = await startSimulators(v.workspace);
    const gateway = await startGateway({ workspace: v.workspace, backendUrls: Object.fromEntries(Object.entries(sims.backends).map(([id, b]) => [id, b.url])), port: 0 });
    try {
      // 20 answered requests of 10 prompt + 40 completion tokens.
      const load = await runLoad({ target: buildTarget({ url: gateway.url, api: 'openai', maxTokens: 40 }), requests: 20, concurrency: 4 });
      expect(load.ok).toBe(20);
      const text = await cli(['capacity', 'ws.yaml', '--from-gateway', gateway.url, '--duration', '5m'], dir);
      expect(text.stderr).toBe('');
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^observed: [\d.]+ requests\/min, 50 tokens per answered request over the last [\d.]+ min$/m);
      const json = await cli(['capacity', 'ws.yaml', '--from-gateway', gateway.url, '--tokens-per-request', '70', '--duration', '5m', '--json'], dir);
      expect(JSON.parse(json.stdout).runs).toHaveLength(1);
    } finally {
      await gateway.close();
      await sims.close();
    }
  });

  it('exit 2 without a profile; exit 1 naming the flag when the gateway cannot be read', async () => {
    expect((await cli(['capacity', 'ws.yaml'], dir)).code).toBe(2);
    const r = await cli(['capacity', 'ws.yaml', '--from-gateway', 'http://127.0.0.1:9'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --from-gateway: could not read/);
  });
});

describe('discover', () => {
  it('--json prints { accounts: [ { name, region, endpoint, deployments: [ { name, model, version, sku, capacity, tokensPerMinute } ] } ] }', async () => {
    const r = await cli(['discover', '--subscription', SUB_A, '--endpoint', arm.url, '--json'], dir, { AZURE_ACCESS_TOKEN: 'tok' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.accounts.map((a: { name: string }) => a.name)).toEqual(['aoai-swedencentral', 'aoai-uksouth']);
    expect(out.accounts[1]).toMatchObject({ name: 'aoai-uksouth', region: 'uksouth', endpoint: 'https://aoai-uksouth.openai.azure.com/', deployments: [{ name: 'gpt-4o', model: 'gpt-4o', version: '2024-08-06', sku: 'Standard', capacity: 30, tokensPerMinute: 30000 }] });
  });

  it('text lists deployments; a bad subscription id is exit 1 naming the flag', async () => {
    const r = await cli(['discover', '--subscription', SUB_A, '--endpoint', arm.url], dir, { AZURE_ACCESS_TOKEN: 'tok' });
    expect(r.stdout).toContain('  gpt-4o-ptu: gpt-4o 2024-08-06, ProvisionedManaged, 100 PTU');
    const bad = await cli(['discover', '--subscription', 'nope', '--endpoint', arm.url], dir, { AZURE_ACCESS_TOKEN: 'tok' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: --subscription: "nope"/);
  });
});
