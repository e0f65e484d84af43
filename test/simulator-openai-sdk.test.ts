import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type SimulatorHandle } from '../main/simulator';
import { simWorkspace } from './simulator-support';

// The official SDK is the strictest judge of the shapes: if it parses our answers, real clients will.
describe('simulated backends through the openai SDK', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulators(simWorkspace({ east: { latencyMs: { p50: 5, p99: 5 }, tokensPerSecond: 200, completionTokens: 8 }, west: { latencyMs: { p50: 5, p99: 5 } } }));
  });
  afterAll(() => sim.close());

  const azure = () =>
    new AzureOpenAI({ endpoint: `http://127.0.0.1:${sim.backends.east!.port}`, apiKey: 'k', apiVersion: '2024-10-21', deployment: 'gpt-4o', maxRetries: 0, timeout: 5000 });

  it('serves a chat completion on the Azure path with usage', async () => {
    expect(sim.backends.east!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/openai$/);
    const r = await azure().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 5 });
    expect(r.id).toMatch(/^chatcmpl-/);
    expect(r.object).toBe('chat.completion');
    expect(r.choices[0]!.message.content).toBe('Hello quick brown fox jumps');
    expect(r.choices[0]!.finish_reason).toBe('length');
    expect(r.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } });
  });

  it('streams chunks and the final usage chunk when include_usage is set', async () => {
    const stream = await azure().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.split(' ')).toHaveLength(8);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 8, total_tokens: 16 });
  });

  it('serves /v1 paths and embeddings (the SDK asks for base64 by default)', async () => {
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${sim.backends.west!.port}/v1`, apiKey: 'k', maxRetries: 0, timeout: 5000 });
    const chat = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.model).toBe('gpt-4o-mini');
    const e = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 64 });
    expect(e.data).toHaveLength(2);
    expect(e.data[0]!.embedding).toHaveLength(64);
    expect(e.usage.prompt_tokens).toBe(2);
    const again = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'a', dimensions: 64, encoding_format: 'float' });
    expect(again.data[0]!.embedding[0]).toBeCloseTo(e.data[0]!.embedding[0]!, 5);
  });

  it('throttles in a way the SDK reports as RateLimitError', async () => {
    sim.setFault('east', { type: 'throttle', retryAfter: 7 });
    try {
      await expect(azure().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
        status: 429,
        code: '429',
      });
    } finally {
      sim.clearFault('east');
    }
  });
});
