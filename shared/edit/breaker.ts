import type { Backend, BreakerRule, FailureCondition, StatusRange, Workspace } from '../model/schema';
import { BREAKER_PRESETS, DEFAULT_RULE_NAME, STATUS_PRESETS } from './presets';
import { done, refused, type EditResult } from './result';

/*
 * Circuit breaker edits on one backend. APIM honours one rule per backend (APIM-SEMANTICS §2), so these edit
 * `circuitBreaker.rules[0]`, and keep any further rules a hand-written file may have (validation reports them).
 */

export const ruleOf = (ws: Workspace, backendId: string): BreakerRule | undefined => ws.backends?.[backendId]?.circuitBreaker?.rules?.[0];

function withRule(ws: Workspace, backendId: string, rule: BreakerRule | undefined): Workspace {
  const backend = ws.backends?.[backendId];
  if (!backend) return ws;
  const rest = backend.circuitBreaker?.rules?.slice(1) ?? [];
  const next: Backend = { ...backend };
  if (rule) next.circuitBreaker = { rules: [rule, ...rest] };
  else if (rest.length > 0) next.circuitBreaker = { rules: rest };
  else delete next.circuitBreaker;
  return { ...ws, backends: { ...ws.backends, [backendId]: next } };
}

/** Sets (or with undefined removes) the backend's rule. */
export function setBreakerRule(ws: Workspace, backendId: string, rule: BreakerRule | undefined): Workspace {
  if (ruleOf(ws, backendId) === rule) return ws;
  return withRule(ws, backendId, rule);
}

/** Applies a named preset; the rule keeps its name when it has one. */
export function applyBreakerPreset(ws: Workspace, backendId: string, presetId: string): EditResult {
  const preset = BREAKER_PRESETS.find((p) => p.id === presetId);
  if (!preset) return refused(`unknown breaker preset "${presetId}"`);
  if (!ws.backends?.[backendId]) return refused(`there is no backend "${backendId}"`);
  const name = ruleOf(ws, backendId)?.name ?? DEFAULT_RULE_NAME;
  // Deep copies: the preset objects are shared constants and must never end up inside a workspace.
  return done(withRule(ws, backendId, JSON.parse(JSON.stringify({ name, ...preset.rule })) as BreakerRule));
}

export type RulePatch = Partial<Pick<BreakerRule, 'name' | 'tripDuration' | 'acceptRetryAfter'>> &
  Partial<Pick<FailureCondition, 'interval' | 'statusCodeRanges' | 'errorReasons'>>;

/** Changes fields of the existing rule (no-op without one); undefined removes an optional field. */
export function updateBreakerRule(ws: Workspace, backendId: string, patch: RulePatch): Workspace {
  const rule = ruleOf(ws, backendId);
  if (!rule) return ws;
  const { interval, statusCodeRanges, errorReasons, ...top } = patch;
  const cond: Record<string, unknown> = { ...rule.failureCondition };
  const next: Record<string, unknown> = { ...rule };
  const put = (obj: Record<string, unknown>, key: string, value: unknown) => {
    if (value === undefined) delete obj[key];
    else obj[key] = value;
  };
  if ('interval' in patch) put(cond, 'interval', interval);
  if ('statusCodeRanges' in patch) put(cond, 'statusCodeRanges', statusCodeRanges);
  if ('errorReasons' in patch) put(cond, 'errorReasons', errorReasons);
  for (const [k, v] of Object.entries(top)) put(next, k, v);
  next.failureCondition = cond;
  return withRule(ws, backendId, next as BreakerRule);
}

export type ThresholdKind = 'count' | 'percentage';

export function thresholdOf(rule: BreakerRule): { kind: ThresholdKind; value: number | undefined } {
  const c = rule.failureCondition;
  return c.percentage !== undefined && c.count === undefined ? { kind: 'percentage', value: c.percentage } : { kind: 'count', value: c.count };
}

/** Defaults when switching: APIM's documented example for count (3), an even half for percentage. */
const DEFAULT_THRESHOLD: Record<ThresholdKind, number> = { count: 3, percentage: 50 };

/**
 * Sets the trip threshold: count or percentage, exactly one (the schema requires it). Switching kind without a
 * value uses the default of the new kind; the value is stored as typed so validation can flag it at the field.
 */
export function setThreshold(ws: Workspace, backendId: string, kind: ThresholdKind, value?: number): Workspace {
  const rule = ruleOf(ws, backendId);
  if (!rule) return ws;
  const current = thresholdOf(rule);
  const v = value ?? (current.kind === kind && current.value !== undefined ? current.value : DEFAULT_THRESHOLD[kind]);
  const { count: _c, percentage: _p, ...cond } = rule.failureCondition;
  const failureCondition: FailureCondition = kind === 'count' ? { count: v, ...cond } : { percentage: v, ...cond };
  if (rule.failureCondition[kind] === v && rule.failureCondition[kind === 'count' ? 'percentage' : 'count'] === undefined) return ws;
  return withRule(ws, backendId, { ...rule, failureCondition });
}

/** Replaces the status ranges with a preset's. */
export function applyStatusPreset(ws: Workspace, backendId: string, presetId: string): Workspace {
  const preset = STATUS_PRESETS.find((p) => p.id === presetId);
  if (!preset) return ws;
  return updateBreakerRule(ws, backendId, { statusCodeRanges: preset.ranges.map((r) => ({ ...r })) });
}

/** Adds a range (kept sorted by min; a range already listed is not added twice). */
export function addStatusRange(ws: Workspace, backendId: string, range: StatusRange): Workspace {
  const rule = ruleOf(ws, backendId);
  if (!rule) return ws;
  const ranges = rule.failureCondition.statusCodeRanges ?? [];
  if (ranges.some((r) => r.min === range.min && r.max === range.max)) return ws;
  return updateBreakerRule(ws, backendId, { statusCodeRanges: [...ranges, { ...range }].sort((a, b) => a.min - b.min) });
}

export function removeStatusRange(ws: Workspace, backendId: string, index: number): Workspace {
  const ranges = ruleOf(ws, backendId)?.failureCondition.statusCodeRanges ?? [];
  if (index < 0 || index >= ranges.length) return ws;
  const next = ranges.filter((_, i) => i !== index);
  return updateBreakerRule(ws, backendId, { statusCodeRanges: next.length > 0 ? next : undefined });
}

export function addErrorReason(ws: Workspace, backendId: string, reason: string): Workspace {
  const text = reason.trim();
  const reasons = ruleOf(ws, backendId)?.failureCondition.errorReasons ?? [];
  if (!text || reasons.includes(text)) return ws;
  return updateBreakerRule(ws, backendId, { errorReasons: [...reasons, text] });
}

export function removeErrorReason(ws: Workspace, backendId: string, reason: string): Workspace {
  const reasons = ruleOf(ws, backendId)?.failureCondition.errorReasons ?? [];
  if (!reasons.includes(reason)) return ws;
  const next = reasons.filter((r) => r !== reason);
  return updateBreakerRule(ws, backendId, { errorReasons: next.length > 0 ? next : undefined });
}
