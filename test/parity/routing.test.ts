import { afterEach, describe, expect, it } from 'vitest';
import { exportBicep } from '../../shared/export';
import { validateWorkspace } from '../../shared/model';
import { chats, closeRigs, rule, startRig } from '../wiring/gateway-rig';

/* Parity suite, routing rows of docs/apim-fidelity.md: each test drives the real gateway and checks the row's outcome. */
afterEach(closeRigs);

const api = (backend: string, extra: object = {}) => ({ apis: { 'azure-openai': { path: 'openai', backend, ...extra } } });

describe('fidelity: routing and pools', () => {
  it('F-ROUTE-1: the lowest priority number serves while any member of it is closed; then the next group', async () => {
    const r = await startRig(['a', 'b'], (u) => ({
      backends: { a: { url: u.a, circuitBreaker: rule() }, b: { url: u.b } },
      pools: { p: { services: [{ backend: 'a', priority: 2 }, { backend: 'b', priority: 7 }] } },
      ...api('p'),
    }));
    expect((await chats(r, 3)).map((x) => x.backend)).toEqual(['a', 'a', 'a']);
    r.backends.a!.behave({ kind: 'status', status: 429 });
    expect((await r.chat()).backend).toBe('a'); // the tripping request (F-CB-9)
    expect((await chats(r, 2)).map((x) => x.backend)).toEqual(['b', 'b']);
  });

  it('F-ROUTE-2: weights inside a group split traffic by smooth weighted round-robin', async () => {
    const r = await startRig(['a', 'b'], (u) => ({
      backends: { a: { url: u.a }, b: { url: u.b } },
      pools: { p: { services: [{ backend: 'a', priority: 1, weight: 3 }, { backend: 'b', priority: 1, weight: 1 }] } },
      ...api('p'),
    }));
    expect((await chats(r, 8)).map((x) => x.backend)).toEqual(['a', 'a', 'b', 'a', 'a', 'a', 'b', 'a']);
  });

  it('F-ROUTE-3: no priority is group 0; weight 0 is standby until its group has no weighted member left', async () => {
    const r = await startRig(['a', 'b', 'c'], (u) => ({
      backends: { a: { url: u.a, circuitBreaker: rule() }, b: { url: u.b }, c: { url: u.c } },
      pools: { p: { services: [{ backend: 'c', priority: 1 }, { backend: 'b', weight: 0 }, { backend: 'a', weight: 5 }] } },
      ...api('p'),
    }));
    expect((await chats(r, 3)).map((x) => x.backend)).toEqual(['a', 'a', 'a']);
    r.backends.a!.behave({ kind: 'status', status: 429 });
    await r.chat();
    expect((await chats(r, 2)).map((x) => x.backend)).toEqual(['b', 'b']);
    expect(r.calls().c).toBe(0);
  });

  it('F-ROUTE-4: every member open: 503 NoHealthyBackend without calling a backend, attempts 0', async () => {
    const r = await startRig(['a'], (u) => ({ backends: { a: { url: u.a, circuitBreaker: rule({ tripDuration: 'PT40S' }) } }, pools: { p: { services: [{ backend: 'a' }] } }, ...api('p') }));
    r.backends.a!.behave({ kind: 'status', status: 429 });
    await r.chat();
    const x = await r.chat();
    expect([x.status, x.code, x.attempts, x.headers.get('retry-after')]).toEqual([503, 'NoHealthyBackend', '0', '40']);
    expect(r.calls().a).toBe(1);
  });

  it("F-ROUTE-5: the pool's failureResponse status replaces the 503, exported at the preview api-version", async () => {
    const build = (u: Record<string, string>) => ({ backends: { a: { url: u.a, circuitBreaker: rule() } }, pools: { p: { services: [{ backend: 'a' }], failureResponse: { statusCode: 529 } } }, ...api('p') });
    const r = await startRig(['a'], build);
    r.backends.a!.behave({ kind: 'status', status: 429 });
    await r.chat();
    const x = await r.chat();
    expect([x.status, x.code, x.attempts]).toEqual([529, 'NoHealthyBackend', '0']);
    const bicep = exportBicep(validated(build({ a: 'https://a.example.com' })));
    expect(bicep).toMatch(/backends@2025-03-01-preview' = \{\n {2}parent: apim\n {2}name: 'p'[\s\S]*failureResponse: \{\n {8}statusCode: 529/);
  });

  it('F-ROUTE-6: sessionAffinity keeps a session on the member its cookie names while that member is closed', async () => {
    const r = await startRig(['a', 'b'], (u) => ({
      backends: { a: { url: u.a }, b: { url: u.b, circuitBreaker: rule() } },
      pools: { p: { services: [{ backend: 'a' }, { backend: 'b' }], sessionAffinity: { sessionId: { source: 'cookie', name: 'bb-session' } } } },
      ...api('p'),
    }));
    const first = await r.chat();
    expect(first.headers.get('set-cookie')).toBe(`bb-session=${first.backend}; Path=/; HttpOnly`);
    const sticky = await chats(r, 3, { headers: { cookie: 'other=1; bb-session=b' } });
    expect(sticky.map((x) => [x.backend, x.headers.get('set-cookie')])).toEqual([['b', null], ['b', null], ['b', null]]);
    r.backends.b!.behave({ kind: 'status', status: 429 });
    await r.chat({ headers: { cookie: 'bb-session=b' } });
    const moved = await r.chat({ headers: { cookie: 'bb-session=b' } });
    expect([moved.backend, moved.headers.get('set-cookie')]).toEqual(['a', 'bb-session=a; Path=/; HttpOnly']);
  });

  it("F-ROUTE-7: a member whose region's emission is over its preferredCarbonEmission serves only when no other member can; nothing of it is exported", async () => {
    // Learn's example (sustainability.md): the regional backend in priority 1 with preference Medium, a regular one in priority 2.
    const build = (emission: string) => (u: Record<string, string>) => ({
      backends: { green: { url: u.green, azureRegion: 'westeurope' }, regular: { url: u.regular, circuitBreaker: rule() } },
      pools: { p: { services: [{ backend: 'green', priority: 1, weight: 1, preferredCarbonEmission: 'Medium' }, { backend: 'regular', priority: 2, weight: 1 }] } },
      gateway: { carbonEmission: { westeurope: emission } },
      ...api('p'),
    });
    // "less than or equal to the specified category": Medium is within, High is not.
    const within = await startRig(['green', 'regular'], build('Medium'));
    expect((await chats(within, 2)).map((x) => x.backend)).toEqual(['green', 'green']);
    const over = await startRig(['green', 'regular'], build('High'));
    expect((await chats(over, 2)).map((x) => x.backend)).toEqual(['regular', 'regular']);
    // "when all other backends are not available it will route traffic to these regions anyway".
    over.backends.regular!.behave({ kind: 'status', status: 429 });
    await over.chat();
    expect((await chats(over, 2)).map((x) => x.backend)).toEqual(['green', 'green']);
    // Written to APIM: the member's preference and the backend's region at the preview version; the emission input never.
    const bicep = exportBicep(validated(build('High')({ green: 'https://g.example.com', regular: 'https://r.example.com' })));
    expect(bicep).toMatch(/preferredCarbonEmission: 'Medium'/);
    expect(bicep).toMatch(/azureRegion: 'westeurope'/);
    expect(bicep).not.toMatch(/carbonEmission:|High/);
  });
});

function validated(ws: object) {
  const v = validateWorkspace({ version: 1, ...ws });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.workspace;
}
