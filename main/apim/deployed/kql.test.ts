import { describe, expect, it } from 'vitest';
import { bucketSecondsFor, delayQuery, kqlString, tokensQuery, trafficQuery } from './kql';

/*
 * The exact KQL Breakerboard sends (the Log Analytics emulator only reads the `// breakerboard:<kind>` comment, so
 * the text itself is pinned here): the tables and columns of the resource-specific gateway logs, and the service
 * filter with its id quoted as a KQL string literal.
 */

const SERVICE = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/my-apim';

describe('kqlString', () => {
  it('quotes in single quotes, escaping backslashes and quotes', () => {
    expect(kqlString("it's a\\b")).toBe("'it\\'s a\\\\b'");
    expect(kqlString('plain')).toBe("'plain'");
    // A quote after a backslash stays a closed pair: the backslash is doubled first, then the quote escaped.
    expect(kqlString("\\'")).toBe("'\\\\\\''");
  });
});

describe('the queries', () => {
  it('traffic: per bucket, backend and status; APIM’s own answers keep ResponseCode', () => {
    expect(trafficQuery(30)).toBe(
      [
        '// breakerboard:traffic',
        'ApiManagementGatewayLogs',
        '| extend backend = tostring(BackendId), status = iff(isempty(BackendId), toint(ResponseCode), toint(BackendResponseCode))',
        '| summarize requests = count(), backendTimeMs = avg(BackendTime), lastErrorReason = take_any(LastErrorReason) by at = bin(TimeGenerated, 30s), backend, status',
        '| order by at asc',
      ].join('\n'),
    );
    expect(trafficQuery(60, SERVICE).split('\n').slice(0, 3)).toEqual(['// breakerboard:traffic', 'ApiManagementGatewayLogs', `| where _ResourceId =~ '${SERVICE}'`]);
  });

  it('tokens: the LLM log joined to the gateway log on CorrelationId for the backend', () => {
    expect(tokensQuery(15, "it's")).toBe(
      [
        '// breakerboard:tokens',
        'ApiManagementGatewayLlmLog',
        "| where _ResourceId =~ 'it\\'s'",
        '| join kind=inner (ApiManagementGatewayLogs | project CorrelationId, BackendId) on CorrelationId',
        '| summarize promptTokens = sum(PromptTokens), completionTokens = sum(CompletionTokens) by at = bin(TimeGenerated, 15s), backend = tostring(BackendId)',
        '| order by at asc',
      ].join('\n'),
    );
    expect(tokensQuery(15)).not.toContain('_ResourceId');
  });

  it('delay: the 90th percentile of ingestion time minus TimeGenerated, and the newest row', () => {
    expect(delayQuery()).toBe(
      ['// breakerboard:delay', 'ApiManagementGatewayLogs', '| summarize delaySeconds = percentile(todouble((ingestion_time() - TimeGenerated) / 1s), 90), newest = max(TimeGenerated)'].join('\n'),
    );
    expect(delayQuery(SERVICE).split('\n')[2]).toBe(`| where _ResourceId =~ '${SERVICE}'`);
  });
});

describe('bucketSecondsFor', () => {
  it('about 30 buckets in round sizes, 10 s at least, an hour at most', () => {
    expect([60, 300, 450, 451, 900, 3600, 86_400, 1_000_000].map(bucketSecondsFor)).toEqual([10, 10, 15, 30, 30, 120, 3600, 3600]);
  });
});
