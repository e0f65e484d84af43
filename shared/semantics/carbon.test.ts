import { describe, expect, it } from 'vitest';
import { RegionEmissions, regionKey, withinPreference } from './carbon';
import { compileRoutes } from './route-table';
import { Router } from './router';
import { validateWorkspace } from '../model';

describe('withinPreference (preview spec: "less than or equal to the specified category")', () => {
  it('compares categories in order VeryLow < Low < Medium < High < VeryHigh, equal counts as within', () => {
    expect(withinPreference('Medium', 'Low')).toBe(true);
    expect(withinPreference('Medium', 'Medium')).toBe(true);
    expect(withinPreference('Medium', 'High')).toBe(false);
    expect(withinPreference('VeryLow', 'Low')).toBe(false);
    expect(withinPreference('VeryHigh', 'VeryHigh')).toBe(true);
  });
  it('no preference, an unknown or NotAvailable emission: eligible (choice)', () => {
    expect(withinPreference(undefined, 'VeryHigh')).toBe(true);
    expect(withinPreference('VeryLow', undefined)).toBe(true);
    expect(withinPreference('VeryLow', 'NotAvailable')).toBe(true);
  });
});

describe('RegionEmissions', () => {
  it('run-time values overlay the workspace and survive a rebuild; clearing one brings the workspace value back', () => {
    const a = new RegionEmissions(new Map([['westeurope', 'Low' as const]]));
    a.set('West Europe', 'VeryHigh');
    a.set('UK South', 'Medium');
    const b = new RegionEmissions(new Map([['westeurope', 'High' as const]]), a);
    expect([b.get('westeurope'), b.get('uksouth'), b.get(undefined), b.get('nowhere')]).toEqual(['VeryHigh', 'Medium', undefined, undefined]);
    b.set('westeurope', null);
    expect(b.view()).toEqual({ westeurope: { emission: 'High', source: 'workspace' }, uksouth: { emission: 'Medium', source: 'set' } });
    expect(regionKey('Sweden Central')).toBe('swedencentral');
  });
});

describe('the router honours carbon preferences from the workspace and at run time', () => {
  const ws = (carbon?: Record<string, string>) => {
    const v = validateWorkspace({
      version: 1,
      backends: { green: { url: 'https://g.example.com', azureRegion: 'West Europe' }, regular: { url: 'https://r.example.com' } },
      pools: { p: { services: [{ backend: 'green', priority: 1, preferredCarbonEmission: 'Medium' }, { backend: 'regular', priority: 2 }] } },
      ...(carbon ? { gateway: { carbonEmission: carbon } } : {}),
    });
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    return v.workspace;
  };
  const pick = (r: Router) => r.targets.get('p')!.target.members[r.targets.get('p')!.choose(0)]!.backend;

  it('reads gateway.carbonEmission by region name, whatever its spelling', () => {
    expect(pick(new Router(compileRoutes(ws())))).toBe('green');
    expect(pick(new Router(compileRoutes(ws({ westeurope: 'Medium' }))))).toBe('green');
    expect(pick(new Router(compileRoutes(ws({ 'west-europe': 'High' }))))).toBe('regular');
  });
  it('a value set at run time wins until cleared, and is kept across a reload', () => {
    const r = new Router(compileRoutes(ws({ westeurope: 'Low' })));
    r.carbon.set('westeurope', 'VeryHigh');
    expect(pick(r)).toBe('regular');
    const reloaded = new Router(compileRoutes(ws({ westeurope: 'Low' })), r);
    expect(pick(reloaded)).toBe('regular');
    reloaded.carbon.set('westeurope', null);
    expect(pick(reloaded)).toBe('green');
  });
  it('the regular member open: the member over its preference serves rather than nobody', () => {
    const w = ws({ westeurope: 'VeryHigh' });
    w.backends.regular!.circuitBreaker = { rules: [{ name: 'r', failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }] }, tripDuration: 'PT1M' }] };
    const r = new Router(compileRoutes(w));
    expect(pick(r)).toBe('regular');
    expect(r.record('regular', 0, { status: 500 })).not.toBeNull();
    expect(pick(r)).toBe('green');
  });
});
