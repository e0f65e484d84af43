import type { Frame } from '../../store/monitor/monitor-buffers';

/*
 * The token metric per dimension for the Monitor: per second, the tokens (prompt + completion) of each value of
 * one dimension, the biggest few named and the rest summed as "other", so the chart stays readable whatever a
 * client sends in a header.
 */
export const OTHER_VALUES = '(other)';
export const EMPTY_VALUE = '(none)';

export interface TokenRows {
  keys: string[];
  rows: { t: number; v: Record<string, number> }[];
}

/** Dimension labels seen in the frames, in first-seen order (api and backend first: every series has them). */
export function dimensionLabels(frames: readonly Frame[]): string[] {
  const seen = new Set<string>(['api', 'backend']);
  for (const f of frames) for (const s of f.llm ?? []) for (const k of Object.keys(s.dimensions)) seen.add(k);
  return [...seen];
}

const valueOf = (s: NonNullable<Frame['llm']>[number], label: string) => (label === 'api' ? s.api : label === 'backend' ? s.backend : s.dimensions[label] ?? EMPTY_VALUE) || EMPTY_VALUE;

/** Tokens per second by value of `label`; the `top` values by total are kept, the others summed. */
export function tokenRows(frames: readonly Frame[], label: string, top = 6): TokenRows {
  const totals = new Map<string, number>();
  for (const f of frames) for (const s of f.llm ?? []) totals.set(valueOf(s, label), (totals.get(valueOf(s, label)) ?? 0) + s.prompt + s.completion);
  const kept = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top).map(([k]) => k);
  const keptSet = new Set(kept);
  const keys = totals.size > kept.length ? [...kept, OTHER_VALUES] : kept;
  const rows = frames.map((f) => {
    const v: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
    for (const s of f.llm ?? []) {
      const k = valueOf(s, label);
      v[keptSet.has(k) ? k : OTHER_VALUES]! += s.prompt + s.completion;
    }
    return { t: f.t, v };
  });
  return { keys, rows };
}
