import { describe, expect, it } from 'vitest';
import { demoWorkspace } from '../../test/support/workspace-arbitrary';
import { exportObservabilityBicep, STORAGE_QUEUE_DATA_READER } from './observability-bicep';

/*
 * The observability Bicep resource by resource, every field and value as deployed (the mutation run showed that
 * asserting a few lines let a dropped SKU, a wrong api-version or a lost retention pass). Each resource block is
 * compared whole, so a changed name, type, api-version or property fails here.
 */

const ws = demoWorkspace();
ws.target = { subscription: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-ai', service: "it's-apim" };
const bicep = exportObservabilityBicep(ws, { source: 'demo.yaml' });
const lines = bicep.split('\n');

/** The lines of `resource <symbol> …` up to its closing brace at column 0. */
function block(symbol: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(`resource ${symbol} `));
  expect(start, `resource ${symbol}`).toBeGreaterThanOrEqual(0);
  return lines.slice(start, lines.indexOf('}', start) + 1);
}

describe('exportObservabilityBicep, field by field', () => {
  it('starts with the header and the parameters, the service name quoted the Bicep way', () => {
    expect(lines.slice(0, 12)).toEqual([
      '// Breakerboard: observability for the deployed APIM service (from demo.yaml).',
      "// Deploy into the service's resource group: az deployment group create -g <rg> -f observability.bicep",
      '// Then: breakerboard monitor <ws> --deployed [--events-queue <eventsQueueUrl output>]',
      '',
      "param apimServiceName string = 'it\\'s-apim'",
      "param logAnalyticsWorkspaceName string = 'law-${apimServiceName}'",
      "param eventsStorageAccountName string = 'stbb${uniqueString(resourceGroup().id)}'",
      "param eventsQueueName string = 'breaker-events'",
      "@description('Object id of the user or app that runs Breakerboard (gets Storage Queue Data Reader on the queue); empty: none')",
      "param readerPrincipalId string = ''",
      'param location string = resourceGroup().location',
      '',
    ]);
  });

  it('without a source names none, and a backslash in the service name is escaped', () => {
    const other = demoWorkspace();
    other.target = { subscription: 's', resourceGroup: 'rg', service: 'a\\b' };
    const out = exportObservabilityBicep(other).split('\n');
    expect(out[0]).toBe('// Breakerboard: observability for the deployed APIM service.');
    expect(out).toContain("param apimServiceName string = 'a\\\\b'");
  });

  it('reads the existing service', () => {
    expect(block('apim')).toEqual(["resource apim 'Microsoft.ApiManagement/service@2024-05-01' existing = {", '  name: apimServiceName', '}']);
  });

  it('creates a pay-as-you-go Log Analytics workspace with 30 days of retention', () => {
    expect(block('law')).toEqual([
      "resource law 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {",
      '  name: logAnalyticsWorkspaceName',
      '  location: location',
      '  properties: {',
      '    sku: {',
      "      name: 'PerGB2018'",
      '    }',
      '    retentionInDays: 30',
      '  }',
      '}',
    ]);
  });

  it('sends both gateway log categories to resource-specific tables', () => {
    expect(block('gatewayLogs')).toEqual([
      "resource gatewayLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {",
      "  name: 'breakerboard-gateway-logs'",
      '  scope: apim',
      '  properties: {',
      '    workspaceId: law.id',
      "    logAnalyticsDestinationType: 'Dedicated'",
      '    logs: [',
      '      {',
      "        category: 'GatewayLogs'",
      '        enabled: true',
      '      }',
      '      {',
      "        category: 'GatewayLlmLogs'",
      '        enabled: true',
      '      }',
      '    ]',
      '  }',
      '}',
    ]);
  });

  it('creates a private TLS 1.2 storage account with a queue service and the events queue', () => {
    expect(block('events')).toEqual([
      "resource events 'Microsoft.Storage/storageAccounts@2023-05-01' = {",
      '  name: eventsStorageAccountName',
      '  location: location',
      "  kind: 'StorageV2'",
      '  sku: {',
      "    name: 'Standard_LRS'",
      '  }',
      '  properties: {',
      "    minimumTlsVersion: 'TLS1_2'",
      '    allowBlobPublicAccess: false',
      '  }',
      '}',
    ]);
    expect(block('queueService')).toEqual([
      "resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {",
      '  parent: events',
      "  name: 'default'",
      '}',
    ]);
    expect(block('queue')).toEqual([
      "resource queue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {",
      '  parent: queueService',
      '  name: eventsQueueName',
      '}',
    ]);
  });

  it('puts an Event Grid system topic on the service', () => {
    expect(block('topic')).toEqual([
      "resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {",
      "  name: '${apimServiceName}-events'",
      '  location: apim.location',
      '  properties: {',
      '    source: apim.id',
      "    topicType: 'Microsoft.ApiManagement.Service'",
      '  }',
      '}',
    ]);
  });

  it('subscribes the queue to the breaker events, one hour time to live, after the queue exists', () => {
    expect(block('breakerEvents')).toEqual([
      "resource breakerEvents 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {",
      '  parent: topic',
      "  name: 'breakerboard-breaker-events'",
      '  properties: {',
      "    eventDeliverySchema: 'EventGridSchema'",
      '    filter: {',
      '      includedEventTypes: [',
      "        'Microsoft.ApiManagement.CircuitBreaker.Opened'",
      "        'Microsoft.ApiManagement.CircuitBreaker.Closed'",
      '      ]',
      '    }',
      '    destination: {',
      "      endpointType: 'StorageQueue'",
      '      properties: {',
      '        resourceId: events.id',
      '        queueName: eventsQueueName',
      '        queueMessageTimeToLiveInSeconds: 3600',
      '      }',
      '    }',
      '  }',
      '  dependsOn: [',
      '    queue',
      '  ]',
      '}',
    ]);
  });

  it('grants Storage Queue Data Reader on the queue only when a reader is given', () => {
    expect(STORAGE_QUEUE_DATA_READER).toBe('19e7f393-937e-4f77-808e-94535e297925');
    expect(block('reader')).toEqual([
      "resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(readerPrincipalId)) {",
      '  scope: queue',
      "  name: guid(queue.id, readerPrincipalId, '19e7f393-937e-4f77-808e-94535e297925')",
      '  properties: {',
      "    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '19e7f393-937e-4f77-808e-94535e297925')",
      '    principalId: readerPrincipalId',
      '  }',
      '}',
    ]);
  });

  it('separates every resource and the outputs by one blank line', () => {
    // A resource follows a blank line or its own comment line, which follows a blank line.
    for (const [i, l] of lines.entries()) {
      if (!l.startsWith('resource ')) continue;
      const above = lines[i - 1]!.startsWith('// ') ? i - 2 : i - 1;
      expect(lines[above], l).toBe('');
      expect(lines[above - 1], l).not.toBe('');
    }
    expect(lines.filter((l) => l === '')).toHaveLength(12);
  });

  it('ends with the two outputs the monitor takes, and one newline', () => {
    expect(lines.slice(-6)).toEqual([
      '}',
      '',
      '// The query API takes the workspace GUID (customerId); `monitor --deployed --workspace-id` accepts it.',
      'output logAnalyticsWorkspaceId string = law.properties.customerId',
      "output eventsQueueUrl string = '${events.properties.primaryEndpoints.queue}${eventsQueueName}'",
      '',
    ]);
  });
});
