/*
 * Token estimates without a tokenizer. Azure OpenAI counts a request against its tokens-per-minute budget at
 * admission from an estimate (prompt + max_tokens), so an estimate is also what the real service uses. English
 * text averages about four characters per token; each chat message adds a few tokens of framing.
 */

export function estimateTextTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

const MESSAGE_OVERHEAD = 4;
const REPLY_PRIMING = 3;

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join(' ');
  }
  return '';
}

/** Prompt tokens of a chat body's `messages` (strings or content-part arrays). */
export function estimateChatPromptTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let total = REPLY_PRIMING;
  for (const m of messages) {
    const msg = (m ?? {}) as { content?: unknown; name?: unknown };
    total += MESSAGE_OVERHEAD + estimateTextTokens(contentText(msg.content));
    if (typeof msg.name === 'string') total += 1;
  }
  return total;
}

/** Tokens of an embeddings `input`: a string, an array of strings, or arrays of token ids. */
export function estimateEmbeddingTokens(input: unknown): number {
  if (typeof input === 'string') return estimateTextTokens(input);
  if (!Array.isArray(input)) return 0;
  let total = 0;
  for (const item of input) {
    if (typeof item === 'string') total += estimateTextTokens(item);
    else if (typeof item === 'number') total += 1;
    else if (Array.isArray(item)) total += item.length;
  }
  return total;
}
