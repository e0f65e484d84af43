import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { DiagnosticSettingsResource, MonitorClient } from '@azure/arm-monitor';
import { describe, expect, it } from 'vitest';
import type { ApimTarget, ArmConnection } from '../client';
import { discoverLogsDestination, ENABLE_HOW_TO, monitorClient } from './diagnostic-settings';

/*
 * Which diagnostic setting says where the gateway logs are (F-OBS-3), through stand-ins for the Monitor client and
 * ARM: the pick among several, the reasons and how-tos when none fits, and the errors. Then the Monitor client's own
 * pipeline (token scope, sign-in per attempt, one retry) against a loopback server.
 */

const target: ApimTarget = { subscription: 'sub-1', resourceGroup: 'rg-1', service: 'my-apim' };
const LAW = '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.OperationalInsights/workspaces/law-ai';
const GUID = '9d3c1a5e-0b4f-4a57-9c57-1b2f0c6a7e11';

type Log = { category?: string; enabled: boolean };
/** `workspaceId: null`: a setting that sends to a storage account or event hub only. */
const setting = (name: string | undefined, logs: Log[], destination?: 'Dedicated' | 'AzureDiagnostics', workspaceId: string | null = LAW): DiagnosticSettingsResource => ({
  name,
  workspaceId: workspaceId ?? undefined,
  logs,
  logAnalyticsDestinationType: destination,
});
const gateway: Log[] = [{ category: 'GatewayLogs', enabled: true }];

function standIns(settings: DiagnosticSettingsResource[] | Error, customerId = GUID) {
  const listed: string[] = [];
  const read: string[] = [];
  const monitor = {
    diagnosticSettings: {
      list: async (uri: string) => {
        listed.push(uri);
        if (settings instanceof Error) throw settings;
        return { value: settings };
      },
    },
  } as unknown as MonitorClient;
  const arm = {
    endpoint: 'https://management.azure.com',
    getJson: async (path: string, what: string) => {
      read.push(`${what}: ${path}`);
      return { properties: customerId ? { customerId } : {} };
    },
  } as unknown as ArmConnection;
  return { listed, read, discover: () => discoverLogsDestination(monitor, arm, target) };
}

describe('discoverLogsDestination', () => {
  it('takes the first setting sending GatewayLogs to resource-specific tables, then the workspace GUID from ARM', async () => {
    const other = '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.OperationalInsights/workspaces/law-2';
    const s = standIns([
      setting('legacy', gateway, 'AzureDiagnostics'),
      setting('to-storage', gateway, 'Dedicated', null),
      setting('off', [{ category: 'GatewayLogs', enabled: false }], 'Dedicated'),
      setting('websockets', [{ category: 'WebSocketConnectionLogs', enabled: true }], 'Dedicated'),
      setting('to-law', [{ category: 'GatewayLlmLogs', enabled: true }, ...gateway], 'Dedicated'),
      setting('second', gateway, 'Dedicated', other),
    ]);
    expect(await s.discover()).toEqual({ ok: true, destination: { setting: 'to-law', workspaceResourceId: LAW, workspaceId: GUID } });
    // The SDK joins "/{resourceUri}": the id goes without its leading slash.
    expect(s.listed).toEqual(['subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.ApiManagement/service/my-apim']);
    expect(s.read).toEqual([`reading the Log Analytics workspace: ${LAW}?api-version=2022-10-01`]);
  });

  it('an enabled entry without a category is a category group (allLogs), taken to include GatewayLogs', async () => {
    expect(await standIns([setting(undefined, [{ enabled: true }], 'Dedicated')]).discover()).toEqual({ ok: true, destination: { setting: '', workspaceResourceId: LAW, workspaceId: GUID } });
    expect((await standIns([setting('group-off', [{ enabled: false }], 'Dedicated')]).discover()).ok).toBe(false);
  });

  it('names a setting that writes to AzureDiagnostics (or names no table) and says how to switch it', async () => {
    for (const destination of ['AzureDiagnostics', undefined] as const) {
      expect(await standIns([setting('to-law', [{ category: 'GatewayLogs', enabled: false }], 'Dedicated'), setting('legacy', gateway, destination)]).discover()).toEqual({
        ok: false,
        reason: 'diagnostic setting "legacy" sends gateway logs to the AzureDiagnostics table, not ApiManagementGatewayLogs',
        howTo: 'set its destination table to "Resource specific" (logAnalyticsDestinationType: Dedicated)',
      });
    }
  });

  it('no setting with gateway logs to a workspace: says how to add one, and reads no workspace', async () => {
    const none = { ok: false, reason: 'my-apim sends no gateway logs to Log Analytics (no diagnostic setting with GatewayLogs)', howTo: ENABLE_HOW_TO };
    for (const settings of [[], [setting('to-storage', gateway, 'AzureDiagnostics', null), setting('websockets', [{ category: 'WebSocketConnectionLogs', enabled: true }], 'AzureDiagnostics')]]) {
      const s = standIns(settings);
      expect(await s.discover()).toEqual(none);
      expect(s.read).toEqual([]);
    }
  });

  it('errors name what was being read', async () => {
    await expect(standIns(Object.assign(new Error('nope'), { statusCode: 404 })).discover()).rejects.toMatchObject({
      name: 'ApimError',
      code: 'not-found',
      message: 'reading the diagnostic settings of my-apim was not found (404): check --subscription, --resource-group and --service',
    });
    await expect(standIns([setting('to-law', gateway, 'Dedicated')], '').discover()).rejects.toMatchObject({
      name: 'ApimError',
      code: 'input',
      message: `the Log Analytics workspace ${LAW} has no customerId (workspace GUID)`,
    });
  });
});

function recordingCredential(fail = false) {
  const asked: unknown[] = [];
  const credential: TokenCredential = {
    getToken: async (scopes): Promise<AccessToken> => {
      asked.push(scopes);
      if (fail) throw Object.assign(new Error('no sign-in in tests'), { name: 'CredentialUnavailableError' });
      return { token: 'tok', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return { asked, credential };
}

describe('monitorClient', () => {
  it('on loopback http: our bearer header, signed again on its one retry', async () => {
    const seen: { url: string; authorization: string | undefined }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
      res.end('{"error":{"code":"ServiceUnavailable","message":"try later"}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { asked, credential } = recordingCredential();
      const client = monitorClient(credential, 'sub-1', `http://127.0.0.1:${(server.address() as AddressInfo).port}/ignored-path`);
      await expect(client.diagnosticSettings.list('subscriptions/sub-1/x')).rejects.toMatchObject({ statusCode: 503 });
      const once = { url: '/subscriptions/sub-1/x/providers/Microsoft.Insights/diagnosticSettings?api-version=2017-05-01-preview', authorization: 'Bearer tok' };
      expect(seen).toEqual([once, once]);
      expect(asked).toEqual(['https://management.azure.com/.default', 'https://management.azure.com/.default']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('on https: the SDK’s bearer policy with the cloud’s own ARM scope', async () => {
    const { asked, credential } = recordingCredential(true);
    const client = monitorClient(credential, 'sub-1', 'https://management.usgovcloudapi.net');
    await expect(client.diagnosticSettings.list('subscriptions/sub-1/x')).rejects.toThrow(/no sign-in in tests/);
    expect(asked).toEqual([['https://management.usgovcloudapi.net/.default']]);
  });
});
