import { formatDuration, parseDuration } from '../../../../shared/model/duration';
import type { BreakerRule, StatusRange } from '../../../../shared/model/schema';
import { FIDELITY_ROWS, fidelityHref, type FidelityRowId } from '../../../../shared/semantics/fidelity';

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
  /** The rows of docs/apim-fidelity.md that decide this rule's behaviour, with their anchors. */
  rows: { id: FidelityRowId; title: string; href: string }[];
}

const row = (id: FidelityRowId) => ({ id, title: FIDELITY_ROWS[id], href: fidelityHref(id) });

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
  const whenNone = rule.failureResponse ? `${rule.failureResponse.statusCode} from this backend when an API calls it directly, the pool's answer when none is left` : '503 when none is left';
  const after = `While open, requests go to the pool's other members (${whenNone}); then the breaker closes fully, with no half-open probing. The failure window empties at the trip, so old failures cannot trip it again at once.`;
  const rows = [row(c.percentage !== undefined && c.count === undefined ? 'F-CB-2' : 'F-CB-1'), row('F-CB-6'), row('F-CB-3'), row('F-CB-5')];
  if (rule.acceptRetryAfter) rows.splice(3, 0, row('F-CB-4'));
  if (rule.failureResponse) rows.push(row('F-CB-7'));
  return { sentence: `${trigger} → ${open}`, failures, after, rows };
}
