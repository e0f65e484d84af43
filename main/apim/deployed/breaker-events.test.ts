import { describe, expect, it } from 'vitest';
import { CLOSED, OPENED, parsePeekedMessages, readBreakerEvents, type FetchLike } from './breaker-events';

/*
 * Event Grid breaker events peeked from a Storage queue: which messages count, their order, the Peek Messages
 * request (URL, token, version) and the errors in words.
 */

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');
const event = (eventType: string, backend: string, eventTime: string) => ({ eventType, eventTime, subject: `/backends/${backend}`, data: { backendName: backend } });
const peeked = (...texts: string[]) => `<?xml version="1.0" encoding="utf-8"?><QueueMessagesList>${texts.map((t, i) => `<QueueMessage><MessageId>${i}</MessageId><MessageText>${t}</MessageText></QueueMessage>`).join('')}</QueueMessagesList>`;

describe('parsePeekedMessages', () => {
  it('keeps Opened/Closed events with a backend and a time, in time order, single or batched', () => {
    const xml = peeked(
      b64(event(CLOSED, 'east', '2026-11-25T10:06:00+01:00')),
      b64([event(OPENED, 'west', '2026-11-25T09:05:30Z'), event(OPENED, 'east', '2026-11-25T09:04:00Z')]),
      // Other APIM events routed to the same queue, and incomplete ones, are skipped.
      b64(event('Microsoft.ApiManagement.BackendUpdated', 'east', '2026-11-25T09:00:00Z')),
      b64({ eventType: OPENED, eventTime: '2026-11-25T09:00:00Z', data: {} }),
      b64({ eventType: OPENED, data: { backendName: 'east' } }),
      b64('not json'),
    );
    expect(parsePeekedMessages(xml)).toEqual([
      { type: 'opened', backend: 'east', at: '2026-11-25T09:04:00.000Z' },
      { type: 'opened', backend: 'west', at: '2026-11-25T09:05:30.000Z' },
      { type: 'closed', backend: 'east', at: '2026-11-25T09:06:00.000Z' },
    ]);
  });
});

function recordingFetch(status: number, body: string) {
  const seen: { url: string; headers: Record<string, string> }[] = [];
  const fetchImpl: FetchLike = async (url, init) => {
    seen.push({ url, headers: init.headers });
    return { status, text: async () => body };
  };
  return { seen, fetchImpl };
}

describe('readBreakerEvents', () => {
  it('peeks up to 32 messages with the Entra token and the queue service version', async () => {
    const { seen, fetchImpl } = recordingFetch(200, peeked(b64(event(OPENED, 'east', '2026-11-25T09:04:00Z'))));
    expect(await readBreakerEvents('https://stbb.queue.core.windows.net/breaker-events//', 'tok-123', fetchImpl)).toEqual([{ type: 'opened', backend: 'east', at: '2026-11-25T09:04:00.000Z' }]);
    expect(seen).toEqual([{ url: 'https://stbb.queue.core.windows.net/breaker-events/messages?peekonly=true&numofmessages=32', headers: { authorization: 'Bearer tok-123', 'x-ms-version': '2021-08-06' } }]);
  });

  it('403 names the role to ask for; other errors give the status', async () => {
    const q = 'https://stbb.queue.core.windows.net/breaker-events';
    await expect(readBreakerEvents(q, 't', recordingFetch(403, '<Error/>').fetchImpl)).rejects.toThrow(
      new Error(`reading breaker events from ${q}: 403 (your sign-in needs "Storage Queue Data Reader" on the queue)`),
    );
    await expect(readBreakerEvents(q, 't', recordingFetch(400, '<Error/>').fetchImpl)).rejects.toThrow(new Error(`reading breaker events from ${q}: HTTP 400`));
    await expect(readBreakerEvents(q, 't', recordingFetch(503, '').fetchImpl)).rejects.toThrow(new Error(`reading breaker events from ${q}: HTTP 503`));
    expect(await readBreakerEvents(q, 't', recordingFetch(399, peeked()).fetchImpl)).toEqual([]);
  });
});
