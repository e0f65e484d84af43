import { describe, expect, it } from 'vitest';
import { ResponseEvents, responseObject, type ResponseMeta } from '../simulator/responses-shapes';
import { UsageScanner } from './usage';

const scan = (sse: boolean, ...parts: string[]) => {
  const s = new UsageScanner(sse);
  for (const p of parts) s.push(Buffer.from(p));
  return s.result();
};

describe('UsageScanner', () => {
  it('reads usage from a JSON answer, split across chunks', () => {
    const body = JSON.stringify({ id: 'x', choices: [], usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0 } } });
    expect(scan(false, body.slice(0, 20), body.slice(20))).toEqual({ prompt: 12, completion: 5 });
  });
  it('reads the final SSE chunk, skipping the "usage":null of earlier ones', () => {
    const chunk = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
    expect(scan(true, chunk({ choices: [{ delta: { content: 'a' } }], usage: null }), chunk({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } }), 'data: [DONE]\n\n')).toEqual({ prompt: 3, completion: 2 });
  });
  it('embeddings usage (no completion tokens) and the Responses API names', () => {
    expect(scan(false, '{"data":[],"usage":{"prompt_tokens":5,"total_tokens":5}}')).toEqual({ prompt: 5, completion: 0 });
    expect(scan(false, '{"usage":{"input_tokens":4,"output_tokens":6}}')).toEqual({ prompt: 4, completion: 6 });
  });
  it('counts nothing for a cut, malformed or usage-less answer', () => {
    expect(scan(false, '{"id":"x","usage":{"prompt_tokens":5')).toBeNull();
    expect(scan(false, '{"id":"x","choices":[{"message":{"content":"cut')).toBeNull();
    expect(scan(false, '{"usage":{"prompt_tokens":"x"}}')).toBeNull();
    expect(scan(true, 'data: {"usage":null}\n\n')).toBeNull();
  });

  describe('the Responses API', () => {
    const meta = (cut: boolean): ResponseMeta => ({ id: 'resp_1', messageId: 'msg_1', createdAt: 0, model: 'gpt-4o', inputTokens: 21, outputTokens: 9, cut, request: { metadata: { usage: 'a user tag' } } });
    /** The whole stream, cut into small chunks, as the socket delivers it. */
    const chunks = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
    const stream = (m: ResponseMeta, deltas: string[]) => {
      const e = new ResponseEvents(m);
      return e.opening() + deltas.map((d) => e.delta(d)).join('') + e.closing(deltas.join(''));
    };

    it('reads input/output tokens from response.completed, past the "usage":null of the opening events', () => {
      const text = stream(meta(false), ['Hello', ' world']);
      expect(text.indexOf('"usage":null')).toBeGreaterThan(0);
      expect(scan(true, ...chunks(text, 7))).toEqual({ prompt: 21, completion: 9 });
    });
    it('reads response.incomplete, and a long answer whose final event alone exceeds the kept tail', () => {
      const long = Array.from({ length: 3000 }, (_, i) => ` word${i}`);
      expect(scan(true, ...chunks(stream(meta(true), long), 1000))).toEqual({ prompt: 21, completion: 9 });
    });
    it('reads a plain Response body, whose metadata may hold a "usage" key of its own', () => {
      expect(scan(false, JSON.stringify(responseObject(meta(false), 'completed', 'Hello')))).toEqual({ prompt: 21, completion: 9 });
    });
    it('counts nothing for a stream cut before its terminal event', () => {
      const text = stream(meta(false), ['Hello', ' world']);
      expect(scan(true, text.slice(0, text.indexOf('event: response.completed')))).toBeNull();
    });
  });
});
