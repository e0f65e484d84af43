import { describe, expect, it } from 'vitest';
import type { ResourceChange } from '../../shared/deploy';
import { intendedState } from './intended';
import { rewritePolicy } from './policy/rewrite';
import { holds, whatOf, type Snapshot } from './resource-ops';

/*
 * The two judgements apply and rollback rest on, without a service: whether the service holds a given state
 * (content, not ETag; nulls as missing) and what a step means to write given what the service held just before.
 * A wrong answer here turns a landed write into a rollback, or leaves someone else's change overwritten.
 */

const T = { subscription: 's', resourceGroup: 'rg', service: 'svc' };
const yes = (body: Snapshot['body'], extra: Partial<Snapshot> = {}): Snapshot => ({ exists: true, etag: '"e1"', body, ...extra });
const none: Snapshot = { exists: false };

describe('whatOf', () => {
  it('names each kind in words with the service and resource group', () => {
    expect(whatOf(T, { kind: 'namedValue', id: 'k' })).toBe("named value 'k' in service svc (resource group rg)");
    expect(whatOf(T, { kind: 'apiPolicy', id: 'a' })).toBe("the policy of api 'a' in service svc (resource group rg)");
    expect(whatOf(T, { kind: 'backend', id: 'b' })).toBe("backend 'b' in service svc (resource group rg)");
    expect(whatOf(T, { kind: 'pool', id: 'p' })).toBe("pool 'p' in service svc (resource group rg)");
  });
});

describe('holds', () => {
  it('existence first: missing holds missing only', () => {
    expect(holds('backend', none, none)).toBe(true);
    expect(holds('backend', yes({}), none)).toBe(false);
    expect(holds('backend', none, yes({}))).toBe(false);
    expect(holds('apiPolicy', none, none)).toBe(true);
  });

  it('backends and pools compare content, nulls as missing, never the ETag', () => {
    for (const kind of ['backend', 'pool'] as const) {
      expect(holds(kind, yes({ url: 'u', title: null }, { etag: '"a"' }), yes({ url: 'u' }, { etag: '"b"' }))).toBe(true);
      expect(holds(kind, yes({ url: 'u' }), yes({ url: 'v' }))).toBe(false);
      expect(holds(kind, yes({ url: 'u', pool: { services: [{ id: 'a' }] } }), yes({ url: 'u', pool: { services: [{ id: 'b' }] } }))).toBe(false);
    }
  });

  it('a policy compares its XML only', () => {
    expect(holds('apiPolicy', yes({ value: '<p/>', format: 'xml' }), yes({ value: '<p/>', format: 'rawxml' }))).toBe(true);
    expect(holds('apiPolicy', yes({ value: '<p/>' }), yes({ value: '<q/>' }))).toBe(false);
  });

  it('a named value compares display name, secrecy and, when known, its value', () => {
    const nv = (displayName: string, secret: boolean | undefined, value?: string): Snapshot => ({ exists: true, body: { displayName, ...(secret === undefined ? {} : { secret }) }, value });
    expect(holds('namedValue', nv('k', true, 'v1'), nv('k', true, 'v1'))).toBe(true);
    expect(holds('namedValue', nv('k', true, 'v1'), nv('k', true, 'v2'))).toBe(false);
    // The wanted value is unknown (a Key Vault reference): content without it.
    expect(holds('namedValue', nv('k', true, 'v1'), nv('k', true))).toBe(true);
    expect(holds('namedValue', nv('k', true, 'v1'), nv('other', true, 'v1'))).toBe(false);
    expect(holds('namedValue', nv('k', false, 'v1'), nv('k', true, 'v1'))).toBe(false);
    // A secret flag APIM leaves out is false.
    expect(holds('namedValue', nv('k', undefined, 'v1'), nv('k', false, 'v1'))).toBe(true);
  });
});

describe('intendedState', () => {
  const step = (kind: ResourceChange['kind'], action: ResourceChange['action'], body?: unknown): ResourceChange => ({ kind, id: 'x', action, body }) as ResourceChange;

  it('a delete means the resource is gone', () => {
    expect(intendedState(step('backend', 'delete'), yes({ url: 'u' }), undefined)).toEqual({ exists: false });
  });

  it("a backend keeps the service's fields the workspace does not own", () => {
    const before = yes({ url: 'old', protocol: 'http', tls: { validateCertificateChain: true } });
    expect(intendedState(step('backend', 'update', { url: 'new', protocol: 'http' }), before, undefined)).toEqual({ exists: true, body: { url: 'new', protocol: 'http', tls: { validateCertificateChain: true } } });
    // Nothing before: only the workspace's fields.
    expect(intendedState(step('backend', 'create', { url: 'new', protocol: 'http' }), none, undefined)).toEqual({ exists: true, body: { url: 'new', protocol: 'http' } });
  });

  it('a pool is the pool the workspace sets, over what the service held', () => {
    const body = { type: 'Pool', pool: { services: [{ id: '/backends/a', priority: 1 }] } };
    expect(intendedState(step('pool', 'create', body), none, undefined)).toEqual({ exists: true, body });
  });

  it('a policy without wiring is written as given, xml by default', () => {
    expect(intendedState(step('apiPolicy', 'create', { value: '<policies />' }), none, undefined)).toEqual({ exists: true, body: { value: '<policies />', format: 'xml' } });
    expect(intendedState(step('apiPolicy', 'create', { value: '<p/>', format: 'rawxml' }), none, undefined)).toEqual({ exists: true, body: { value: '<p/>', format: 'rawxml' } });
    expect(intendedState(step('apiPolicy', 'create', {}), none, undefined)).toEqual({ exists: true, body: { value: '', format: 'xml' } });
  });

  it("a wired policy rewrites only Breakerboard's elements of the service's policy, in the service's format", () => {
    const current = '<policies>\n    <inbound>\n        <base />\n        <rate-limit calls="5" renewal-period="60" />\n    </inbound>\n    <backend>\n        <base />\n    </backend>\n</policies>';
    const wiring = { backendId: 'pool-a' };
    const out = intendedState(step('apiPolicy', 'update', { wiring }), yes({ value: current, format: 'rawxml' }), undefined);
    expect(out).toEqual({ exists: true, body: { value: rewritePolicy(current, wiring), format: 'rawxml' } });
    expect(String(out.body?.value)).toContain('<rate-limit calls="5" renewal-period="60" />');
    expect(String(out.body?.value)).toContain('<set-backend-service backend-id="pool-a" />');
  });

  it('a named value carries its value in memory', () => {
    expect(intendedState(step('namedValue', 'update', { displayName: 'k', secret: true }), yes({ displayName: 'k' }), 's3cret')).toEqual({ exists: true, body: { displayName: 'k', secret: true }, value: 's3cret' });
    expect(intendedState(step('namedValue', 'create'), none, undefined)).toEqual({ exists: true, body: {}, value: undefined });
  });
});
