import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { apiPolicyXml } from '../../shared/export';
import { validateWorkspace, type Workspace } from '../../shared/model';
import { compileRoutes } from '../../shared/semantics';
import { closeRigs, rule, startRig } from '../wiring/gateway-rig';

/* Parity suite, retry rows of docs/apim-fidelity.md: the real gateway, plus the exported policy that makes APIM do the same. */
afterEach(closeRigs);

type Over = { retry?: { count: number; on: number[] }; failureResponse?: number; timeout?: string; gateway?: object; ranges?: [number, number][] };
/** Pool p of a and b (equal weights, count-1 breakers on the given ranges), API `openai` with the given retry. */
const pool = (ids: string[], o: Over) => (u: Record<string, string>) => ({
  backends: { a: { url: u.a, circuitBreaker: rule({ ranges: o.ranges }) }, b: { url: u.b, circuitBreaker: rule({ ranges: o.ranges }) } },
  pools: { p: { services: ids.map((backend) => ({ backend })), ...(o.failureResponse ? { failureResponse: { statusCode: o.failureResponse } } : {}) } },
  apis: { 'azure-openai': { path: 'openai', backend: 'p', ...(o.retry ? { retry: o.retry } : {}), ...(o.timeout ? { timeout: o.timeout } : {}) } },
  ...(o.gateway ? { gateway: o.gateway } : {}),
});
const policyOf = (build: (u: Record<string, string>) => object) => {
  const v = validateWorkspace({ version: 1, ...build({ a: 'https://a.example.com', b: 'https://b.example.com' }) });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return apiPolicyXml(v.workspace as Workspace, 'azure-openai');
};

type El = Record<string, unknown>;
/** What the exported `<on-error>` answers for an error of forward-request with the given `context.LastError.Reason`. */
function onErrorAnswer(policy: string, reason: string): { status: number; contentType: unknown; body: { error: Record<string, string> } } | undefined {
  const onError = (new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(policy) as { policies: El }).policies['on-error'] as El;
  const whens = [((onError.choose as El | undefined)?.when ?? [])].flat() as El[];
  const when = whens.find((w) => w['@condition'] === `@(context.LastError.Source == "forward-request" && context.LastError.Reason == "${reason}")`);
  const answer = when?.['return-response'] as El | undefined;
  if (!answer) return undefined;
  return { status: Number((answer['set-status'] as El)['@code']), contentType: (answer['set-header'] as El).value, body: JSON.parse(String(answer['set-body'])) as { error: Record<string, string> } };
}

