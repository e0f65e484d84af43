import type { AccessLogEntry } from '../../main/gateway/exchange';

/** The gateway's access log as parsed entries, with a promise for the n-th line (tests wait for it, never sleep). */
export function accessLogTap(): { entries: AccessLogEntry[]; write: (line: string) => void; logged(n: number): Promise<AccessLogEntry[]> } {
  const entries: AccessLogEntry[] = [];
  const waiting: { n: number; resolve: (e: AccessLogEntry[]) => void }[] = [];
  return {
    entries,
    write(line) {
      entries.push(JSON.parse(line) as AccessLogEntry);
      for (const w of waiting.filter((x) => entries.length >= x.n)) w.resolve(entries);
    },
    logged: (n) => (entries.length >= n ? Promise.resolve(entries) : new Promise((resolve) => waiting.push({ n, resolve }))),
  };
}
