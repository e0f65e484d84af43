import { formatDuration, parseDuration } from '../../../../shared/model/duration';
import type { BreakerRule, StatusRange } from '../../../../shared/model/schema';

/** "PT1M" → "1 min"; an invalid duration is shown as written (validation marks its field). */
export function humanDuration(iso: string | undefined): string {
  const r = parseDuration(iso);
  return r.ok ? formatDuration(r.ms) : (iso ?? '?');
}

export function rangeText(r: StatusRange): string {
  return r.min === r.max ? `${r.min}` : `${r.min}–${r.max}`;
}

function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

export interface RuleExplanation {
  /** The rule in one line: "3 failures within 1 min → open for 1 min, or as long as Retry-After says". */
  sentence: string;
  /** What counts as a failure (APIM-SEMANTICS B4). */
  failures: string;
  /** What happens after (B5): closes fully, no probing. */
  after: string;
}

/** The rule in words, following APIM-SEMANTICS B3–B5 (what the local gateway does). */
export function explainRule(rule: BreakerRule): RuleExplanation {
  const c = rule.failureCondition;
  const within = humanDuration(c.interval);
  const trigger =
    c.percentage !== undefined && c.count === undefined
      ? `${c.percentage} % of responses failing within ${within} (with at least one failure)`
      : `${c.count ?? '?'} failure${c.count === 1 ? '' : 's'} within ${within}`;
  const open = `open for ${humanDuration(rule.tripDuration)}${rule.acceptRetryAfter ? ', or as long as Retry-After says' : ''}`;
  const ranges = (c.statusCodeRanges ?? []).map(rangeText);
  const failures = ranges.length
    ? `A failure is a response with status ${listText(ranges)}, or no response at all (timeout, connection failure).`
    : 'No status codes are counted: only requests that got no response at all (timeout, connection failure) are failures.';
  const after = `While open, requests go to the pool's other members (or get 503 when none is left); then the breaker closes fully, with no half-open probing.`;
  return { sentence: `${trigger} → ${open}`, failures, after };
}
