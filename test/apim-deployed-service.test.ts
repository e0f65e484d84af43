import type { TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticTokenCredential } from '../main/apim';
import { createDeployedService, openDeployedSource, type DeployedServiceDeps } from '../main/apim/deployed';
import { startGateway } from '../main/gateway';
import { startSimulators } from '../main/simulator';
import { ContractError, type DeployedDrillDone } from '../shared/contract';
import type { Workspace } from '../shared/model';
import { demoWorkspace, RG, SUB, SVC, TOKEN } from './support/arm-emulator/fixtures';
import { LOG_WORKSPACE_ID, LOG_WORKSPACE_RESOURCE, SERVICE_ID, startApimFront, startDeployedFixture, SUBSCRIPTION_KEY, type ApimFront, type DeployedFixture } from './support/deployed-emulator';

/*
 * The contract's `deployed` service as the app uses it: the Deploy screen's sign-in, the workspace, readings of the
 * deployed service (ARM + Log Analytics stand-ins, real SDKs) and drills against a stand-in APIM gateway (the local
 * gateway over simulated backends behind an APIM key check). Drills are tiny: at most 10 requests in 1 s each.
 */

const TARGET = { subscription: SUB, resourceGroup: RG, service: SVC };
const SHORT = 'version: 1\nload: { rps: 10, duration: PT1S, api: azure-openai }\nexpect: { clientErrors: 0 }\n';

function emitter() {
  const listeners: ((v: DeployedDrillDone) => void)[] = [];
  return {
    emit: (v: DeployedDrillDone) => listeners.forEach((l) => l(v)),
    on: (l: (v: DeployedDrillDone) => void) => {
      listeners.push(l);
      return () => void listeners.splice(listeners.indexOf(l), 1);
    },
  };
}

/** A service with its drill events collected; `next()` waits for the next one. */
function serviceWith(f: DeployedFixture | null, o: Partial<DeployedServiceDeps> & { ws?: Workspace; credential?: TokenCredential } = {}) {
  const events: DeployedDrillDone[] = [];
  let wake: (() => void) | null = null;
  const svc = createDeployedService({
    session: () => (f ? { credential: o.credential ?? staticTokenCredential(TOKEN), endpoint: f.endpoint } : null),
    workspace: { value: () => (o.ws ?? demoWorkspace()) as unknown as Record<string, unknown> },
    logsEndpoint: f?.logs.url,
    startGateway,
    startSimulators,
    emitter: emitter(),
    ...o,
  });
  svc.onDrillDone((v) => {
    events.push(v);
    wake?.();
  });
  const next = async (n: number) => {
    while (events.length < n) await new Promise<void>((r) => (wake = r));
    return events[n - 1]!;
  };
  return { svc, events, next };
}

async function contractError(p: Promise<unknown>): Promise<{ code: string; message: string; path?: string }> {
  const e = await p.then(
    () => {
      throw new Error('expected a ContractError');
    },
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ContractError);
  const c = e as ContractError;
  return { code: c.code, message: c.message, ...(c.path !== undefined ? { path: c.path } : {}) };
}

describe('the deployed service without a sign-in or with a broken workspace', () => {
  it('not signed in: every call is unavailable, in words', async () => {
    const { svc } = serviceWith(null);
    const words = { code: 'unavailable', message: 'not signed in to Azure: sign in on the Deploy screen first' };
    expect(await contractError(svc.monitor({ sinceSeconds: 900, workspaceId: LOG_WORKSPACE_ID }))).toEqual(words);
    expect(await contractError(svc.listKeys({ target: TARGET }))).toEqual(words);
    expect(await contractError(svc.runDrill({ text: SHORT, against: 'http://127.0.0.1:9/openai', keyFrom: { target: TARGET, subscription: 'demo-sub' } }))).toEqual(words);
  });

  it('a workspace with errors: bad-request naming the first error’s path', async () => {
    const ws = demoWorkspace();
    (ws.backends['aoai-eastus'] as { url: unknown }).url = 42;
    const f = await startDeployedFixture();
    try {
      const { svc } = serviceWith(f, { ws });
      const e = await contractError(svc.monitor({ sinceSeconds: 900, workspaceId: LOG_WORKSPACE_ID }));
      expect(e).toEqual({ code: 'bad-request', message: expect.stringMatching(/^the workspace has errors \(backends\.aoai-eastus\.url: .+\)$/) });
      expect(await contractError(svc.runDrill({ text: SHORT, against: 'http://127.0.0.1:9/openai', key: 'k' }))).toEqual(e);
    } finally {
      await f.close();
    }
  });
});

