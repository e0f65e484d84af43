import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { staticTokenCredential } from '../main/apim';
import { createLogsReader, openDeployedSource, parsePeekedMessages, type DeployedMonitorReport } from '../main/apim/deployed';
import { runCli } from '../main/cli/program';
import { DEMO_WORKSPACE_YAML } from '../shared/model/demo';
import { RG, SUB, SVC, TOKEN, demoWorkspace } from './support/arm-emulator/fixtures';
import { LOG_WORKSPACE_ID, LOG_WORKSPACE_RESOURCE, RECORDING_END, startDeployedFixture, type DeployedFixture } from './support/deployed-emulator';

/*
 * `monitor --deployed` and the deployed source behind the Monitor: the real @azure/arm-monitor and
 * @azure/monitor-query-logs clients against local stand-ins (ARM additions + Log Analytics query API answering
 * from the demo recording). Nothing leaves 127.0.0.1.
 */

async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { AZURE_ACCESS_TOKEN: TOKEN }, cwd, isTty: false });
  return { code, stdout, stderr };
}

describe('monitor --deployed against the Log Analytics and ARM stand-ins', () => {
  let f: DeployedFixture;
  let dir: string;
  let target: string[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bb-deployed-'));
    writeFileSync(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    f = await startDeployedFixture();
    target = ['--subscription', SUB, '--resource-group', RG, '--service', SVC, '--endpoint', f.endpoint, '--logs-endpoint', f.logs.url, '--until', RECORDING_END];
  });
  afterEach(() => f.close());

  it('finds the workspace through the diagnostic settings and prints { buckets, delaySeconds } per backend', async () => {
    const r = await cli(['monitor', 'demo.yaml', '--deployed', '--since', '15m', '--json', ...target], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DeployedMonitorReport;
    // Discovery: the diagnostic settings through arm-monitor's api-version, then the workspace's customerId.
    expect(f.front.requests.map((q) => q.path)).toEqual([expect.stringMatching(/\/providers\/Microsoft\.Insights\/diagnosticSettings$/), LOG_WORKSPACE_RESOURCE]);
    expect(new Set(f.logs.requests.map((q) => q.workspace))).toEqual(new Set([LOG_WORKSPACE_ID]));
    expect(report.bucketSeconds).toBe(30);
    expect(report.buckets).toHaveLength(30);
    // The recording: 15 requests per 30 s bucket, 10:1 weighting, and the other service's rows filtered out.
    const total = report.buckets.reduce((n, b) => n + Object.values(b.backends).reduce((m, c) => m + c.requests, 0), 0);
    expect(total).toBe(450);
    expect(report.buckets.some((b) => 'elsewhere' in b.backends)).toBe(false);
    const first = report.buckets[0]!;
    expect(first.at).toBe('2026-11-25T10:00:00.000Z');
    expect(first.backends['aoai-eastus']!.status).toEqual({ '200': 14 });
    expect(first.backends['aoai-uksouth']!.requests).toBe(1);
    expect(first.backends['aoai-eastus']!.promptTokens).toBe(140);
    // EastUS answered 429 at 10:05:00, then had no traffic while UKSouth served: an inferred opening until 10:06:30.
    expect(report.buckets.find((b) => b.at === '2026-11-25T10:05:00.000Z')!.backends['aoai-eastus']!.status['429']).toBe(3);
    expect(report.openings).toEqual([expect.objectContaining({ backend: 'aoai-eastus', pool: 'mybackendpool', at: '2026-11-25T10:05:30.000Z', until: '2026-11-25T10:06:30.000Z' })]);
    // APIM's own 503s (no backend called) are kept, under (apim).
    expect(report.buckets.find((b) => b.at === '2026-11-25T10:10:00.000Z')!.backends['(apim)']!.status).toEqual({ '503': 2 });
    // The measured ingestion delay (90th percentile of the recorded 60–150 s), shown on the time axis.
    expect(report.delaySeconds).toBeGreaterThanOrEqual(130);
    expect(report.delaySeconds).toBeLessThanOrEqual(150);
    expect(report.incompleteAfter).toBe(new Date(Date.parse(RECORDING_END) - report.delaySeconds * 1000).toISOString());
    expect(report.breakerEvents).toBeNull();
  });

  it('prints a table in words without --json', async () => {
    const r = await cli(['monitor', 'demo.yaml', '--deployed', ...target], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^logs from diagnostic setting "to-law"/);
    expect(r.stdout).toMatch(/^10:05:00 {2}aoai-eastus 3 \(429: 3\) {2}aoai-uksouth 12 \(200: 12\)$/m);
    expect(r.stdout).toMatch(/inferred opening: aoai-eastus \(pool mybackendpool\) from 2026-11-25T10:05:30.000Z until 2026-11-25T10:06:30.000Z/);
    expect(r.stdout).toMatch(/ingestion delay about \d+ s/);
  });

  it('--workspace-id skips discovery; a bad one names the flag', async () => {
    const r = await cli(['monitor', 'demo.yaml', '--deployed', '--json', '--workspace-id', LOG_WORKSPACE_ID, '--logs-endpoint', f.logs.url, '--until', RECORDING_END], dir);
    expect(r.code).toBe(0);
    expect(f.front.requests).toEqual([]);
    // No service named: rows of every service in the workspace, the other one's included.
    expect((JSON.parse(r.stdout) as DeployedMonitorReport).buckets.some((b) => 'elsewhere' in b.backends)).toBe(true);
    const bad = await cli(['monitor', 'demo.yaml', '--deployed', '--workspace-id', 'law-ai', '--logs-endpoint', f.logs.url], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--workspace-id: "law-ai" is not a Log Analytics workspace id/);
  });

  it('usage: --deployed is required, --since must be a duration', async () => {
    expect((await cli(['monitor', 'demo.yaml'], dir)).code).toBe(2);
    const since = await cli(['monitor', 'demo.yaml', '--deployed', '--since', 'soon'], dir);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since: "soon" is not a duration/);
  });
});

