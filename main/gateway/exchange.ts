import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { isFailure, parseRetryAfter, retryAfterSeconds, shouldRetry, type Outcome, type RouteApi, type Router, type TargetState } from '../../shared/semantics';
import { affinityCookie, stickyMember } from './apim-answers';
import type { BackendMeter } from './backend-meter';
import type { HeaderPair } from './credentials';
import type { GatewayEngine } from './engine';
import { HOP_BY_HOP, isGatewayHeader, sendError, stripListed, transportReason } from './http-util';
import type { TokenTicket } from './token-limit';
import { UsageScanner } from './usage';

/*
 * One client request through the gateway (STYLE rule 6): pick → breaker check → undici dispatch, with the
 * response streamed back chunk by chunk. Retries (B8) are decided on the status line, before any byte reaches the
 * client, from a body kept in memory up to `retryBufferBytes`. The undici handler is a plain object per try (the
 * legacy callback API, which undici's core calls without wrapping, with raw header arrays), so a request costs a
 * handful of objects: the exchange with its three listeners, one handler per try, the forwarded header list.
 */

export type AccessLogEntry = { at: string; method: string; path: string; api: string; status: number; backend: string | null; attempts: number; ms: number; code?: string };

export class Exchange {
  attempts = 0;
  body: Buffer | null = null;
  clientGone = false;
  done = false;
  lastBackend: string | null = null;
  current: Attempt | null = null;
  /** Set when the API has a token limit or metric (main/gateway/token-limit). */
  tokens: TokenTicket | undefined;
  readonly t0: number;
  readonly target: TargetState;
  /** The client's headers to forward (flat name/value list, hop-by-hop and credentials already dropped). */
  headers: string[];
  /** Length of the client's part of `headers`; the backend credential is appended after it per try. */
  private readonly ownHeaders: number;

  constructor(
    readonly engine: GatewayEngine,
    readonly router: Router,
    readonly api: RouteApi,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** The request target after the API prefix (path + query). */
    readonly rest: string,
    /** false: stream `req` through (no retry possible). */
    readonly buffered: boolean,
    headers: string[],
  ) {
    this.headers = headers;
    this.ownHeaders = headers.length;
    this.t0 = performance.now();
    this.target = router.targets.get(api.target.id)!;
    res.on('close', this.onClientClose);
  }

  private readonly onClientClose = (): void => {
    if (this.res.writableFinished) return;
    this.clientGone = true;
    // A try in flight ends in its onError, which logs the 499. With none in flight — the body still arriving, a
    // backend token still coming — nothing else would count or log this request.
    if (this.current?.active) this.current.abort();
    else this.finish(499, 'ClientClosedRequest');
  };

  private chunks: Buffer[] = [];
  private size = 0;

  /** Reads the whole body into memory (up to `max` bytes, else 413), then starts the first try. */
  readBody(max: number): void {
    this.maxBody = max;
    this.req.on('data', this.onBodyChunk);
    this.req.on('end', this.onBodyEnd);
  }

  private maxBody = 0;

  private readonly onBodyChunk = (chunk: Buffer): void => {
    this.size += chunk.length;
    if (this.size > this.maxBody) {
      this.req.removeListener('data', this.onBodyChunk);
      this.req.removeListener('end', this.onBodyEnd);
      this.engine.gatewayError('RequestTooLarge');
      sendError(this.res, 413, 'RequestTooLarge', `request body over ${this.maxBody} bytes`, ['connection', 'close']);
      this.finish(413, 'RequestTooLarge');
      return;
    }
    this.chunks.push(chunk);
  };

  private readonly onBodyEnd = (): void => {
    this.body = this.chunks.length === 1 ? this.chunks[0]! : this.chunks.length === 0 ? null : Buffer.concat(this.chunks);
    this.chunks = [];
    if (this.clientGone) return;
    if (this.tokens && !this.tokens.admitWithBody()) return;
    const first = this.target.choose(this.engine.now());
    if (first < 0) this.noBackend();
    else this.start(first);
  };

  /** The member the session cookie names (F-ROUTE-6), when the pool has session affinity; -1 otherwise. */
  sticky = -1;

  /** First try, with the body already read (buffered) or streaming. */
  start(first: number): void {
    const cookie = this.api.target.affinityCookie;
    if (cookie !== undefined) {
      this.sticky = stickyMember(this.req.headers.cookie, cookie, this.api.target.members);
      // A session stays on its member while that member's breaker is closed; otherwise the pool's pick stands.
      if (this.sticky >= 0 && this.target.breakers[this.sticky]!.isOpen(this.engine.now())) this.sticky = -1;
      if (this.sticky >= 0) first = this.sticky;
    }
    this.send(first);
  }

