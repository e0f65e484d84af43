import { describe, expect, it } from 'vitest';
import { demoWorkspace } from '../../test/support/workspace-arbitrary';
import { BREAKER_EVENT_TYPES, exportObservabilityBicep, STORAGE_QUEUE_DATA_READER } from './observability-bicep';

/* The observability Bicep: what monitor --deployed needs to find and read, in Bicep the deployment accepts. */

function block(bicep: string, symbol: string): string {
  const lines = bicep.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`resource ${symbol} `));
  expect(start, `resource ${symbol}`).toBeGreaterThanOrEqual(0);
  return lines.slice(start, lines.indexOf('}', start) + 1).join('\n');
}

/** Brackets balance outside string literals and comments (no Bicep compiler here). */
function balanced(text: string): boolean {
  const code = text.split('\n').map((l) => l.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/\/\/.*$/, '')).join('\n');
  const stack: string[] = [];
  const pairs: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
  for (const ch of code) {
    if ('{[('.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0;
}

describe('exportObservabilityBicep', () => {
  const ws = demoWorkspace();
  ws.target = { subscription: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-ai', service: 'my-apim' };
  const bicep = exportObservabilityBicep(ws, { source: 'demo.yaml' });

  it('sends GatewayLogs and GatewayLlmLogs to resource-specific tables of a workspace, on the existing service', () => {
    expect(bicep).toContain("param apimServiceName string = 'my-apim'");
    expect(block(bicep, 'apim')).toContain("'Microsoft.ApiManagement/service@2024-05-01' existing");
    const diag = block(bicep, 'gatewayLogs');
    expect(diag).toContain('scope: apim');
    expect(diag).toContain("logAnalyticsDestinationType: 'Dedicated'");
    expect(diag).toMatch(/category: 'GatewayLogs'\n\s+enabled: true/);
    expect(diag).toMatch(/category: 'GatewayLlmLogs'\n\s+enabled: true/);
    expect(bicep).toContain('output logAnalyticsWorkspaceId string = law.properties.customerId');
  });

  it('routes exactly the breaker events the monitor reads to a Storage queue with a one-hour time to live', () => {
    expect(BREAKER_EVENT_TYPES).toEqual(['Microsoft.ApiManagement.CircuitBreaker.Opened', 'Microsoft.ApiManagement.CircuitBreaker.Closed']);
    const sub = block(bicep, 'breakerEvents');
    for (const t of BREAKER_EVENT_TYPES) expect(sub).toContain(`'${t}'`);
    expect(sub).toContain("endpointType: 'StorageQueue'");
    expect(sub).toContain('queueMessageTimeToLiveInSeconds: 3600');
    expect(block(bicep, 'topic')).toContain("topicType: 'Microsoft.ApiManagement.Service'");
    expect(block(bicep, 'reader')).toContain(STORAGE_QUEUE_DATA_READER);
    expect(bicep).toContain("output eventsQueueUrl string = '${events.properties.primaryEndpoints.queue}${eventsQueueName}'");
  });

  it('balances its brackets, and without a target asks for the service name', () => {
    expect(balanced(bicep)).toBe(true);
    const noTarget = exportObservabilityBicep(demoWorkspace());
    expect(noTarget).toMatch(/^param apimServiceName string$/m);
    expect(balanced(noTarget)).toBe(true);
  });
});
