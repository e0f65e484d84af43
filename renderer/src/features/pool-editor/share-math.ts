import type { Pool } from '../../../../shared/model/schema';
import { expectedShare, type MemberSpec } from './share-source';

export interface ShareRow {
  backend: string;
  priority: number;
  /** 0..1 of all requests; 0 for tripped members and lanes not reached. */
  share: number;
  tripped: boolean;
}

export type SharePreview =
  | { kind: 'ok'; rows: ShareRow[] }
  | { kind: 'none'; rows: ShareRow[]; message: string }
  | { kind: 'invalid'; message: string };

const validNumber = (v: number | undefined) => v === undefined || (Number.isInteger(v) && v >= 0 && v <= 100);

/**
 * Shares per member for a pool with some members marked tripped ("what if"). Values outside APIM's limits pause
 * the preview instead of showing numbers the gateway would never produce (validation points at the field).
 */
export function sharePreview(pool: Pool | undefined, tripped: ReadonlySet<string>): SharePreview {
  const services = pool?.services ?? [];
  if (services.length === 0) return { kind: 'invalid', message: 'Add members to see how traffic is shared.' };
  if (!services.every((m) => validNumber(m.weight) && validNumber(m.priority))) {
    return { kind: 'invalid', message: 'Preview paused: fix the highlighted weights and priorities (whole numbers 0–100).' };
  }
  const members: MemberSpec[] = services.map((m) => ({ backend: m.backend, priority: m.priority, weight: m.weight }));
  const result = expectedShare(members, [...tripped].filter((b) => services.some((m) => m.backend === b)));
  const rows = services.map((m) => ({
    backend: m.backend,
    priority: m.priority ?? 0,
    share: result.ok ? (result.share[m.backend] ?? 0) : 0,
    tripped: tripped.has(m.backend),
  }));
  if (!result.ok) {
    return { kind: 'none', rows, message: '503 for everyone: every member is tripped, so the gateway answers 503 NoHealthyBackend (with Retry-After) without calling a backend.' };
  }
  return { kind: 'ok', rows };
}

/** 0.75 → "75 %", 2/3 → "66.7 %" (a space before %, as the design's tests read it). */
export function formatShare(share: number): string {
  const pct = share * 100;
  const rounded = Math.round(pct * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} %`;
}