describe('fidelity: retry, transport failures and timeouts', () => {
  it('F-RETRY-1: a listed status is retried at once on another member; an unlisted one passes through', async () => {
    const build = pool(['a', 'b'], { retry: { count: 1, on: [429] }, ranges: [[429, 429]] });
    const r = await startRig(['a', 'b'], build);
    r.backends.a!.behave({ kind: 'status', status: 429 });
    const x = await r.chat();
    expect([x.status, x.backend, x.attempts]).toEqual([200, 'b', '2']);
    expect(r.events.filter((e) => e.type === 'failover').map((e) => [e.backend, e.to])).toEqual([['a', 'b']]);
    r.backends.b!.behave({ kind: 'status', status: 400 });
    const y = await r.chat();
    expect([y.status, y.backend, y.attempts]).toEqual([400, 'b', '1']);
    expect(policyOf(build)).toContain('<retry condition="@(context.Response.StatusCode == 429)" count="1" interval="0" first-fast-retry="true">');
  });

  it('F-RETRY-2: the body is replayed to the next member; a body over retryBufferBytes is not retried', async () => {
    const r = await startRig(['a', 'b'], pool(['a', 'b'], { retry: { count: 1, on: [429] }, gateway: { retryBufferBytes: 1024 } }));
    r.backends.a!.behave({ kind: 'status', status: 429 });
    const small = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(100) }] });
    expect((await r.chat({ body: small })).backend).toBe('b');
    expect(r.backends.b!.received[0]!.body).toBe(small);
    r.gw.reset('a');
    r.backends.b!.behave({ kind: 'status', status: 429 });
    const big = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(2000) }] });
    const x = await r.chat({ body: big });
    expect([x.status, x.attempts, r.calls().a! + r.calls().b!]).toEqual([429, '1', 3]);
    expect(policyOf(pool(['a', 'b'], { retry: { count: 1, on: [429] } }))).toContain('<forward-request buffer-request-body="true" />');
  });

  it("F-RETRY-3: no response counts as APIM's 500: retry.on [429] never re-sends it, a list naming 500 does", async () => {
    const only429 = await startRig(['refused:a', 'b'], pool(['a', 'b'], { retry: { count: 1, on: [429] } }));
    const x = await only429.chat();
    expect([x.status, x.code, x.attempts, only429.calls().b]).toEqual([502, 'BackendUnavailable', '1', 0]);
    const with500 = await startRig(['refused:a', 'b'], pool(['a', 'b'], { retry: { count: 1, on: [429, 500] } }));
    const y = await with500.chat();
    expect([y.status, y.backend, y.attempts]).toEqual([200, 'b', '2']);
    expect(policyOf(pool(['a', 'b'], { retry: { count: 1, on: [429, 500] } }))).toContain('condition="@(context.Response.StatusCode == 429 || context.Response.StatusCode == 500)"');
  });

  it("F-RETRY-4: a retry that finds every member open gets the pool's 503 (or failureResponse), not the last answer", async () => {
    for (const [failureResponse, status] of [[undefined, 503], [529, 529]] as const) {
      const r = await startRig(['a', 'b'], pool(['a', 'b'], { retry: { count: 3, on: [429] }, failureResponse }));
      r.backends.a!.behave({ kind: 'status', status: 429 });
      r.backends.b!.behave({ kind: 'status', status: 429 });
      const x = await r.chat();
      expect([x.status, x.code, x.attempts, r.calls()]).toEqual([status, 'NoHealthyBackend', '2', { a: 1, b: 1 }]);
    }
  });

  it('F-RETRY-5: every try goes back to the pool (a member that failed without tripping can be picked again)', async () => {
    const build = pool(['a', 'b'], { retry: { count: 3, on: [500] }, ranges: [[429, 429]] });
    const r = await startRig(['a', 'b'], build);
    r.backends.a!.behave({ kind: 'status', status: 500 });
    r.backends.b!.behave({ kind: 'status', status: 500 });
    const x = await r.chat();
    expect([x.status, x.attempts, r.calls()]).toEqual([500, '4', { a: 2, b: 2 }]);
    expect(policyOf(build)).toMatch(/<retry [^>]*>\n {12}<set-backend-service backend-id="p" \/>\n {12}<forward-request buffer-request-body="true" \/>\n {8}<\/retry>/);
  });

  it("F-RETRY-6: the API's timeout bounds the wait for headers (exported as timeout=); the default is APIM's 300 s", async () => {
    const build = pool(['a', 'b'], { timeout: 'PT0.3S', gateway: { timeouts: { response: 'PT60S' } } });
    const r = await startRig(['a', 'b'], build);
    r.backends.a!.behave({ kind: 'hang' });
    r.backends.b!.behave({ kind: 'hang' });
    const x = await r.chat();
    expect([x.status, x.code]).toEqual([504, 'BackendTimeout']);
    expect(policyOf(pool(['a', 'b'], { timeout: 'PT60S' }))).toContain('<forward-request timeout="60" />');
    const v = validateWorkspace({ version: 1, ...pool(['a'], {})({ a: 'https://a.example.com', b: 'https://b.example.com' }) });
    expect(compileRoutes(v.ok ? v.workspace : (undefined as never)).apis[0]!.responseMs).toBe(300_000);
  }, 20_000);

  it('F-RETRY-7: retries used up: the last answer passes through as the backend sent it', async () => {
    const r = await startRig(['a', 'b'], pool(['a', 'b'], { retry: { count: 1, on: [500] }, ranges: [[429, 429]] }));
    r.backends.a!.behave({ kind: 'status', status: 500, body: '{"from":"a"}' });
    r.backends.b!.behave({ kind: 'status', status: 500, body: '{"from":"b"}' });
    const x = await r.chat();
    expect([x.status, x.attempts, x.body]).toEqual([500, '2', `{"from":"${x.backend}"}`]);
  });

  it("F-RETRY-8: no response and no retry left: 502 BackendUnavailable / 504 BackendTimeout here, and the exported on-error makes APIM answer the same", async () => {
    const refused = await startRig(['refused:a', 'b'], pool(['a'], {}));
    const n = await refused.chat();
    expect([n.status, n.code, n.backend, n.attempts]).toEqual([502, 'BackendUnavailable', 'a', '1']);
    const hung = await startRig(['a', 'b'], pool(['a'], { timeout: 'PT0.2S' }));
    hung.backends.a!.behave({ kind: 'hang' });
    const x = await hung.chat();
    expect([x.status, x.code, x.backend]).toEqual([504, 'BackendTimeout', 'a']);
    // APIM raises BackendConnectionFailure / Timeout from forward-request; the exported on-error turns them into the
    // same status, content type and body shape (only the words differ: they name no backend).
    const policy = policyOf(pool(['a', 'b'], { retry: { count: 1, on: [429] } }));
    for (const [reason, local] of [['BackendConnectionFailure', n], ['Timeout', x]] as const) {
      const apim = onErrorAnswer(policy, reason);
      const body = JSON.parse(local.body) as { error: Record<string, string> };
      expect(apim, reason).toMatchObject({ status: local.status, contentType: local.headers.get('content-type')!.split(';')[0], body: { error: { code: local.code } } });
      expect(Object.keys(apim!.body.error)).toEqual(Object.keys(body.error));
      expect(apim!.body.error.message).not.toMatch(/\ba\b|\bp\b|example\.com/);
    }
    // Errors of anything else keep APIM's default: <base /> comes first and nothing is mapped otherwise.
    expect(policy).toMatch(/<on-error>\n {8}<base \/>\n {8}<choose>/);
    expect(policy).not.toContain('<otherwise>');
  });
});
