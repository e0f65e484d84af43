import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../../shared/model';
import { bucketsFrom, inferOpenings, NO_BACKEND, type DeployedBucket } from './buckets';

/*
 * Query rows → buckets, and the breaker openings the traffic implies (F-OBS-4), with exact values: the chart and
 * `monitor --deployed --json` show these numbers as they are.
 */

const T0 = '2026-11-25T10:00:00.000Z';
const T1 = '2026-11-25T10:00:30.000Z';
const T2 = '2026-11-25T10:01:00.000Z';
const T3 = '2026-11-25T10:01:30.000Z';

describe('bucketsFrom', () => {
  it('sums requests and status codes per bucket and backend, in time order, whatever the row order', () => {
    const traffic = [
      { at: T1, backend: 'east', status: 429, requests: 2 },
      { at: new Date(T0), backend: 'east', status: 200, requests: 5 },
      { at: T0, backend: 'east', status: 200, requests: 1 },
      // Log Analytics may hand longs over as strings.
      { at: T0, backend: 'west', status: '503', requests: '3' },
      // APIM answered without calling a backend: kept under (apim).
      { at: T1, backend: '', status: 503, requests: 4 },
      { at: T1, status: 500 },
    ];
    expect(bucketsFrom(traffic, [])).toEqual([
      { at: T0, backends: { east: { requests: 6, status: { '200': 6 } }, west: { requests: 3, status: { '503': 3 } } } },
      { at: T1, backends: { east: { requests: 2, status: { '429': 2 } }, [NO_BACKEND]: { requests: 4, status: { '503': 4, '500': 0 } } } },
    ]);
  });

  it('backend time: the request-weighted mean to a tenth of a millisecond, only where rows carry one', () => {
    const traffic = [
      { at: T0, backend: 'east', status: 200, requests: 3, backendTimeMs: 100.25 },
      { at: T0, backend: 'east', status: 429, requests: 1, backendTimeMs: 200 },
      { at: T0, backend: 'west', status: 200, requests: 2, backendTimeMs: null },
      { at: T0, backend: 'north', status: 200, requests: 2 },
    ];
    const [b] = bucketsFrom(traffic, []);
    // (3 × 100.25 + 1 × 200) / 4 = 125.1875
    expect(b!.backends.east!.backendTimeMs).toBe(125.2);
    expect(b!.backends.west).toEqual({ requests: 2, status: { '200': 2 } });
    expect(b!.backends.north).toEqual({ requests: 2, status: { '200': 2 } });
  });

  it('the last non-empty LastErrorReason is kept; an empty one neither overwrites nor appears', () => {
    const traffic = [
      { at: T0, backend: 'east', status: 500, requests: 1, lastErrorReason: 'BackendConnectionFailure' },
      { at: T0, backend: 'east', status: 200, requests: 1, lastErrorReason: '' },
      { at: T0, backend: 'west', status: 200, requests: 1, lastErrorReason: '' },
      { at: T0, backend: 'north', status: 200, requests: 1, lastErrorReason: null },
    ];
    const [b] = bucketsFrom(traffic, []);
    expect(b!.backends.east!.lastErrorReason).toBe('BackendConnectionFailure');
    expect('lastErrorReason' in b!.backends.west!).toBe(false);
    expect('lastErrorReason' in b!.backends.north!).toBe(false);
  });

  it('adds token sums to the traffic cells, and makes cells for tokens without traffic rows', () => {
    const traffic = [{ at: T0, backend: 'east', status: 200, requests: 2 }];
    const tokens = [
      { at: T0, backend: 'east', promptTokens: 10, completionTokens: '4' },
      { at: T0, backend: 'east', promptTokens: 5, completionTokens: null },
      { at: T1, promptTokens: 7, completionTokens: 1 },
    ];
    expect(bucketsFrom(traffic, tokens)).toEqual([
      { at: T0, backends: { east: { requests: 2, status: { '200': 2 }, promptTokens: 15, completionTokens: 4 } } },
      { at: T1, backends: { [NO_BACKEND]: { requests: 0, status: {}, promptTokens: 7, completionTokens: 1 } } },
    ]);
  });
});

const ws = (pools: Record<string, string[]>) =>
  ({ version: 1, backends: {}, pools: Object.fromEntries(Object.entries(pools).map(([k, m]) => [k, { services: m.map((backend) => ({ backend })) }])) }) as Workspace;

