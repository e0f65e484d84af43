import { describe, expect, it, vi } from 'vitest';
import { createHttpTransport, type ConnectionState } from './http-transport';

const sseResponse = (chunks: string[]) =>
  new Response(
    new ReadableStream({
      start(c) {
        for (const ch of chunks) c.enqueue(new TextEncoder().encode(ch));
        c.close();
      },
    }),
    { status: 200, headers: { 'content-type': 'text/event-stream' } },
  );

describe('HTTP transport (serve mode)', () => {
  it('posts calls with the bearer token and JSON, and returns the envelope whatever the status', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ ok: false, error: { code: 'bad-request', message: 'x' } }), { status: 400 }));
    const t = createHttpTransport({ baseUrl: 'http://127.0.0.1:1', token: 'tok', fetch: fetch as never });
    expect(await t.call('workspace', 'open', { path: 'a' })).toEqual({ ok: false, error: { code: 'bad-request', message: 'x' } });
    expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:1/api/workspace/open', expect.objectContaining({
      method: 'POST',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
      body: '{"path":"a"}',
    }));
  });

  it('answers "unavailable" when the server is gone', async () => {
    const t = createHttpTransport({ baseUrl: 'http://x', token: 't', fetch: (async () => { throw new TypeError('fetch failed'); }) as never });
    expect(await t.call('app', 'info', undefined)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('reads events from one authorised stream, reconnects when it ends, stops on 401', async () => {
    const responses = [
      sseResponse(['event: app.command\ndata: {"command":"save"}\n\n']),
      sseResponse(['event: app.command\ndata: {"command":"undo"}\n\n']),
      new Response('{}', { status: 401 }),
    ];
    const fetch = vi.fn(async () => responses.shift()!);
    const t = createHttpTransport({ baseUrl: 'http://x', token: 'tok', fetch: fetch as never, retryDelays: [1] });
    const states: ConnectionState[] = [];
    t.onConnection((s) => states.push(s));
    const got: unknown[] = [];
    t.subscribe('app', 'command', (p) => got.push(p));
    await vi.waitFor(() => expect(states.at(-1)).toBe('unauthorized'));
    expect(got).toEqual([{ command: 'save' }, { command: 'undo' }]);
    expect(states).toEqual(['online', 'reconnecting', 'online', 'reconnecting', 'unauthorized']);
    expect(fetch.mock.calls[0]).toEqual(['http://x/api/events', expect.objectContaining({ headers: { authorization: 'Bearer tok' } })]);
    t.close();
  });
});