  /**
   * Nothing can take the request (B7): the pool's answer — 503 NoHealthyBackend, or the `failureResponse` status —
   * both before any call (attempts 0) and when a retry finds every member open (F-ROUTE-4, F-RETRY-4).
   */
  noBackend(): void {
    const ms = this.target.msUntilAvailable(this.engine.now());
    const secs = retryAfterSeconds(ms);
    const status = this.api.target.failureStatus;
    this.engine.gatewayError('NoHealthyBackend');
    const what = this.api.target.kind === 'pool' ? `every member of pool ${this.api.target.id} is open` : `backend ${this.api.target.id} is open`;
    const extra = ['retry-after', String(secs), 'x-breakerboard-attempts', String(this.attempts)];
    if (this.lastBackend) extra.push('x-breakerboard-backend', this.lastBackend);
    sendError(this.res, status, 'NoHealthyBackend', `${what}; retry in ${secs} s`, extra);
    this.finish(status, 'NoHealthyBackend');
  }

  send(memberIndex: number): void {
    const backend = this.api.target.members[memberIndex]!.backend;
    const upstream = this.engine.upstreams.get(backend);
    const meter = this.engine.meters.get(backend);
    if (!upstream || !meter) return this.fail(502, 'BackendUnavailable', `backend ${backend} is not configured`);
    this.attempts++;
    this.lastBackend = backend;
    const cred = this.engine.credentials.header(backend);
    if (cred instanceof Promise) {
      cred.then(
        (pair) => (this.clientGone ? undefined : this.dispatch(backend, upstream.pool, upstream.basePath, meter, pair)),
        (err: Error) => this.fail(502, 'BackendUnavailable', `could not get a token for ${backend}: ${err.message.split('\n')[0]}`),
      );
      return;
    }
    this.dispatch(backend, upstream.pool, upstream.basePath, meter, cred);
  }

  private dispatch(backend: string, pool: Dispatcher, base: string, meter: BackendMeter, cred: HeaderPair | null): void {
    // undici copies headers into its request when dispatch is called, so one array serves every try.
    const headers = this.headers;
    headers.length = this.ownHeaders;
    if (cred) headers.push(cred[0], cred[1]);
    const attempt = new Attempt(this, backend, meter);
    this.current = attempt;
    meter.inFlight++;
    pool.dispatch(
      {
        path: base + this.rest,
        method: this.req.method as Dispatcher.HttpMethod,
        headers,
        body: this.buffered ? this.body : this.req,
        headersTimeout: this.api.responseMs,
        bodyTimeout: this.api.responseMs,
      },
      attempt,
    );
  }

  /** After a try failed or answered a retry status: whether another try started (then the caller drops its answer). */
  retry(from: string, outcome: Outcome): boolean {
    if (this.clientGone || !shouldRetry(outcome, this.attempts, this.api.retryCount, this.api.retryOn, this.buffered)) return false;
    const next = this.target.choose(this.engine.now());
    // Nowhere to go (every member open): APIM's pool answers 503 (or its failureResponse), not the last answer.
    if (next < 0) {
      this.noBackend();
      return true;
    }
    const to = this.api.target.members[next]!.backend;
    this.engine.emit({ type: 'failover', backend: from, to, api: this.api.id, attempt: this.attempts + 1, at: this.engine.iso(), reason: 'failure' in outcome ? outcome.failure : String(outcome.status) });
    this.send(next);
    return true;
  }

  fail(status: number, code: 'BackendUnavailable' | 'BackendTimeout', message: string): void {
    this.engine.gatewayError(code);
    if (!this.clientGone) sendError(this.res, status, code, message, ['x-breakerboard-backend', this.lastBackend ?? '', 'x-breakerboard-attempts', String(this.attempts)]);
    this.finish(status, code);
  }

  finish(status: number, code?: string): void {
    if (this.done) return;
    this.done = true;
    this.engine.clientOutcome(status, this.attempts);
    const log = this.engine.accessLog;
    if (log) {
      const entry: AccessLogEntry = {
        at: this.engine.iso(),
        method: this.req.method ?? '',
        path: this.req.url ?? '',
        api: this.api.id,
        status,
        backend: this.lastBackend,
        attempts: this.attempts,
        ms: Math.round((performance.now() - this.t0) * 100) / 100,
        ...(code ? { code } : {}),
      };
      log(entry);
    }
  }
}

/** APIM's default response buffering: chunks are held up to 8 KB unless `buffer-response="false"` (F-STREAM-1). */
const RESPONSE_BUFFER_BYTES = 8 * 1024;

/** One try at one backend: an undici dispatch handler. */
class Attempt implements Dispatcher.DispatchHandler {
  private abortFn: ((err?: Error) => void) | null = null;
  private discard = false;
  private streaming = false;
  private ended = false;
  private resume: (() => void) | null = null;
  private usage: UsageScanner | null = null;
  /** Chunks held back while the API buffers its responses (not `stream: true`); null when streaming through. */
  private held: Buffer[] | null = null;
  private heldBytes = 0;
  private status = 0;
  private readonly t0 = performance.now();

  constructor(
    private readonly ex: Exchange,
    private readonly backend: string,
    private readonly meter: BackendMeter,
  ) {}

  /** Until the backend's answer (or failure) has ended. */
  get active(): boolean {
    return !this.ended;
  }

