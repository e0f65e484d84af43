import type { TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecordedTables, startLogAnalyticsEmulator, type LogAnalyticsEmulator } from '../../../test/support/log-analytics-emulator';
import { createLogsReader, logsScope } from './log-analytics';

/*
 * Which token a Log Analytics query asks for: a sovereign cloud refuses a public-cloud token, so the scope follows
 * the endpoint's cloud. The credential records the scope and refuses, so no request ever leaves the machine.
 */

function recordingCredential() {
  const asked: string[][] = [];
  const credential: TokenCredential = {
    getToken: async (scopes) => {
      asked.push([scopes].flat());
      throw Object.assign(new Error('no sign-in in tests'), { name: 'CredentialUnavailableError' });
    },
  };
  return { asked, credential };
}

async function scopeAskedFor(endpoint: string): Promise<string[][]> {
  const { asked, credential } = recordingCredential();
  const since = { startTime: new Date(0), endTime: new Date(60_000) };
  await expect(createLogsReader(credential, endpoint).query('00000000-0000-0000-0000-000000000001', 'print 1', since)).rejects.toThrow(/^Log Analytics query failed: no sign-in in tests/);
  return asked;
}

describe('the token a Log Analytics query asks for', () => {
  it('is the endpoint cloud’s audience: public, US Government, China', async () => {
    expect(await scopeAskedFor('https://api.loganalytics.io/v1')).toEqual([['https://api.loganalytics.io/.default']]);
    expect(await scopeAskedFor('https://api.loganalytics.us/v1')).toEqual([['https://api.loganalytics.us/.default']]);
    expect(await scopeAskedFor('https://api.loganalytics.azure.cn/v1/')).toEqual([['https://api.loganalytics.azure.cn/.default']]);
  });

  it('the public cloud’s newer host and a loopback emulator use the public audience', async () => {
    expect(await scopeAskedFor('https://api.loganalytics.azure.com/v1')).toEqual([['https://api.loganalytics.io/.default']]);
    expect(await scopeAskedFor('http://127.0.0.1:9/v1')).toEqual([['https://api.loganalytics.io/.default']]);
  });

  it('logsScope ignores the path and the host’s case', () => {
    expect(logsScope(new URL('https://API.LogAnalytics.US/v1/extra'))).toBe('https://api.loganalytics.us/.default');
    expect(logsScope(new URL('https://API.LOGANALYTICS.AZURE.COM/v1'))).toBe('https://api.loganalytics.io/.default');
  });
});

describe('queries against the loopback Log Analytics emulator (plain http, our own bearer policy)', () => {
  const WS = '9d3c1a5e-0b4f-4a57-9c57-1b2f0c6a7e11';
  const TOKEN = 'law-token';
  const since = { startTime: new Date('2026-11-25T09:00:00Z'), endTime: new Date('2026-11-25T11:00:00Z') };
  let logs: LogAnalyticsEmulator;
  const asked: unknown[] = [];
  // Records the raw arguments: the SDK's bearer policy asks with an array and options, ours with the scope string.
  const credential: TokenCredential = {
    getToken: async (scopes, options) => {
      asked.push(options === undefined ? scopes : [scopes, 'options']);
      return { token: TOKEN, expiresOnTimestamp: 4_102_444_800_000 };
    },
  };
  beforeAll(async () => {
    logs = await startLogAnalyticsEmulator({ token: TOKEN, workspaces: { [WS]: loadRecordedTables(new URL('../../../test/support/log-analytics-emulator/demo-recording.json', import.meta.url)) } });
  });
  afterAll(() => logs.close());
  const fresh = () => {
    asked.length = 0;
    logs.received.length = 0;
  };

  it('reads rows keyed by column (endpoint with a trailing slash), asking a server timeout of 60 s, one token per attempt', async () => {
    fresh();
    const rows = await createLogsReader(credential, `${logs.url}/`).query(WS, '// breakerboard:delay\nx', since);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!)).toEqual(['delaySeconds', 'newest']);
    expect(logs.received).toEqual([{ method: 'POST', path: `/v1/workspaces/${WS}/query`, prefer: 'wait=60' }]);
    expect(asked).toEqual(['https://api.loganalytics.io/.default']);
  });

  it('retries once after a 503, with a fresh token for the retry (auth in the Sign phase, after the retry policy)', async () => {
    fresh();
    logs.failNext(5, 503, 'busy');
    await expect(createLogsReader(credential, logs.url).query(WS, '// breakerboard:delay\nx', since)).rejects.toHaveProperty('message', 'Log Analytics query failed (HTTP 503): busy');
    expect(logs.received).toHaveLength(2);
    expect(asked).toEqual(['https://api.loganalytics.io/.default', 'https://api.loganalytics.io/.default']);
    logs.failNext(0, 503, '');
  });

  it('403 and 404 get a hint in words; any other status none; only the first line of the message', async () => {
    const reader = createLogsReader(credential, logs.url);
    logs.failNext(1, 403, 'The provided credentials have insufficient access to perform the requested operation\nsecond line');
    await expect(reader.query(WS, '// breakerboard:delay\nx', since)).rejects.toHaveProperty('message', 'Log Analytics query failed (HTTP 403): your sign-in needs the Log Analytics Reader role on the workspace: The provided credentials have insufficient access to perform the requested operation');
    await expect(reader.query('00000000-0000-0000-0000-000000000000', '// breakerboard:delay\nx', since)).rejects.toHaveProperty('message', 'Log Analytics query failed (HTTP 404): no such Log Analytics workspace (check --workspace-id, the workspace GUID): Workspace 00000000-0000-0000-0000-000000000000 not found');
    await expect(reader.query(WS, 'print 1', since)).rejects.toHaveProperty('message', 'Log Analytics query failed (HTTP 400): The emulator does not understand this query');
  });

  it('an https endpoint keeps the SDK’s own bearer policy (it asks with the scopes array and options)', async () => {
    fresh();
    const refusing: TokenCredential = {
      getToken: async (scopes, options) => {
        asked.push(options === undefined ? scopes : [scopes, 'options']);
        throw new Error('no sign-in in tests');
      },
    };
    await expect(createLogsReader(refusing, 'https://api.loganalytics.io/v1').query(WS, 'print 1', since)).rejects.toHaveProperty('message', 'Log Analytics query failed: no sign-in in tests');
    expect(asked).toEqual([[['https://api.loganalytics.io/.default'], 'options']]);
  });
});
