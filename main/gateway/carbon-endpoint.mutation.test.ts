import { afterEach, describe, expect, it } from 'vitest';
import { validateWorkspace } from '../../shared/model';
import { FakeClock } from '../../test/support/fake-clock';
import { FakeRequest, FakeResponse } from '../../test/support/fake-http';
import { handleCarbon, isCarbonPath, MAX_SET_REGIONS } from './carbon-endpoint';
import { GatewayEngine } from './engine';

/*
 * `/_breakerboard/carbon[/<region>]` (F-ROUTE-7) driven through `handleCarbon` with a real engine and a request
 * whose body chunks the test chooses, so the 4096-byte limit is checked at its exact edge. Every answer compared
 * whole: status, JSON body, and what the engine keeps.
 */

const engines: GatewayEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close(true);
});

function engine(): GatewayEngine {
  const r = validateWorkspace({
    version: 1,
    backends: { eu: { url: 'https://eu.example.com/openai', azureRegion: 'westeurope' } },
    apis: { chat: { path: 'openai', backend: 'eu' } },
    gateway: { carbonEmission: { westeurope: 'Low' } },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const clock = new FakeClock(Date.UTC(2026, 11, 4, 3, 0, 0));
  const e = new GatewayEngine(r.workspace, { now: clock.now, secrets: { get: () => undefined }, timers: { setTimeout: () => 0, clearTimeout: () => undefined } });
  engines.push(e);
  return e;
}

function call(method: string, path: string, e = engine()) {
  const req = new FakeRequest(method, path);
  const res = new FakeResponse();
  handleCarbon(e, path, method, req.asIncoming, res.asServer);
  return { req, res, e };
}

const EMISSIONS = 'VeryLow, Low, Medium, High, VeryHigh, NotAvailable';
const error = (code: string, message: string) => ({ error: { code, message } });
const answer = (res: FakeResponse) => [res.status, res.json()];
const WORKSPACE_VIEW = { westeurope: { emission: 'Low', source: 'workspace' } };

/** A JSON body `{"emission":"High","pad":"…"}` of exactly `bytes` bytes. */
function bodyOf(bytes: number): string {
  const head = '{"emission":"High","pad":"';
  return head + 'x'.repeat(bytes - head.length - 2) + '"}';
}

describe('carbon endpoint: paths', () => {
  it('the list with or without a trailing slash and one region segment, nothing deeper', () => {
    const paths = ['/_breakerboard/carbon', '/_breakerboard/carbon/', '/_breakerboard/carbon/westeurope', '/_breakerboard/carbon/a/b', '/_breakerboard/carbonx', '/x/_breakerboard/carbon'];
    expect(paths.map(isCarbonPath)).toEqual([true, true, true, false, false, false]);
  });

  it('GET the list answers every region with its value and source', () => {
    for (const path of ['/_breakerboard/carbon', '/_breakerboard/carbon/']) {
      const { res } = call('GET', path);
      expect([...answer(res), res.headers['cache-control']]).toEqual([200, { regions: WORKSPACE_VIEW }, 'no-store']);
    }
  });

  it('any other method on the list is not an endpoint', () => {
    for (const method of ['PUT', 'DELETE', 'POST']) {
      const { res } = call(method, '/_breakerboard/carbon');
      expect(answer(res)).toEqual([404, error('NotFound', `no gateway endpoint ${method} /_breakerboard/carbon`)]);
    }
  });

  it('a region that is not valid %-encoding is refused naming the path', () => {
    const { res, e } = call('PUT', '/_breakerboard/carbon/%E0%A4%A');
    expect(answer(res)).toEqual([400, error('BadRequest', 'the region in /_breakerboard/carbon/%E0%A4%A is not valid %-encoding')]);
    expect(e.router.carbon.view()).toEqual(WORKSPACE_VIEW);
  });

  it('GET or POST on a region says which methods to use, without waiting for a body', () => {
    for (const method of ['GET', 'POST']) {
      const { res } = call(method, '/_breakerboard/carbon/westeurope');
      expect(answer(res)).toEqual([404, error('NotFound', "use PUT to set a region's carbon emission, DELETE to go back to the workspace's value")]);
    }
  });
});

describe('carbon endpoint: PUT and DELETE a region', () => {
  it('PUT sets the decoded region, DELETE goes back to the workspace value', () => {
    const e = engine();
    const put = call('PUT', '/_breakerboard/carbon/West%20Europe', e);
    expect(put.res.status).toBe(0);
    put.req.send('{"emission":', '"VeryHigh"}');
    expect(answer(put.res)).toEqual([200, { region: 'West Europe', emission: 'VeryHigh', source: 'set' }]);
    expect(e.router.carbon.view()).toEqual({ westeurope: { emission: 'VeryHigh', source: 'set' } });
    const del = call('DELETE', '/_breakerboard/carbon/westeurope', e);
    expect(answer(del.res)).toEqual([200, { region: 'westeurope', emission: 'Low', source: 'workspace' }]);
    expect(e.router.carbon.view()).toEqual(WORKSPACE_VIEW);
  });

  it('a body of exactly 4096 bytes is read whole, also across chunks', () => {
    const body = bodyOf(4096);
    expect(Buffer.byteLength(body)).toBe(4096);
    for (const chunks of [[body], [body.slice(0, 4000), body.slice(4000)]]) {
      const { req, res } = call('PUT', '/_breakerboard/carbon/westeurope');
      req.send(...chunks);
      expect(answer(res)).toEqual([200, { region: 'westeurope', emission: 'High', source: 'set' }]);
    }
  });

  it('one byte more is 413 and changes nothing, whole or in chunks', () => {
    const body = bodyOf(4097);
    for (const chunks of [[body], [body.slice(0, 10), body.slice(10, 4096), body.slice(4096)]]) {
      const { req, res, e } = call('PUT', '/_breakerboard/carbon/westeurope');
      req.send(...chunks);
      expect(answer(res)).toEqual([413, error('RequestTooLarge', 'body over 4096 bytes')]);
      expect(e.router.carbon.view()).toEqual(WORKSPACE_VIEW);
    }
  });

  it('answers 413 the moment the body passes the limit, keeps nothing more and lets the rest flow by', () => {
    const { req, res, e } = call('PUT', '/_breakerboard/carbon/westeurope');
    req.emit('data', Buffer.from(bodyOf(4096)));
    expect([res.status, req.resumed]).toEqual([0, false]);
    req.emit('data', Buffer.from('x'));
    expect([...answer(res), res.headers.connection, req.resumed]).toEqual([413, error('RequestTooLarge', 'body over 4096 bytes'), 'close', true]);
    // A stream of megabytes after it is not read, and its end answers nothing more.
    expect([req.listenerCount('data'), req.listenerCount('end')]).toEqual([0, 0]);
    req.emit('end');
    expect([res.chunks.length, e.router.carbon.view()]).toEqual([1, WORKSPACE_VIEW]);
  });

  it('a body that is not JSON, or not one of the emissions, is refused naming the field', () => {
    const cases: [string, string][] = [
      ['emission: High', `the body must be JSON: { "emission": one of ${EMISSIONS} }`],
      ['', `the body must be JSON: { "emission": one of ${EMISSIONS} }`],
      ['{"emission":"Filthy"}', `emission: must be one of ${EMISSIONS}`],
    ];
    for (const [body, message] of cases) {
      const { req, res, e } = call('PUT', '/_breakerboard/carbon/westeurope');
      req.send(body);
      expect(answer(res)).toEqual([400, error('BadRequest', message)]);
      expect(e.router.carbon.view()).toEqual(WORKSPACE_VIEW);
    }
  });

  it('a region name the workspace file would refuse is refused naming the field, for PUT and DELETE alike', () => {
    const long = 'r'.repeat(101);
    const cases: [string, string][] = [
      [`/_breakerboard/carbon/${long}`, 'region: a region name must be at most 100 characters'],
      ['/_breakerboard/carbon/%21%21', 'region: "!!" names no Azure region (it has no letters or digits)'],
      ['/_breakerboard/carbon/%20', 'region: " " names no Azure region (it has no letters or digits)'],
    ];
    for (const [path, message] of cases) {
      for (const method of ['PUT', 'DELETE']) {
        const { req, res, e } = call(method, path);
        req.send('{"emission":"High"}');
        expect(answer(res)).toEqual([400, error('BadRequest', message)]);
        expect(e.router.carbon.view()).toEqual(WORKSPACE_VIEW);
      }
    }
    // 100 characters is still a name.
    const { req, res } = call('PUT', `/_breakerboard/carbon/${'r'.repeat(100)}`);
    req.send('{"emission":"High"}');
    expect(res.status).toBe(200);
  });

  it(`keeps at most ${MAX_SET_REGIONS} regions set at run time; a set one can still change, and DELETE makes room`, () => {
    const e = engine();
    const put = (region: string, emission = 'High') => {
      const c = call('PUT', `/_breakerboard/carbon/${region}`, e);
      c.req.send(JSON.stringify({ emission }));
      return c.res;
    };
    for (let i = 0; i < MAX_SET_REGIONS; i += 1) expect(put(`region${i}`).status).toBe(200);
    expect(answer(put('onemore'))).toEqual([400, error('BadRequest', `region: ${MAX_SET_REGIONS} regions are already set at run time; DELETE one first`)]);
    expect(e.router.carbon.view().onemore).toBeUndefined();
    expect(answer(put('region7', 'Low'))).toEqual([200, { region: 'region7', emission: 'Low', source: 'set' }]);
    // westeurope has a workspace value, not a run-time one: setting it would add one more.
    expect(put('westeurope').status).toBe(400);
    expect(call('DELETE', '/_breakerboard/carbon/region0', e).res.status).toBe(200);
    expect(answer(put('onemore'))).toEqual([200, { region: 'onemore', emission: 'High', source: 'set' }]);
  });
});
