import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../../shared/model';
import type { BreakerEvent } from './breaker-events';
import { DEFAULT_DELAY_SECONDS, readDeployedMonitor, type DeployedMonitorOptions } from './deployed-monitor';
import { delayQuery, tokensQuery, trafficQuery } from './kql';
import type { LogsReader, Row } from './log-analytics';

/*
 * One reading of the deployed service with a stand-in LogsReader answering per query kind: the time range and
 * buckets, the measured ingestion delay and its fallback (F-OBS-6), the notes, and the breaker events in range.
 */

const NOW = Date.parse('2026-11-25T10:15:00.000Z');
const FROM = '2026-11-25T10:00:00.000Z';
const ws = { version: 1, backends: {}, pools: { pool: { services: [{ backend: 'east' }, { backend: 'west' }] } } } as Workspace;

type Answers = { traffic?: Row[]; tokens?: Row[] | Error; delay?: Row[] };

function reader(a: Answers) {
  const asked: { workspaceId: string; kql: string; startTime: string; endTime: string }[] = [];
  const logs: LogsReader = {
    query: async (workspaceId, kql, since) => {
      asked.push({ workspaceId, kql, startTime: since.startTime.toISOString(), endTime: since.endTime.toISOString() });
      const kind = /^\/\/ breakerboard:(\w+)/.exec(kql)![1] as keyof Answers;
      const answer = a[kind] ?? [];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { asked, logs };
}

const read = (a: Answers, extra: Partial<DeployedMonitorOptions> = {}) => {
  const r = reader(a);
  return { asked: r.asked, report: readDeployedMonitor({ logs: r.logs, workspaceId: 'law-guid', workspace: ws, sinceSeconds: 900, now: () => NOW, ...extra }) };
};

describe('readDeployedMonitor', () => {
  it('queries the range in 30 s buckets for the service, and reports buckets, openings and the measured delay', async () => {
    const traffic = [
      { at: '2026-11-25T10:05:00Z', backend: 'east', status: 429, requests: 3 },
      { at: '2026-11-25T10:05:00Z', backend: 'west', status: 200, requests: 12 },
      { at: '2026-11-25T10:05:30Z', backend: 'west', status: 200, requests: 15 },
    ];
    const { asked, report } = read({ traffic, delay: [{ delaySeconds: 137.6, newest: '2026-11-25T10:13:00Z' }] }, { serviceResourceId: '/s/my-apim' });
    expect(await report).toEqual({
      buckets: [
        { at: '2026-11-25T10:05:00.000Z', backends: { east: { requests: 3, status: { '429': 3 } }, west: { requests: 12, status: { '200': 12 } } } },
        { at: '2026-11-25T10:05:30.000Z', backends: { west: { requests: 15, status: { '200': 15 } } } },
      ],
      delaySeconds: 138,
      bucketSeconds: 30,
      from: FROM,
      to: '2026-11-25T10:15:00.000Z',
      incompleteAfter: '2026-11-25T10:12:42.000Z',
      workspaceId: 'law-guid',
      openings: [{ backend: 'east', pool: 'pool', at: '2026-11-25T10:05:30.000Z', until: null, evidence: '3 × 429/5xx at 2026-11-25T10:05:00.000Z, then no traffic while the pool served' }],
      breakerEvents: null,
      notes: [],
    });
    const span = { workspaceId: 'law-guid', startTime: FROM, endTime: '2026-11-25T10:15:00.000Z' };
    expect(asked).toEqual([
      { ...span, kql: trafficQuery(30, '/s/my-apim') },
      { ...span, kql: tokensQuery(30, '/s/my-apim') },
      { ...span, kql: delayQuery('/s/my-apim') },
    ]);
  });

  it('no rows in the range: Azure’s typical upper bound, with a note — whether the delay row is missing or null', async () => {
    const note = "no gateway log rows in the last 900 s; the ingestion delay shown is Azure's typical upper bound";
    // Summarize without `by` over nothing still answers one row, its aggregates null.
    for (const delay of [[], [{ delaySeconds: null, newest: null }]]) {
      const report = await read({ delay }).report;
      expect([report.delaySeconds, report.incompleteAfter, report.notes]).toEqual([DEFAULT_DELAY_SECONDS, '2026-11-25T10:12:00.000Z', [note]]);
    }
  });

  it('a measured delay of zero or less is not believed (the upper bound again), without the no-rows note', async () => {
    for (const delaySeconds of [0, -4, '0']) {
      const report = await read({ delay: [{ delaySeconds }] }).report;
      expect([report.delaySeconds, report.notes]).toEqual([DEFAULT_DELAY_SECONDS, []]);
    }
    expect((await read({ delay: [{ delaySeconds: '41.2' }] }).report).delaySeconds).toBe(41);
  });

  it('a failing tokens query is a note, the rest of the reading stands', async () => {
    const report = await read({ traffic: [{ at: FROM, backend: 'east', status: 200, requests: 1 }], tokens: new Error('table ApiManagementGatewayLlmLog not found'), delay: [{ delaySeconds: 60 }] }).report;
    expect(report.notes).toEqual(['no token counts: table ApiManagementGatewayLlmLog not found (ApiManagementGatewayLlmLog needs the GatewayLlmLogs category)']);
    expect(report.buckets).toEqual([{ at: FROM, backends: { east: { requests: 1, status: { '200': 1 } } } }]);
  });

  it('breaker events: those from the start of the range on; unreadable ones are a note', async () => {
    const events: BreakerEvent[] = [
      { type: 'opened', backend: 'east', at: '2026-11-25T09:59:59.999Z' },
      { type: 'opened', backend: 'east', at: FROM },
      { type: 'closed', backend: 'east', at: '2026-11-25T10:01:00.000Z' },
    ];
    const ok = await read({ delay: [{ delaySeconds: 60 }] }, { breakerEvents: async () => events }).report;
    expect(ok.breakerEvents).toEqual(events.slice(1));
    expect(ok.notes).toEqual([]);
    const failed = await read(
      { delay: [{ delaySeconds: 60 }] },
      {
        breakerEvents: async () => {
          throw new Error('reading breaker events from q: HTTP 500');
        },
      },
    ).report;
    expect([failed.breakerEvents, failed.notes]).toEqual([null, ['reading breaker events from q: HTTP 500']]);
  });
});
