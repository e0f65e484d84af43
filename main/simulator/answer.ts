import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSpec } from '../../shared/simulation/faults';
import { hashString, seededRandom, type Random } from '../../shared/simulation/prng';
import { estimateChatPromptTokens, estimateEmbeddingTokens } from '../../shared/simulation/tokens';
import { chatChunk, chatCompletion, completionTokens, embeddingsList, promptFilterChunk, sse, textChunk, textCompletion, usageChunk, type CompletionMeta } from './openai-shapes';
import { paceTokens, wait, type Pace, type SimTimers } from './pacing';
import { ResponseEvents, responseObject, type ResponseMeta } from './responses-shapes';
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

const missing = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** The Responses API's input as chat messages: `instructions` as a system message, a string as one user message. */
function responsesPromptTokens(b: Record<string, unknown>): number {
  const items = typeof b.input === 'string' ? [{ content: b.input }] : Array.isArray(b.input) ? b.input : [];
  return estimateChatPromptTokens([...(typeof b.instructions === 'string' ? [{ content: b.instructions }] : []), ...items]);
}

/** Prompt tokens and the answer limit the request names, per operation; a message for a 400 when input is missing. */
function promptAndLimit(op: Route['operation'], b: Record<string, unknown>): { promptTokens: number; max: number | undefined } | { error: string } {
  switch (op) {
    case 'chat':
      if (!Array.isArray(b.messages) || b.messages.length === 0) return { error: "'messages' is a required property" };
      return { promptTokens: estimateChatPromptTokens(b.messages), max: num(b.max_completion_tokens) ?? num(b.max_tokens) };
    case 'completions':
      if (missing(b.prompt)) return { error: "'prompt' is a required property" };
      return { promptTokens: estimateEmbeddingTokens(b.prompt), max: num(b.max_tokens) };
    case 'responses':
      if (missing(b.input)) return { error: "'input' is a required property" };
      return { promptTokens: responsesPromptTokens(b), max: num(b.max_output_tokens) };
    default:
      return { promptTokens: 0, max: undefined };
  }
}

/**
 * What a request costs against the tokens-per-minute budget, estimated at admission as Azure OpenAI does:
 * prompt tokens from the text plus the answer limit (`max_tokens`, `max_completion_tokens`, `max_output_tokens`,
 * or the profile's default answer length). The simulated answer is exactly that long.
 */
export function answerCost(ctx: AnswerContext): Cost {
  const b = ctx.body;
  if (ctx.route.operation === 'embeddings') {
    if (missing(b.input)) return { error: "'input' is a required property" };
    const t = estimateEmbeddingTokens(b.input);
    return { tokens: t, promptTokens: t, completionTokens: 0, finishReason: 'stop' };
  }
  const p = promptAndLimit(ctx.route.operation, b);
  if ('error' in p) return p;
  const n = Math.max(1, Math.floor(p.max ?? ctx.profile.completionTokens));
  return { tokens: p.promptTokens + n, promptTokens: p.promptTokens, completionTokens: n, finishReason: p.max !== undefined ? 'length' : 'stop' };
}

export interface AnswerOptions {
  latencyMs: number;
  /** Drill time compression: the stream runs this many times faster than the profile's tokens per second. */
  speed: number;
  headers: Record<string, string>;
  /** Drop the connection halfway through the answer. */
  reset: boolean;
  backendId: string;
  timers: SimTimers;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomId = (r: Random, n: number, alphabet = ALPHABET) => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
const hexId = (r: Random, n: number) => randomId(r, n, '0123456789abcdef');

/** Answers an admitted request after its latency: JSON, or SSE at the profile's tokens-per-second pace. */
export async function answer(_req: IncomingMessage, res: ServerResponse, ctx: AnswerContext, opts: AnswerOptions): Promise<void> {
  const cost = answerCost(ctx);
  if ('error' in cost) return;
  const requestId = `${randomId(ctx.idRandom, 8)}-${randomId(ctx.idRandom, 4)}`;
  const headers = { ...opts.headers, 'x-request-id': requestId, 'apim-request-id': requestId, 'x-breakerboard-simulated': opts.backendId };
  const model = ctx.route.deployment ?? (typeof ctx.body.model === 'string' ? ctx.body.model : 'gpt-4o');
  if (!(await wait(res, opts.latencyMs, opts.timers))) return;
  const op = ctx.route.operation;
  if (op === 'embeddings') return sendBody(res, headers, embeddings(ctx.body, model, cost.promptTokens), opts.reset);
  const tokens = completionTokens(cost.completionTokens);
  const pace: Pace = { tokensPerSecond: ctx.profile.tokensPerSecond * opts.speed, reset: opts.reset, timers: opts.timers };
  if (op === 'responses') {
    const meta: ResponseMeta = {
      id: `resp_${hexId(ctx.idRandom, 50)}`,
      messageId: `msg_${hexId(ctx.idRandom, 50)}`,
      createdAt: Math.floor(Date.now() / 1000),
      model,
      inputTokens: cost.promptTokens,
      outputTokens: cost.completionTokens,
      cut: cost.finishReason === 'length',
      request: ctx.body,
    };
    if (ctx.body.stream !== true) return sendBody(res, headers, responseObject(meta, meta.cut ? 'incomplete' : 'completed', tokens.join('')), opts.reset);
    return streamResponse(res, headers, meta, tokens, pace);
  }
  const meta: CompletionMeta = {
    id: `${op === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomId(ctx.idRandom, 29)}`,
    created: Math.floor(Date.now() / 1000),
    model,
    promptTokens: cost.promptTokens,
    completionTokens: cost.completionTokens,
    finishReason: cost.finishReason,
  };
  if (ctx.body.stream !== true) return sendBody(res, headers, op === 'chat' ? chatCompletion(meta, tokens) : textCompletion(meta, tokens.join('')), opts.reset);
  const includeUsage = (ctx.body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  openStream(res, headers);
  res.write(sse(promptFilterChunk()));
  if (op === 'chat') res.write(sse(chatChunk(meta, { role: 'assistant', content: '', refusal: null }, null, includeUsage)));
  const piece = (text: string, finish: string | null) => (op === 'chat' ? chatChunk(meta, finish ? {} : { content: text }, finish, includeUsage) : textChunk(meta, text, finish));
  if (!(await paceTokens(res, tokens, pace, (t) => res.write(sse(piece(t, null)))))) return;
  res.write(sse(piece('', cost.finishReason)));
  if (includeUsage) res.write(sse(usageChunk(meta, op === 'chat' ? 'chat.completion.chunk' : 'text_completion')));
  res.end(sse('[DONE]'));
}

async function streamResponse(res: ServerResponse, headers: Record<string, string>, meta: ResponseMeta, tokens: string[], pace: Pace): Promise<void> {
  const events = new ResponseEvents(meta);
  openStream(res, headers);
  res.write(events.opening());
  if (!(await paceTokens(res, tokens, pace, (t) => res.write(events.delta(t))))) return;
  res.end(events.closing(tokens.join('')));
}

function openStream(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
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
