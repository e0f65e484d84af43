import { describe, expect, it } from 'vitest';
import { desiredPool, desiredSingle, touchedFields, unmodeledFields } from './desired-backend';
import { formatPlan } from './format-plan';
import type { Plan } from './plan-schema';
import { backendRejections, consumptionBreakerMessage } from './preflight';
import { backendApiVersion, previewFieldPaths, PREVIEW_API_VERSION, STABLE_API_VERSION } from './preview-fields';
import { maskField, maskSecrets, SECRET_MARK, secretValues } from './secret-fields';

const rule = { name: 'r', failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }] }, tripDuration: 'PT1M' };

describe('overlay of the workspace fields on what APIM returned', () => {
  it('keeps key order, nulls and unmodelled fields of the service byte for byte', () => {
    const actual = { description: null, url: 'https://a/openai', credentials: { managedIdentity: { resource: 'r' } }, protocol: 'http', tls: { validateCertificateChain: false }, type: 'Single' };
    const out = desiredSingle(actual, { url: 'https://b/openai', protocol: 'http' });
    expect(JSON.stringify(out)).toBe('{"url":"https://b/openai","credentials":{"managedIdentity":{"resource":"r"}},"protocol":"http","tls":{"validateCertificateChain":false},"type":"Single"}');
  });

  it('keeps fields of a newer api-version inside the objects it owns (a rule, a member, the pool)', () => {
    const single = desiredSingle({ url: 'u', protocol: 'http', circuitBreaker: { rules: [{ ...rule, futureKnob: 3, failureCondition: { ...rule.failureCondition, futureWindow: 'x' } }] } }, { url: 'u', protocol: 'http', circuitBreaker: { rules: [{ ...rule, tripDuration: 'PT2M' }] } });
    expect(single.circuitBreaker).toEqual({ rules: [{ ...rule, tripDuration: 'PT2M', futureKnob: 3, failureCondition: { ...rule.failureCondition, futureWindow: 'x' } }] });
    const pool = desiredPool({ type: 'Pool', pool: { services: [{ id: '/backends/a', weight: 1, futureTag: 'k' }], futureMode: 'm' } }, { type: 'Pool', pool: { services: [{ id: '/subscriptions/s/backends/a', weight: 2 }] } });
    expect(pool).toEqual({ type: 'Pool', pool: { services: [{ id: '/backends/a', weight: 2, futureTag: 'k' }], futureMode: 'm' } });
    expect(unmodeledFields({ type: 'Pool', pool: { services: [{ id: 'x', futureTag: 'k' }], futureMode: 'm' } })).toEqual(['pool.futureMode', 'pool.services[0].futureTag']);
  });

  it('replaces a literal api-key header in place and keeps the other headers', () => {
    const out = desiredSingle({ url: 'u', protocol: 'http', credentials: { header: { 'x-a': ['1'], 'API-KEY': ['literal'], 'x-b': ['2'] }, query: { q: ['v'] } } }, { url: 'u', protocol: 'http', credentials: { header: { 'api-key': ['{{k}}'] } } });
    expect(JSON.stringify(out.credentials)).toBe('{"header":{"x-a":["1"],"api-key":["{{k}}"],"x-b":["2"]},"query":{"q":["v"]}}');
    expect(touchedFields('backend', { credentials: { header: { 'api-key': ['{{k}}'] } } })).toContain('credentials.header.api-key');
  });
});

describe('preview fields', () => {
  it('are found wherever 2025-03-01-preview puts them, and choose the api-version', () => {
    const pool = { type: 'Pool', pool: { services: [{ id: 'a' }, { id: 'b', preferredCarbonEmission: 'Low' }], failureResponse: { statusCode: 429 }, sessionAffinity: null } };
    expect(previewFieldPaths(pool)).toEqual(['pool.failureResponse', 'pool.services[1].preferredCarbonEmission']);
    expect(backendApiVersion(pool)).toBe(PREVIEW_API_VERSION);
    expect(previewFieldPaths({ azureRegion: 'eastus', circuitBreaker: { rules: [{ ...rule, failureResponse: { statusCode: 503 } }] } })).toEqual(['azureRegion', 'circuitBreaker.rules[0].failureResponse']);
    expect(backendApiVersion({ url: 'u', protocol: 'http', azureRegion: null })).toBe(STABLE_API_VERSION);
  });
});

