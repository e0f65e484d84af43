import { formatDuration, parseDuration } from '../../../../shared/model/duration';
import type { Backend } from '../../../../shared/model/schema';

/** A badge-sized summary of a backend's breaker: "breaker: 1 × 429 / 1 min". */
export function breakerSummary(backend: Backend | undefined): string {
  const rule = backend?.circuitBreaker?.rules?.[0];
  if (!rule) return 'no breaker';
  const c = rule.failureCondition;
  const what = (c.statusCodeRanges ?? []).map((r) => (r.min === r.max ? `${r.min}` : r.min === 500 && r.max === 599 ? '5xx' : `${r.min}–${r.max}`)).join('/') || 'no response';
  const interval = parseDuration(c.interval);
  const threshold = c.percentage !== undefined ? `${c.percentage} %` : `${c.count ?? '?'} ×`;
  return `breaker: ${threshold} ${what} / ${interval.ok ? formatDuration(interval.ms) : c.interval}`;
}
