/*
 * Prompt-token estimate before the backend is called (F-TOKEN-4). APIM uses the model's tokenizer; the engine has
 * none, so it counts one token per 4 characters of text (OpenAI's rule of thumb for English), plus 4 per chat
 * message for the role and framing, and 1200 per image part — the fixed over-count Learn documents for images.
 * The request body is looked at only when an API has a token limit.
 */
export const IMAGE_TOKENS = 1200;
const PER_MESSAGE = 4;

const textTokens = (s: string): number => Math.ceil(s.length / 4);

function contentTokens(content: unknown): number {
  if (typeof content === 'string') return textTokens(content);
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const part of content) {
    if (typeof part === 'string') n += textTokens(part);
    else if (part && typeof part === 'object') {
      const p = part as { type?: unknown; text?: unknown };
      if (typeof p.type === 'string' && /image/.test(p.type)) n += IMAGE_TOKENS;
      else if (typeof p.text === 'string') n += textTokens(p.text);
    }
  }
  return n;
}

export interface PromptInfo {
  /** Estimated prompt tokens (0 when the body is not a JSON prompt). */
  estimate: number;
  /** The request asked for a streamed answer (`"stream": true`). */
  stream: boolean;
}

/** Reads a chat / completions / embeddings / responses request body. Never throws. */
export function estimatePrompt(body: string | null | undefined): PromptInfo {
  if (!body) return { estimate: 0, stream: false };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { estimate: 0, stream: false };
  }
  if (!json || typeof json !== 'object') return { estimate: 0, stream: false };
  const o = json as { messages?: unknown; prompt?: unknown; input?: unknown; stream?: unknown };
  let n = 0;
  if (Array.isArray(o.messages)) for (const m of o.messages) n += PER_MESSAGE + contentTokens((m as { content?: unknown } | null)?.content);
  for (const field of [o.prompt, o.input]) {
    if (typeof field === 'string') n += textTokens(field);
    else if (Array.isArray(field)) for (const item of field) n += typeof item === 'string' ? textTokens(item) : contentTokens((item as { content?: unknown } | null)?.content);
  }
  return { estimate: n, stream: o.stream === true };
}
