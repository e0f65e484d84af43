import diagnostics from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock';
import { seedWorkspace, startTestBackend, testSecrets, type TestBackend } from '../../test/support/test-backend';
import { startGateway, type GatewayEvent, type GatewayHandle, type GatewayOptions, type GatewaySnapshot } from './index';
import { urlHost } from './http-util';

/*
 * startGateway's own server (index.ts): the options its HTTP server is created with, the listen error, the
 * per-client connection cap, the per-second tick's alignment, the URL's host, carbon overrides and the bounded drain.
 * The server object is reached through node's public `net.server.socket` diagnostics channel (no spies on node);
 */

/** Fields node sets on its server that @types/node does not declare. */
type NodeServer = Server & { keepAlive: boolean; connectionsCheckingInterval: number };

// Never contacted: the second backend is a lower priority, and only the close() tests send a chat request.
const NOWHERE = { url: 'http://127.0.0.1:9/openai' };
const backends: TestBackend[] = [];
const gateways: GatewayHandle[] = [];
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0)) await c();
  // Backends first: a request left hanging on one ends, so a gateway's drain never waits on it.
  for (const b of backends.splice(0)) await b.close();
  for (const g of gateways.splice(0)) await g.close();
});

function workspace(gateway: Record<string, unknown> = {}, east: { url: string } = NOWHERE) {
  const ws = seedWorkspace(east, NOWHERE);
  ws.pools.mybackendpool.services[1]!.priority = 2; // the second backend is never asked while the first is closed
  Object.assign(ws.gateway, gateway);
  return ws;
}

async function start(opts: Partial<GatewayOptions> & { workspace?: GatewayOptions['workspace'] } = {}): Promise<GatewayHandle> {
  const gw = await startGateway({ workspace: workspace(), secrets: testSecrets, ...opts });
  gateways.push(gw);
  return gw;
}

/** A raw connection sending one status request; `answer` is what came back before the first answer or the close. */
function statusRequest(port: number): { socket: Socket; answer: Promise<string> } {
  const socket = connect(port, '127.0.0.1', () => socket.write('GET /_breakerboard/status HTTP/1.1\r\nHost: x\r\n\r\n'));
  let out = '';
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (d) => {
      out += d.toString('latin1');
      if (out.includes('\r\n\r\n')) resolve(out);
    });
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(out));
  });
  return { socket, answer };
}

/** The gateway's node server, from the first connection it accepts (a status request over loopback). */
async function serverOf(gw: GatewayHandle): Promise<NodeServer> {
  const channel = diagnostics.channel('net.server.socket');
  let found: NodeServer | undefined;
  const onSocket = (m: unknown) => {
    const server = (m as { socket: Socket & { server?: NodeServer } }).socket.server;
    if ((server?.address() as AddressInfo | null)?.port === gw.port) found = server;
  };
  channel.subscribe(onSocket);
  try {
    const { socket, answer } = statusRequest(gw.port);
    expect(await answer).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();
  } finally {
    channel.unsubscribe(onSocket);
  }
  if (!found) throw new Error('the gateway server was not seen');
  return found;
}

