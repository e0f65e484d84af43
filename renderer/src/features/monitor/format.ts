/* Number formats the Monitor shares, so cards, tooltips and the log read alike. */
export const fmtMs = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
export const fmtPct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v % 1 === 0 ? v : v.toFixed(1)} %`);
export const fmtRate = (v: number) => (v >= 100 ? Math.round(v).toString() : v.toFixed(1));
const trim = (s: string) => s.replace(/\.0$/, '');
export const fmtCount = (v: number) => (v >= 1_000_000 ? `${trim((v / 1_000_000).toFixed(1))} M` : v >= 1000 ? `${trim((v / 1000).toFixed(1))} k` : String(Math.round(v)));
/** Axis ticks: whole numbers stay whole (`12`, not `12.0`). */
export const fmtTick = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** `12 s`, `1:05`, `1:02:03` until a breaker closes; `0 s` once due (the reset event follows). */
export function fmtCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** `HH:MM:SS` in local time; by hand, since toLocaleTimeString costs an Intl lookup per call and the timeline makes hundreds. */
export const fmtClock = (t: number) => {
  const d = new Date(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
};
