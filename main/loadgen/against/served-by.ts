import type { Workspace } from '../../../shared/model';
import { reachableBackends } from '../../../shared/export/served-by-header';
import { regionKey } from '../../../shared/semantics/carbon';

/*
 * Which backend answered a request sent to the deployed APIM, from evidence in this order (F-OBS-1, F-OBS-2):
 * 1. the opt-in response header the exported policy adds (apis.<id>.servedByHeader): the backend id itself;
 * 2. Azure OpenAI's `x-ms-region` ("UK South"), mapped to the backend in that region (`azureRegion`, else
 *    `capacity.region`); backends that share a region cannot be told apart and are named together (`a|b`);
 * 3. else `(unknown)`.
 * An answer APIM gave itself (no backend reached: 401, 503 with every breaker open) carries neither and is not
 * counted as served by anyone.
 */

export const UNKNOWN = '(unknown)';

/** "UK South", "uksouth", "UK-South" → "uksouth": the same key the router gives a backend's azureRegion. */
export const normalizeRegion = regionKey;

export interface ServedByEvidence {
  /** The opt-in header's name, when the API has one. */
  header?: string;
  /** Normalized region → the backends in it (several: they cannot be told apart). */
  regions: Record<string, string[]>;
  /** Regions with more than one backend, for the report. */
  sharedRegions: Record<string, string[]>;
  /** Backends with no region in the workspace: only the header can name them. */
  withoutRegion: string[];
  pick: (headers: Record<string, string | string[] | undefined>, status?: number) => string | undefined;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function servedByEvidence(ws: Workspace, apiId: string): ServedByEvidence {
  const header = ws.apis?.[apiId]?.servedByHeader?.toLowerCase();
  const regions: Record<string, string[]> = {};
  const withoutRegion: string[] = [];
  for (const [id] of reachableBackends(ws, apiId)) {
    const b = ws.backends[id]!;
    const region = b.azureRegion ?? b.capacity?.region;
    if (region) (regions[normalizeRegion(region)] ??= []).push(id);
    else withoutRegion.push(id);
  }
  const sharedRegions = Object.fromEntries(Object.entries(regions).filter(([, ids]) => ids.length > 1));
  return {
    ...(header ? { header } : {}),
    regions,
    sharedRegions,
    withoutRegion,
    pick(headers, status = 200) {
      const named = header ? first(headers[header]) : undefined;
      if (named) return named;
      const region = first(headers['x-ms-region']);
      if (region) return regions[normalizeRegion(region)]?.join('|') ?? `${UNKNOWN} ${region}`;
      // An error without evidence is most likely APIM's own answer (401, 503 with every breaker open): nobody's.
      return status >= 200 && status < 300 ? UNKNOWN : undefined;
    },
  };
}
