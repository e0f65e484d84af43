import type { PlanView, PlanWarning } from '../../shared/contract/apim';
import { memberBackendId, type FieldDiff, type Plan, type ResourceChange } from '../../shared/deploy';

/*
 * A plan as it crosses to the renderer: no request bodies (they hold everything APIM has, which may include
 * literal credentials the workspace does not model), credential values masked unless they are `{{named value}}`
 * references, and warnings a reviewer should not miss.
 */

const NAMED_REF = /^\{\{[^{}]+\}\}$/;
const isNamedRefs = (v: unknown) => (Array.isArray(v) ? v.every((x) => typeof x === 'string' && NAMED_REF.test(x)) : typeof v === 'string' && NAMED_REF.test(v));

function maskField(f: FieldDiff): FieldDiff {
  if (!/^credentials(\.|$)/.test(f.path)) return f;
  const out: FieldDiff = { path: f.path };
  if (f.secret) out.secret = true;
  // A literal header or query value in APIM may be a key: show that it changes, not what it is.
  if (f.before !== undefined) out.before = isNamedRefs(f.before) ? f.before : '(hidden)';
  if (f.after !== undefined) out.after = isNamedRefs(f.after) ? f.after : '(hidden)';
  return out;
}

type Member = { id?: unknown; priority?: unknown; weight?: unknown };

/**
 * The pool's members before the change, rebuilt from the members after it (the body) and the field diffs
 * (`pool.services[1].weight`, `pool.services[2]`, or the whole list when its shape changed).
 */
export function membersBefore(change: ResourceChange): Member[] {
  const after = ((change.body?.pool as { services?: Member[] } | undefined)?.services ?? []).map((m) => ({ ...m }));
  const before: (Member | undefined)[] = [...after];
  for (const f of change.fields) {
    if (f.path === 'pool' || f.path === 'pool.services') {
      const whole = f.path === 'pool' ? (f.before as { services?: Member[] } | undefined)?.services : (f.before as Member[] | undefined);
      return Array.isArray(whole) ? whole : [];
    }
    const m = /^pool\.services\[(\d+)\](?:\.(\w+))?$/.exec(f.path);
    if (!m) continue;
    const i = Number(m[1]);
    if (m[2] === undefined) before[i] = f.before as Member | undefined;
    else before[i] = { ...(before[i] ?? {}), [m[2]]: f.before };
  }
  return before.filter((x): x is Member => x !== undefined && x !== null);
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);

/**
 * Members a pool update removes while APIM still sends them traffic (top priority, weight > 0). A pool delete
 * (--prune) carries no member list in the plan; the prune checkbox says what it deletes.
 */
export function removedMemberWarnings(change: ResourceChange): PlanWarning[] {
  if (change.kind !== 'pool' || change.action !== 'update') return [];
  const before = membersBefore(change);
  if (before.length === 0) return [];
  const keep = new Set(((change.body?.pool as { services?: Member[] } | undefined)?.services ?? []).map((m) => memberBackendId(m.id)));
  const top = Math.min(...before.map((m) => num(m.priority, 1)));
  const active = before.filter((m) => num(m.priority, 1) === top);
  const total = active.reduce((s, m) => s + num(m.weight, 1), 0);
  const out: PlanWarning[] = [];
  for (const m of before) {
    const id = memberBackendId(m.id);
    if (!id || keep.has(id)) continue;
    const weight = num(m.weight, 1);
    if (num(m.priority, 1) === top && weight > 0) {
      const share = total > 0 ? Math.round((weight / total) * 100) : 0;
      out.push({ kind: 'pool', id: change.id, message: `member '${id}' is about to be removed while it still takes traffic (about ${share}% of requests, priority ${top}, weight ${weight})` });
    } else if (num(m.priority, 1) !== top) {
      out.push({ kind: 'pool', id: change.id, message: `member '${id}' (priority ${num(m.priority, 1)}) is about to be removed: the pool loses that failover capacity` });
    }
  }
  return out;
}

export function toPlanView(plan: Plan, planId: string): PlanView {
  return {
    planId,
    createdAt: plan.createdAt,
    target: plan.target,
    prune: plan.prune,
    changes: plan.changes.map((c) => ({
      kind: c.kind,
      id: c.id,
      action: c.action,
      fields: c.fields.map(maskField),
      ...(c.note ? { note: c.note } : {}),
      ...(c.touches ? { touches: c.touches } : {}),
      ...(c.keeps ? { keeps: c.keeps } : {}),
      ...(c.preview ? { preview: c.preview, apiVersion: c.apiVersion } : {}),
    })),
    warnings: plan.changes.flatMap(removedMemberWarnings),
    blockers: plan.blockers,
    notes: plan.notes,
  };
}
