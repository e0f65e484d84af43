import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticTokenCredential } from '../apim';
import { startCognitiveEmulator, type CognitiveEmulator } from '../../test/support/cognitive-emulator';
import { createDiscoveryService } from './discovery-service';

const WS = {
  version: 1,
  backends: {
    ptu: { url: 'https://ptu.openai.azure.com/openai', capacity: { sku: 'ProvisionedManaged', tokensPerMinute: 60_000 } },
    payg: { url: 'https://payg.openai.azure.com/openai', capacity: { sku: 'Standard', tokensPerMinute: 120_000 } },
  },
  pools: { pool: { services: [{ backend: 'ptu', priority: 1 }, { backend: 'payg', priority: 2 }] } },
  apis: { chat: { path: 'openai', backend: 'pool' } },
};

let arm: CognitiveEmulator;
beforeAll(async () => {
  arm = await startCognitiveEmulator();
});
afterAll(async () => {
  await arm?.close();
});

describe('discovery service', () => {
  it('discovers with the Deploy sign-in, and says to sign in first without one', async () => {
    let session: { credential: ReturnType<typeof staticTokenCredential>; endpoint: string } | null = null;
    const svc = createDiscoveryService({ apim: { armSession: () => session }, workspace: { value: () => WS }, retry: { maxRetries: 0 } });
    await expect(svc.discover({})).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/sign in/) });
    session = { credential: staticTokenCredential('t'), endpoint: arm.url };
    const r = await svc.discover({});
    expect(r.accounts.length).toBe(3);
  });

  it('plans the open workspace, or the one given; refuses an invalid one naming the field', async () => {
    let t = 0;
    const svc = createDiscoveryService({ apim: { armSession: () => null }, workspace: { value: () => WS }, now: () => (t += 5) });
    const plan = await svc.plan({ rpm: 600, tokensPerRequest: 100, durationSeconds: 600, factors: [0.5, 1.5] });
    expect(plan).toMatchObject({ target: 'chat', unlimited: [], wallMs: 5 });
    // No breaker and no retry in this workspace: over the PTU's budget its 429s reach the clients, nothing spills.
    expect(plan.runs.map((r) => r.servedBy)).toEqual([{ ptu: 3000 }, { ptu: 9000 }]);
    expect(plan.runs[1]!.status['429']).toBeGreaterThan(0);
    await expect(svc.plan({ workspace: { version: 1, backends: { x: { url: 'nope' } } }, rpm: 1, tokensPerRequest: 1, durationSeconds: 1, factors: [1] })).rejects.toMatchObject({ code: 'bad-request', path: 'backends.x.url' });
    await expect(svc.plan({ rpm: 1, tokensPerRequest: 1, durationSeconds: 1, factors: [1], api: 'nope' })).rejects.toMatchObject({ code: 'bad-request', path: 'api' });
  });
});
