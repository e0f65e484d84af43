import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { MetricDimension, TokenLimit, Workspace } from '../../../shared/model';
import { compileCounterKey, compileExpression, type KeySource } from '../../../shared/semantics/token-key';
import { TokenLimiter } from '../../../shared/semantics/token-limit';
import { LlmTokenSeries } from './series';

/*
 * The token policies of every API, compiled once per workspace load. A limiter keeps its counters across a
 * reload while its limits stay the same (as a breaker keeps its state while its rule does).
 */

export interface DimensionReader {
  label: string;
  read(src: KeySource, ctx: { api: string; operation: string }): string;
}

export interface ApiTokenPolicy {
  limit?: { spec: TokenLimit; limiter: TokenLimiter; key: (src: KeySource) => string };
  metric?: { dimensions: DimensionReader[] };
}

/** A Prometheus label name for a dimension name: "API ID" → api_id; the metric's own labels get a dim_ prefix. */
export function labelName(name: string): string {
  let l = name.trim().toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (l === '' || /^\d/.test(l)) l = `d_${l}`;
  if (l === 'api' || l === 'backend' || l === 'kind' || l.startsWith('__')) l = `dim_${l}`;
  return l;
}

/*
 * Values of the default dimensions, locally (F-TOKEN-9): API ID is the API's id, Operation ID the path after the
 * deployment (chat/completions), Subscription ID the key's fingerprint; Product ID and User ID are empty (no
 * products or users locally); Location and Gateway ID are "local".
 */
function defaultDimension(name: string): DimensionReader['read'] {
  switch (name) {
    case 'API ID':
      return (_s, c) => c.api;
    case 'Operation ID':
      return (_s, c) => c.operation;
    case 'Subscription ID':
      return (s) => s.subscription ?? '';
    case 'Location':
    case 'Gateway ID':
      return () => 'local';
    default:
      return () => '';
  }
}

function dimensionReader(d: MetricDimension): DimensionReader {
  if (typeof d === 'string') return { label: labelName(d), read: defaultDimension(d) };
  if (d.header !== undefined) {
    const h = d.header.toLowerCase();
    return { label: labelName(d.name), read: (s) => s.header(h) ?? '' };
  }
  const c = compileExpression(d.value!);
  return { label: labelName(d.name), read: c.ok ? (s) => c.value(s) : () => '(not evaluated locally)' };
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A subscription key is a secret: counters, labels and logs only ever see a fingerprint of it. */
export function subscriptionFingerprint(key: string): string {
  return `sub-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/** What a request offers to counter keys and dimensions (read lazily: most requests need one or two fields). */
export function keySource(req: IncomingMessage): KeySource {
  let sub: string | undefined | null = null;
  return {
    header: (n) => first(req.headers[n]),
    ip: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
    get subscription() {
      if (sub === null) {
        // APIM's subscription key header (Azure OpenAI APIs imported by the portal often use api-key instead).
        const k = first(req.headers['ocp-apim-subscription-key']) ?? first(req.headers['api-key']);
        sub = k ? subscriptionFingerprint(k) : undefined;
      }
      return sub;
    },
  };
}

export class TokenPolicies {
  private apis = new Map<string, ApiTokenPolicy>();
  private limiters = new Map<string, { specKey: string; limiter: TokenLimiter }>();
  readonly series = new LlmTokenSeries();

  install(ws: Workspace, speed: number): void {
    const apis = new Map<string, ApiTokenPolicy>();
    const limiters = new Map<string, { specKey: string; limiter: TokenLimiter }>();
    for (const [id, api] of Object.entries(ws.apis ?? {})) {
      const p: ApiTokenPolicy = {};
      if (api.tokenLimit) {
        const t = api.tokenLimit;
        const specKey = JSON.stringify([t.tokensPerMinute, t.quota, t.counterKey, speed]);
        const kept = this.limiters.get(id);
        const limiter = kept && kept.specKey === specKey ? kept.limiter : new TokenLimiter(t, { speed });
        limiters.set(id, { specKey, limiter });
        p.limit = { spec: t, limiter, key: compileCounterKey(t.counterKey).read };
      }
      if (api.tokenMetric) p.metric = { dimensions: api.tokenMetric.dimensions.map(dimensionReader) };
      if (p.limit || p.metric) apis.set(id, p);
    }
    this.apis = apis;
    this.limiters = limiters;
  }

  get(apiId: string): ApiTokenPolicy | undefined {
    return this.apis.get(apiId);
  }

  /** A token limit needs the body in memory: streamed requests are always estimated (Learn), others when asked. */
  readsBody(apiId: string): boolean {
    return this.apis.get(apiId)?.limit !== undefined;
  }

  /** The token metric of the second that just ended, for the gateway's snapshot (empty: nothing to add). */
  snapshotPart(): { llmTokens?: ReturnType<LlmTokenSeries['takeSecond']> } {
    const llmTokens = this.series.takeSecond();
    return llmTokens.length > 0 ? { llmTokens } : {};
  }
}
