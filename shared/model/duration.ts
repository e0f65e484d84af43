import { parse as parseIso } from 'tinyduration';

/** Result of reading an ISO 8601 duration: milliseconds, or a message that says what is wrong. */
export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

/**
 * The longest duration the model accepts (P365D). APIM documents no maximum for `interval`, `tripDuration` or the
 * timeouts (they are .NET TimeSpans); Breakerboard states one so that every instant it computes (now + a
 * duration, divided by a drill's speed) stays a valid date and no breaker can be opened "forever" by a typo.
 * `Retry-After` values from backends are clamped to the same bound (docs/apim-fidelity.md, F-HARD-1/2).
 */
export const MAX_DURATION_MS = 365 * 86_400_000;
export const MAX_DURATION_TEXT = 'P365D';

const MS = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 } as const;

/**
 * Reads durations such as `PT1M` or `P1DT2H`. Years and months are refused: their length depends on the
 * calendar, and `P1M` is almost always a typo for `PT1M` (one minute), which a breaker would take as a month.
 */
export function parseDuration(text: unknown): DurationResult {
  if (typeof text !== 'string') return { ok: false, message: 'must be an ISO 8601 duration such as PT1M' };
  let d;
  try {
    d = parseIso(text);
  } catch {
    return { ok: false, message: `"${text}" is not an ISO 8601 duration (examples: PT30S, PT1M, PT1H)` };
  }
  if (d.negative) return { ok: false, message: 'must be greater than zero' };
  if (d.years || d.months) {
    const hint = /^P\d+M$/.test(text) ? ` (${text} is ${text.slice(1, -1)} month(s); write PT${text.slice(1)} for minutes)` : '';
    return { ok: false, message: `years and months are not allowed${hint}` };
  }
  const ms =
    (d.weeks ?? 0) * MS.weeks +
    (d.days ?? 0) * MS.days +
    (d.hours ?? 0) * MS.hours +
    (d.minutes ?? 0) * MS.minutes +
    (d.seconds ?? 0) * MS.seconds;
  if (!(ms > 0)) return { ok: false, message: 'must be greater than zero' };
  if (!(ms <= MAX_DURATION_MS)) return { ok: false, message: `must be at most ${MAX_DURATION_TEXT} (365 days), the longest duration Breakerboard accepts` };
  return { ok: true, ms: Math.round(ms) };
}

/** Milliseconds of a duration already known to be valid (validated workspaces only). */
export function durationMs(text: string): number {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(`invalid duration ${text}: ${r.message}`);
  return r.ms;
}

/** Short human form for explanations and logs: 90000 → "1 min 30 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const parts: string[] = [];
  let s = Math.round(ms / 1000);
  const units: [number, string][] = [[86400, 'd'], [3600, 'h'], [60, 'min'], [1, 's']];
  for (const [size, name] of units) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)} ${name}`);
      s %= size;
    }
  }
  return parts.join(' ');
}
