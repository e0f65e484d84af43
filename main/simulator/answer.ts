import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSpec } from '../../shared/simulation/faults';
import { hashString, seededRandom, type Random } from '../../shared/simulation/prng';
import { estimateChatPromptTokens, estimateEmbeddingTokens } from '../../shared/simulation/tokens';
import { chatChunk, chatCompletion, completionTokens, embeddingsList, promptFilterChunk, sse, usageChunk, type CompletionMeta } from './openai-shapes';
import type { ResolvedProfile } from './profile';
import type { Route } from './routes';

export interface AnswerContext {
  route: Route;
  body: Record<string, unknown>;
  profile: ResolvedProfile;
  idRandom: Random;
  fault: FaultSpec | null;
}

export type Cost = { tokens: number; promptTokens: number; completionTokens: number; finishReason: 'stop' | 'length' } | { error: string };

/**
 * What a request costs against the tokens-per-minute budget, estimated at admission as Azure OpenAI does:
 * prompt tokens from the text plus `max_tokens` (or the profile's default answer length).
 */
export function answerCost(ctx: AnswerContext): Cost {
  const b = ctx.body;
  if (ctx.route.operation === 'embeddings') {
    if (b.input === undefined || b.input === null || b.input === '') return { error: "'input' is a required property" };
    const t = estimateEmbeddingTokens(b.input);
    return { tokens: t, promptTokens: t, completionTokens: 0, finishReason: 'stop' };
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0) return { error: "'messages' is a required property" };
  const promptTokens = estimateChatPromptTokens(b.messages);
  const max = typeof b.max_completion_tokens === 'number' ? b.max_completion_tokens : typeof b.max_tokens === 'number' ? b.max_tokens : undefined;
  const n = Math.max(1, Math.floor(max ?? ctx.profile.completionTokens));
  return { tokens: promptTokens + n, promptTokens, completionTokens: n, finishReason: max !== undefined ? 'length' : 'stop' };
}

export interface AnswerOptions {
  latencyMs: number;
  /** Drill time compression: the stream runs this many times faster than the profile's tokens per second. */
  speed: number;
  headers: Record<string, string>;
  /** Drop the connection halfway through the answer. */
  reset: boolean;
  backendId: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomId = (r: Random, n: number) => Array.from({ length: n }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]).join('');

/** Waits `ms`, or less if the client goes away; resolves false when it did. */
function wait(res: ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

/** Answers an admitted request after its latency: JSON, or SSE at the profile's tokens-per-second pace. */
export async function answer(_req: IncomingMessage, res: ServerResponse, ctx: AnswerContext, opts: AnswerOptions): Promise<void> {
  const cost = answerCost(ctx);
  if ('error' in cost) return;
  const requestId = `${randomId(ctx.idRandom, 8)}-${randomId(ctx.idRandom, 4)}`;
  const headers = { ...opts.headers, 'x-request-id': requestId, 'apim-request-id': requestId, 'x-breakerboard-simulated': opts.backendId };
  const model = ctx.route.deployment ?? (typeof ctx.body.model === 'string' ? ctx.body.model : 'gpt-4o');
  if (!(await wait(res, opts.latencyMs))) return;
  if (ctx.route.operation === 'embeddings') return sendBody(res, headers, embeddings(ctx.body, model, cost.promptTokens), opts.reset);
  const meta: CompletionMeta = {
    id: `chatcmpl-${randomId(ctx.idRandom, 29)}`,
    created: Math.floor(Date.now() / 1000),
    model,
    promptTokens: cost.promptTokens,
    completionTokens: cost.completionTokens,
    finishReason: cost.finishReason,
  };
  const tokens = completionTokens(cost.completionTokens);
  if (ctx.body.stream !== true) return sendBody(res, headers, chatCompletion(meta, tokens), opts.reset);
  const includeUsage = (ctx.body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  res.write(sse(promptFilterChunk()));
  res.write(sse(chatChunk(meta, { role: 'assistant', content: '', refusal: null }, null, includeUsage)));
  const interval = 1000 / (ctx.profile.tokensPerSecond * opts.speed);
  const cutAt = opts.reset ? Math.floor(tokens.length / 2) : -1;
  const start = performance.now();
  for (let i = 0; i < tokens.length; i++) {
    if (i === cutAt) return void res.destroy();
    res.write(sse(chatChunk(meta, { content: tokens[i] }, null, includeUsage)));
    // Paced against the start, so timer drift does not accumulate over a long answer.
    if (i < tokens.length - 1 && !(await wait(res, start + (i + 1) * interval - performance.now()))) return;
  }
  if (opts.reset) return void res.destroy();
  res.write(sse(chatChunk(meta, {}, cost.finishReason, includeUsage)));
  if (includeUsage) res.write(sse(usageChunk(meta)));
  res.end(sse('[DONE]'));
}

function sendBody(res: ServerResponse, headers: Record<string, string>, body: object, reset: boolean): void {
  const text = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length), ...headers });
  if (!reset) return void res.end(text);
  // Headers and half the body, then the connection goes: the client sees a truncated answer.
  res.write(text.subarray(0, Math.floor(text.length / 2)), () => res.destroy());
}

function embeddings(body: Record<string, unknown>, model: string, promptTokens: number): object {
  const inputs = Array.isArray(body.input) && body.input.every((x) => typeof x !== 'number') ? body.input : [body.input];
  const dims = typeof body.dimensions === 'number' && body.dimensions >= 1 && body.dimensions <= 3072 ? Math.floor(body.dimensions) : 1536;
  const base64 = body.encoding_format === 'base64';
  const vectors = inputs.map((input) => {
    // The same text always embeds to the same vector.
    const r = seededRandom(hashString(JSON.stringify(input)));
    const v = Array.from({ length: dims }, () => Math.round((r() * 2 - 1) * 1e6) / 1e7);
    return base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
  });
  return embeddingsList(model, vectors, promptTokens);
}
