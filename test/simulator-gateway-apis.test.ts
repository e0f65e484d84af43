import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type GatewayHandle } from '../main/gateway';
import { startSimulators, type SimulatorHandle } from '../main/simulator';
import { simWorkspace } from './simulator-support';

// The real openai SDK → the gateway → a simulated backend: every API answers (no 404 to trip a breaker), and the
// gateway counts the tokens each shape reports, streamed answers included.
describe('the openai SDK through the gateway to the simulator', () => {
  let sim: SimulatorHandle;
  let gw: GatewayHandle;
  let before = { prompt: 0, completion: 0 };
  beforeAll(async () => {
    const ws = simWorkspace({ east: { latencyMs: { p50: 2, p99: 2 }, tokensPerSecond: 1000, completionTokens: 5 } });
    sim = await startSimulators(ws);
    gw = await startGateway({ workspace: ws, backendUrls: { east: sim.backends.east!.url, west: sim.backends.west!.url } });
  });
  afterAll(async () => {
    await gw.close();
    await sim.close();
  });

  const tokens = () => gw.status().backends.east!.tokens;
  beforeEach(() => {
    before = { ...tokens() };
  });
  const counted = () => ({ prompt: tokens().prompt - before.prompt, completion: tokens().completion - before.completion });

  const azure = () => new AzureOpenAI({ endpoint: gw.url, apiKey: 'k', apiVersion: '2025-04-01-preview', deployment: 'gpt-4o', maxRetries: 0, timeout: 5000 });
  const v1 = () => new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: 'k', maxRetries: 0, timeout: 5000 });

  it('Responses API on the Azure path: answered by the simulator, input/output tokens counted', async () => {
    const { data, response } = await azure().responses.create({ model: 'gpt-4o', input: 'hello there' }).withResponse();
    expect(response.headers.get('x-breakerboard-backend')).toBe('east');
    expect(data.output_text).toBe('Hello quick brown fox jumps');
    expect(counted()).toEqual({ prompt: data.usage!.input_tokens, completion: 5 });
  });

  it('Responses API streamed on the /openai/v1 path: usage read from response.completed', async () => {
    const stream = await v1().responses.create({ model: 'gpt-4o', input: 'hello there', stream: true });
    let usage: OpenAI.Responses.ResponseUsage | undefined;
    for await (const e of stream) if (e.type === 'response.completed') usage = e.response.usage;
    expect(usage?.output_tokens).toBe(5);
    expect(counted()).toEqual({ prompt: usage!.input_tokens, completion: 5 });
  });

  it('legacy completions streamed with include_usage, and embeddings: counted', async () => {
    const stream = await azure().completions.create({ model: 'gpt-35-turbo-instruct', prompt: 'Once upon a time', stream: true, stream_options: { include_usage: true } });
    for await (const _ of stream) void _;
    expect(counted()).toEqual({ prompt: 4, completion: 5 });
    before = { ...tokens() };
    const e = await v1().embeddings.create({ model: 'text-embedding-3-small', input: 'abcdefgh' });
    expect(e.usage.prompt_tokens).toBe(2);
    expect(counted()).toEqual({ prompt: 2, completion: 0 });
  });

  it('chat completions on both paths; no request on any API was refused or tripped the breaker', async () => {
    await azure().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    await v1().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(counted().completion).toBe(10);
    const east = gw.status().backends.east!;
    expect(east.state).toBe('closed');
    expect(Object.keys(east.byStatus)).toEqual(['200']);
  });
});
