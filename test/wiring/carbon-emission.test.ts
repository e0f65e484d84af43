import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { chats, closeRigs, startRig, type Rig } from './gateway-rig';

/*
 * Wiring (F-ROUTE-7): a region's carbon emission read from the workspace file (`gateway.carbonEmission`), and changed
 * on the running gateway through `/_breakerboard/carbon/<region>`, decides at the wire which member of a carbon-aware
 * pool serves. Two regional members in one priority group, each with a preference; a third member without one.
 */
afterEach(closeRigs);

const rig = (carbonEmission?: Record<string, string>) =>
  startRig(['eu', 'se', 'us'], (u) => ({
    backends: { eu: { url: u.eu, azureRegion: 'West Europe' }, se: { url: u.se, azureRegion: 'swedencentral' }, us: { url: u.us } },
    pools: {
      p: {
        services: [
          { backend: 'eu', priority: 1, weight: 1, preferredCarbonEmission: 'Low' },
          { backend: 'se', priority: 1, weight: 1, preferredCarbonEmission: 'Medium' },
          { backend: 'us', priority: 2 },
        ],
      },
    },
    apis: { 'azure-openai': { path: 'openai', backend: 'p' } },
    ...(carbonEmission ? { gateway: { carbonEmission } } : {}),
  }));

const served = async (r: Rig, n = 4) => (await chats(r, n)).map((x) => x.backend);
const put = (r: Rig, region: string, body: unknown, method = 'PUT') =>
  fetch(`${r.gw.url}/_breakerboard/carbon/${encodeURIComponent(region)}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'PUT' ? JSON.stringify(body) : undefined });

describe('wiring: carbon emission per region from the workspace file and at run time', () => {
  it('the file decides which members are within their preference', async () => {
    expect(await served(await rig())).toEqual(['eu', 'se', 'eu', 'se']);
    expect(await served(await rig({ westeurope: 'Medium', swedencentral: 'Low' }))).toEqual(['se', 'se', 'se', 'se']);
    expect(await served(await rig({ westeurope: 'High', swedencentral: 'VeryHigh' }))).toEqual(['us', 'us', 'us', 'us']);
    // NotAvailable leaves a member eligible (choice).
    expect(await served(await rig({ westeurope: 'NotAvailable', swedencentral: 'High' }))).toEqual(['eu', 'eu', 'eu', 'eu']);
  });

  it('PUT shifts traffic mid-run, DELETE goes back to the file, status and events say so', async () => {
    const r = await rig({ westeurope: 'Low', swedencentral: 'Low' });
    expect(await served(r)).toEqual(['eu', 'se', 'eu', 'se']);
    const set = await put(r, 'westeurope', { emission: 'VeryHigh' });
    expect([set.status, await set.json()]).toEqual([200, { region: 'westeurope', emission: 'VeryHigh', source: 'set' }]);
    expect(await served(r)).toEqual(['se', 'se', 'se', 'se']);
    expect(r.gw.status().carbonEmission).toEqual({ westeurope: { emission: 'VeryHigh', source: 'set' }, swedencentral: { emission: 'Low', source: 'workspace' } });
    expect(r.events.filter((e) => e.type === 'config').map((e) => e.reason)).toEqual(['carbon emission of westeurope: VeryHigh (set at run time)']);
    const back = await put(r, 'westeurope', undefined, 'DELETE');
    expect(await back.json()).toEqual({ region: 'westeurope', emission: 'Low', source: 'workspace' });
    expect((await served(r)).sort()).toEqual(['eu', 'eu', 'se', 'se']);
  });

  it('a bad emission is refused naming the field, and changes nothing', async () => {
    const r = await rig({ westeurope: 'Low' });
    const bad = await put(r, 'westeurope', { emission: 'Filthy' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('emission: must be one of VeryLow, Low, Medium, High, VeryHigh, NotAvailable');
    expect(r.gw.status().carbonEmission).toEqual({ westeurope: { emission: 'Low', source: 'workspace' } });
  });

  it('a body over 4 KiB is answered 413 at once over a real socket, while the client is still sending', async () => {
    const r = await rig();
    // Announces 8 MiB and sends 5000 bytes: the answer comes without the rest, and the connection is closed after it.
    const { status, connection, body } = await new Promise<{ status: number; connection: string | undefined; body: string }>((done, fail) => {
      const req = request(`${r.gw.url}/_breakerboard/carbon/westeurope`, { method: 'PUT', headers: { 'content-type': 'application/json', 'content-length': String(8 * 1024 * 1024) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          done({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text });
          req.destroy();
        });
      });
      req.on('error', (e) => (e.message.includes('socket hang up') || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : fail(e)));
      req.write('x'.repeat(5000));
    });
    expect([status, connection, JSON.parse(body)]).toEqual([413, 'close', { error: { code: 'RequestTooLarge', message: 'body over 4096 bytes' } }]);
    expect(r.gw.status().carbonEmission).toEqual({});
  });
});