describe('readings of the deployed service', () => {
  let f: DeployedFixture;
  beforeAll(async () => {
    f = await startDeployedFixture({ newestAt: Date.now() });
  });
  afterAll(() => f.close());

  it('with the target given: discovered through the diagnostic setting, a report of the service’s rows', async () => {
    const { svc } = serviceWith(f);
    const r = await svc.monitor({ sinceSeconds: 7200, target: TARGET });
    expect(r).toMatchObject({ available: true, discoveredFrom: `diagnostic setting "to-law" → ${LOG_WORKSPACE_RESOURCE}`, reason: null, howTo: null });
    expect(r.report!.workspaceId).toBe(LOG_WORKSPACE_ID);
    const total = r.report!.buckets.reduce((n, b) => n + Object.values(b.backends).reduce((m, c) => m + c.requests, 0), 0);
    expect(total).toBeGreaterThan(0);
    expect(r.report!.buckets.some((b) => 'elsewhere' in b.backends)).toBe(false);
  });

  it('with a workspace id and no target: no discovery, every service’s rows', async () => {
    const { svc } = serviceWith(f);
    f.front.requests.length = 0;
    const r = await svc.monitor({ sinceSeconds: 7200, workspaceId: LOG_WORKSPACE_ID });
    expect(r).toMatchObject({ available: true, discoveredFrom: null, reason: null, howTo: null });
    expect(r.report!.buckets.some((b) => 'elsewhere' in b.backends)).toBe(true);
    expect(f.front.requests).toEqual([]);
  });

  it('neither a target nor a workspace id: unavailable, with why and how', async () => {
    const { svc } = serviceWith(f);
    expect(await svc.monitor({ sinceSeconds: 900 })).toEqual({
      available: false,
      report: null,
      discoveredFrom: null,
      reason: 'name the service (--subscription, --resource-group, --service or target: in the workspace) to find its Log Analytics workspace, or pass --workspace-id',
      howTo: 'set target: in the workspace (or import it from the Deploy screen), or give the Log Analytics workspace id',
    });
  });

  it('a service that sends no logs: unavailable, with the discovery’s why and how', async () => {
    const quiet = await startDeployedFixture({ settings: [] });
    try {
      const r = await serviceWith(quiet).svc.monitor({ sinceSeconds: 900, target: TARGET });
      expect(r).toEqual({ available: false, report: null, discoveredFrom: null, reason: expect.stringMatching(/^my-apim sends no gateway logs to Log Analytics/), howTo: expect.stringContaining('--format observability-bicep') });
    } finally {
      await quiet.close();
    }
  });

  it('a bad workspace id is a bad request, not "unavailable"', async () => {
    const { svc } = serviceWith(f);
    expect(await contractError(svc.monitor({ sinceSeconds: 900, workspaceId: 'law-ai' }))).toEqual({ code: 'bad-request', message: expect.stringMatching(/^--workspace-id: "law-ai" is not a Log Analytics workspace id/) });
  });

  it('the workspace’s target: when none is given; discovery retries a failed ARM read once', async () => {
    const { svc } = serviceWith(f, { ws: demoWorkspace((w) => (w.target = TARGET)) });
    f.front.requests.length = 0;
    f.front.failNext(5, 503, '/workspaces/');
    const e = await contractError(svc.monitor({ sinceSeconds: 900 }));
    expect(e.code).toBe('bad-request');
    expect(f.front.requests.filter((q) => q.path === LOG_WORKSPACE_RESOURCE)).toHaveLength(2);
    f.front.failNext(0, 503);
  });

  it('a sign-in that gives no token is unavailable', async () => {
    const { svc } = serviceWith(f, { credential: { getToken: async () => null } });
    expect(await contractError(svc.listKeys({ target: TARGET }))).toEqual({ code: 'unavailable', message: expect.stringMatching(/^not signed in to Azure: run `az login`/) });
  });
});

