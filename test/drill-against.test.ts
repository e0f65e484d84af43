import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main/cli/program';
import { startGateway } from '../main/gateway';
import { planAgainst, servedByEvidence, type SideBySide } from '../main/loadgen/against';
import { startSimulators } from '../main/simulator';
import { serializeWorkspace, type Workspace } from '../shared/model';
import { parseDrill, type Drill } from '../shared/simulation/drill-file';
import { demoWorkspace, TOKEN } from './support/arm-emulator/fixtures';
import { startApimFront, startDeployedFixture, SUBSCRIPTION_KEY, type ApimFront } from './support/deployed-emulator';

/*
 * `drill --against`: the local gateway on simulated backends plays the deployed APIM (subscription key check,
 * the opt-in served-by header, x-ms-region from the simulator); the CLI runs the drill against it and the same
 * drill on the local engine at speed, and compares. Everything on 127.0.0.1; every load bounded (4 s at 20 req/s).
 */

const DRILL = 'version: 1\nload: { rps: 20, duration: PT4S, api: azure-openai }\nexpect: { clientErrors: 0 }\n';

interface Stand {
  front: ApimFront;
  close(): Promise<void>;
}

/** The "deployed service": a gateway over simulated backends, configured as `deployed`, behind the APIM front. */
async function deployedStandIn(deployed: Workspace, servedByHeader?: string): Promise<Stand> {
  const sims = await startSimulators(deployed, {});
  const backendUrls = Object.fromEntries(Object.entries(sims.backends).map(([id, b]) => [id, b.url]));
  const gw = await startGateway({ workspace: deployed, host: '127.0.0.1', port: 0, backendUrls, simulation: sims, secrets: { get: () => 'simulated' } });
  const front = await startApimFront({ gatewayUrl: new URL(gw.url).origin, keys: [SUBSCRIPTION_KEY], servedByHeader });
  return {
    front,
    close: async () => {
      await front.close();
      await gw.close();
      await sims.close();
    },
  };
}

const withRegions = (edit?: (ws: Workspace) => void) =>
  demoWorkspace((ws) => {
    ws.backends['aoai-eastus']!.azureRegion = 'East US';
    ws.backends['aoai-uksouth']!.azureRegion = 'UK South';
    edit?.(ws);
  });

async function cli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { AZURE_ACCESS_TOKEN: TOKEN, ...env }, cwd, isTty: false });
  expect(stdout + stderr).not.toContain(SUBSCRIPTION_KEY);
  return { code, stdout, stderr };
}