describe('secrets in backend properties', () => {
  it('are masked wherever the spec allows one, except pure named-value references', () => {
    const props = { url: 'https://x', proxy: { url: 'http://p', username: 'u', password: 'pw' }, credentials: { header: { 'api-key': ['{{k}}'], x: ['lit'] }, query: { q: ['qv'] }, authorization: { scheme: 'Basic', parameter: 'ap' }, certificateIds: ['c'] } };
    expect(maskSecrets(props)).toEqual({ url: 'https://x', proxy: { url: 'http://p', username: 'u', password: SECRET_MARK }, credentials: { header: { 'api-key': ['{{k}}'], x: SECRET_MARK }, query: { q: SECRET_MARK }, authorization: { scheme: 'Basic', parameter: SECRET_MARK }, certificateIds: ['c'] } });
    expect(secretValues(props).sort()).toEqual(['ap', 'lit', 'pw', 'qv']);
    expect(maskField({ path: 'credentials.header.x', before: ['lit'], after: ['{{k}}'] })).toEqual({ path: 'credentials.header.x', before: SECRET_MARK, after: ['{{k}}'] });
    expect(maskField({ path: 'proxy', before: { password: 'pw' } })).toEqual({ path: 'proxy', before: { password: SECRET_MARK } });
    expect(maskField({ path: 'url', before: 'a', after: 'b' })).toEqual({ path: 'url', before: 'a', after: 'b' });
  });
});

describe('service rules before writing', () => {
  const none = () => undefined;
  it('Consumption has no circuit breaker; the spec limits are named by field', () => {
    expect(backendRejections({ url: 'u', protocol: 'http', circuitBreaker: { rules: [rule] } }, none, { sku: 'Consumption', service: 's' })).toEqual([consumptionBreakerMessage('s', 'Consumption')]);
    expect(backendRejections({ url: 'u', protocol: 'http', circuitBreaker: { rules: [rule] } }, none, { sku: 'Developer', service: 's' })).toEqual([]);
    const bad = { url: 'u', protocol: 'http', title: 'x'.repeat(301), circuitBreaker: { rules: [{ ...rule, failureResponse: { statusCode: 700 }, failureCondition: { ...rule.failureCondition, statusCodeRanges: [{ min: 100, max: 599 }] } }] } };
    expect(backendRejections(bad, none, { id: 'y'.repeat(81) })).toEqual([
      'backendId: must be 1 to 80 characters (it has 81)',
      'title: must be 1 to 300 characters',
      'circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]: min and max must be 200 to 599',
      'circuitBreaker.rules[0].failureResponse.statusCode: must be 100 to 599',
    ]);
  });
});

describe('the plan says what apply touches and what stays', () => {
  it('prints the touched fields, the kept ones, and preview markers', () => {
    const plan: Plan = {
      kind: 'breakerboard-plan',
      version: 1,
      createdAt: '2026-12-03T10:00:00.000Z',
      target: { subscription: 's', resourceGroup: 'rg', service: 'svc', endpoint: 'https://management.azure.com' },
      prune: false,
      changes: [{ kind: 'pool', id: 'p', action: 'update', etag: '"1"', fields: [{ path: 'pool.sessionAffinity.sessionId.name', before: 'a', after: 'b' }, { path: 'pool.services[0].weight', before: 1, after: 2 }], touches: ['pool.services', 'pool.sessionAffinity'], keeps: ['proxy'], apiVersion: PREVIEW_API_VERSION, preview: ['pool.sessionAffinity'] }],
      blockers: [],
      notes: [],
    };
    expect(formatPlan(plan).slice(1, 6)).toEqual([
      '  ~ update pool p',
      '      pool.sessionAffinity.sessionId.name: "a" → "b" (preview)',
      '      pool.services[0].weight: 1 → 2',
      '      apply sets only: pool.services, pool.sessionAffinity; keeps as APIM has them: proxy',
      '      written with the preview api-version 2025-03-01-preview (needed for: pool.sessionAffinity)',
    ]);
  });
});