describe('the subscriptions of the deployed service', () => {
  let f: DeployedFixture;
  beforeAll(async () => {
    f = await startDeployedFixture({
      subscriptions: [
        { sid: 'demo-sub', displayName: 'Demo subscription', scope: '/apis/azure-openai', primaryKey: SUBSCRIPTION_KEY, secondaryKey: 'second-key-never-used-0000000000' },
        { sid: 'all-apis', scope: '/apis', state: 'suspended', secondaryKey: 'only-the-secondary-key-000000000' },
        { sid: 'master', displayName: 'Built-in all-access subscription', scope: '', state: 'active' },
      ],
    });
  });
  afterAll(() => f.close());

  it('lists names and scopes (the path after the service, "/" for the service itself), never a key', async () => {
    const { svc } = serviceWith(f);
    const r = await svc.listKeys({ target: TARGET });
    expect(r).toEqual({
      subscriptions: [
        { id: 'demo-sub', displayName: 'Demo subscription', scope: '/apis/azure-openai', state: 'active' },
        { id: 'all-apis', displayName: 'all-apis', scope: '/apis', state: 'suspended' },
        { id: 'master', displayName: 'Built-in all-access subscription', scope: '/', state: 'active' },
      ],
    });
    expect(JSON.stringify(r)).not.toMatch(/key-/i);
  });

  it('listing retries once after a 503, then fails as a bad request naming what it read', async () => {
    const { svc } = serviceWith(f);
    f.front.requests.length = 0;
    f.front.failNext(5, 503);
    const e = await contractError(svc.listKeys({ target: TARGET }));
    expect(e.code).toBe('bad-request');
    expect(e.message).toContain('listing the subscriptions of my-apim');
    expect(f.front.requests).toHaveLength(2);
    f.front.failNext(0, 503);
  });

  it('a key read from a subscription without keys, or from no such subscription, is a bad request in words', async () => {
    const { svc } = serviceWith(f);
    const drill = (sid: string) => svc.runDrill({ text: SHORT, against: 'http://127.0.0.1:9/openai', keyFrom: { target: TARGET, subscription: sid } });
    expect(await contractError(drill('master'))).toEqual({ code: 'bad-request', message: 'subscription "master" of my-apim has no key' });
    expect(await contractError(drill('nope'))).toEqual({ code: 'bad-request', message: expect.stringContaining('reading the keys of subscription "nope"') });
  });
});

