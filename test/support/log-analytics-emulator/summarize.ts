import { readFileSync } from 'node:fs';

/*
 * What the emulator computes for each query kind, the way the KQL in main/apim/deployed/kql.ts defines it: bins of
 * TimeGenerated, counts, means, sums, the 90th percentile of the ingestion delay. Rows come from a recorded table
 * in the query API's own shape (columns + rows); `_IngestionSeconds` is the emulator's stand-in for ingestion_time().
 */

export interface RecordedTable {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

type Row = Record<string, unknown>;
type Table = { columns: { name: string; type: string }[]; rows: unknown[][] };

const objects = (t: RecordedTable): Row[] => t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c.name, r[i]])));

export function loadRecordedTables(path: string | URL): { gateway: RecordedTable; llm?: RecordedTable } {
  return JSON.parse(readFileSync(path, 'utf8')) as { gateway: RecordedTable; llm?: RecordedTable };
}

const binOf = (t: number, seconds: number) => Math.floor(t / (seconds * 1000)) * seconds * 1000;

/** Every TimeGenerated moved by the same amount, so the newest row lands at `newestAt`. */
function shifted(ws: { gateway: RecordedTable; llm?: RecordedTable }, newestAt: number): { gateway: RecordedTable; llm?: RecordedTable } {
  const col = (t: RecordedTable) => t.columns.findIndex((c) => c.name === 'TimeGenerated');
  const newest = Math.max(...ws.gateway.rows.map((r) => Date.parse(String(r[col(ws.gateway)]))));
  const move = (t: RecordedTable): RecordedTable => {
    const i = col(t);
    return { columns: t.columns, rows: t.rows.map((r) => r.map((v, j) => (j === i ? new Date(Date.parse(String(v)) + newestAt - newest).toISOString() : v))) };
  };
  return { gateway: move(ws.gateway), ...(ws.llm ? { llm: move(ws.llm) } : {}) };
}

export function summarize(query: string, span: { from: number; to: number }, recorded: { gateway: RecordedTable; llm?: RecordedTable }, newestAt?: number): Table | undefined {
  const ws = newestAt === undefined ? recorded : shifted(recorded, newestAt);
  const kind = /^\/\/ breakerboard:(\w+)/.exec(query)?.[1];
  const resource = /_ResourceId =~ '([^']*)'/.exec(query)?.[1]?.toLowerCase();
  const bin = Number(/bin\(TimeGenerated, (\d+)s\)/.exec(query)?.[1] ?? 0);
  const inRange = (r: Row) => {
    const t = Date.parse(String(r.TimeGenerated));
    return t >= span.from && t < span.to && (resource === undefined || String(r._ResourceId ?? '').toLowerCase() === resource);
  };
  const gateway = objects(ws.gateway).filter(inRange);
  if (kind === 'traffic' && bin > 0) {
    const groups = new Map<string, { at: number; backend: string; status: number; n: number; time: number; reason: string }>();
    for (const r of gateway) {
      const at = binOf(Date.parse(String(r.TimeGenerated)), bin);
      const backend = String(r.BackendId ?? '');
      const status = Number(backend === '' ? r.ResponseCode : r.BackendResponseCode);
      const key = `${at}|${backend}|${status}`;
      const g = groups.get(key) ?? { at, backend, status, n: 0, time: 0, reason: '' };
      g.n++;
      g.time += Number(r.BackendTime ?? 0);
      if (r.LastErrorReason) g.reason = String(r.LastErrorReason);
      groups.set(key, g);
    }
    const rows = [...groups.values()].sort((a, b) => a.at - b.at).map((g) => [new Date(g.at).toISOString(), g.backend, g.status, g.n, g.time / g.n, g.reason]);
    return {
      columns: [
        { name: 'at', type: 'datetime' },
        { name: 'backend', type: 'string' },
        { name: 'status', type: 'int' },
        { name: 'requests', type: 'long' },
        { name: 'backendTimeMs', type: 'real' },
        { name: 'lastErrorReason', type: 'string' },
      ],
      rows,
    };
  }
  if (kind === 'tokens' && bin > 0) {
    const backendOf = new Map(gateway.map((r) => [String(r.CorrelationId), String(r.BackendId ?? '')]));
    const groups = new Map<string, { at: number; backend: string; p: number; c: number }>();
    for (const r of objects(ws.llm ?? { columns: [], rows: [] }).filter(inRange)) {
      const backend = backendOf.get(String(r.CorrelationId));
      if (backend === undefined) continue;
      const at = binOf(Date.parse(String(r.TimeGenerated)), bin);
      const key = `${at}|${backend}`;
      const g = groups.get(key) ?? { at, backend, p: 0, c: 0 };
      g.p += Number(r.PromptTokens ?? 0);
      g.c += Number(r.CompletionTokens ?? 0);
      groups.set(key, g);
    }
    return {
      columns: [
        { name: 'at', type: 'datetime' },
        { name: 'backend', type: 'string' },
        { name: 'promptTokens', type: 'long' },
        { name: 'completionTokens', type: 'long' },
      ],
      rows: [...groups.values()].sort((a, b) => a.at - b.at).map((g) => [new Date(g.at).toISOString(), g.backend, g.p, g.c]),
    };
  }
  if (kind === 'delay') {
    const delays = gateway.map((r) => Number(r._IngestionSeconds ?? 0)).sort((a, b) => a - b);
    const p90 = delays.length === 0 ? null : delays[Math.min(delays.length - 1, Math.ceil(0.9 * delays.length) - 1)]!;
    const newest = gateway.reduce<string | null>((m, r) => (m === null || String(r.TimeGenerated) > m ? String(r.TimeGenerated) : m), null);
    return { columns: [{ name: 'delaySeconds', type: 'real' }, { name: 'newest', type: 'datetime' }], rows: [[p90, newest]] };
  }
  return undefined;
}