describe('the HTTP server startGateway creates', () => {
  it('defaults: TCP keep-alive on, 65 s idle keep-alive, 60 s for headers, 120 s for the request, checked every 15 s', async () => {
    const server = await serverOf(await start());
    expect({
      keepAlive: server.keepAlive,
      keepAliveTimeout: server.keepAliveTimeout,
      headersTimeout: server.headersTimeout,
      requestTimeout: server.requestTimeout,
      connectionsCheckingInterval: server.connectionsCheckingInterval,
    }).toEqual({ keepAlive: true, keepAliveTimeout: 65_000, headersTimeout: 60_000, requestTimeout: 120_000, connectionsCheckingInterval: 15_000 });
  });

  it('the late-request check runs every quarter of the shorter client timeout (headers 0.4 s, body 2 s: every 100 ms)', async () => {
    const ws = workspace({ timeouts: { connect: 'PT1S', response: 'PT1S', clientHeaders: 'PT0.4S', clientBody: 'PT2S' } });
    const server = await serverOf(await start({ workspace: ws }));
    expect([server.headersTimeout, server.requestTimeout, server.connectionsCheckingInterval]).toEqual([400, 2_400, 100]);
    // the shorter one is the body's this time: still a quarter of the shorter
    const ws2 = workspace({ timeouts: { connect: 'PT1S', response: 'PT1S', clientHeaders: 'PT2S', clientBody: 'PT0.8S' } });
    const server2 = await serverOf(await start({ workspace: ws2 }));
    expect([server2.headersTimeout, server2.requestTimeout, server2.connectionsCheckingInterval]).toEqual([2_000, 2_800, 200]);
  });

  it('a port already taken rejects the start with EADDRINUSE; once listening, no startup error listener is left', async () => {
    const taken = createTcpServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    cleanups.push(() => taken.close());
    const port = (taken.address() as AddressInfo).port;
    await expect(startGateway({ workspace: workspace(), secrets: testSecrets, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    // A later server error is not swallowed by the startup's reject (which would answer nobody).
    const server = await serverOf(await start());
    expect(server.listenerCount('error')).toBe(0);
  });

  it('an IPv6 host is shown in brackets in the URL, any other host as it is (tests listen on 127.0.0.1 only)', () => {
    expect(['::1', '0:0:0:0:0:0:0:0', '127.0.0.1', 'localhost'].map(urlHost)).toEqual(['[::1]', '[0:0:0:0:0:0:0:0]', '127.0.0.1', 'localhost']);
  });
});

/**
 * A port on 127.0.0.1 that listens but never accepts (a worker thread whose loop is blocked), with its accept queue
 * (backlog 1) already full: a connection to it stays in SYN_SENT until the connecting side gives up.
 */
async function unacceptingPort(): Promise<number> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
    const s = require('node:net').createServer();
    s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      parentPort.postMessage(s.address().port);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    });`,
    { eval: true },
  );
  const port = await new Promise<number>((r) => worker.once('message', r));
  const fillers: Socket[] = [];
  cleanups.push(() => {
    for (const f of fillers) f.destroy();
    return worker.terminate();
  });
  for (let i = 0; i < 2; i++) {
    const f = connect(port, '127.0.0.1');
    fillers.push(f);
    await new Promise<void>((r, reject) => f.once('connect', r).once('error', reject));
  }
  return port;
}

describe('the per-client connection cap', () => {
  it('a client address at maxConnectionsPerClient has its next connection cut unanswered, and one more after it closes one', async () => {
    const gw = await start({ maxConnectionsPerClient: 2 });
    const server = await serverOf(gw);
    // The sockets the server accepts from now on come "from" a remote address (loopback is never capped).
    const accepted: Socket[] = [];
    const remote = (s: Socket) => {
      Object.defineProperty(s, 'remoteAddress', { value: '203.0.113.7' });
      accepted.push(s);
    };
    server.prependListener('connection', remote);
    cleanups.push(() => server.off('connection', remote));
    const a = statusRequest(gw.port);
    expect(await a.answer).toMatch(/^HTTP\/1\.1 200 /);
    const b = statusRequest(gw.port);
    expect(await b.answer).toMatch(/^HTTP\/1\.1 200 /);
    const third = statusRequest(gw.port);
    expect(await third.answer).toBe('');
    expect(third.socket.destroyed).toBe(true);
    // `a` closes: once the server has seen it close, the address has room for one more.
    const aClosed = new Promise<void>((r) => (accepted[0]!.closed ? r() : accepted[0]!.once('close', () => r())));
    a.socket.destroy();
    await aClosed;
    const d = statusRequest(gw.port);
    expect(await d.answer).toMatch(/^HTTP\/1\.1 200 /);
    b.socket.destroy();
    d.socket.destroy();
    expect(accepted).toHaveLength(4);
  });
});

describe('the per-second tick', () => {
  it('is aligned on the engine clock: the first snapshot comes when the clock second ends, then every 1000 ms', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clock = new FakeClock(Date.UTC(2026, 11, 4, 3, 0, 0) + 263);
    const gw = await start({ now: clock.now });
    const snaps: GatewaySnapshot[] = [];
    gw.onSnapshot((s) => snaps.push(s));
    clock.advance(737);
    vi.advanceTimersByTime(736);
    expect(snaps).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(snaps.map((s) => s.at)).toEqual(['2026-12-04T03:00:00.000Z']);
    clock.advance(1000);
    vi.advanceTimersByTime(999);
    expect(snaps).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(snaps.map((s) => s.at)).toEqual(['2026-12-04T03:00:00.000Z', '2026-12-04T03:00:01.000Z']);
    const closing = gw.close();
    vi.useRealTimers();
    await closing;
  });
});

describe('the handle', () => {
  it('setCarbonEmission sets a region for the router and announces it; null gives the workspace value back', async () => {
    const gw = await start();
    const events: GatewayEvent[] = [];
    gw.subscribe((e) => events.push(e));
    gw.setCarbonEmission('West Europe', 'High');
    expect(gw.status().carbonEmission).toEqual({ westeurope: { emission: 'High', source: 'set' } });
    gw.setCarbonEmission('West Europe', null);
    expect(gw.status().carbonEmission).toEqual({});
    expect(events.map((e) => e.type === 'config' && e.reason)).toEqual(['carbon emission of West Europe: High (set at run time)', 'carbon emission of West Europe: none (no value)']);
  });
});

describe('close()', () => {
  it('cuts a request still in flight once drainMs has passed, and resolves', async () => {
    const east = await startTestBackend('east', { kind: 'hang' });
    backends.push(east);
    const gw = await start({ workspace: workspace({}, east), drainMs: 30 });
    const pending = fetch(`${gw.url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' }).then(
      (r) => `answered ${r.status}`,
      () => 'cut',
    );
    for (let i = 0; i < 1_000 && east.received.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(east.received).toHaveLength(1);
    // A bound far above drainMs: without the deadline, close() would wait for a backend that never answers.
    let bound: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([gw.close().then(() => 'closed'), new Promise((r) => (bound = setTimeout(() => r('still draining'), 5_000)))]);
    clearTimeout(bound);
    expect(outcome).toBe('closed');
    expect(await pending).toBe('cut');
  });

  it('past the deadline, a backend connection still being opened is dropped, not waited for (connect timeout 20 s)', async () => {
    const port = await unacceptingPort();
    const ws = workspace({ timeouts: { connect: 'PT20S', response: 'PT20S' } }, { url: `http://127.0.0.1:${port}/openai` });
    const gw = await start({ workspace: ws, drainMs: 30 });
    const pending = fetch(`${gw.url}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' }).then(
      (r) => `answered ${r.status}`,
      () => 'cut',
    );
    for (let i = 0; i < 1_000 && gw.status().backends['aoai-eastus']!.inFlight === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(gw.status().backends['aoai-eastus']!.inFlight).toBe(1);
    let bound: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([gw.close().then(() => 'closed'), new Promise((r) => (bound = setTimeout(() => r('still closing'), 5_000)))]);
    clearTimeout(bound);
    expect(outcome).toBe('closed');
    expect(await pending).toBe('cut');
  });
});