describe('drills against the deployed gateway', () => {
  let f: DeployedFixture;
  let front: ApimFront;
  let closeStand: () => Promise<void>;
  beforeAll(async () => {
    f = await startDeployedFixture({ subscriptions: [{ sid: 'demo-sub', scope: '/apis/azure-openai', primaryKey: SUBSCRIPTION_KEY, secondaryKey: 'second-key-never-used-0000000000' }, { sid: 'second-only', scope: '/apis', secondaryKey: 'only-the-secondary-key-000000000' }] });
    // Quick simulated backends: the observed half of a drill runs in real time.
    const deployed = demoWorkspace((w) => Object.values(w.simulation!).forEach((b) => (b.latencyMs = { p50: 2, p99: 5 })));
    const sims = await startSimulators(deployed, {});
    const gw = await startGateway({ workspace: deployed, host: '127.0.0.1', port: 0, backendUrls: Object.fromEntries(Object.entries(sims.backends).map(([id, b]) => [id, b.url])), simulation: sims, secrets: { get: () => 'simulated' } });
    front = await startApimFront({ gatewayUrl: new URL(gw.url).origin, keys: [SUBSCRIPTION_KEY, 'only-the-secondary-key-000000000'] });
    closeStand = async () => {
      await front.close();
      await gw.close();
      await sims.close();
    };
  });
  afterAll(async () => {
    await closeStand();
    await f.close();
  });

  it('refuses a drill that does not parse, names what the workspace lacks, and a fault step without driveQuota, by path', async () => {
    const { svc, events } = serviceWith(f);
    const run = (text: string) => contractError(svc.runDrill({ text, against: `${front.url}/openai`, key: SUBSCRIPTION_KEY }));
    expect(await run('version: 1\nload: { rps: 10 }\n')).toMatchObject({ code: 'bad-request', path: 'load.duration', message: expect.stringMatching(/^load\.duration: ./) });
    expect(await run('version: 1\nload: { rps: 10, duration: PT1S, api: nope }\n')).toMatchObject({ code: 'bad-request', path: 'load.api', message: expect.stringMatching(/^load\.api: .*nope/) });
    expect(await run('version: 1\nload: { rps: 10, duration: PT1S }\ntimeline:\n  - { at: PT0S, fault: { backend: aoai-eastus, type: throttle } }\n')).toEqual({
      code: 'bad-request',
      path: 'timeline[0].fault',
      message: "timeline[0].fault: faults cannot be injected into a deployed service; remove the step, or pass --drive-quota to turn a throttle into load past aoai-eastus's quota",
    });
    expect(events).toEqual([]);
    expect(front.refused).toBe(0);
  });

  it('runs with the key read from the service (one drill at a time), then with a typed key and the quota driven', async () => {
    const tiny = demoWorkspace((w) => (w.simulation!['aoai-eastus']!.tokensPerMinute = 60));
    const { svc, next } = serviceWith(f, { ws: tiny });
    f.front.requests.length = 0;
    expect(await svc.runDrill({ text: SHORT, against: `${front.url}/openai`, keyFrom: { target: TARGET, subscription: 'second-only' } })).toEqual({ started: true });
    expect(await contractError(svc.runDrill({ text: SHORT, against: `${front.url}/openai`, key: SUBSCRIPTION_KEY }))).toEqual({ code: 'unavailable', message: 'a drill against the deployed service is already running' });
    const first = await next(1);
    expect(Object.keys(first).sort()).toEqual(['differences', 'observed', 'predicted']);
    expect(first.observed).toMatchObject({ requests: 10, statusCounts: { '200': 10 } });
    expect(first.predicted!.requests).toBe(10);
    expect(f.front.requests.map((q) => `${q.method} ${q.path.slice(SERVICE_ID.length)}`)).toEqual(['POST /subscriptions/second-only/listSecrets']);
    expect(front.refused).toBe(0);

    const quota = 'version: 1\nload: { rps: 2, duration: PT1S, api: azure-openai }\ntimeline:\n  - { at: PT0S, fault: { backend: aoai-eastus, type: throttle } }\n';
    expect(await svc.runDrill({ text: quota, against: `${front.url}/openai`, key: SUBSCRIPTION_KEY, driveQuota: true })).toEqual({ started: true });
    const second = await next(2);
    expect(second.error).toBeUndefined();
    expect(second.estimate).toEqual([
      expect.stringMatching(/^this sends about 3 requests \(≈ \d+ tokens each\) to the deployed service:$/),
      expect.stringMatching(/^ {2}the drill's load: 2 requests, ≈ \d+ tokens$/),
      expect.stringMatching(/^ {2}drive aoai-eastus past its quota: \+1 req\/s from 0 s to 1 s = 1 requests, ≈ \d+ tokens$/),
      "  billed at your deployments' per-token prices (pay-as-you-go) or against your provisioned capacity (PTU)",
    ]);
    expect(second.observed!.requests).toBeGreaterThanOrEqual(2);
    expect(front.refused).toBe(0);
  });

  it('a drillDone listener can start the next drill at once: the service is free before it tells', async () => {
    const { svc, next } = serviceWith(f);
    const answers: unknown[] = [];
    const off = svc.onDrillDone(() => {
      off();
      answers.push(svc.runDrill({ text: SHORT, against: `${front.url}/openai`, key: SUBSCRIPTION_KEY }).catch((e: Error) => e.message));
    });
    expect(await svc.runDrill({ text: SHORT, against: `${front.url}/openai`, key: SUBSCRIPTION_KEY })).toEqual({ started: true });
    await next(1);
    expect(await Promise.all(answers)).toEqual([{ started: true }]);
    expect((await next(2)).observed).toMatchObject({ requests: 10 });
  });

  it('a drill that fails is reported through drillDone, the key read from the service shown as (secret)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { svc, next } = serviceWith(f, {
      startGateway: async () => {
        await gate;
        throw new Error(`the gateway refused ${SUBSCRIPTION_KEY} twice: ${SUBSCRIPTION_KEY}`);
      },
    });
    expect(await svc.runDrill({ text: SHORT, against: `${front.url}/openai`, keyFrom: { target: TARGET, subscription: 'demo-sub' } })).toEqual({ started: true });
    release();
    expect(await next(1)).toEqual({ error: { message: 'the gateway refused (secret) twice: (secret)' } });
  });

  it('dispose stops a running drill and waits for it to end', async () => {
    const { svc, events } = serviceWith(f);
    const long = 'version: 1\nload: { rps: 1, duration: PT60S, api: azure-openai }\n';
    expect(await svc.runDrill({ text: long, against: `${front.url}/openai`, key: SUBSCRIPTION_KEY })).toEqual({ started: true });
    await svc.dispose();
    expect(events).toHaveLength(1);
    expect(events[0]!.observed?.requests ?? 0).toBeLessThan(5);
  });
});

describe('breaker events from the Storage queue', () => {
  it('a sign-in without a Storage token: the reading says why there are no breaker events', async () => {
    const f = await startDeployedFixture({ newestAt: Date.now() });
    try {
      const credential: TokenCredential = { getToken: async (scopes) => ([scopes].flat()[0]!.includes('storage') ? null : { token: TOKEN, expiresOnTimestamp: 4_102_444_800_000 }) };
      const source = await openDeployedSource({ credential, workspace: demoWorkspace(), workspaceId: LOG_WORKSPACE_ID, logsEndpoint: f.logs.url, eventsQueue: 'https://stbb.queue.core.windows.net/breaker-events', fetch: () => Promise.reject(new Error('no request expected')) });
      if (!source.ok) throw new Error(source.reason);
      const report = await source.read(900);
      expect(report.breakerEvents).toBeNull();
      expect(report.notes).toContain('not signed in for Storage: the breaker events queue cannot be read');
    } finally {
      await f.close();
    }
  });
});
