import { describe, expect, it } from 'vitest';
import { apiKeyHeader, desiredPool, desiredSingle, unmodeledFields } from './desired-backend';
import { diffFields, sameJson, stripNulls } from './diff';
import { formatPlan } from './format-plan';
import { hasChanges, parsePlan, type Plan } from './plan-schema';
import { backendRejections } from './preflight';

const single = { url: 'https://a/openai', protocol: 'http', credentials: { header: { 'api-key': ['{{k}}'] } } };

describe('field-level diff', () => {
  it('names the changed field by path and treats null as missing', () => {
    const before = { pool: { services: [{ id: 'a', weight: 10 }, { id: 'b', weight: 1 }] }, url: null };
    const after = { pool: { services: [{ id: 'a', weight: 10 }, { id: 'b', weight: 5 }] } };
    expect(diffFields(before, after)).toEqual([{ path: 'pool.services[1].weight', before: 1, after: 5 }]);
    expect(sameJson({ a: 1, b: null }, { a: 1 })).toBe(true);
    expect(diffFields({ e: ['x'] }, { e: ['y'] })).toEqual([{ path: 'e', before: ['x'], after: ['y'] }]);
    expect(stripNulls({ a: null, b: [{ c: null, d: 1 }] })).toEqual({ b: [{ d: 1 }] });
  });

  it('treats an empty map or list (as APIM echoes unset fields) as missing, and a filled one as a change', () => {
    expect(sameJson({ circuitBreaker: { rules: [] }, credentials: { header: {}, query: { q: null } } }, {})).toBe(true);
    expect(diffFields({ credentials: { header: {} } }, { credentials: { header: { 'api-key': ['{{k}}'] } } })).toEqual([{ path: 'credentials.header.api-key', after: ['{{k}}'] }]);
    expect(diffFields({ rules: [{ a: 1 }] }, { rules: [] })).toEqual([{ path: 'rules[0]', before: { a: 1 } }]);
    expect(sameJson([], [0])).toBe(false);
    // What is written keeps them: only null goes.
    expect(stripNulls({ header: {}, rules: [], x: null })).toEqual({ header: {}, rules: [] });
  });
});

describe('read-modify-write of backend properties', () => {
  it('keeps what the workspace does not model and replaces what it owns', () => {
    const actual = { ...single, title: 'old', tls: { validateCertificateChain: false }, credentials: { header: { 'api-key': ['{{old}}'], 'x-extra': ['v'] }, query: { a: ['b'] } } };
    const out = desiredSingle(actual, { url: 'https://new/openai', protocol: 'http', credentials: { header: { 'api-key': ['{{k}}'] } } });
    expect(out).toEqual({ url: 'https://new/openai', protocol: 'http', tls: { validateCertificateChain: false }, credentials: { header: { 'x-extra': ['v'], 'api-key': ['{{k}}'] }, query: { a: ['b'] } } });
    expect(desiredSingle(single, { url: 'https://a/openai', protocol: 'http' })).toEqual({ url: 'https://a/openai', protocol: 'http' });
    expect(unmodeledFields(actual)).toEqual(['credentials.header (x-extra)', 'credentials.query', 'tls']);
    // What APIM echoes by default is not reported as unmodeled.
    expect(unmodeledFields({ ...single, tls: { validateCertificateChain: true, validateCertificateName: true }, credentials: { header: { 'api-key': ['{{k}}'] }, query: {}, certificateIds: [] }, properties: {} })).toEqual([]);
  });

  it('keeps the member id form APIM has, and drops url/protocol from pools', () => {
    const actual = { type: 'Pool', url: 'https://legacy', pool: { services: [{ id: '/backends/a', weight: 1 }] } };
    const out = desiredPool(actual, { type: 'Pool', pool: { services: [{ id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/x/backends/a', weight: 2 }] } });
    expect(out).toEqual({ type: 'Pool', pool: { services: [{ id: '/backends/a', weight: 2 }] } });
  });

  it('recognises the api-key header carrying a named value', () => {
    expect(apiKeyHeader({ header: { 'Api-Key': ['{{k}}'] } })).toEqual({ header: 'Api-Key', secret: 'k' });
    expect(apiKeyHeader({ header: { a: ['{{x}}'], b: ['{{y}}'] } })).toBeUndefined();
    expect(apiKeyHeader({ header: { a: ['literal'] } })).toBeUndefined();
  });
});

describe('preflight: what APIM would reject, in its words', () => {
  const exists = (id: string) => (id === 'a' ? 'single' : id === 'p' ? 'pool' : undefined);
  it.each([
    [{ type: 'Pool', url: 'https://x', pool: { services: [{ id: '/backends/a' }] } }, 'url: Url is not supported for backend pool.'],
    [{ type: 'Pool', pool: { services: [{ id: '/backends/west' }] } }, "pool: Backend Entity 'west' not found."],
    [{ type: 'Pool', pool: { services: [{ id: '/backends/p' }] } }, "pool: You can't add a backend of type pool to another backend pool."],
    [{ type: 'Pool', pool: { services: Array.from({ length: 31 }, () => ({ id: '/backends/a' })) } }, 'pool: You can include up to 30 backends in a pool.'],
    [{ ...single, protocol: 'https' }, 'protocol: Protocol is not supported'],
    [{ ...single, circuitBreaker: { rules: [{}, {}] } }, 'circuitBreaker: Only one rule is allowed in a backend circuit breaker.'],
  ])('%j', (props, message) => {
    expect(backendRejections(props, exists)).toContain(message);
  });
});

describe('plan files', () => {
  const plan: Plan = {
    kind: 'breakerboard-plan',
    version: 1,
    createdAt: '2026-11-25T10:00:00.000Z',
    target: { subscription: 's', resourceGroup: 'rg', service: 'svc', endpoint: 'https://management.azure.com' },
    prune: false,
    changes: [
      { kind: 'pool', id: 'p', action: 'update', etag: '"1"', fields: [{ path: 'pool.services[1].weight', before: 1, after: 5 }], body: {} },
      { kind: 'namedValue', id: 'k', action: 'update', fields: [{ path: 'value', secret: true }], secretName: 'k' },
      { kind: 'backend', id: 'b', action: 'unchanged', fields: [] },
    ],
    blockers: [],
    notes: ["backend 'x' is in APIM but not in the workspace: kept (--prune deletes it)"],
  };

  it('round-trips through JSON and prints one line per change with its fields', () => {
    expect(parsePlan(JSON.parse(JSON.stringify(plan)))).toEqual({ ok: true, plan });
    expect(parsePlan({ ...plan, changes: [{ kind: 'x' }] }).ok).toBe(false);
    expect(hasChanges(plan)).toBe(true);
    expect(formatPlan(plan)).toEqual([
      'plan for svc (resource group rg, subscription s)',
      '  ~ update pool p',
      '      pool.services[1].weight: 1 → 5',
      '  ~ update named value k',
      '      value: (secret value differs)',
      "  note: backend 'x' is in APIM but not in the workspace: kept (--prune deletes it)",
      '0 to create, 2 to update, 0 to delete, 1 unchanged',
    ]);
  });
});
