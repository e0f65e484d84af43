import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../main/cli/program';
import { profileFromDeployed } from '../shared/capacity';
import { DEMO_WORKSPACE_YAML } from '../shared/model/demo';
import { RG, SUB, SVC, TOKEN } from './support/arm-emulator/fixtures';
import { LOG_WORKSPACE_ID, RECORDING_END, startDeployedFixture, type DeployedFixture } from './support/deployed-emulator';
import { loadRecordedTables, startLogAnalyticsEmulator } from './support/log-analytics-emulator';

/*
 * `capacity --from-deployed`: the planner's traffic profile from the deployed service's gateway logs, read through
 * the same deployed source as `monitor --deployed`, against the ARM and Log Analytics stand-ins. The demo
 * recording: 15 requests per 30 s for the service (30/min), 10 prompt + 10 completion tokens per answered request.
 */

async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { AZURE_ACCESS_TOKEN: TOKEN }, cwd, isTty: false });
  return { code, stdout, stderr };
}

interface CapacityJson {
  observed?: { source: string; rpm: number; tokensPerRequest: number | null; minutes: number; from: string; to: string; workspaceId: string };
  profile: { rpm: number; tokensPerRequest: number };
  runs: { factor: number; requests: number }[];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bb-cap-deployed-'));
  writeFileSync(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('capacity --from-deployed against the Log Analytics and ARM stand-ins', () => {
  let f: DeployedFixture;
  let target: string[];
  beforeEach(async () => {
    f = await startDeployedFixture();
    target = ['--subscription', SUB, '--resource-group', RG, '--service', SVC, '--endpoint', f.endpoint, '--logs-endpoint', f.logs.url, '--until', RECORDING_END];
  });
  afterEach(() => f.close());

  it('derives requests/min and tokens per request from the complete buckets and plans with them', async () => {
    const r = await cli(['capacity', 'demo.yaml', '--from-deployed', '--since', '15m', '--duration', '10m', '--json', ...target], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as CapacityJson;
    // The last ~140 s (the measured ingestion delay) may still be filling: the profile stops at the bucket before it.
    expect(out.observed).toEqual({ source: 'deployed', rpm: 30, tokensPerRequest: 20, minutes: 12.5, from: '2026-11-25T10:00:00.000Z', to: '2026-11-25T10:12:30.000Z', workspaceId: LOG_WORKSPACE_ID });
    expect(out.profile).toEqual({ rpm: 30, tokensPerRequest: 20 });
    expect(out.runs).toHaveLength(1);
    expect(out.runs[0]!.requests).toBe(300);
    // The same queries as the monitor, found through the diagnostic settings, narrowed to the service.
    expect(f.logs.requests.map((q) => q.query.split('\n')[0]).sort()).toEqual(['// breakerboard:delay', '// breakerboard:tokens', '// breakerboard:traffic']);
    expect(f.logs.requests.every((q) => q.query.includes("_ResourceId =~ '"))).toBe(true);
  });

  it('says in words where the profile came from; --rpm overrides the observed rate', async () => {
    const r = await cli(['capacity', 'demo.yaml', '--from-deployed', '--rpm', '60', '--duration', '5m', ...target], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^observed: 30 requests\/min, 20 tokens per answered request over 12.5 min of the deployed service's gateway logs \(2026-11-25T10:00:00.000Z → 2026-11-25T10:12:30.000Z\)$/m);
    expect(r.stdout).toMatch(/: 60 requests\/min × 20 tokens for 5m$/m);
  });

  it('usage: one source at a time; --since must be a duration', async () => {
    const both = await cli(['capacity', 'demo.yaml', '--from-deployed', '--from-gateway', 'http://127.0.0.1:9', ...target], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--from-gateway or --from-deployed, not both/);
    const since = await cli(['capacity', 'demo.yaml', '--from-deployed', '--since', 'soon', ...target], dir);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since: "soon" is not a duration/);
  });

  it('a range shorter than the ingestion delay has no complete bucket and says so', async () => {
    const r = await cli(['capacity', 'demo.yaml', '--from-deployed', '--since', '1m', ...target], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--from-deployed: the range holds no complete bucket .*give a longer --since/);
  });
});

describe('capacity --from-deployed when the logs carry no token counts', () => {
  it('requires --tokens-per-request, then plans with the observed rate', async () => {
    const tables = loadRecordedTables(new URL('./support/log-analytics-emulator/demo-recording.json', import.meta.url));
    const logs = await startLogAnalyticsEmulator({ token: TOKEN, workspaces: { [LOG_WORKSPACE_ID]: { gateway: tables.gateway } } });
    try {
      const args = ['capacity', 'demo.yaml', '--from-deployed', '--workspace-id', LOG_WORKSPACE_ID, '--subscription', SUB, '--resource-group', RG, '--service', SVC, '--logs-endpoint', logs.url, '--until', RECORDING_END, '--duration', '5m'];
      const missing = await cli(args, dir);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/--from-deployed: the gateway logs have no token counts .*GatewayLlmLogs.*give --tokens-per-request/);
      const given = await cli([...args, '--tokens-per-request', '50', '--json'], dir);
      expect(given.code).toBe(0);
      const out = JSON.parse(given.stdout) as CapacityJson;
      expect(out.observed).toMatchObject({ source: 'deployed', rpm: 30, tokensPerRequest: null });
      expect(out.profile).toEqual({ rpm: 30, tokensPerRequest: 50 });
      expect(out.runs[0]!.requests).toBe(150);
    } finally {
      await logs.close();
    }
  });
});

describe('profileFromDeployed', () => {
  const cell = (requests: number, tokens?: number) => ({ requests, status: { '200': requests }, ...(tokens !== undefined ? { promptTokens: tokens, completionTokens: 0 } : {}) });

  it('leaves out a first bucket cut by the range start and the buckets the delay may still fill', () => {
    const p = profileFromDeployed({
      from: '2026-11-25T10:00:10.000Z',
      incompleteAfter: '2026-11-25T10:02:10.000Z',
      bucketSeconds: 30,
      buckets: [
        { at: '2026-11-25T10:00:00.000Z', backends: { a: cell(99, 990) } },
        { at: '2026-11-25T10:00:30.000Z', backends: { a: cell(10, 100), b: cell(5, 50) } },
        { at: '2026-11-25T10:01:00.000Z', backends: { '(apim)': { requests: 3, status: { '503': 3 } } } },
        { at: '2026-11-25T10:01:30.000Z', backends: { a: cell(12, 120) } },
        { at: '2026-11-25T10:02:00.000Z', backends: { a: cell(99, 990) } },
      ],
    });
    // 10:00:30 – 10:02:00: 30 requests in 1.5 min (the 503s APIM answered itself count); 270 tokens / 27 answered.
    expect(p).toEqual({ rpm: 20, tokensPerRequest: 10, minutes: 1.5, from: '2026-11-25T10:00:30.000Z', to: '2026-11-25T10:02:00.000Z' });
  });

  it('no requests in the range is a message, not a zero profile', () => {
    expect(profileFromDeployed({ from: '2026-11-25T10:00:00.000Z', incompleteAfter: '2026-11-25T10:05:00.000Z', bucketSeconds: 30, buckets: [] })).toMatch(/hold no requests/);
  });
});
