import { describe, expect, it } from 'vitest';
import type { DeployedReading } from '../../../../shared/contract';
import { createAppStore } from '../../store/create-app-store';
import { createFakeApi } from '../../store/testing/fake-api';
import { backendsOf, chartRows } from './chart-rows';
import { createFakeDeployed } from './fake-deployed';

const READING: DeployedReading = {
  available: true,
  discoveredFrom: 'diagnostic setting "to-law"',
  reason: null,
  howTo: null,
  report: {
    buckets: [
      { at: '2026-11-25T10:00:00.000Z', backends: { 'aoai-eastus': { requests: 10, status: { '200': 9, '429': 1 }, backendTimeMs: 400 }, '(apim)': { requests: 2, status: { '503': 2 } } } },
      { at: '2026-11-25T10:00:30.000Z', backends: { 'aoai-uksouth': { requests: 5, status: { '200': 5 } } } },
    ],
    delaySeconds: 140,
    bucketSeconds: 30,
    from: '2026-11-25T10:00:00.000Z',
    to: '2026-11-25T10:01:00.000Z',
    incompleteAfter: '2026-11-25T09:58:40.000Z',
    workspaceId: '9d3c1a5e-0b4f-4a57-9c57-1b2f0c6a7e11',
    openings: [],
    breakerEvents: null,
    notes: [],
  },
};

describe('the deployed slice', () => {
  it('switches the source and reads with the options it holds (empty fields left out)', async () => {
    const api = createFakeApi();
    const deployed = createFakeDeployed({ reading: READING });
    api.deployed = deployed;
    const store = createAppStore(api);
    expect(store.getState().deployed.source).toBe('local');
    store.getState().setMonitorSource('deployed');
    store.getState().setDeployedOptions({ sinceSeconds: 3600, workspaceId: ' 9d3c1a5e-0b4f-4a57-9c57-1b2f0c6a7e11 ' });
    await store.getState().refreshDeployed();
    expect(deployed.calls).toEqual([{ sinceSeconds: 3600, workspaceId: '9d3c1a5e-0b4f-4a57-9c57-1b2f0c6a7e11' }]);
    expect(store.getState().deployed).toMatchObject({ source: 'deployed', loading: false, error: null, reading: READING });
  });

  it('keeps an error in words', async () => {
    const api = createFakeApi();
    api.deployed = { ...createFakeDeployed(), monitor: async () => Promise.reject(new Error('not signed in to Azure: sign in on the Deploy screen first')) };
    const store = createAppStore(api);
    await store.getState().refreshDeployed();
    expect(store.getState().deployed.error).toMatch(/not signed in/);
  });
});

describe('chart rows', () => {
  it('orders backends as the workspace does, then what only the logs know; counts 429 and 5xx as failures', () => {
    const backends = backendsOf(READING.report!, ['aoai-eastus', 'aoai-uksouth']);
    expect(backends).toEqual(['aoai-eastus', 'aoai-uksouth', '(apim)']);
    const rows = chartRows(READING.report!, backends);
    expect(rows[0]).toEqual({ t: Date.parse('2026-11-25T10:00:15.000Z'), requests: { 'aoai-eastus': 10, 'aoai-uksouth': 0, '(apim)': 2 }, failures: { 'aoai-eastus': 1, 'aoai-uksouth': 0, '(apim)': 2 }, backendMs: { 'aoai-eastus': 400, 'aoai-uksouth': null, '(apim)': null } });
  });
});
