import type { IncomingMessage, ServerResponse } from 'node:http';
import { estimatePrompt } from '../../../shared/semantics/prompt-estimate';
import { retryAfterSeconds } from '../../../shared/semantics/retry-after';
import type { KeySource } from '../../../shared/semantics/token-key';
import type { TokenDecision } from '../../../shared/semantics/token-limit';
import { sendError } from '../http-util';
import { keySource, type ApiTokenPolicy, type TokenPolicies } from './policies';

/*
 * One request under an API's token policies (F-TOKEN-1…9): admission before any backend is called (again with
 * the prompt estimate once the body is in), the remaining-tokens headers on the answer, and the actual usage
 * charged — and emitted as the token metric — when the answer has ended.
 */

/** The part of the gateway's Exchange a ticket needs. */
export interface TokenExchange {
  readonly api: { id: string };
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly rest: string;
  readonly body: Buffer | null;
  readonly engine: { now(): number; gatewayError(code: string): void };
  finish(status: number, code?: string): void;
}

/** The path after `/deployments/<name>/` (or after the API prefix): chat/completions, embeddings, … */
const operationOf = (rest: string) => rest.split('?')[0]!.replace(/^\/deployments\/[^/]+\//, '').replace(/^\//, '');

export class TokenTicket {
  private readonly src: KeySource;
  private key = '';
  private arrivedAt: number;
  /** The prompt estimate charged at admission (0: none). */
  private estimate = 0;
  private remaining: { remainingTokens?: number; remainingQuota?: number } = {};

  constructor(
    private readonly ex: TokenExchange,
    private readonly policy: ApiTokenPolicy,
    private readonly series: TokenPolicies['series'],
  ) {
    this.src = keySource(ex.req);
    this.arrivedAt = ex.engine.now();
    if (policy.limit) this.key = policy.limit.key(this.src);
  }

  /** Before the body: a key already over its limit is refused at once. False when refused (the answer is sent). */
  admitEarly(): boolean {
    return this.decide(0);
  }

  /** With the body: the prompt is estimated when the policy says so, or when the request streams (Learn). */
  admitWithBody(): boolean {
    const limit = this.policy.limit;
    if (!limit) return true;
    const info = estimatePrompt(this.ex.body?.toString('utf8'));
    const estimate = limit.spec.estimatePromptTokens || info.stream ? info.estimate : 0;
    return this.decide(estimate);
  }

  private decide(estimate: number): boolean {
    const limit = this.policy.limit;
    if (!limit) return true;
    this.arrivedAt = this.ex.engine.now();
    const d = limit.limiter.admit(this.key, this.arrivedAt, estimate);
    this.remaining = { remainingTokens: d.remainingTokens, remainingQuota: d.remainingQuota };
    if (d.ok) {
      this.estimate = estimate;
      return true;
    }
    this.refuse(d);
    return false;
  }

  private refuse(d: Extract<TokenDecision, { ok: false }>): void {
    const spec = this.policy.limit!.spec;
    const secs = retryAfterSeconds(d.retryAfterMs);
    const headers = [(spec.retryAfterHeader ?? 'retry-after').toLowerCase(), String(secs), 'x-breakerboard-attempts', '0'];
    this.pushRemaining(headers);
    this.ex.engine.gatewayError(d.code);
    sendError(this.ex.res, d.status, d.code, `${d.message}; retry in ${secs} s`, headers);
    this.ex.finish(d.status, d.code);
  }

  private pushRemaining(out: string[]): void {
    const spec = this.policy.limit?.spec;
    if (!spec) return;
    if (spec.remainingTokensHeader && this.remaining.remainingTokens !== undefined) out.push(spec.remainingTokensHeader, String(this.remaining.remainingTokens));
    if (spec.remainingQuotaTokensHeader && this.remaining.remainingQuota !== undefined) out.push(spec.remainingQuotaTokensHeader, String(this.remaining.remainingQuota));
  }

  /**
   * Headers on the backend's answer. The answer streams through, so the consumed header carries what is known
   * when the headers leave: the prompt estimate (F-TOKEN-7); it is left out when nothing was estimated.
   */
  responseHeaders(out: string[]): void {
    this.pushRemaining(out);
    const consumed = this.policy.limit?.spec.tokensConsumedHeader;
    if (consumed && this.estimate > 0) out.push(consumed, String(this.estimate));
  }

  /** The answer ended: charge its usage (replacing the estimate) and emit the token metric. */
  settle(usage: { prompt: number; completion: number } | null, backend: string): void {
    const now = this.ex.engine.now();
    this.policy.limit?.limiter.settle(this.key, this.arrivedAt, now, this.estimate, usage);
    const metric = this.policy.metric;
    // Without usage in a streamed answer the policy estimates; the engine has only the prompt estimate.
    const counted = usage ?? (this.estimate > 0 ? { prompt: this.estimate, completion: 0 } : null);
    if (!metric || !counted) return;
    const ctx = { api: this.ex.api.id, operation: operationOf(this.ex.rest) };
    const dims: Record<string, string> = {};
    for (const d of metric.dimensions) dims[d.label] = d.read(this.src, ctx);
    this.series.add(this.ex.api.id, backend, dims, counted.prompt, counted.completion);
  }
}

/**
 * The request path's hook: attaches a ticket when the API has a token policy and refuses a key already over its
 * limit. Returns false when the request was answered here (429/403, no backend called).
 */
export function admitTokens(policies: TokenPolicies, ex: TokenExchange & { tokens?: TokenTicket }): boolean {
  const policy = policies.get(ex.api.id);
  if (!policy) return true;
  const ticket = new TokenTicket(ex, policy, policies.series);
  ex.tokens = ticket;
  return ticket.admitEarly();
}
