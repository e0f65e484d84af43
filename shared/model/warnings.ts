import type { Issue } from './paths';
import { formatPath } from './paths';
import type { StatusRange, Workspace } from './schema';
import { describeMismatch, weightCapacityMismatches } from '../capacity/weight-capacity';
import { regionKey } from '../semantics/carbon';
import { tokenWarnings } from './token-warnings';

/** Whether a range takes in client errors other than 429 (400–428 or 430–499). */
export function rangeCatchesClientErrors(r: StatusRange): boolean {
  return (r.min <= 428 && r.max >= 400) || (r.min <= 499 && r.max >= 430);
}

export const rangeIncludes = (ranges: readonly StatusRange[] | undefined, status: number) =>
  (ranges ?? []).some((r) => status >= r.min && status <= r.max);

/** APIM-SEMANTICS B11: valid, but likely to surprise. Never blocking. */
export function collectWarnings(ws: Workspace): Issue[] {
  const out: Issue[] = [];
  const add = (path: (string | number)[], message: string) => out.push({ path: formatPath(path), message });
  const pools = ws.pools ?? {};
  const apis = ws.apis ?? {};
  const used = new Set<string>();
  for (const pool of Object.values(pools)) for (const m of pool.services) used.add(m.backend);
  for (const api of Object.values(apis)) used.add(api.backend);

  for (const [id, backend] of Object.entries(ws.backends)) {
    backend.circuitBreaker?.rules.forEach((rule, i) => {
      const base = ['backends', id, 'circuitBreaker', 'rules', i];
      const ranges = rule.failureCondition.statusCodeRanges ?? [];
      ranges.forEach((r, j) => {
        if (rangeCatchesClientErrors(r)) {
          add([...base, 'failureCondition', 'statusCodeRanges', j], `${r.min}-${r.max} counts client errors other than 429 as failures: one malformed request can trip a healthy backend`);
        }
      });
      if (rangeIncludes(ranges, 429) && !rule.acceptRetryAfter) {
        add([...base, 'acceptRetryAfter'], '429 counts as a failure but Retry-After is ignored: Azure OpenAI says how long to wait; set acceptRetryAfter: true');
      }
      // No warning for a tripDuration shorter than the interval: the window empties at a trip (fidelity row F-CB-5),
      // so failures from before the trip cannot trip the backend again when it closes.
      if (!used.has(id)) add(['backends', id, 'circuitBreaker'], 'this backend has a breaker but no pool or api uses it');
    });
  }

  for (const [poolId, pool] of Object.entries(pools)) {
    pool.services.forEach((m, i) => {
      // The preview spec: carbon-aware routing "requires the backend to be attributed with 'azureRegion'" (F-ROUTE-7).
      if (m.preferredCarbonEmission !== undefined && ws.backends[m.backend] && ws.backends[m.backend]!.azureRegion === undefined) {
        add(['pools', poolId, 'services', i, 'preferredCarbonEmission'], `${m.backend} has no azureRegion: APIM needs the region to route by carbon emission`);
      }
    });
    const withPriority = pool.services.filter((m) => m.priority !== undefined).length;
    if (withPriority > 0 && withPriority < pool.services.length) {
      add(['pools', poolId, 'services'], 'some members have a priority and some do not: members without one are in group 0, the highest');
    }
    for (const m of weightCapacityMismatches(pool, ws.backends)) add(['pools', poolId, 'services', m.index, 'weight'], describeMismatch(m));
  }

  // A region no backend is in changes nothing: most likely a typo (F-ROUTE-8).
  const regions = new Set(Object.values(ws.backends).flatMap((b) => (b.azureRegion ? [regionKey(b.azureRegion)] : [])));
  for (const region of Object.keys(ws.gateway?.carbonEmission ?? {})) {
    if (!regions.has(regionKey(region))) add(['gateway', 'carbonEmission', region], `no backend has azureRegion ${region}: this value changes nothing`);
  }

  for (const [apiId, api] of Object.entries(apis)) {
    if (!api.retry || api.retry.count === 0) continue;
    const size = pools[api.backend]?.services.length ?? 1;
    if (api.retry.count > size - 1) {
      add(['apis', apiId, 'retry', 'count'], `${api.retry.count} retries on ${size === 1 ? 'a single backend' : `a pool of ${size}`}: more than ${size - 1} (pool size - 1) only calls members that already failed`);
    }
  }
  out.push(...tokenWarnings(ws));
  return out;
}
