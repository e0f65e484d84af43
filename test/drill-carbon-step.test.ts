import { describe, expect, it } from 'vitest';
import { startGateway } from '../main/gateway';
import { formatDrillReport, runDrill } from '../main/loadgen';
import { planAgainst } from '../main/loadgen/against';
import { startSimulators } from '../main/simulator';
import { validateWorkspace, type Workspace } from '../shared/model';
import { checkDrillAgainstWorkspace, parseDrill, parseDrillText, type Drill } from '../shared/simulation';

/*
 * The drill's `carbon` step (docs/apim-fidelity.md F-ROUTE-7): a region's carbon emission changes mid-drill, as
 * Azure's would, and a carbon-aware pool shifts its traffic. Every mistake names its field.
 */
const drillOf = (value: unknown): Drill => {
  const r = parseDrill(value);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.drill;
};

function workspace(): Workspace {
  const v = validateWorkspace({
    version: 1,
    backends: { green: { url: 'https://green.openai.azure.com/openai', azureRegion: 'swedencentral' }, grey: { url: 'https://grey.openai.azure.com/openai', azureRegion: 'eastus' } },
    pools: { p: { services: [{ backend: 'green', priority: 1, preferredCarbonEmission: 'Low' }, { backend: 'grey', priority: 2 }] } },
    apis: { 'azure-openai': { path: 'openai', backend: 'p' } },
    gateway: { carbonEmission: { swedencentral: 'VeryLow' } },
    simulation: { green: { latencyMs: { p50: 2, p99: 5 } }, grey: { latencyMs: { p50: 2, p99: 5 } } },
  });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.workspace;
}

describe('drill carbon step', () => {
  it('reads { region, emission } and names the field of every mistake', () => {
    const ok = parseDrillText(`version: 1
load: { rps: 1, duration: PT10S }
timeline:
  - { at: PT2S, carbon: { region: swedencentral, emission: VeryHigh } }
  - { at: PT4S, carbon: { region: swedencentral, emission: workspace } }
`);
    expect(ok.ok && ok.drill.timeline).toEqual([
      { at: 2000, carbon: { region: 'swedencentral', emission: 'VeryHigh' } },
      { at: 4000, carbon: { region: 'swedencentral', emission: 'workspace' } },
    ]);
    const bad = parseDrillText(`version: 1
load: { rps: 1, duration: PT10S }
timeline:
  - { at: PT2S, carbon: { region: swedencentral, emission: Dirty } }
  - { at: PT3S, carbon: { region: '', emission: Low, level: 3 } }
  - { at: PT4S, carbon: { region: swedencentral, emission: Low }, clear: { backend: green } }
`);
    expect(bad.ok ? [] : bad.errors).toEqual([
      { path: 'timeline[0].carbon.emission', message: 'must be one of VeryLow, Low, Medium, High, VeryHigh, NotAvailable, workspace' },
      { path: 'timeline[1].carbon.region', message: 'must not be empty' },
      { path: 'timeline[1].carbon.level', message: 'unknown field' },
      { path: 'timeline[2].carbon', message: 'set exactly one of fault, clear or carbon' },
    ]);
  });

  it('refuses a region no backend is in, and a carbon step against a deployed service', () => {
    const d = drillOf({ version: 1, load: { rps: 1, duration: 'PT1S' }, timeline: [{ at: 'PT0S', carbon: { region: 'Sweden Central', emission: 'High' } }, { at: 'PT0S', carbon: { region: 'westeurope', emission: 'High' } }] });
    expect(checkDrillAgainstWorkspace(d, workspace())).toEqual([{ path: 'timeline[1].carbon.region', message: 'no backend has azureRegion "westeurope" (regions: swedencentral, eastus)' }]);
    const against = planAgainst(workspace(), d, true);
    expect(against.ok ? [] : against.errors.map((e) => e.path)).toEqual(['timeline[0].carbon', 'timeline[1].carbon']);
  });

  it('names the field of a bad gateway.carbonEmission in the workspace', () => {
    const v = validateWorkspace({ version: 1, backends: {}, gateway: { carbonEmission: { westeurope: 'Smoky', northeurope: 3 } } });
    expect(v.ok ? [] : v.errors).toEqual([
      { path: 'gateway.carbonEmission.westeurope', message: 'must be one of VeryLow, Low, Medium, High, VeryHigh, NotAvailable' },
      { path: 'gateway.carbonEmission.northeurope', message: 'must be one of VeryLow, Low, Medium, High, VeryHigh, NotAvailable' },
    ]);
  });

  it('shifts a carbon-aware pool mid-drill through the real gateway and back, and reports the steps', async () => {
    const drill = drillOf({
      version: 1,
      load: { rps: 10, duration: 'PT9S' },
      timeline: [
        { at: 'PT3S', carbon: { region: 'swedencentral', emission: 'High' } },
        { at: 'PT6S', carbon: { region: 'swedencentral', emission: 'workspace' } },
      ],
      expect: { clientErrors: 0 },
    });
    const r = await runDrill({ workspace: workspace(), drill, speed: 3, startGateway, startSimulators });
    expect(r.requests).toBe(90);
    expect(r.carbon!.map((c) => [c.region, c.emission])).toEqual([['swedencentral', 'High'], ['swedencentral', 'workspace']]);
    // Buckets of one second (drill time): 0-3 s green, 3-6 s grey, 6-9 s green again (the edges may straddle a step).
    const who = (from: number, to: number) => r.shares.filter((b) => b.fromMs >= from * 1000 && b.toMs <= to * 1000).map((b) => Object.keys(b.byBackend).join('+'));
    expect(who(0, 2)).toEqual(['green', 'green']);
    expect(who(4, 5)).toEqual(['grey']);
    expect(who(7, 9)).toEqual(['green', 'green']);
    expect(r.pass).toBe(true);
    const text = formatDrillReport(r).join('\n');
    expect(text).toMatch(/3 s {2}carbon emission of swedencentral: High {2}\(F-ROUTE-7\)/);
    expect(text).toMatch(/6 s {2}carbon emission of swedencentral: the workspace's value/);
  });
});
