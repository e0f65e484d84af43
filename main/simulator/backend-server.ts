import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FaultSpec } from '../../shared/simulation/faults';
import { latencySampler } from '../../shared/simulation/latency';
import { hashString, seededRandom, type Random } from '../../shared/simulation/prng';
import { SlidingBudget, type BudgetState } from '../../shared/simulation/rate-budget';
import { errorBody, throttleMessage } from './openai-shapes';
import type { ResolvedProfile } from './profile';
import { answer, answerCost, type AnswerContext } from './answer';
import { REAL_TIMERS, wait, type SimTimers } from './pacing';
import { matchRoute, OPERATION_NAMES, readJsonBody, type Route } from './routes';

export interface BackendOptions {
  id: string;
  profile: ResolvedProfile;
  host: string;
  port: number;
  seed: number;
  /**
   * Time compression for drills: latency, streaming pace and the budget window run `speed` times faster;
   * Retry-After stays in drill seconds (the gateway, started with the same speed, divides it).
   */
  speed: number;
  /** Monotonic clock in ms for the budget; tests may pass their own. */
  now?: () => number;
  /** Latency and streaming pace (default: real timers). */
  timers?: SimTimers;
  /** Extra routes served before the OpenAI paths (the standalone `simulate` command's fault endpoint). */
  extraRoute?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** The backend's Azure region: sent as `x-ms-region` on every answer, as Azure OpenAI does. */
  region?: string;
}

const MINUTE = 60_000;

/** One simulated Azure OpenAI deployment host: its own listener, budget, random streams and current fault. */
export class SimulatedBackend {
  readonly id: string;
  port: number;
  private fault: FaultSpec | null = null;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly budget: SlidingBudget;
  private readonly sampleLatency: () => number;
  private readonly errorRandom: Random;
  private readonly idRandom: Random;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly opts: BackendOptions) {
    this.id = opts.id;
    this.port = opts.port;
    this.now = opts.now ?? (() => performance.now());
    const base = hashString(opts.id, opts.seed);
    // Separate streams so that, e.g., switching on an error fault does not shift the latency sequence.
    this.sampleLatency = latencySampler(opts.profile.latencyMs, seededRandom(base ^ 0x1));
    this.errorRandom = seededRandom(base ^ 0x2);
    this.idRandom = seededRandom(base ^ 0x3);
    this.budget = new SlidingBudget({
      tokensPerWindow: opts.profile.tokensPerMinute,
      requestsPerWindow: opts.profile.requestsPerMinute,
      windowMs: MINUTE / opts.speed,
    });
  }

  get currentFault(): FaultSpec | null {
    return this.fault;
  }

  async start(): Promise<void> {
    await this.listen();
  }

  setFault(fault: FaultSpec): void {
    const wasOutage = this.fault?.type === 'outage';
    this.fault = fault;
    if (fault.type === 'outage' && !wasOutage) this.stopListening();
    if (fault.type !== 'outage' && wasOutage) this.relisten();
  }

  clearFault(): void {
    const wasOutage = this.fault?.type === 'outage';
    this.fault = null;
    if (wasOutage) this.relisten();
  }

  /* Back from an outage on the same port; if something grabbed it meanwhile, try again for a few seconds. */
  private relisten(attempt = 0): void {
    this.listen().catch(() => {
      this.server = undefined;
      if (attempt < 20 && !this.closed && this.fault?.type !== 'outage') setTimeout(() => this.relisten(attempt + 1), 250).unref();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const server = this.server;
    this.server = undefined;
    const done = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await done;
  }

  /* Outage = connection refused: the listener goes away and open keep-alive connections are cut. */
  private stopListening(): void {
    const server = this.server;
    this.server = undefined;
    server?.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private listen(): Promise<void> {
    if (this.closed || this.server) return Promise.resolve();
    const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.opts.host, () => {
        server.off('error', reject);
        const addr = server.address();
        if (addr && typeof addr === 'object') this.port = addr.port;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.opts.extraRoute?.(req, res)) return;
    if (this.opts.region) res.setHeader('x-ms-region', this.opts.region);
    const route = matchRoute(req.url ?? '/');
    if (!route) return send(res, 404, {}, errorBody('404', 'Resource not found'));
    if (req.method !== 'POST') return send(res, 405, { allow: 'POST' }, errorBody('405', 'Method not allowed; use POST.'));
    // A hang accepts the request and never answers: the client (or gateway timeout) must give up. On injected
    // timers (a drill in virtual time) it waits on them forever, so the clock knows the request is parked.
    if (this.fault?.type === 'hang') return void (req.resume(), this.opts.timers && wait(res, Infinity, this.opts.timers));
    const body = await readJsonBody(req);
    if (!body.ok) return send(res, body.status, {}, errorBody(String(body.status), body.message));
    const fault = this.fault;
    if (fault?.type === 'throttle') return this.throttled(res, route, 'tokens', fault.retryAfter * 1000, { remainingRequests: 0, remainingTokens: 0 });
    if (fault?.type === 'errors' && this.errorRandom() < fault.rate) {
      const status = fault.status ?? (this.errorRandom() < 0.5 ? 500 : 503);
      const [code, message] = status === 500 ? ['InternalServerError', 'The server had an error while processing your request. Sorry about that!'] : ['ServiceUnavailable', 'The service is temporarily unable to process your request. Please retry later.'];
      return send(res, status, {}, errorBody(code, message));
    }
    const ctx: AnswerContext = { route, body: body.value, profile: this.opts.profile, idRandom: this.idRandom, fault };
    const cost = answerCost(ctx);
    if ('error' in cost) return send(res, 400, {}, { error: { message: cost.error, type: 'invalid_request_error', param: null, code: null } });
    const decision = this.budget.take(this.now(), cost.tokens);
    if (!decision.ok) return this.throttled(res, route, decision.reason, decision.retryAfterMs * this.opts.speed, decision);
    const factor = fault?.type === 'slow' ? fault.factor : 1;
    const latencyMs = (this.sampleLatency() * factor) / this.opts.speed;
    await answer(req, res, ctx, { latencyMs, speed: this.opts.speed, headers: rateHeaders(decision), reset: fault?.type === 'reset', backendId: this.id, timers: this.opts.timers ?? REAL_TIMERS });
  }

  /** 429 as Azure OpenAI sends it; `waitMs` is in drill time (a minute is a minute, whatever the speed). */
  private throttled(res: ServerResponse, route: Route, kind: 'tokens' | 'requests', waitMs: number, state: BudgetState): void {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    const operation = OPERATION_NAMES[route.operation];
    const headers = {
      'retry-after': String(seconds),
      'retry-after-ms': String(Math.max(1, Math.round(waitMs))),
      // Which limit answered, as Azure OpenAI's own gateway names it.
      'policy-id': kind === 'tokens' ? 'DeploymentRatelimit-Token' : 'DeploymentRatelimit-Call',
      ...rateHeaders(state),
    };
    send(res, 429, headers, errorBody('429', throttleMessage(operation, route.apiVersion, kind, seconds)));
  }
}

function rateHeaders(state: BudgetState): Record<string, string> {
  const h: Record<string, string> = {};
  if (state.remainingRequests !== undefined) h['x-ratelimit-remaining-requests'] = String(state.remainingRequests);
  if (state.remainingTokens !== undefined) h['x-ratelimit-remaining-tokens'] = String(state.remainingTokens);
  return h;
}

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

