import type { FieldDiff } from './plan-schema';

/*
 * Field-level differences between two JSON values, with readable paths (`pool.services[1].weight`). Null, an
 * empty map or list, and missing are the same (APIM answers absent fields so); object key order never matters.
 */

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Nothing in it: APIM echoes fields it never had as null, and some as an empty map or list (`credentials.header: {}`). */
const absent = (v: Json): boolean => v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.values(v).every(absent));

const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

/** Equal as JSON, ignoring key order and null / empty versus missing. */
export function sameJson(a: Json, b: Json): boolean {
  if (absent(a) && absent(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameJson(a[k], b[k]));
  }
  return a === b;
}

/**
 * Differences from `before` to `after`. Arrays of objects are compared item by item (a changed weight in the
 * second member is `services[1].weight`); arrays of scalars that differ are reported whole.
 */
export function diffFields(before: Json, after: Json, base = ''): FieldDiff[] {
  if (sameJson(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffFields(before[k], after[k], join(base, k)));
  }
  if (Array.isArray(before) && Array.isArray(after) && [...before, ...after].every(isObject)) {
    const out: FieldDiff[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...diffFields(before[i], after[i], `${base}[${i}]`));
    return out;
  }
  const d: FieldDiff = { path: base || '(value)' };
  if (!absent(before)) d.before = before;
  if (!absent(after)) d.after = after;
  return [d];
}

/** `a.b[2].c` → a compact value for one line of text. */
export function formatValue(v: Json): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v);
}

/** Removes nulls and undefined throughout (what APIM echoes as null was never set). */
export function stripNulls<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stripNulls) as T;
  if (isObject(v)) {
    const out: Record<string, Json> = {};
    for (const [k, val] of Object.entries(v)) if (val !== undefined && val !== null) out[k] = stripNulls(val);
    return out as T;
  }
  return v;
}
