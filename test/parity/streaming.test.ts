import { afterEach, describe, expect, it } from 'vitest';
import { apiPolicyXml } from '../../shared/export';
import { validateWorkspace } from '../../shared/model';
import { closeRigs, rule, startRig } from '../wiring/gateway-rig';

/* Parity suite, streaming and operations rows of docs/apim-fidelity.md. */
afterEach(closeRigs);

const STREAM_BODY = JSON.stringify({ messages: [], stream: true });

/** The first piece of body the client reads, and the rest. */
async function firstRead(url: string): Promise<{ first: string; all: string }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: STREAM_BODY });
  const reader = r.body!.getReader();
  const dec = new TextDecoder();
  const first = dec.decode((await reader.read()).value);
  let all = first;
  for (let x = await reader.read(); !x.done; x = await reader.read()) all += dec.decode(x.value);
  return { first, all };
}

describe('fidelity: streaming and operations', () => {
  it('F-STREAM-1: stream: true passes chunks as they come (buffer-response="false"); otherwise they are held up to 8 KB', async () => {
    const build = (stream: boolean) => (u: Record<string, string>) => ({ backends: { a: { url: u.a } }, apis: { 'azure-openai': { path: 'openai', backend: 'a', ...(stream ? { stream: true } : {}) } } });
    const path = '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21';
    const streamed = await startRig(['a'], build(true));
    const s = await firstRead(streamed.gw.url + path);
    expect(s.first).not.toContain('[DONE]'); // the backend writes a chunk every 5 ms: the first arrives alone
    expect(s.all).toContain('data: [DONE]');
    const held = await startRig(['a'], build(false));
    const h = await firstRead(held.gw.url + path);
    expect(h.first).toBe(h.all); // under 8 KB: the whole answer in one piece, as APIM's default buffering gives it
    const v = validateWorkspace({ version: 1, ...build(true)({ a: 'https://a.example.com' }) });
    expect(apiPolicyXml(v.ok ? v.workspace : (undefined as never), 'azure-openai')).toContain('<forward-request buffer-response="false" />');
  });

  it('F-STREAM-2: a body that breaks after the headers is cut at the client, not retried, not a breaker failure', async () => {
    const r = await startRig(['a', 'b'], (u) => ({
      backends: { a: { url: u.a, circuitBreaker: rule({ ranges: [[500, 599]] }) }, b: { url: u.b } },
      pools: { p: { services: [{ backend: 'a', priority: 1 }, { backend: 'b', priority: 2 }] } },
      apis: { 'azure-openai': { path: 'openai', backend: 'p', stream: true, retry: { count: 1, on: [429, 500, 503] } } },
    }));
    r.backends.a!.behave({ kind: 'reset-mid-body' });
    const res = await fetch(`${r.gw.url}/openai/deployments/gpt-4o/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: STREAM_BODY });
    expect([res.status, res.headers.get('x-breakerboard-attempts')]).toEqual([200, '1']);
    await expect(res.text()).rejects.toThrow();
    expect([r.calls().b, r.state('a')]).toEqual([0, 'closed']);
  });

  it('F-OPS-1: with declared operations, anything else is 404 OperationNotFound and no backend is called', async () => {
    const r = await startRig(['a'], (u) => ({
      backends: { a: { url: u.a } },
      apis: { 'azure-openai': { path: 'openai', backend: 'a', operations: [{ method: 'POST', urlTemplate: '/deployments/{deployment-id}/chat/completions' }, { method: '*', urlTemplate: '/models/*' }] } },
    }));
    expect((await r.chat()).status).toBe(200);
    expect((await r.chat({ rest: '/models/a/b?x=1', method: 'GET' })).status).toBe(200);
    const wrongMethod = await r.chat({ method: 'GET' });
    const unknownPath = await r.chat({ rest: '/deployments/gpt-4o/images/generations' });
    const extraSegment = await r.chat({ rest: '/deployments/a/b/chat/completions' });
    for (const x of [wrongMethod, unknownPath, extraSegment]) expect([x.status, x.code, x.attempts]).toEqual([404, 'OperationNotFound', null]);
    expect(r.calls().a).toBe(2);
  });
});
