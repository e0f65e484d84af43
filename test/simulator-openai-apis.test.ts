import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type SimulatorHandle } from '../main/simulator';
import { simWorkspace } from './simulator-support';

// Every API the openai SDK (6.x) calls for text, on each path style it uses: the SDK parses our answers, and its
// `responses.stream()` helper checks the event sequence (it throws on an event out of order).
describe('simulated backends speak completions and the Responses API', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulators(simWorkspace({ east: { latencyMs: { p50: 2, p99: 2 }, tokensPerSecond: 1000, completionTokens: 6 } }));
  });
  afterAll(() => sim.close());

  const port = () => sim.backends.east!.port;
  const azure = () => new AzureOpenAI({ endpoint: `http://127.0.0.1:${port()}`, apiKey: 'k', apiVersion: '2025-04-01-preview', maxRetries: 0, timeout: 5000 });
  const clients: Array<[string, () => OpenAI]> = [
    ['AzureOpenAI (/openai/…)', azure],
    ['Azure v1 (/openai/v1/…)', () => new OpenAI({ baseURL: `http://127.0.0.1:${port()}/openai/v1`, apiKey: 'k', maxRetries: 0, timeout: 5000 })],
    ['OpenAI (/v1/…)', () => new OpenAI({ baseURL: `http://127.0.0.1:${port()}/v1`, apiKey: 'k', maxRetries: 0, timeout: 5000 })],
  ];

  describe.each(clients)('%s', (_name, client) => {
    it('responses.create: a completed Response with output_text and usage', async () => {
      const r = await client().responses.create({ model: 'gpt-4o', input: 'Say hello.', instructions: 'Be brief.' });
      expect(r.object).toBe('response');
      expect(r.id).toMatch(/^resp_[0-9a-f]{50}$/);
      expect(r.status).toBe('completed');
      expect(r.model).toBe('gpt-4o');
      expect(r.output_text).toBe('Hello quick brown fox jumps over');
      expect(r.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
      expect(r.instructions).toBe('Be brief.');
      // Two messages of framing (4 each) + priming (3) + 3 + 3 tokens of text.
      expect(r.usage).toEqual({ input_tokens: 17, input_tokens_details: { cached_tokens: 0 }, output_tokens: 6, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 23 });
    });

    it('responses.create streamed: the documented event sequence, usage on response.completed', async () => {
      const stream = await client().responses.create({ model: 'gpt-4o', input: [{ role: 'user', content: 'hi' }], stream: true });
      const types: string[] = [];
      const seq: number[] = [];
      let text = '';
      let usage: OpenAI.Responses.ResponseUsage | undefined;
      for await (const e of stream) {
        types.push(e.type);
        seq.push(e.sequence_number);
        if (e.type === 'response.output_text.delta') text += e.delta;
        if (e.type === 'response.completed') usage = e.response.usage;
        if (e.type === 'response.created') expect(e.response.usage ?? null).toBeNull();
      }
      expect(types).toEqual([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        ...Array(6).fill('response.output_text.delta'),
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      expect(seq).toEqual(types.map((_, i) => i));
      expect(text).toBe('Hello quick brown fox jumps over');
      expect(usage).toMatchObject({ input_tokens: 8, output_tokens: 6, total_tokens: 14 });
    });

    it('completions (legacy), plain and streamed with include_usage', async () => {
      const c = await client().completions.create({ model: 'gpt-35-turbo-instruct', prompt: 'Once upon', max_tokens: 3 });
      expect(c.object).toBe('text_completion');
      expect(c.choices[0]).toMatchObject({ text: 'Hello quick brown', finish_reason: 'length' });
      expect(c.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
      const stream = await client().completions.create({ model: 'gpt-35-turbo-instruct', prompt: ['Once upon'], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.text ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('Hello quick brown fox jumps over');
      expect(usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 6, total_tokens: 9 });
    });
  });

  it('responses.stream(): the SDK accumulates the events into the final Response', async () => {
    const stream = azure().responses.stream({ model: 'gpt-4o', input: 'hi', max_output_tokens: 4 });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('Hello quick brown fox');
    // max_output_tokens reached: the service says incomplete, and why.
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(final.usage?.output_tokens).toBe(4);
  });

  it('refuses a Responses request without input, and unknown paths, in the service error shape', async () => {
    await expect(azure().responses.create({ model: 'gpt-4o' } as OpenAI.Responses.ResponseCreateParamsNonStreaming)).rejects.toMatchObject({ status: 400 });
    const res = await fetch(`http://127.0.0.1:${port()}/openai/images/generations`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(5000) });
    expect(res.status).toBe(404);
  });

  it('throttles the Responses API with the operation named', async () => {
    sim.setFault('east', { type: 'throttle', retryAfter: 3 });
    try {
      const err = await azure().responses.create({ model: 'gpt-4o', input: 'hi' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 429 });
      expect(String((err as Error).message)).toContain('Responses_Create');
      expect((err as { headers: Headers }).headers.get('retry-after')).toBe('3');
    } finally {
      sim.clearFault('east');
    }
  });
});
