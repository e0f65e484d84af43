/*
 * Bodies shaped like Azure OpenAI's (api-version 2024-10-21): chat completions, (legacy) completions, streamed
 * chunks (Azure's first chunk carries only prompt_filter_results with empty choices — a quirk clients must survive),
 * embeddings, errors. The Responses API's shapes are in responses-shapes.ts.
 */

const WORDS = 'the quick brown fox jumps over a lazy dog while simulated models answer every prompt with calm steady words'.split(' ');

/** Deterministic filler: token i is one word (with its leading space), so token counts are exact. */
export function completionTokens(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(i === 0 ? 'Hello' : ` ${WORDS[i % WORDS.length]}`);
  return out;
}

const FILTER_OK = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
  promptTokens: number;
  completionTokens: number;
  finishReason: 'stop' | 'length';
}

/** `CompletionUsage` as the service fills it for current models, the detail objects included (all zero here). */
const usage = (m: CompletionMeta) => ({
  prompt_tokens: m.promptTokens,
  completion_tokens: m.completionTokens,
  total_tokens: m.promptTokens + m.completionTokens,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
});
const FINGERPRINT = 'fp_breakerboard';

export function chatCompletion(m: CompletionMeta, tokens: string[]): object {
  return {
    id: m.id,
    object: 'chat.completion',
    created: m.created,
    model: m.model,
    system_fingerprint: FINGERPRINT,
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER_OK }],
    choices: [
      {
        index: 0,
        finish_reason: m.finishReason,
        logprobs: null,
        message: { role: 'assistant', content: tokens.join(''), refusal: null },
        content_filter_results: FILTER_OK,
      },
    ],
    usage: usage(m),
  };
}

/** Azure's opening chunk: no choices, only the prompt's filter results. */
export function promptFilterChunk(): object {
  return { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER_OK }] };
}

export function chatChunk(m: CompletionMeta, delta: object, finishReason: string | null, includeUsage: boolean): object {
  return {
    id: m.id,
    object: 'chat.completion.chunk',
    created: m.created,
    model: m.model,
    system_fingerprint: FINGERPRINT,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null, content_filter_results: finishReason ? {} : FILTER_OK }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** The extra last chunk sent when the request asked for `stream_options.include_usage`. */
export function usageChunk(m: CompletionMeta, object = 'chat.completion.chunk'): object {
  return { id: m.id, object, created: m.created, model: m.model, system_fingerprint: FINGERPRINT, choices: [], usage: usage(m) };
}

/** A legacy completion (`POST …/completions`, `prompt` in, `choices[].text` out): the whole answer, with usage. */
export function textCompletion(m: CompletionMeta, text: string): object {
  return {
    ...textChunk(m, text, m.finishReason),
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER_OK }],
    choices: [{ text, index: 0, finish_reason: m.finishReason, logprobs: null, content_filter_results: FILTER_OK }],
    usage: usage(m),
  };
}

/** One streamed piece of a legacy completion: the same object name as the whole answer, no usage. */
export function textChunk(m: CompletionMeta, text: string, finishReason: string | null): object {
  return {
    id: m.id,
    object: 'text_completion',
    created: m.created,
    model: m.model,
    system_fingerprint: FINGERPRINT,
    choices: [{ text, index: 0, finish_reason: finishReason, logprobs: null, content_filter_results: finishReason ? {} : FILTER_OK }],
  };
}

export const sse = (data: object | string) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

export function embeddingsList(model: string, vectors: Array<number[] | string>, promptTokens: number): object {
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

/** Azure OpenAI's error body: `{ error: { code, message } }` (code is a string, "429" for throttling). */
export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}): object {
  return { error: { code, message, ...extra } };
}

export function throttleMessage(operation: string, apiVersion: string, kind: 'tokens' | 'requests', seconds: number): string {
  const what = kind === 'tokens' ? 'token rate limit' : 'call rate limit';
  return (
    `Requests to the ${operation} Operation under Azure OpenAI API version ${apiVersion} have exceeded ${what} of your current ` +
    `OpenAI S0 pricing tier. Please retry after ${seconds} second${seconds === 1 ? '' : 's'}. ` +
    'Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.'
  );
}
