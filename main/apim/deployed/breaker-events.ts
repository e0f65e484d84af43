import { BREAKER_EVENT_TYPES } from '../../../shared/export/observability-bicep';

/*
 * APIM's Event Grid events `Microsoft.ApiManagement.CircuitBreaker.Opened` / `.Closed`, routed by the exported
 * observability Bicep to a Storage queue (shared/export/observability-bicep.ts). Read by peeking (GET
 * `messages?peekonly=true`, at most 32, nothing removed), so several viewers see the same events; the Bicep gives
 * messages a one-hour time to live so the queue's front stays recent. Messages are base64 JSON in the Event Grid
 * schema; `data.backendName` names the backend.
 */


// The same strings the exported Event Grid subscription filters on.
export const [OPENED, CLOSED] = BREAKER_EVENT_TYPES;
export const QUEUE_VERSION = '2021-08-06';
export const STORAGE_SCOPE = 'https://storage.azure.com/.default';

export interface BreakerEvent {
  type: 'opened' | 'closed';
  backend: string;
  at: string;
}

/** Parses a Peek Messages answer (XML) into breaker events; other event types and bad messages are skipped. */
export function parsePeekedMessages(xml: string): BreakerEvent[] {
  const out: BreakerEvent[] = [];
  for (const m of xml.matchAll(/<MessageText>([^<]*)<\/MessageText>/g)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8'));
    } catch {
      continue;
    }
    // Event Grid may deliver one event or an array of them.
    for (const e of Array.isArray(parsed) ? parsed : [parsed]) {
      const ev = e as { eventType?: string; eventTime?: string; data?: { backendName?: string } };
      if (ev.eventType !== OPENED && ev.eventType !== CLOSED) continue;
      if (!ev.data?.backendName || !ev.eventTime) continue;
      out.push({ type: ev.eventType === OPENED ? 'opened' : 'closed', backend: ev.data.backendName, at: new Date(ev.eventTime).toISOString() });
    }
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

export type FetchLike = (url: string, init: { headers: Record<string, string> }) => Promise<{ status: number; text(): Promise<string> }>;

/** Peeks the queue (`https://<account>.queue.core.windows.net/<queue>`) with an Entra token for Storage. */
export async function readBreakerEvents(queueUrl: string, token: string, fetchImpl: FetchLike): Promise<BreakerEvent[]> {
  const url = `${queueUrl.replace(/\/+$/, '')}/messages?peekonly=true&numofmessages=32`;
  const res = await fetchImpl(url, { headers: { authorization: `Bearer ${token}`, 'x-ms-version': QUEUE_VERSION } });
  const body = await res.text();
  if (res.status === 403) throw new Error(`reading breaker events from ${queueUrl}: 403 (your sign-in needs "Storage Queue Data Reader" on the queue)`);
  if (res.status >= 400) throw new Error(`reading breaker events from ${queueUrl}: HTTP ${res.status}`);
  return parsePeekedMessages(body);
}
