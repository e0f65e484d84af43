import { describe, expect, it } from 'vitest';
import { DEMO_DRILL_YAML } from '../shared/model';
import { demoWorkspace } from './support/workspace-arbitrary';
import { checkDrillAgainstWorkspace, parseDrillText } from '../shared/simulation';

const demo = demoWorkspace;

describe('drill files', () => {
  it('reads the seed drill shipped beside the demo workspace', () => {
    const r = parseDrillText(DEMO_DRILL_YAML);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.drill.load).toMatchObject({ rps: 20, duration: 90_000, api: 'azure-openai', deployment: 'gpt-4o', stream: false });
    expect(r.drill.timeline).toEqual([
      { at: 10_000, fault: { backend: 'aoai-eastus', fault: { type: 'throttle', retryAfter: 30 } } },
      { at: 70_000, clear: { backend: 'aoai-eastus' } },
    ]);
    expect(r.drill.expect).toEqual({ clientErrors: 0, tripped: ['aoai-eastus'], maxTimeToTrip: 5000 });
    expect(checkDrillAgainstWorkspace(r.drill, demo())).toEqual([]);
  });

  it('names the field of every mistake', () => {
    const r = parseDrillText(`version: 1
load: { rps: -1, duration: 90s, kind: images }
timeline:
  - { at: 10s, fault: { backend: aoai-eastus, type: throttle } }
  - { at: PT20S, fault: { backend: aoai-eastus, type: errors, rate: 2 } }
  - { at: PT30S, fault: { backend: aoai-eastus, type: melt } }
  - { at: PT40S }
  - { at: PT50S, clear: { backend: aoai-eastus }, extra: 1 }
expect: { clientErrors: -1, tripped: aoai-eastus, maxTimeToTrip: P1M }
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    expect(byPath['load.rps']).toBe('must be greater than zero');
    expect(byPath['load.duration']).toContain('"90s" is not an ISO 8601 duration');
    expect(byPath['load.kind']).toBe('must be chat or embeddings');
    expect(byPath['timeline[0].at']).toContain('is not an ISO 8601 duration');
    expect(byPath['timeline[1].fault.rate']).toBe('must be between 0 and 1');
    expect(byPath['timeline[2].fault.type']).toContain('type must be one of');
    expect(byPath['timeline[3].fault']).toBe('set exactly one of fault or clear');
    expect(byPath['timeline[4].extra']).toBe('unknown field');
    expect(byPath['expect.clientErrors']).toBe('must be at least 0');
    expect(byPath['expect.tripped']).toBe('must be a list of backend ids');
    expect(byPath['expect.maxTimeToTrip']).toContain('PT1M');
  });

  it('reports YAML syntax errors with line and column, and a missing version', () => {
    const syntax = parseDrillText('version: 1\nload: { rps: 1\n');
    expect(syntax.ok || syntax.errors[0]!.path).toMatch(/^line \d+, column \d+$/);
    const noVersion = parseDrillText('load: { rps: 1, duration: PT1S }\n');
    expect(noVersion.ok || noVersion.errors).toEqual([{ path: 'version', message: 'is required (version: 1)' }]);
    const noRate = parseDrillText('version: 1\nload: { duration: PT1S }\n');
    expect(noRate.ok || noRate.errors).toEqual([{ path: 'load.rps', message: 'set rps (open loop) or concurrency (closed loop)' }]);
  });

  it('checks backend and api names against the workspace', () => {
    const r = parseDrillText(`version: 1
load: { rps: 1, duration: PT1S, api: nope }
timeline: [{ at: PT0S, fault: { backend: aoai-westus, type: outage } }]
expect: { tripped: [aoai-eastus, ghost] }
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(checkDrillAgainstWorkspace(r.drill, demo()).map((e) => e.path)).toEqual(['timeline[0].fault.backend', 'expect.tripped[1]', 'load.api']);
  });
});
