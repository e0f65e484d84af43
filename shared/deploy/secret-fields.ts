import type { FieldDiff, Plan } from './plan-schema';

/*
 * Where backend `properties` can hold a secret (2024-05-01 and 2025-03-01-preview specs): credential header and
 * query values, the Authorization parameter, the proxy password. Everything Breakerboard prints, saves or sends
 * to the UI shows such a value as `(secret)`, unless it is only a `{{named value}}` reference (a name, not a key).
 */

export const SECRET_MARK = '(secret)';

const SECRET_PATH = /^(credentials\.(header|query)\.[^.[\]]+(\[\d+\])?|credentials\.authorization\.parameter|proxy\.password)$/;
const PARENT_OF_SECRETS = /^(credentials(\.(header|query)(\.[^.[\]]+)?|\.authorization)?|proxy)$/;
const NAMED_REF = /^\{\{[^{}]+\}\}$/;

const isRefs = (v: unknown): boolean => (typeof v === 'string' ? NAMED_REF.test(v) : Array.isArray(v) ? v.every(isRefs) : false);

/** Masks every secret value inside `v`, found at `path` within backend properties. */
export function maskSecrets(v: unknown, path = ''): unknown {
  if (v === undefined || v === null) return v;
  if (SECRET_PATH.test(path)) return isRefs(v) ? v : SECRET_MARK;
  if (path !== '' && !PARENT_OF_SECRETS.test(path)) return v;
  if (Array.isArray(v)) return v.map((x, i) => maskSecrets(x, `${path}[${i}]`));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskSecrets(x, path ? `${path}.${k}` : k)]));
  return v;
}

/** A field difference with secret values masked (the path may point at a secret or at an object holding some). */
export function maskField(f: FieldDiff): FieldDiff {
  const out: FieldDiff = { path: f.path };
  if (f.secret) out.secret = true;
  if (f.before !== undefined) out.before = maskSecrets(f.before, f.path);
  if (f.after !== undefined) out.after = maskSecrets(f.after, f.path);
  return out;
}

/** A plan as it may be printed or saved: every field and body masked. */
export function maskPlan(plan: Plan): Plan {
  return {
    ...plan,
    changes: plan.changes.map((c) => ({
      ...c,
      fields: c.fields.map(maskField),
      ...(c.body && c.kind !== 'apiPolicy' && c.kind !== 'namedValue' ? { body: maskSecrets(c.body) as Record<string, unknown> } : {}),
    })),
  };
}

/** The literal secret values inside backend properties (for the output filter that hides any echo of them). */
export function secretValues(v: unknown, path = ''): string[] {
  if (v === undefined || v === null) return [];
  if (SECRET_PATH.test(path)) return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && !NAMED_REF.test(x));
  if (path !== '' && !PARENT_OF_SECRETS.test(path)) return [];
  if (Array.isArray(v)) return v.flatMap((x, i) => secretValues(x, `${path}[${i}]`));
  if (typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => secretValues(x, path ? `${path}.${k}` : k));
  return [];
}
