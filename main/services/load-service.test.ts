import { afterEach, describe, expect, it } from 'vitest';
import type { LoadJobDone, LoadProgressEvent } from '../../shared/contract/load';
import { loadService } from '../../shared/contract/load';
import type { GatewayEvent } from '../../shared/monitor';
import { startGateway } from '../gateway';
import { startSimulators } from '../simulator';
import { createCoreServices, type CoreServices } from './create-services';
import { createLoadService, type LoadServiceImpl } from './load-service';
import { createMemorySecretStore } from './secret-store';

let core: CoreServices | undefined;
let load: LoadServiceImpl | undefined;
afterEach(async () => {
  await load?.dispose();
  await core?.dispose();
  core = undefined;
  load = undefined;
});

function make() {
  core = createCoreServices({ platform: 'serve', version: '0', cwd: '/', env: {}, secretStore: createMemorySecretStore() });
  load = createLoadService({ gateway: core.gateway, simulator: core.simulator, workspace: core.workspace, cwd: '/', startGateway, startSimulators });
  const done: LoadJobDone[] = [];
  const progress: LoadProgressEvent[] = [];
  load.onDone((d) => done.push(d));
  load.onProgress((p) => progress.push(p));
  const next = () => new Promise<LoadJobDone>((resolve) => load!.onDone(resolve));
  return { core, load, done, progress, next };
}

const SHORT_DRILL = `version: 1
load: { rps: 20, duration: PT4S, api: azure-openai }
timeline:
  - { at: PT1S, fault: { backend: aoai-eastus, type: throttle, retryAfter: 2 } }
  - { at: PT3S, clear: { backend: aoai-eastus } }
expect: { clientErrors: 0, tripped: [aoai-eastus], maxTimeToTrip: PT2S }
`;

describe('load service', () => {
  it('refuses load without a running gateway, and inputs over the limits (contract)', async () => {
    const { load } = make();
    await expect(load.start({ rps: 5, durationSeconds: 1, stream: false })).rejects.toMatchObject({ code: 'unavailable' });
    expect(loadService.methods.start.input.safeParse({ rps: 5000, durationSeconds: 1, stream: false }).success).toBe(false);
    expect(loadService.methods.start.input.safeParse({ rps: 5, durationSeconds: 3600, stream: false }).success).toBe(false);
    expect(loadService.methods.runDrill.input.safeParse({}).success).toBe(false);
    expect(await load.cancel()).toEqual({ cancelled: false });
  });

  it('runs bounded load against the running gateway with progress and a report; one job at a time; cancel', async () => {
    const { core, load, progress, next } = make();
    await core.gateway.start({ simulate: true });
    const finished = next();
    const job = await load.start({ rps: 20, durationSeconds: 2, stream: true });
    expect(job).toMatchObject({ kind: 'load', totalMs: 2000 });
    expect((await load.current()).job?.id).toBe(job.id);
    await expect(load.start({ rps: 5, durationSeconds: 1, stream: false })).rejects.toMatchObject({ code: 'unavailable' });
    const done = await finished;
    expect(done.load).toMatchObject({ ok: 40, failed: 0, interrupted: false });
    expect(done.load!.servedBy['aoai-eastus']).toBeGreaterThan(done.load!.servedBy['aoai-uksouth'] ?? 0);
    expect(done.load!.ttftMs).toBeDefined();
    expect(progress.some((p) => p.id === job.id && p.sent > 0)).toBe(true);

    const cancelled = next();
    const long = await load.start({ rps: 10, durationSeconds: 60, stream: false });
    // A window that opens mid-run gets the job with its last progress, not "starting…".
    const firstProgress = new Promise<void>((r) => load.onProgress((p) => p.id === long.id && r()));
    await firstProgress;
    expect((await load.current()).progress).toMatchObject({ id: long.id, kind: 'load', totalMs: 60_000 });
    expect(await load.cancel()).toEqual({ cancelled: true });
    expect((await cancelled).load?.interrupted).toBe(true);
    expect((await load.current()).job).toBeNull();
  });

  it('runs a drill from text, isolated and compressed, and reports each expectation', async () => {
    const { load, next } = make();
    const finished = next();
    const job = await load.runDrill({ text: SHORT_DRILL.replace('PT4S', 'PT20S').replace('PT3S', 'PT15S'), speed: 5 });
    expect(job).toMatchObject({ kind: 'drill', totalMs: 4000 });
    const done = await finished;
    expect(done.error).toBeUndefined();
    expect(done.drill!.expectations.map((e) => [e.name, e.pass])).toEqual([
      ['clientErrors', true],
      ['tripped aoai-eastus', true],
      ['maxTimeToTrip', true],
    ]);
    expect(done.drill!.pass).toBe(true);
  });

  it('runs a live drill through the running gateway: its trips are the gateway events the Monitor sees', async () => {
    const { core, load, next } = make();
    const events: GatewayEvent[] = [];
    core.gateway.onEvent((e) => events.push(e));
    await expect(load.runDrill({ text: SHORT_DRILL, live: true })).rejects.toMatchObject({ code: 'unavailable' });
    await core.gateway.start({ simulate: true });
    const finished = next();
    await load.runDrill({ text: SHORT_DRILL, live: true });
    const done = await finished;
    expect(done.drill!.pass).toBe(true);
    expect(events.some((e) => e.type === 'trip' && e.backend === 'aoai-eastus')).toBe(true);
  });

  it('refuses a malformed drill naming the field', async () => {
    const { load } = make();
    await expect(load.runDrill({ text: 'version: 1\nload: { rps: -1, duration: PT1S }\n' })).rejects.toMatchObject({ code: 'bad-request', path: 'load.rps' });
    await expect(load.runDrill({ text: SHORT_DRILL.replace('tripped: [aoai-eastus]', 'tripped: [nope]') })).rejects.toMatchObject({ path: 'expect.tripped[0]' });
    await expect(load.runDrill({ path: 'missing.drill.yaml' })).rejects.toMatchObject({ code: 'bad-request' });
  });
});
