import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * A request and a response as node's http server hands them to a handler, reduced to what the gateway's own
 * endpoints use (url, method, data/end/close events, resume; writeHead, write, end, destroy, writableLength). Lets a unit
 * test drive a handler without a socket: chunk sizes, a stalled reader's buffer and which side closes first are
 * chosen by the test, exactly.
 */
export class FakeRequest extends EventEmitter {
  constructor(
    readonly method: string | undefined,
    readonly url: string | undefined,
  ) {
    super();
  }

  /** Whether the handler let the rest of the body flow by unread (`resume()`). */
  resumed = false;

  resume(): this {
    this.resumed = true;
    return this;
  }

  /** Sends the body in the given chunks, then ends it. */
  send(...chunks: (string | Buffer)[]): void {
    for (const c of chunks) this.emit('data', Buffer.isBuffer(c) ? c : Buffer.from(c));
    this.emit('end');
  }

  get asIncoming(): IncomingMessage {
    return this as unknown as IncomingMessage;
  }
}

export class FakeResponse extends EventEmitter {
  status = 0;
  headers: Record<string, string> = {};
  readonly chunks: string[] = [];
  headersSent = false;
  ended = false;
  destroyed = false;
  /** What a real response has queued for a client that does not read; set by the test. */
  writableLength = 0;

  writeHead(status: number, headers: Record<string, string | number> | string[] = {}): this {
    this.status = status;
    const pairs: [string, string | number][] = Array.isArray(headers) ? headers.flatMap((v, i) => (i % 2 ? [] : [[v, headers[i + 1]!] as [string, string]])) : Object.entries(headers);
    for (const [k, v] of pairs) this.headers[k.toLowerCase()] = String(v);
    this.headersSent = true;
    return this;
  }

  write(chunk: string | Buffer): boolean {
    this.chunks.push(String(chunk));
    return true;
  }

  end(chunk?: string | Buffer): this {
    if (chunk !== undefined) this.chunks.push(String(chunk));
    this.ended = true;
    return this;
  }

  destroy(): this {
    this.destroyed = true;
    return this;
  }

  get body(): string {
    return this.chunks.join('');
  }

  json(): unknown {
    return JSON.parse(this.body);
  }

  get asServer(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}
