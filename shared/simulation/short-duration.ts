import { parseDuration } from '../model/duration';

/**
 * The CLI's own duration flags take short forms (DESIGN §1: `--duration 30s`): `500ms`, `30s`, `2m`, `1h`, a
 * combination such as `1m30s`, or an ISO 8601 duration (`PT30S`). Returns milliseconds or a message.
 */
export function parseShortDuration(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const t = text.trim();
  if (/^P/i.test(t)) return parseDuration(t.toUpperCase());
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let ms = 0;
  let matched = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const n = Number(m[1]);
    ms += n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[m[2] as 'ms' | 's' | 'm' | 'h'];
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== t.length) return { ok: false, message: `"${text}" is not a duration (examples: 500ms, 30s, 2m, 1h, PT30S)` };
  if (!(ms > 0)) return { ok: false, message: 'must be greater than zero' };
  return { ok: true, ms: Math.round(ms) };
}
