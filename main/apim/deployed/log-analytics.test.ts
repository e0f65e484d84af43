import type { TokenCredential } from '@azure/core-auth';
import { describe, expect, it } from 'vitest';
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
