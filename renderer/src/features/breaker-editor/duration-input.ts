/*
 * What a typed duration means (issue 15 item 8): ISO 8601 as APIM takes it (`PT1M`, any case), or the shorthand
 * people type (`1m`, `30s`, `2h`, `1d`), read as the ISO text it stands for. Anything else is kept exactly as typed
 * — never upper-cased into "1M" — so the validation message quotes the user's own text.
 */
const SHORT = /^(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)$/i;

export interface DurationInput {
  /** What goes into the workspace. */
  value: string;
  /** Set when the text was shorthand: how it was read. */
  readAs?: string;
}

export function readDurationInput(text: string): DurationInput {
  const t = text.trim();
  if (/^p/i.test(t)) return { value: t.toUpperCase() };
  const m = SHORT.exec(t);
  if (!m) return { value: t };
  const n = m[1]!;
  const unit = m[2]!.toLowerCase()[0];
  const value = unit === 'd' ? `P${n}D` : `PT${n}${unit === 's' ? 'S' : unit === 'm' ? 'M' : 'H'}`;
  return { value, readAs: value };
}
