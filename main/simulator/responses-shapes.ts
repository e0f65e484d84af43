/*
 * The Responses API (`POST /openai/responses`, `/openai/v1/responses`, `/v1/responses`) as the openai SDK 6.x
 * types it (`Response`, `ResponseStreamEvent`): one assistant message with one `output_text` part. A streamed
 * answer is the documented event sequence — created, in_progress, output_item.added, content_part.added,
 * output_text.delta…, output_text.done, content_part.done, output_item.done, then completed (or incomplete when
 * `max_output_tokens` cut the answer) — each as `event: <type>` + `data: <json>` with a rising `sequence_number`,
 * and no `[DONE]` line (the Responses stream ends with its terminal event).
 */

export interface ResponseMeta {
  id: string;
  messageId: string;
  createdAt: number;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** `max_output_tokens` ended the answer: status `incomplete`, reason `max_output_tokens`. */
  cut: boolean;
  /** Echoed request fields the Response object carries back. */
  request: Record<string, unknown>;
}

type Status = 'in_progress' | 'completed' | 'incomplete';

export const responseUsage = (m: ResponseMeta) => ({
  input_tokens: m.inputTokens,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: m.outputTokens,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: m.inputTokens + m.outputTokens,
});

const textPart = (text: string) => ({ type: 'output_text', annotations: [], logprobs: [], text });

export function messageItem(m: ResponseMeta, status: Status, text: string | null): object {
  return { id: m.messageId, type: 'message', status, content: text === null ? [] : [textPart(text)], role: 'assistant' };
}

const echo = (v: unknown, fallback: unknown) => (v === undefined ? fallback : v);

/** The Response object; `text` null = nothing generated yet (the opening events), usage only once finished. */
export function responseObject(m: ResponseMeta, status: Status, text: string | null): object {
  const r = m.request;
  const finished = status !== 'in_progress';
  return {
    id: m.id,
    object: 'response',
    created_at: m.createdAt,
    status,
    background: false,
    completed_at: status === 'completed' ? m.createdAt : null,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: echo(r.instructions, null),
    max_output_tokens: echo(r.max_output_tokens, null),
    model: m.model,
    output: text === null ? [] : [messageItem(m, status, text)],
    parallel_tool_calls: echo(r.parallel_tool_calls, true),
    previous_response_id: echo(r.previous_response_id, null),
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: echo(r.store, true),
    temperature: echo(r.temperature, 1),
    text: { format: { type: 'text' } },
    tool_choice: echo(r.tool_choice, 'auto'),
    tools: echo(r.tools, []),
    top_p: echo(r.top_p, 1),
    truncation: echo(r.truncation, 'disabled'),
    // Usage sits after the output, as in the service's answers: a reader scanning a stream's tail finds it last.
    usage: finished ? responseUsage(m) : null,
    user: echo(r.user, null),
    metadata: echo(r.metadata, {}),
  };
}

/** Writes Responses stream events with their sequence numbers. */
export class ResponseEvents {
  private seq = 0;
  constructor(private readonly m: ResponseMeta) {}

  private event(type: string, fields: Record<string, unknown>): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: this.seq++ })}\n\n`;
  }

  private at(): Record<string, unknown> {
    return { item_id: this.m.messageId, output_index: 0, content_index: 0 };
  }

  opening(): string {
    const response = responseObject(this.m, 'in_progress', null);
    return (
      this.event('response.created', { response }) +
      this.event('response.in_progress', { response }) +
      this.event('response.output_item.added', { output_index: 0, item: messageItem(this.m, 'in_progress', null) }) +
      this.event('response.content_part.added', { ...this.at(), part: textPart('') })
    );
  }

  delta(delta: string): string {
    return this.event('response.output_text.delta', { ...this.at(), delta, logprobs: [] });
  }

  closing(text: string): string {
    const status: Status = this.m.cut ? 'incomplete' : 'completed';
    return (
      this.event('response.output_text.done', { ...this.at(), text, logprobs: [] }) +
      this.event('response.content_part.done', { ...this.at(), part: textPart(text) }) +
      this.event('response.output_item.done', { output_index: 0, item: messageItem(this.m, status, text) }) +
      this.event(this.m.cut ? 'response.incomplete' : 'response.completed', { response: responseObject(this.m, status, text) })
    );
  }
}
