import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/*
 * A hand-made upstream on 127.0.0.1 that answers with the exact bytes a test gives, for what node's own HTTP server
 * would not send: a Connection header naming other headers, a body cut after the headers, no answer at all.
 * It reads each request (head + Content-Length body) and tells the test when it arrived, so tests wait for that
 * event instead of sleeping.
 */

/** What to do with the n-th request (0-based): write `bytes` (if any), then keep the socket, end it, or hang. */
export type RawAnswer = { bytes?: string; then: 'keep' | 'end' | 'hang' };

export interface RawUpstream {
  url: string;
  /** The head (request line + headers) of each request received, in order. */
  received: string[];
  /** Resolves once `n` requests have arrived. */
  arrived(n: number): Promise<void>;
  close(): Promise<void>;
}

/** A status line + headers + body with its Content-Length (unless `headers` sets its own). */
export function response(status: string, headers: [string, string][], body: string): string {
  const all = headers.some(([n]) => n.toLowerCase() === 'content-length') ? headers : [...headers, ['Content-Length', String(Buffer.byteLength(body))] as [string, string]];
  return `HTTP/1.1 ${status}\r\n${all.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${body}`;
}

export async function startRawUpstream(answer: (n: number) => RawAnswer): Promise<RawUpstream> {
  const received: string[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // the gateway cutting a try is part of some tests
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        buf = buf.subarray(end + 4 + length);
        received.push(head);
        for (const w of waiting.filter((x) => received.length >= x.n)) w.resolve();
        const a = answer(received.length - 1);
        if (a.bytes !== undefined) socket.write(a.bytes);
        if (a.then === 'end') socket.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/openai`,
    received,
    arrived: (n) => (received.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve }))),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
