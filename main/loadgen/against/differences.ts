import type { DrillReport } from '../drill-report';
import { UNKNOWN } from './served-by';

/*
 * Where the deployed service did not do what the local engine predicted, for the drill --against report. Shares
 * are over answered (2xx) requests with a known backend; a difference is flagged from 10 percentage points (share)
 * or 5 points (client errors), thresholds chosen so run-to-run noise of a few hundred requests stays quiet.
 */

export interface Difference {
  what: string;
  observed: string;
  predicted: string;
  /** Why it may differ, with the fidelity row that says so. */
  note?: string;
}

export const SHARE_THRESHOLD = 0.1;
export const ERROR_THRESHOLD = 0.05;

const pct = (x: number) => `${Math.round(x * 100)} %`;

function shares(r: DrillReport): { byBackend: Record<string, number>; known: number; unknown: number } {
  let known = 0;
  let unknown = 0;
  const byBackend: Record<string, number> = {};
  for (const [id, n] of Object.entries(r.servedBy)) {
    if (id.startsWith(UNKNOWN)) unknown += n;
    else {
      byBackend[id] = n;
      known += n;
    }
  }
  return { byBackend, known, unknown };
}

/** Splits `a|b` (a shared region) so the prediction can be summed the same way. */
function groupLike(pred: Record<string, number>, groups: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, n] of Object.entries(pred)) {
    const g = groups.find((x) => x.split('|').includes(id)) ?? id;
    out[g] = (out[g] ?? 0) + n;
  }
  return out;
}

export function compareReports(observed: DrillReport, predicted: DrillReport): Difference[] {
  const out: Difference[] = [];
  const obs = shares(observed);
  const pred = shares(predicted);
  const predGrouped = groupLike(pred.byBackend, Object.keys(obs.byBackend).filter((k) => k.includes('|')));
  if (obs.known > 0 && pred.known > 0) {
    for (const id of [...new Set([...Object.keys(obs.byBackend), ...Object.keys(predGrouped)])].sort()) {
      const o = (obs.byBackend[id] ?? 0) / obs.known;
      const p = (predGrouped[id] ?? 0) / pred.known;
      if (Math.abs(o - p) >= SHARE_THRESHOLD) {
        out.push({ what: `share served by ${id}`, observed: pct(o), predicted: pct(p), note: `APIM sent ${pct(o)} to ${id} while predicted ${pct(p)}: APIM weights approximately, per gateway instance, and its breakers and quotas differ from the simulated ones (F-OBS-5)` });
      }
    }
  }
  const answered = obs.known + obs.unknown;
  if (obs.unknown > 0 && answered > 0) {
    out.push({ what: 'answers without served-by evidence', observed: pct(obs.unknown / answered), predicted: '0 %', note: 'set apis.<id>.servedByHeader and apply, or give the backends azureRegion (F-OBS-1, F-OBS-2)' });
  }
  const oErr = observed.requests > 0 ? observed.clientErrors / observed.requests : 0;
  const pErr = predicted.requests > 0 ? predicted.clientErrors / predicted.requests : 0;
  if (Math.abs(oErr - pErr) >= ERROR_THRESHOLD) {
    const codes = Object.entries(observed.statusCounts).filter(([c]) => !c.startsWith('2')).map(([c, n]) => `${c}: ${n}`).join(', ');
    out.push({ what: 'client errors', observed: `${pct(oErr)}${codes ? ` (${codes})` : ''}`, predicted: pct(pErr) });
  }
  return out;
}
