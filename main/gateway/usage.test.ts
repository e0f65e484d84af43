import { describe, expect, it } from 'vitest';
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
});
