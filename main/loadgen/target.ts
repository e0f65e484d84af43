/*
 * What the load generator sends: an Azure OpenAI (or /v1) request against a gateway or a backend base URL.
 * `http://host:8080` + api `openai` → `/openai/deployments/<d>/chat/completions?api-version=…`; a URL that already
 * has a path (`http://host:9001/openai`) is used as the prefix as it is; a prefix ending in `v1` → `/v1/...`.
 */
export type LoadKind = 'chat' | 'embeddings';

export interface TargetOptions {
  url: string;
  api?: string;
  deployment?: string;
  kind?: LoadKind;
  stream?: boolean;
  maxTokens?: number;
  apiVersion?: string;
  apiKey?: string;
}

export interface LoadTarget {
  url: string;
  body: string;
  headers: Record<string, string>;
  stream: boolean;
  /** Who sends it (a drill's tenant): copied onto the request's result. */
  label?: string;
  /** Which backend answered, from the response headers; default: the local gateway's `x-breakerboard-backend`. */
  servedBy?: (headers: Record<string, string | string[] | undefined>, status: number) => string | undefined;
}

export const DEFAULT_API_VERSION = '2024-10-21';
/*
 * A short prompt and a small answer (10 + 10 tokens): the demo's 30 000 tokens a minute then carry the whole
 * drill load on one backend, so a drill shows the fault it injects rather than an exhausted quota.
 */
export const DEFAULT_PROMPT = 'Say hello.';
export const DEFAULT_MAX_TOKENS = 10;

export function buildTarget(o: TargetOptions): LoadTarget {
  const base = new URL(o.url);
  const own = base.pathname.replace(/\/+$/, '');
  const prefix = own !== '' ? own : `/${(o.api ?? 'openai').replace(/^\/+|\/+$/g, '')}`;
  const kind = o.kind ?? 'chat';
  const stream = kind === 'chat' && o.stream === true;
  const deployment = o.deployment ?? (kind === 'chat' ? 'gpt-4o' : 'text-embedding-3-small');
  const op = kind === 'chat' ? 'chat/completions' : 'embeddings';
  const openAiStyle = /(^|\/)v1$/.test(prefix);
  const path = openAiStyle ? `${prefix}/${op}` : `${prefix}/deployments/${encodeURIComponent(deployment)}/${op}?api-version=${o.apiVersion ?? DEFAULT_API_VERSION}`;
  const model = openAiStyle ? { model: deployment } : {};
  const body =
    kind === 'chat'
      ? { ...model, messages: [{ role: 'user', content: DEFAULT_PROMPT }], max_tokens: o.maxTokens ?? DEFAULT_MAX_TOKENS, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) }
      : { ...model, input: 'The quick brown fox jumps over the lazy dog.' };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.apiKey) headers['api-key'] = o.apiKey;
  return { url: `${base.origin}${path}`, body: JSON.stringify(body), headers, stream };
}
