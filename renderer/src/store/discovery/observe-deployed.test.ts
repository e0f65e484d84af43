import { describe, expect, it } from 'vitest';
import type { DeployedReading } from '../../../../shared/contract';
import { createFakeDeployed } from '../../features/deployed-monitor/fake-deployed';
import { createAppStore } from '../create-app-store';
import { createFakeApi } from '../testing/fake-api';

/* The Capacity screen's "From the deployed service": the Monitor's deployed reading turned into a profile. */

const reading = (tokens: boolean): DeployedReading => ({
  available: true,
  discoveredFrom: null,
  reason: null,
  howTo: null,
  report: {
    buckets: [0, 1, 2, 3].map((i) => ({
      at: new Date(Date.parse('2026-11-25T10:00:00.000Z') + i * 30_000).toISOString(),
      backends: { 'aoai-eastus': { requests: 6, status: { '200': 6 }, ...(tokens ? { promptTokens: 600, completionTokens: 300 } : {}) } },
    })),
    delaySeconds: 60,
    bucketSeconds: 30,
    from: '2026-11-25T10:00:00.000Z',
    to: '2026-11-25T10:03:00.000Z',
    incompleteAfter: '2026-11-25T10:02:00.000Z',
    workspaceId: '9d3c1a5e-0b4f-4a57-9c57-1b2f0c6a7e11',
    openings: [],
    breakerEvents: null,
    notes: [],
  },
});

describe('observeDeployed', () => {
  it('reads the last 15 min with the Monitor’s workspace id and derives requests/min and tokens per request', async () => {
    const api = createFakeApi();
    const deployed = createFakeDeployed({ reading: reading(true) });
    api.deployed = deployed;
    const store = createAppStore(api);
    store.getState().setDeployedOptions({ workspaceId: '9d3c1a5e-0b4f-4a57-9c57-1b2f0c6a7e11' });
    // 4 complete buckets of 30 s × 6 requests: 12/min; 900 tokens / 6 answered = 150.
    expect(await store.getState().observeDeployed()).toEqual({ rpm: 12, tokensPerRequest: 150, minutes: 2, from: '2026-11-25T10:00:00.000Z', to: '2026-11-25T10:02:00.000Z' });
    expect(deployed.calls).toEqual([{ sinceSeconds: 900, workspaceId: '9d3c1a5e-0b4f-4a57-9c57-1b2f0c6a7e11' }]);
  });

  it('tokens absent: null, so the screen keeps the typed value; no reading: why, and how to enable it', async () => {
    const api = createFakeApi();
    api.deployed = createFakeDeployed({ reading: reading(false) });
    expect(await createAppStore(api).getState().observeDeployed()).toMatchObject({ rpm: 12, tokensPerRequest: null });
    const none = createFakeApi();
    none.deployed = createFakeDeployed();
    expect(await createAppStore(none).getState().observeDeployed()).toBe('no service named (to enable it: set target: in the workspace)');
  });
});
