import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../../shared/model';
import type { KeySource } from '../../../shared/semantics/token-key';
import { keySource, labelName, subscriptionFingerprint, TokenPolicies } from './policies';

// Exact values of the token policies' small helpers: label names, default dimensions, counter keys, reload state.

const req = (headers: Record<string, string | string[]>, remoteAddress?: string) =>
  ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;
const ws = (apis: Record<string, unknown>) => ({ apis }) as unknown as Workspace;
const ctx = { api: 'azure-openai', operation: 'chat/completions' };
const src: KeySource = { header: (n) => (n === 'x-tenant' ? 'contoso' : undefined), ip: '10.0.0.1', subscription: 'sub-abc' };
const fp = (k: string) => `sub-${createHash('sha256').update(k).digest('hex').slice(0, 12)}`;

describe('labelName', () => {
  it('sanitises dimension names into Prometheus label names', () => {
    expect(labelName('  API ID  ')).toBe('api_id');
    expect(labelName(' x ')).toBe('x');
    expect(labelName('a -- b')).toBe('a_b');
    expect(labelName('--a--')).toBe('a');
    expect(labelName('a!')).toBe('a');
    expect(labelName('!a')).toBe('a');
    expect(labelName('a_!!')).toBe('a');
    expect(labelName('!!_a')).toBe('a');
    expect(labelName('___')).toBe('d_');
    expect(labelName('')).toBe('d_');
    expect(labelName('9lives')).toBe('d_9lives');
    expect(labelName('v9')).toBe('v9');
    expect(labelName('Api')).toBe('dim_api');
    expect(labelName('Backend')).toBe('dim_backend');
    expect(labelName('kind')).toBe('dim_kind');
    expect(labelName('apis')).toBe('apis');
    expect(labelName('d__x')).toBe('d__x');
    expect(labelName('x__')).toBe('x');
  });
});

describe('dimensions of a token metric', () => {
  it('reads each default dimension and custom ones', () => {
    const p = new TokenPolicies();
    const dims = ['API ID', 'Operation ID', 'Product ID', 'User ID', 'Subscription ID', 'Location', 'Gateway ID'];
    const custom = [{ name: 'Tenant', header: 'X-Tenant' }, { name: 'Missing', header: 'x-none' }, { name: 'Caller', value: '@(context.Request.IpAddress)' }, { name: 'Other', value: '@(context.Variables["x"])' }];
    p.install(ws({ a: { tokenMetric: { dimensions: [...dims, ...custom] } } }), 1);
    const read = p.get('a')!.metric!.dimensions.map((d) => [d.label, d.read(src, ctx)]);
    expect(read).toEqual([
      ['api_id', 'azure-openai'],
      ['operation_id', 'chat/completions'],
      ['product_id', ''],
      ['user_id', ''],
      ['subscription_id', 'sub-abc'],
      ['location', 'local'],
      ['gateway_id', 'local'],
      ['tenant', 'contoso'],
      ['missing', ''],
      ['caller', '10.0.0.1'],
      ['other', '(not evaluated locally)'],
    ]);
    expect(p.get('a')!.metric!.dimensions[4]!.read({ ...src, subscription: undefined }, ctx)).toBe('');
    expect(p.get('a')!.limit).toBeUndefined();
  });
});

describe('keySource', () => {
  it('fingerprints the subscription key, preferring ocp-apim-subscription-key', () => {
    expect(subscriptionFingerprint('secret-1')).toBe(fp('secret-1'));
    expect(subscriptionFingerprint('secret-1')).toMatch(/^sub-[0-9a-f]{12}$/);
    expect(keySource(req({ 'ocp-apim-subscription-key': 'k1', 'api-key': 'k2' })).subscription).toBe(fp('k1'));
    expect(keySource(req({ 'api-key': 'k2' })).subscription).toBe(fp('k2'));
    expect(keySource(req({ 'ocp-apim-subscription-key': ['k3', 'k4'] })).subscription).toBe(fp('k3'));
    expect(keySource(req({})).subscription).toBeUndefined();
  });

  it('reads the key once', () => {
    const r = req({ 'api-key': 'k1' });
    const s = keySource(r);
    expect(s.subscription).toBe(fp('k1'));
    r.headers['api-key'] = 'k2';
    expect(s.subscription).toBe(fp('k1'));
  });

  it('strips an IPv4-mapped prefix only at the start, and reads headers', () => {
    expect(keySource(req({}, '::ffff:10.1.2.3')).ip).toBe('10.1.2.3');
    expect(keySource(req({}, '2001:db8::ffff:1')).ip).toBe('2001:db8::ffff:1');
    expect(keySource(req({}, '::ffff:')).ip).toBe('');
    expect(keySource(req({})).ip).toBe('');
    expect(keySource(req({ 'x-a': ['1', '2'], 'x-b': '3' })).header('x-a')).toBe('1');
    expect(keySource(req({ 'x-b': '3' })).header('x-b')).toBe('3');
  });
});

describe('TokenPolicies.install', () => {
  const limit = (tpm: number, quota?: unknown) => ({ tokensPerMinute: tpm, quota, counterKey: { header: 'x-tenant' }, estimatePromptTokens: false, flavour: 'azure-openai' });

  it('keeps a limiter across a reload only while its spec is the same', () => {
    const p = new TokenPolicies();
    p.install(ws({ a: { tokenLimit: limit(100) }, plain: {} }), 60);
    const first = p.get('a')!.limit!.limiter;
    expect(first.windowMs).toBe(1000);
    expect(p.get('a')!.limit!.key(src)).toBe('contoso');
    expect(p.readsBody('a')).toBe(true);
    expect(p.get('plain')).toBeUndefined();
    expect(p.readsBody('plain')).toBe(false);
    p.install(ws({ a: { tokenLimit: limit(100) } }), 60);
    expect(p.get('a')!.limit!.limiter).toBe(first);
    p.install(ws({ a: { tokenLimit: limit(200) } }), 60);
    const second = p.get('a')!.limit!.limiter;
    expect(second).not.toBe(first);
    expect(second.spec.tokensPerMinute).toBe(200);
    p.install(ws({ a: { tokenLimit: limit(200) } }), 1);
    expect(p.get('a')!.limit!.limiter).not.toBe(second);
    expect(p.get('a')!.limit!.limiter.windowMs).toBe(60_000);
  });
});

describe('TokenPolicies.snapshotPart', () => {
  it('adds the second just ended only when it has samples', () => {
    const p = new TokenPolicies();
    expect(p.snapshotPart()).toStrictEqual({});
    p.series.add('a', 'b1', { tenant: 'x' }, 3, 4);
    expect(p.snapshotPart()).toStrictEqual({ llmTokens: [{ api: 'a', backend: 'b1', dimensions: { tenant: 'x' }, prompt: 3, completion: 4 }] });
    expect(p.snapshotPart()).toStrictEqual({});
  });
});
