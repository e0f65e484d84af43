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

  it('warns about a gateway.carbonEmission region no backend is in', () => {
    const ws = workspace();
    const v = validateWorkspace({ ...ws, gateway: { carbonEmission: { 'Sweden Central': 'Low', westeurop: 'High' } } });
    expect(v.warnings.filter((w) => w.path.startsWith('gateway'))).toEqual([{ path: 'gateway.carbonEmission.westeurop', message: 'no backend has azureRegion westeurop: this value changes nothing' }]);
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
      load: { rps: 10, duration: 'PT12S' },
      timeline: [
        { at: 'PT3S', carbon: { region: 'swedencentral', emission: 'High' } },
        { at: 'PT8S', carbon: { region: 'swedencentral', emission: 'workspace' } },
      ],
      expect: { clientErrors: 0 },
    });
    const r = await runDrill({ workspace: workspace(), drill, speed: 3, startGateway, startSimulators });
    expect(r.requests).toBe(120);
    expect(r.carbon!.map((c) => [c.region, c.emission])).toEqual([['swedencentral', 'High'], ['swedencentral', 'workspace']]);
    // One-second buckets (drill time) wholly before, between and after the steps as they took effect (a busy machine
    // may fire a step late; a request in flight at a step counts at the step, so it lands in the step's own bucket).
    const [on, off] = r.carbon!.map((c) => c.atMs) as [number, number];
    const who = (from: number, to: number) => [...new Set(r.shares.filter((b) => b.fromMs >= from && b.toMs <= to && b.total > 0).flatMap((b) => Object.keys(b.byBackend)))];
    expect(who(0, on)).toEqual(['green']);
    expect(who(on, off)).toEqual(['grey']);
    expect(who(off, 12_000)).toEqual(['green']);
    expect(r.pass).toBe(true);
    const text = formatDrillReport(r).join('\n');
    expect(text).toMatch(/\d s {2}carbon emission of swedencentral: High {2}\(F-ROUTE-7\)/);
    expect(text).toMatch(/\d s {2}carbon emission of swedencentral: the workspace's value/);
  });
});
