import { afterEach, describe, expect, it } from 'vitest';
import { exportArmTemplate, exportBicep } from '../../shared/export';
import { validateWorkspace } from '../../shared/model';
import { chats, closeRigs, startRig, type Rig } from '../wiring/gateway-rig';

/* Parity suite, the carbon rows of docs/apim-fidelity.md (F-ROUTE-8, F-ROUTE-9; F-ROUTE-7 is in routing.test.ts). */
afterEach(closeRigs);

type Over = { region?: boolean; carbon?: Record<string, string>; pool?: object };
/** green (priority 1, preference Low, region westeurope unless told) and regular (priority 2). */
const build = (o: Over = {}) => (u: Record<string, string>) => ({
  backends: { green: { url: u.green, ...(o.region === false ? {} : { azureRegion: 'westeurope' }) }, regular: { url: u.regular } },
  pools: { p: { services: [{ backend: 'green', priority: 1, preferredCarbonEmission: 'Low' }, { backend: 'regular', priority: 2 }], ...o.pool } },
  apis: { 'azure-openai': { path: 'openai', backend: 'p' } },
  ...(o.carbon ? { gateway: { carbonEmission: o.carbon } } : {}),
});
const served = async (r: Rig, n = 2, init?: Parameters<Rig['chat']>[0]) => (await chats(r, n, init)).map((x) => x.backend);
const carbon = (r: Rig, region: string, emission?: string) =>
  fetch(`${r.gw.url}/_breakerboard/carbon/${region}`, { method: emission ? 'PUT' : 'DELETE', headers: { 'content-type': 'application/json' }, body: emission ? JSON.stringify({ emission }) : undefined });
const validated = (ws: object) => {
  const v = validateWorkspace({ version: 1, ...ws });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v;
};

describe('fidelity: carbon-aware pools', () => {
  it("F-ROUTE-8: a region's emission comes from gateway.carbonEmission, changes while running, outlives a reload, and is never exported", async () => {
    const r = await startRig(['green', 'regular'], build({ carbon: { westeurope: 'VeryLow' } }));
    expect(await served(r)).toEqual(['green', 'green']);
    expect((await carbon(r, 'westeurope', 'High')).status).toBe(200);
    expect(await served(r)).toEqual(['regular', 'regular']);
    r.gw.reload(validated(build({ carbon: { westeurope: 'VeryLow' } })({ green: r.backends.green!.url, regular: r.backends.regular!.url })).workspace);
    expect(await served(r)).toEqual(['regular', 'regular']);
    expect((await carbon(r, 'westeurope')).status).toBe(200);
    expect(await served(r)).toEqual(['green', 'green']);
    const ws = validated(build({ carbon: { westeurope: 'High' } })({ green: 'https://g.example.com', regular: 'https://r.example.com' })).workspace;
    for (const text of [exportBicep(ws), JSON.stringify(exportArmTemplate(ws))]) expect(text).not.toMatch(/carbonEmission|High/);
  });

  it('F-ROUTE-9: no region or no known emission counts as within the preference; a session cookie keeps its member', async () => {
    // No azureRegion: the preference cannot be judged (and validate warns).
    const noRegion = build({ region: false, carbon: { westeurope: 'VeryHigh' } });
    expect(await served(await startRig(['green', 'regular'], noRegion))).toEqual(['green', 'green']);
    expect(validated(noRegion({ green: 'https://g.example.com', regular: 'https://r.example.com' })).warnings.map((w) => w.path)).toEqual(['pools.p.services[0].preferredCarbonEmission', 'gateway.carbonEmission.westeurope']);
    // Not Available, or no value given for the region at all.
    expect(await served(await startRig(['green', 'regular'], build({ carbon: { westeurope: 'NotAvailable' } })))).toEqual(['green', 'green']);
    expect(await served(await startRig(['green', 'regular'], build({ carbon: { uksouth: 'VeryHigh' } })))).toEqual(['green', 'green']);
    // Session affinity first: the cookie's member serves while closed, even over its preference; new sessions shift.
    const sticky = await startRig(['green', 'regular'], build({ carbon: { westeurope: 'VeryHigh' }, pool: { sessionAffinity: { sessionId: { source: 'cookie', name: 'bb-session' } } } }));
    expect(await served(sticky, 2, { headers: { cookie: 'bb-session=green' } })).toEqual(['green', 'green']);
    expect(await served(sticky)).toEqual(['regular', 'regular']);
  });
});
