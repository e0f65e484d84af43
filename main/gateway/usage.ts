/*
 * Token counts from `usage` (DESIGN §3 metrics): the whole body of a JSON answer (up to 1 MiB), or the tail of a
 * stream. Shapes read: chat and legacy completions and embeddings (`prompt_tokens`/`completion_tokens`; streamed,
 * the final chunk carries usage when the client asked for `stream_options.include_usage`) and the Responses API
 * (`input_tokens`/`output_tokens`; streamed, on the terminal `response.completed`/`response.incomplete` event, after
 * opening events that say `"usage":null`). Chunks are kept by reference and searched once, at the end, off the
 * per-chunk path.
 */
const MAX_JSON = 1024 * 1024;
const SSE_TAIL = 16 * 1024;
const USAGE = Buffer.from('"usage"');

export interface Usage {
  prompt: number;
  completion: number;
}

function read(u: unknown): Usage | null {
  if (!u || typeof u !== 'object') return null;
  const o = u as { prompt_tokens?: unknown; completion_tokens?: unknown; input_tokens?: unknown; output_tokens?: unknown };
  const prompt = Number(o.prompt_tokens ?? o.input_tokens ?? 0);
  const completion = Number(o.completion_tokens ?? o.output_tokens ?? 0);
  return Number.isFinite(prompt) && Number.isFinite(completion) ? { prompt, completion } : null;
}

export class UsageScanner {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private overflow = false;

  constructor(private readonly sse: boolean) {}

  /** 'json' for application/json answers, 'sse' for event streams, null for anything else. */
  static kind(contentType: string | undefined): 'json' | 'sse' | null {
    if (!contentType) return null;
    if (contentType.includes('event-stream')) return 'sse';
    if (contentType.includes('json')) return 'json';
    return null;
  }

  push(chunk: Buffer): void {
    if (this.overflow) return;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.sse) {
      while (this.chunks.length > 1 && this.bytes - this.chunks[0]!.length >= SSE_TAIL) this.bytes -= this.chunks.shift()!.length;
    } else if (this.bytes > MAX_JSON) {
      this.overflow = true;
      this.chunks = [];
    }
  }

  /**
   * The usage found, or null (none, unreadable, cut, too large). Never throws. Only the `usage` object is decoded
   * and parsed — found from the end, so for a stream it is the final chunk's (earlier chunks say `"usage":null`);
   * an object that is not closed (a cut or malformed answer) counts nothing.
   */
  result(): Usage | null {
    if (this.overflow || this.chunks.length === 0) return null;
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    let at = buf.length;
    for (let tries = 0; tries < 50; tries++) {
      at = buf.lastIndexOf(USAGE, at - 1);
      if (at < 0) return null;
      let i = at + USAGE.length;
      while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x3a)) i++; // spaces and ':'
      if (buf[i] !== 0x7b) continue; // not an object (e.g. "usage":null): look further back
      let depth = 0;
      for (let j = i; j < buf.length && j < i + 4096; j++) {
        if (buf[j] === 0x7b) depth++;
        else if (buf[j] === 0x7d && --depth === 0) {
          try {
            return read(JSON.parse(buf.toString('utf8', i, j + 1)));
          } catch {
            return null;
          }
        }
      }
      return null;
    }
    return null;
  }
}