describe('discovery when the service does not send its logs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bb-deployed-'));
    writeFileSync(join(dir, 'demo.yaml'), DEMO_WORKSPACE_YAML);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says how to enable it and offers the Bicep', async () => {
    const f = await startDeployedFixture({ settings: [] });
    try {
      const r = await cli(['monitor', 'demo.yaml', '--deployed', '--subscription', SUB, '--resource-group', RG, '--service', SVC, '--endpoint', f.endpoint, '--logs-endpoint', f.logs.url], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/my-apim sends no gateway logs to Log Analytics/);
      expect(r.stderr).toMatch(/--format observability-bicep/);
      expect(f.logs.requests).toEqual([]);
    } finally {
      await f.close();
    }
  });

  it('names a setting that writes to AzureDiagnostics instead of the resource-specific table', async () => {
    const f = await startDeployedFixture({ settings: [{ name: 'legacy', workspaceResourceId: LOG_WORKSPACE_RESOURCE, categories: ['GatewayLogs'], destinationType: 'AzureDiagnostics' }] });
    try {
      const source = await openDeployedSource({ credential: staticTokenCredential(TOKEN), workspace: demoWorkspace(), target: { subscription: SUB, resourceGroup: RG, service: SVC, endpoint: f.endpoint }, logsEndpoint: f.logs.url });
      expect(source).toEqual({ ok: false, reason: expect.stringContaining('"legacy" sends gateway logs to the AzureDiagnostics table'), howTo: expect.stringContaining('Resource specific') });
    } finally {
      await f.close();
    }
  });
});

describe('Log Analytics errors and breaker events', () => {
  it('a wrong workspace id is a 404 in words', async () => {
    const f = await startDeployedFixture();
    try {
      const reader = createLogsReader(staticTokenCredential(TOKEN), f.logs.url);
      await expect(reader.query('00000000-0000-0000-0000-000000000000', '// breakerboard:delay\nx', { startTime: new Date(0), endTime: new Date(1000) })).rejects.toThrow(/HTTP 404\): no such Log Analytics workspace/);
    } finally {
      await f.close();
    }
  });

  it('reads CircuitBreaker.Opened/Closed from peeked queue messages and marks them on the reading', async () => {
    const ev = (type: string, backend: string, at: string) => Buffer.from(JSON.stringify({ id: at, eventType: `Microsoft.ApiManagement.CircuitBreaker.${type}`, subject: `/backends/${backend}`, eventTime: at, data: { backendName: backend, circuitBreaker: { rules: {} } }, dataVersion: '1' })).toString('base64');
    const xml = `<?xml version="1.0" encoding="utf-8"?><QueueMessagesList><QueueMessage><MessageId>1</MessageId><MessageText>${ev('Opened', 'aoai-eastus', '2026-11-25T10:05:01Z')}</MessageText></QueueMessage><QueueMessage><MessageId>2</MessageId><MessageText>${Buffer.from('not json').toString('base64')}</MessageText></QueueMessage><QueueMessage><MessageId>3</MessageId><MessageText>${ev('Closed', 'aoai-eastus', '2026-11-25T10:06:01Z')}</MessageText></QueueMessage></QueueMessagesList>`;
    expect(parsePeekedMessages(xml)).toEqual([
      { type: 'opened', backend: 'aoai-eastus', at: '2026-11-25T10:05:01.000Z' },
      { type: 'closed', backend: 'aoai-eastus', at: '2026-11-25T10:06:01.000Z' },
    ]);
    const f = await startDeployedFixture();
    const seen: { url: string; headers: Record<string, string> }[] = [];
    try {
      const source = await openDeployedSource({
        credential: staticTokenCredential(TOKEN),
        workspace: demoWorkspace(),
        workspaceId: LOG_WORKSPACE_ID,
        logsEndpoint: f.logs.url,
        eventsQueue: 'https://stbb.queue.core.windows.net/breaker-events',
        now: () => Date.parse(RECORDING_END),
        fetch: async (url, init) => {
          seen.push({ url, headers: init.headers });
          return { status: 200, text: async () => xml };
        },
      });
      if (!source.ok) throw new Error(source.reason);
      const report = await source.read(900);
      expect(report.breakerEvents).toHaveLength(2);
      expect(seen[0]!.url).toBe('https://stbb.queue.core.windows.net/breaker-events/messages?peekonly=true&numofmessages=32');
      expect(seen[0]!.headers['x-ms-version']).toBe('2021-08-06');
    } finally {
      await f.close();
    }
  });
});