/** Buckets from a compact table: one entry per bucket, backend → { status: count }. */
const series = (...cells: Record<string, Record<string, number>>[]): DeployedBucket[] =>
  cells.map((c, i) => ({
    at: [T0, T1, T2, T3][i]!,
    backends: Object.fromEntries(Object.entries(c).map(([b, status]) => [b, { requests: Object.values(status).reduce((n, x) => n + x, 0), status }])),
  }));

describe('inferOpenings', () => {
  it('a member that answered 429 and then had no traffic while the pool served: opened until traffic returns', () => {
    const buckets = series({ east: { '200': 2, '429': 3 }, west: { '200': 1 } }, { west: { '200': 5 } }, { west: { '200': 4 } }, { east: { '200': 1 }, west: { '200': 3 } });
    expect(inferOpenings(buckets, ws({ pool: ['east', 'west'] }))).toEqual([
      { backend: 'east', pool: 'pool', at: T1, until: T3, evidence: `3 × 429/5xx at ${T0}, then no traffic while the pool served` },
    ]);
  });

  it('5xx of any kind count (500, 503), 4xx other than 429 do not; an opening still lasting has until null', () => {
    const buckets = series({ east: { '500': 1, '503': 2, '404': 7 }, west: { '200': 1 } }, { west: { '200': 1 } });
    expect(inferOpenings(buckets, ws({ pool: ['east', 'west'] }))).toEqual([{ backend: 'east', pool: 'pool', at: T1, until: null, evidence: `3 × 429/5xx at ${T0}, then no traffic while the pool served` }]);
    expect(inferOpenings(series({ east: { '500': 1 }, west: { '200': 1 } }, { west: { '200': 1 } }), ws({ pool: ['east', 'west'] }))).toHaveLength(1);
  });

  it('no opening: without failures, when the member kept its traffic, when no other member served, or outside a pool', () => {
    const pool = ws({ pool: ['east', 'west'] });
    // Only 200s and 4xx other than 429, then silence.
    expect(inferOpenings(series({ east: { '200': 3, '405': 1 }, west: { '200': 1 } }, { west: { '200': 1 } }), pool)).toEqual([]);
    // Failures, but traffic went on.
    expect(inferOpenings(series({ east: { '429': 3 }, west: { '200': 1 } }, { east: { '200': 1 }, west: { '200': 1 } }), pool)).toEqual([]);
    // Failures, then nobody of the pool served (APIM's own 503s are not a member's traffic).
    expect(inferOpenings(series({ east: { '429': 3 }, west: { '200': 1 } }, { [NO_BACKEND]: { '503': 2 } }), pool)).toEqual([]);
    expect(inferOpenings(series({ east: { '429': 3 }, west: { '200': 1 } }, { west: {} }), pool)).toEqual([]);
    // A backend outside every pool.
    expect(inferOpenings(series({ east: { '429': 3 }, west: { '200': 1 } }, { west: { '200': 1 } }), ws({ pool: ['west', 'north'] }))).toEqual([]);
    expect(inferOpenings(series({ east: { '429': 3 } }, { west: { '200': 1 } }), { version: 1, backends: {} } as Workspace)).toEqual([]);
  });

  it('one opening per silence, not one per silent bucket; a second silence is a second opening', () => {
    const buckets = series({ east: { '429': 1 }, west: { '200': 1 } }, { west: { '200': 1 } }, { east: { '503': 2 }, west: { '200': 1 } }, { west: { '200': 1 } });
    expect(inferOpenings(buckets, ws({ pool: ['east', 'west'] })).map((o) => [o.at, o.until])).toEqual([
      [T1, T2],
      [T3, null],
    ]);
  });

  it('openings of all pools and members in time order', () => {
    // west's opening (T1) is found after east's (T2) in member order.
    const buckets = series({ west: { '429': 1 }, north: { '200': 1 } }, { east: { '500': 1 }, north: { '200': 1 } }, { west: { '200': 1 }, north: { '200': 1 } });
    expect(inferOpenings(buckets, ws({ a: ['east', 'north'], b: ['west', 'north'] })).map((o) => `${o.pool}/${o.backend}@${o.at}`)).toEqual([`b/west@${T1}`, `a/east@${T2}`]);
  });
});