  abort(): void {
    this.abortFn?.(new Error('client closed the request'));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    if (this.ex.clientGone) abort(new Error('client closed the request'));
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    const ex = this.ex;
    const engine = ex.engine;
    const now = engine.now();
    const out: string[] = [];
    let retryAfter: string | undefined;
    let contentType: string | undefined;
    let connectionTokens: string | undefined;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toString('latin1');
      const lower = name.toLowerCase();
      if (isGatewayHeader(lower)) continue;
      const value = raw[i + 1]!.toString('latin1');
      if (HOP_BY_HOP.has(lower)) {
        // `keep-alive` / `close` are the usual values and name no header: skip the rare-path scan for them.
        if (lower === 'connection' && !/^(keep-alive|close)$/i.test(value)) connectionTokens = value;
        continue;
      }
      if (lower === 'retry-after') retryAfter = value;
      else if (lower === 'content-type') contentType = value;
      out.push(name, value);
    }
    const retryAfterRaw = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, now);
    const outcome: Outcome = { status: statusCode, retryAfterMs: retryAfterRaw === undefined ? undefined : retryAfterRaw / engine.speed };
    const rule = ex.router.breakers.get(this.backend)?.rule;
    this.meter.status(statusCode, rule ? isFailure(rule, outcome) : statusCode >= 500 || statusCode === 429);
    const change = ex.router.record(this.backend, now, outcome, retryAfterRaw);
    if (change) engine.breakerChanged(this.backend, change, retryAfterRaw);
    if (ex.retry(this.backend, outcome)) {
      // Another try runs; this answer is drained and dropped so its connection stays reusable.
      this.discard = true;
      return true;
    }
    this.status = statusCode;
    this.streaming = true;
    if (connectionTokens) stripListed(out, connectionTokens);
    out.push('x-breakerboard-backend', this.backend, 'x-breakerboard-attempts', String(ex.attempts));
    ex.tokens?.responseHeaders(out);
    const cookie = ex.api.target.affinityCookie;
    // The session sticks to the member that answered (F-ROUTE-6); a session already there needs no new cookie.
    if (cookie !== undefined && ex.api.target.members[ex.sticky]?.backend !== this.backend) {
      out.push('set-cookie', affinityCookie(cookie, this.backend));
    }
    this.held = ex.api.stream ? null : [];
    const kind = UsageScanner.kind(contentType);
    if (kind) this.usage = new UsageScanner(kind === 'sse');
    this.resume = resume;
    try {
      // Headers leave with the first chunk (one write, not two); node's server sockets have Nagle off, so a
      // stream's chunks still go out as they come.
      ex.res.writeHead(statusCode, statusText || undefined, out);
    } catch (err) {
      this.abortFn?.(err as Error);
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.discard) return true;
    this.usage?.push(chunk);
    const held = this.held;
    if (held) {
      held.push(chunk);
      this.heldBytes += chunk.length;
      if (this.heldBytes < RESPONSE_BUFFER_BYTES) return true;
      chunk = held.length === 1 ? held[0]! : Buffer.concat(held, this.heldBytes);
      held.length = 0;
      this.heldBytes = 0;
    }
    if (this.ex.res.write(chunk)) return true;
    this.ex.res.once('drain', this.resume!);
    return false;
  }

  onComplete(): void {
    if (this.ended) return;
    this.ended = true;
    this.meter.inFlight--;
    this.meter.latencyMs(performance.now() - this.t0);
    if (this.discard) return;
    const u = this.usage?.result();
    if (u) this.meter.tokens(u.prompt, u.completion);
    this.ex.tokens?.settle(u ?? null, this.backend);
    const held = this.held;
    if (held && held.length > 0) this.ex.res.end(held.length === 1 ? held[0] : Buffer.concat(held, this.heldBytes));
    else this.ex.res.end();
    this.ex.finish(this.status);
  }

  onError(err: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.meter.inFlight--;
    const ex = this.ex;
    if (this.discard) return; // the dropped answer of a retried try: already counted at its status line
    if (ex.clientGone) {
      this.meter.failure('client-abort', true);
      ex.finish(499, 'ClientClosedRequest');
      return;
    }
    if (this.streaming) {
      // Headers are out: the client can only see the stream cut. Counted, not a breaker outcome (B4 is about no response).
      this.meter.failure('body-error', true);
      // What was held back still goes out, so the client sees the status and the cut, as with a streamed API.
      const held = this.held;
      if (held && held.length > 0) ex.res.write(held.length === 1 ? held[0] : Buffer.concat(held, this.heldBytes), () => ex.res.destroy(err));
      else ex.res.destroy(err);
      ex.finish(this.status, 'BodyError');
      return;
    }
    const reason = transportReason(err);
    const outcome: Outcome = { failure: reason };
    this.meter.failure(reason);
    const change = ex.router.record(this.backend, ex.engine.now(), outcome);
    if (change) ex.engine.breakerChanged(this.backend, change, undefined);
    if (ex.retry(this.backend, outcome)) return;
    if (reason === 'timeout') ex.fail(504, 'BackendTimeout', `backend ${this.backend} did not answer in time (${err.message})`);
    else ex.fail(502, 'BackendUnavailable', `backend ${this.backend} gave no response (${(err as { code?: string }).code ?? err.message})`);
  }
}