describe('drill --against a stand-in deployed APIM', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bb-against-'));
    writeFileSync(join(dir, 'short.drill.yaml'), DRILL);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('agrees with the prediction on the demo; the key comes from the service (listSecrets), the backend from the opt-in header', async () => {
    const ws = withRegions((w) => (w.apis!['azure-openai']!.servedByHeader = 'x-served-by'));
    ws.target = { subscription: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-ai', service: 'my-apim' };
    writeFileSync(join(dir, 'header.yaml'), serializeWorkspace(ws, 'yaml'));
    const stand = await deployedStandIn(ws, 'x-served-by');
    const arm = await startDeployedFixture();
    try {
      const r = await cli(['drill', 'header.yaml', 'short.drill.yaml', '--against', `${stand.front.url}/openai`, '--key-from', 'demo-sub', '--endpoint', arm.endpoint, '--json'], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as SideBySide;
      expect(out.observed.requests).toBe(80);
      expect(out.observed.clientErrors).toBe(0);
      // 10 of every 11 to EastUS on both sides (smooth weighted round-robin, no faults).
      expect(out.observed.servedBy['aoai-eastus']! / 80).toBeCloseTo(10 / 11, 1);
      expect(out.predicted.servedBy['aoai-eastus']! / out.predicted.requests).toBeCloseTo(10 / 11, 1);
      expect(out.observed.evidence.header).toBe('x-served-by');
      expect(out.differences).toEqual([]);
      expect(arm.front.requests.map((q) => `${q.method} ${q.path.split('/').slice(-2).join('/')}`)).toEqual(['POST demo-sub/listSecrets']);
      expect(stand.front.refused).toBe(0);
    } finally {
      await arm.close();
      await stand.close();
    }
  });

  it('flags a forced divergence: the deployed pool weighs 1:1 while the workspace says 10:1 (evidence: x-ms-region)', async () => {
    const ws = withRegions();
    writeFileSync(join(dir, 'regions.yaml'), serializeWorkspace(ws, 'yaml'));
    const deployed = withRegions((w) => w.pools!.mybackendpool!.services.forEach((m) => (m.weight = 1)));
    const stand = await deployedStandIn(deployed);
    try {
      const r = await cli(['drill', 'regions.yaml', 'short.drill.yaml', '--against', stand.front.url, '--key-env', 'MY_KEY', '--json'], dir, { MY_KEY: SUBSCRIPTION_KEY });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as SideBySide;
      expect(out.observed.evidence.header).toBeNull();
      expect(out.observed.servedBy).toEqual({ 'aoai-eastus': 40, 'aoai-uksouth': 40 });
      expect(out.differences).toEqual([
        expect.objectContaining({ what: 'share served by aoai-eastus', observed: '50 %', predicted: expect.stringMatching(/^9[01] %$/) }),
        expect.objectContaining({ what: 'share served by aoai-uksouth', observed: '50 %', predicted: expect.stringMatching(/^(9|10) %$/), note: expect.stringContaining('APIM sent 50 % to aoai-uksouth while predicted') }),
      ]);
      const human = await cli(['drill', 'regions.yaml', 'short.drill.yaml', '--against', stand.front.url, '--key-env', 'MY_KEY'], dir, { MY_KEY: SUBSCRIPTION_KEY });
      expect(human.stdout).toMatch(/^ {2}share served by aoai-uksouth: observed 50 %, predicted \d+ % — APIM sent/m);
    } finally {
      await stand.close();
    }
  });

  it('a wrong key: every call is APIM\'s 401, the client-error expectation fails (exit 1) and the difference says so', async () => {
    const stand = await deployedStandIn(withRegions());
    try {
      writeFileSync(join(dir, 'regions.yaml'), serializeWorkspace(withRegions(), 'yaml'));
      const r = await cli(['drill', 'regions.yaml', 'short.drill.yaml', '--against', stand.front.url, '--json'], dir, { APIM_SUBSCRIPTION_KEY: 'not-the-key' });
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as SideBySide;
      expect(out.observed.statusCounts).toEqual({ '401': 80 });
      expect(out.differences).toEqual([expect.objectContaining({ what: 'client errors', observed: '100 % (401: 80)', predicted: '0 %' })]);
      const missing = await cli(['drill', 'regions.yaml', 'short.drill.yaml', '--against', stand.front.url], dir);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/--key-env: the environment variable APIM_SUBSCRIPTION_KEY is not set/);
    } finally {
      await stand.close();
    }
  });

  it('refuses fault steps; --drive-quota shows the cost estimate first and needs --yes without a terminal', async () => {
    writeFileSync(join(dir, 'demo.yaml'), serializeWorkspace(demoWorkspace(), 'yaml'));
    writeFileSync(join(dir, 'fault.drill.yaml'), 'version: 1\nload: { rps: 20, duration: PT90S }\ntimeline:\n  - { at: PT10S, fault: { backend: aoai-eastus, type: throttle } }\n  - { at: PT70S, clear: { backend: aoai-eastus } }\n');
    const refused = await cli(['drill', 'demo.yaml', 'fault.drill.yaml', '--against', 'https://my-apim.azure-api.net/openai', '--key-env', 'K'], dir, { K: 'x' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: timeline\[0\]\.fault: faults cannot be injected into a deployed service; remove the step, or pass --drive-quota/m);
    const ask = await cli(['drill', 'demo.yaml', 'fault.drill.yaml', '--against', 'https://my-apim.azure-api.net/openai', '--key-env', 'K', '--drive-quota'], dir, { K: 'x' });
    expect(ask.code).toBe(2);
    expect(ask.stderr).toMatch(/drive aoai-eastus past its quota: \+\d+ req\/s from 10 s to 70 s/);
    expect(ask.stderr).toMatch(/pass --yes to confirm the estimate above/);
    const bad = await cli(['drill', 'demo.yaml', 'short.drill.yaml', '--against', 'http://example.com/openai', '--key-env', 'K'], dir, { K: 'x' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--against: "http:\/\/example.com\/openai" must be the gateway's https URL/);
  });
});

describe('served-by evidence and quota sizing (pure)', () => {
  const drill = (text: object): Drill => {
    const p = parseDrill(text);
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    return p.drill;
  };

  it('header first, then x-ms-region; backends sharing a region are named together; else unknown', () => {
    const ws = withRegions((w) => {
      w.backends['aoai-uksouth']!.azureRegion = 'eastus';
    });
    const e = servedByEvidence(ws, 'azure-openai');
    expect(e.sharedRegions).toEqual({ eastus: ['aoai-eastus', 'aoai-uksouth'] });
    expect(e.pick({ 'x-ms-region': 'East US' })).toBe('aoai-eastus|aoai-uksouth');
    expect(e.pick({})).toBe('(unknown)');
    expect(e.pick({ 'x-ms-region': 'Japan East' })).toBe('(unknown) Japan East');
    const h = servedByEvidence(withRegions((w) => (w.apis!['azure-openai']!.servedByHeader = 'X-Served-By')), 'azure-openai');
    expect(h.pick({ 'x-served-by': 'aoai-uksouth', 'x-ms-region': 'East US' })).toBe('aoai-uksouth');
    expect(h.pick({ 'x-ms-region': 'UK South' })).toBe('aoai-uksouth');
  });

  it('sizes the extra load so the backend\'s share exceeds its tokens per minute by a fifth', () => {
    // Demo: EastUS takes 10/11 of the lane, 30 000 TPM; 10 prompt + 10 answer tokens a request.
    const d = drill({ version: 1, load: { rps: 20, duration: 'PT90S' }, timeline: [{ at: 'PT10S', fault: { backend: 'aoai-eastus', type: 'throttle' } }, { at: 'PT70S', clear: { backend: 'aoai-eastus' } }] });
    const p = planAgainst(demoWorkspace(), d, true);
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const tpr = p.plan.tokensPerRequest;
    const b = p.plan.bursts[0]!;
    expect(b).toMatchObject({ backend: 'aoai-eastus', atMs: 10_000, untilMs: 70_000 });
    expect((b.rps + 20) * 60 * (10 / 11) * tpr).toBeGreaterThanOrEqual(1.2 * 30_000);
    expect((b.rps + 19) * 60 * (10 / 11) * tpr).toBeLessThan(1.2 * 30_000);
    expect(b.requests).toBe(b.rps * 60);
    const outage = planAgainst(demoWorkspace(), drill({ version: 1, load: { rps: 1, duration: 'PT9S' }, timeline: [{ at: 'PT1S', fault: { backend: 'aoai-eastus', type: 'outage' } }] }), true);
    expect(outage).toEqual({ ok: false, errors: [{ path: 'timeline[0].fault.type', message: expect.stringContaining('outage cannot be caused on a deployed service') }] });
  });
});
