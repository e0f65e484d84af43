import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../shared/monitor';
import { createCoreServices, type CoreServices } from './create-services';
import { createMemorySecretStore } from './secret-store';

let services: CoreServices | undefined;
afterEach(async () => {
  await services?.dispose();
  services = undefined;
});

const make = () => (services = createCoreServices({ platform: 'serve', version: '0', cwd: '/', env: {}, secretStore: createMemorySecretStore() }));
type Pools = { mybackendpool: { services: { weight: number }[] } };

describe('gateway service (real engine, simulated backends)', () => {
  it('starts on the open workspace, serves, switches faults, reloads on edits, stops', async () => {
    const s = make();
    const runs: boolean[] = [];
    s.gateway.onRunning((r) => runs.push(r.running));
    const events: GatewayEvent[] = [];
    s.gateway.onEvent((e) => events.push(e));

    expect(await s.gateway.status()).toMatchObject({ running: false, url: null, status: null });
    await expect(s.gateway.resetBreaker({ backend: 'aoai-eastus' })).rejects.toMatchObject({ code: 'unavailable' });

    const run = await s.gateway.start({ simulate: true });
    expect(run).toMatchObject({ running: true, simulate: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const res = await fetch(`${run.url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-breakerboard-backend')).toMatch(/^aoai-/);
    await res.arrayBuffer();
    const status = await s.gateway.status();
    expect(Object.keys(status.status!.backends).sort()).toEqual(['aoai-eastus', 'aoai-uksouth']);

    const faults = await s.simulator.setFault({ backend: 'aoai-eastus', fault: { type: 'throttle', retryAfter: 30 } });
    expect(faults.faults['aoai-eastus']).toMatchObject({ type: 'throttle' });
    expect((await s.simulator.clearFault({ backend: 'aoai-eastus' })).faults['aoai-eastus']).toBeNull();
    await expect(s.simulator.setFault({ backend: 'nope', fault: { type: 'outage' } })).rejects.toMatchObject({ code: 'not-found' });
    expect(await s.gateway.resetBreaker({ backend: 'aoai-eastus' })).toEqual({ reset: expect.any(Boolean) });

    const ws = structuredClone((await s.workspace.current()).workspace);
    (ws.pools as Pools).mybackendpool.services[1]!.weight = 5;
    await s.workspace.update({ workspace: ws });
    expect(events.some((e) => e.type === 'config')).toBe(true);
    expect((await s.gateway.status()).status!.pools.mybackendpool!.members[1]!.weight).toBe(5);

    expect(await s.gateway.stop()).toMatchObject({ running: false });
    expect(runs).toEqual([true, false]);
    await expect(fetch(`${run.url}/_breakerboard/status`)).rejects.toThrow();
  });

  it('refuses to start on an invalid workspace, and faults without simulated backends', async () => {
    const s = make();
    const ws = structuredClone((await s.workspace.current()).workspace);
    (ws.pools as Pools).mybackendpool.services[1]!.weight = 500;
    await s.workspace.update({ workspace: ws });
    await expect(s.gateway.start({ simulate: true })).rejects.toMatchObject({ code: 'invalid-workspace', path: 'pools.mybackendpool.services[1].weight' });
    expect((await s.gateway.status()).running).toBe(false);
    await expect(s.simulator.clearFault({ backend: 'aoai-eastus' })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('listens on gateway.port, or the next free port with a notice when it is taken; a restart keeps the address', async () => {
    const s = make();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const ws = structuredClone((await s.workspace.current()).workspace) as Record<string, unknown>;
      ws.gateway = { port: taken };
      await s.workspace.update({ workspace: ws });
      const first = await s.gateway.start({ simulate: true });
      const port = Number(new URL(first.url!).port);
      expect(port).toBeGreaterThan(taken);
      expect(port).toBeLessThan(taken + 20);
      expect(first.notice).toBe(`gateway.port ${taken} is in use, so the gateway listens on ${port}: point clients there, or free ${taken} and restart`);
      expect((await s.gateway.status()).notice).toBe(first.notice);
      await s.gateway.stop();
      expect(Number(new URL((await s.gateway.start({ simulate: true })).url!).port)).toBe(port);
      await s.gateway.stop();
    } finally {
      await new Promise((r) => blocker.close(r));
    }
    const again = await s.gateway.start({ simulate: true });
    expect(again).toMatchObject({ url: `http://127.0.0.1:${taken}`, notice: null });
  });
});
