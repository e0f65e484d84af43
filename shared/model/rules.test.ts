import { describe, expect, it } from 'vitest';
import { baseWorkspace, breakerRule, setPath, workspaceWith, type Plain } from '../../test/support/workspace-arbitrary';
import { validateWorkspace, validateWorkspaceText } from './validate';

/*
 * Every validation rule of issue 2 (APIM-SEMANTICS §3, DESIGN §1): one edit that stays valid and one that breaks
 * the rule, with the exact path of the error and the gist of its message.
 */

const errorsOf = (ws: Plain) => {
  const r = validateWorkspace(ws);
  return r.ok ? [] : r.errors;
};

const fc = 'backends.b1.circuitBreaker.rules[0].failureCondition';
const rule0 = 'backends.b1.circuitBreaker.rules[0]';
const repeat = (n: number, make: (i: number) => unknown) => Array.from({ length: n }, (_, i) => make(i));
const manyBackends = (n: number) => Object.fromEntries(repeat(n, (i) => [`m${i}`, { url: `https://m${i}.example.com` }]) as [string, unknown][]);
const longUrl = (length: number) => `https://example.com/${'a'.repeat(length - 'https://example.com/'.length)}`;
const id80 = 'x'.repeat(80);
const id81 = 'x'.repeat(81);

interface RuleCase {
  rule: string;
  /** Edits that keep the rule (none: the base workspace is the passing case). */
  valid: [string, unknown][];
  invalid: [string, unknown][];
  path: string;
  message: RegExp;
}

const cases: RuleCase[] = [
  { rule: 'backend id at most 80 chars', valid: [[`backends.${id80}`, { url: 'https://x.example.com' }]], invalid: [[`backends.${id81}`, { url: 'https://x.example.com' }]], path: `backends.${id81}`, message: /id must be at most 80 characters/ },
  { rule: 'backend id characters', valid: [['backends["a.b_c-1"]', { url: 'https://x.example.com' }]], invalid: [['backends["has space"]', { url: 'https://x.example.com' }]], path: 'backends["has space"]', message: /may contain only letters, digits/ },
  { rule: 'pool id at most 80 chars', valid: [[`pools.${id80}`, { services: [{ backend: 'b1' }] }]], invalid: [[`pools.${id81}`, { services: [{ backend: 'b1' }] }]], path: `pools.${id81}`, message: /id must be at most 80 characters/ },
  { rule: 'api id at most 80 chars', valid: [[`apis.${id80}`, { path: 'two', backend: 'b1' }]], invalid: [[`apis.${id81}`, { path: 'two', backend: 'b1' }]], path: `apis.${id81}`, message: /id must be at most 80 characters/ },
  { rule: 'url is absolute', valid: [['backends.b1.url', 'http://10.0.0.1:8080/openai']], invalid: [['backends.b1.url', 'b1.example.com/openai']], path: 'backends.b1.url', message: /must be an absolute http\(s\) URL/ },
  { rule: 'url is http(s)', valid: [['backends.b1.url', 'https://b1.example.com']], invalid: [['backends.b1.url', 'ftp://b1.example.com']], path: 'backends.b1.url', message: /must be an absolute http\(s\) URL/ },
  { rule: 'url at most 2000 chars', valid: [['backends.b1.url', longUrl(2000)]], invalid: [['backends.b1.url', longUrl(2001)]], path: 'backends.b1.url', message: /^must be at most 2000 characters$/ },
  { rule: 'url is required', valid: [], invalid: [['backends.b1.url', undefined]], path: 'backends.b1.url', message: /^is required$/ },
  { rule: 'title at most 300 chars', valid: [['backends.b1.title', 't'.repeat(300)]], invalid: [['backends.b1.title', 't'.repeat(301)]], path: 'backends.b1.title', message: /^must be at most 300 characters$/ },
  { rule: 'pool title at most 300 chars', valid: [['pools.p1.title', 't'.repeat(300)]], invalid: [['pools.p1.title', 't'.repeat(301)]], path: 'pools.p1.title', message: /^must be at most 300 characters$/ },
  { rule: 'description at most 2000 chars', valid: [['backends.b1.description', 'd'.repeat(2000)]], invalid: [['backends.b1.description', 'd'.repeat(2001)]], path: 'backends.b1.description', message: /^must be at most 2000 characters$/ },
  { rule: 'pool description at most 2000 chars', valid: [['pools.p1.description', 'd'.repeat(2000)]], invalid: [['pools.p1.description', 'd'.repeat(2001)]], path: 'pools.p1.description', message: /^must be at most 2000 characters$/ },
  { rule: 'pool has a member', valid: [['pools.p1.services', [{ backend: 'b1' }]]], invalid: [['pools.p1.services', []]], path: 'pools.p1.services', message: /at least one member/ },
  {
    rule: 'pool has at most 30 members',
    valid: [['backends', manyBackends(30)], ['pools.p1.services', repeat(30, (i) => ({ backend: `m${i}` }))], ['apis', {}], ['simulation', {}]],
    invalid: [['backends', manyBackends(31)], ['pools.p1.services', repeat(31, (i) => ({ backend: `m${i}` }))], ['apis', {}], ['simulation', {}]],
    path: 'pools.p1.services',
    message: /at most 30 backends in a pool/,
  },
  { rule: 'pool member exists', valid: [['pools.p1.services[1].backend', 'b2']], invalid: [['pools.p1.services[1].backend', 'nope']], path: 'pools.p1.services[1].backend', message: /^backend "nope" does not exist$/ },
  { rule: 'member named like an inherited property', valid: [], invalid: [['pools.p1.services[1].backend', 'toString']], path: 'pools.p1.services[1].backend', message: /^backend "toString" does not exist$/ },
  { rule: 'no duplicate member', valid: [], invalid: [['pools.p1.services[1].backend', 'b1']], path: 'pools.p1.services[1].backend', message: /"b1" is already a member \(services\[0\]\)/ },
  { rule: 'no pool in a pool', valid: [['pools.p2', { services: [{ backend: 'b1' }] }]], invalid: [['pools.p2', { services: [{ backend: 'p1' }] }]], path: 'pools.p2.services[0].backend', message: /"p1" is a pool: APIM does not allow a pool inside a pool/ },
  { rule: 'weight at most 100', valid: [['pools.p1.services[1].weight', 100]], invalid: [['pools.p1.services[1].weight', 101]], path: 'pools.p1.services[1].weight', message: /^must be between 0 and 100$/ },
  { rule: 'weight at least 0', valid: [['pools.p1.services[1].weight', 0]], invalid: [['pools.p1.services[1].weight', -1]], path: 'pools.p1.services[1].weight', message: /^must be between 0 and 100$/ },
  { rule: 'weight is an integer', valid: [['pools.p1.services[1].weight', 2]], invalid: [['pools.p1.services[1].weight', 1.5]], path: 'pools.p1.services[1].weight', message: /whole number/ },
  { rule: 'weight is a number', valid: [], invalid: [['pools.p1.services[1].weight', '10']], path: 'pools.p1.services[1].weight', message: /^must be a whole number$/ },
  { rule: 'priority at most 100', valid: [['pools.p1.services[0].priority', 100], ['pools.p1.services[1].priority', 0]], invalid: [['pools.p1.services[0].priority', 101]], path: 'pools.p1.services[0].priority', message: /^must be between 0 and 100$/ },
  { rule: 'priority is an integer', valid: [], invalid: [['pools.p1.services[0].priority', 0.5]], path: 'pools.p1.services[0].priority', message: /whole number/ },
  { rule: 'at most one breaker rule', valid: [['backends.b1.circuitBreaker.rules', [breakerRule()]]], invalid: [['backends.b1.circuitBreaker.rules', [breakerRule(), breakerRule()]]], path: 'backends.b1.circuitBreaker.rules', message: /one circuit breaker rule per backend/ },
  { rule: 'count and percentage not both', valid: [[`${fc}.count`, undefined], [`${fc}.percentage`, 50]], invalid: [[`${fc}.percentage`, 50]], path: `${fc}.percentage`, message: /set exactly one of count or percentage/ },
  { rule: 'count or percentage present', valid: [], invalid: [[`${fc}.count`, undefined]], path: `${fc}.count`, message: /set exactly one of count or percentage/ },
  { rule: 'count at least 1', valid: [[`${fc}.count`, 1]], invalid: [[`${fc}.count`, 0]], path: `${fc}.count`, message: /^must be between 1 and / },
  { rule: 'percentage at least 1', valid: [[`${fc}.count`, undefined], [`${fc}.percentage`, 1]], invalid: [[`${fc}.count`, undefined], [`${fc}.percentage`, 0]], path: `${fc}.percentage`, message: /^must be between 1 and 100$/ },
  { rule: 'percentage at most 100', valid: [[`${fc}.count`, undefined], [`${fc}.percentage`, 100]], invalid: [[`${fc}.count`, undefined], [`${fc}.percentage`, 101]], path: `${fc}.percentage`, message: /^must be between 1 and 100$/ },
  { rule: 'interval is ISO 8601', valid: [[`${fc}.interval`, 'PT30S'], [`${rule0}.tripDuration`, 'PT30S']], invalid: [[`${fc}.interval`, '1 minute']], path: `${fc}.interval`, message: /"1 minute" is not an ISO 8601 duration/ },
  { rule: 'interval above zero', valid: [[`${fc}.interval`, 'PT1S']], invalid: [[`${fc}.interval`, 'PT0S']], path: `${fc}.interval`, message: /^must be greater than zero$/ },
  { rule: 'interval P1M refused with a hint', valid: [[`${fc}.interval`, 'PT1M']], invalid: [[`${fc}.interval`, 'P1M']], path: `${fc}.interval`, message: /years and months are not allowed \(P1M is 1 month\(s\); write PT1M for minutes\)/ },
  { rule: 'tripDuration is ISO 8601', valid: [[`${rule0}.tripDuration`, 'P1D']], invalid: [[`${rule0}.tripDuration`, 'soon']], path: `${rule0}.tripDuration`, message: /not an ISO 8601 duration/ },
  { rule: 'tripDuration above zero', valid: [[`${rule0}.tripDuration`, 'PT2M']], invalid: [[`${rule0}.tripDuration`, 'PT0M']], path: `${rule0}.tripDuration`, message: /^must be greater than zero$/ },
  { rule: 'tripDuration P5M refused with a hint', valid: [[`${rule0}.tripDuration`, 'PT5M']], invalid: [[`${rule0}.tripDuration`, 'P5M']], path: `${rule0}.tripDuration`, message: /write PT5M for minutes/ },
  { rule: 'at most 10 status ranges', valid: [[`${fc}.statusCodeRanges`, repeat(10, () => ({ min: 429, max: 429 }))]], invalid: [[`${fc}.statusCodeRanges`, repeat(11, () => ({ min: 429, max: 429 }))]], path: `${fc}.statusCodeRanges`, message: /at most 10 status code ranges/ },
  { rule: 'range min at least 200', valid: [[`${fc}.statusCodeRanges[0].min`, 200]], invalid: [[`${fc}.statusCodeRanges[0].min`, 199]], path: `${fc}.statusCodeRanges[0].min`, message: /^must be between 200 and 599$/ },
  { rule: 'range max at most 599', valid: [[`${fc}.statusCodeRanges[0].max`, 599]], invalid: [[`${fc}.statusCodeRanges[0].max`, 600]], path: `${fc}.statusCodeRanges[0].max`, message: /^must be between 200 and 599$/ },
  { rule: 'range min not above max', valid: [[`${fc}.statusCodeRanges[0]`, { min: 503, max: 503 }]], invalid: [[`${fc}.statusCodeRanges[0]`, { min: 503, max: 500 }]], path: `${fc}.statusCodeRanges[0].min`, message: /^min must not be greater than max$/ },
  { rule: 'at most 10 error reasons', valid: [[`${fc}.errorReasons`, repeat(10, (i) => `r${i}`)]], invalid: [[`${fc}.errorReasons`, repeat(11, (i) => `r${i}`)]], path: `${fc}.errorReasons`, message: /at most 10 error reasons/ },
  { rule: 'error reason at most 200 chars', valid: [[`${fc}.errorReasons[0]`, 'e'.repeat(200)]], invalid: [[`${fc}.errorReasons[0]`, 'e'.repeat(201)]], path: `${fc}.errorReasons[0]`, message: /^must be at most 200 characters$/ },
  { rule: 'api path is a relative path', valid: [['apis.a1.path', 'openai/v1']], invalid: [['apis.a1.path', '/openai']], path: 'apis.a1.path', message: /must be a relative URL path without leading or trailing "\/"/ },
  { rule: 'api path has no spaces', valid: [['apis.a1.path', 'open-ai']], invalid: [['apis.a1.path', 'open ai']], path: 'apis.a1.path', message: /must be a relative URL path/ },
  { rule: 'api paths unique', valid: [['apis.a2', { path: 'other', backend: 'b1' }]], invalid: [['apis.a2', { path: 'OpenAI', backend: 'b1' }]], path: 'apis.a2.path', message: /^path "OpenAI" is already used by api "a1"$/ },
  { rule: 'api backend exists', valid: [['apis.a1.backend', 'b1']], invalid: [['apis.a1.backend', 'nope']], path: 'apis.a1.backend', message: /^no backend or pool named "nope"$/ },
  { rule: 'retry count at most 50', valid: [['apis.a1.retry.count', 0]], invalid: [['apis.a1.retry.count', 51]], path: 'apis.a1.retry.count', message: /^must be between 0 and 50$/ },
  { rule: 'retry count not negative', valid: [], invalid: [['apis.a1.retry.count', -1]], path: 'apis.a1.retry.count', message: /^must be between 0 and 50$/ },
  { rule: 'retry codes at least 100', valid: [['apis.a1.retry.on', [100, 599]]], invalid: [['apis.a1.retry.on', [429, 99]]], path: 'apis.a1.retry.on[1]', message: /^must be between 100 and 599$/ },
  { rule: 'retry codes at most 599', valid: [], invalid: [['apis.a1.retry.on', [600]]], path: 'apis.a1.retry.on[0]', message: /^must be between 100 and 599$/ },
  { rule: 'retry codes not empty', valid: [['apis.a1.retry.on', undefined]], invalid: [['apis.a1.retry.on', []]], path: 'apis.a1.retry.on', message: /at least one status code/ },
  { rule: 'simulation keys name backends', valid: [['simulation.b2', { tokensPerMinute: 5 }]], invalid: [['simulation.nope', { tokensPerMinute: 5 }]], path: 'simulation.nope', message: /^no backend named "nope" to simulate$/ },
  { rule: 'secret name characters', valid: [['backends.b1.auth.secret', 'a.b_c-D9']], invalid: [['backends.b1.auth.secret', 'my key!']], path: 'backends.b1.auth.secret', message: /must be 1-256 letters, digits/ },
  { rule: 'secret name at most 256 chars', valid: [['backends.b1.auth.secret', 's'.repeat(256)]], invalid: [['backends.b1.auth.secret', 's'.repeat(257)]], path: 'backends.b1.auth.secret', message: /must be 1-256 letters/ },
  { rule: 'secret names map to distinct variables', valid: [['backends.b2.auth.secret', 'b1-key']], invalid: [['backends.b2.auth.secret', 'b1.key']], path: 'backends.b2.auth.secret', message: /"b1.key" and "b1-key" both map to the environment variable BREAKERBOARD_SECRET_B1_KEY/ },
  { rule: 'ids unique across backends and pools', valid: [], invalid: [['pools.b1', { services: [{ backend: 'b2' }] }]], path: 'pools.b1', message: /also a backend: backends and pools share one namespace/ },
  {
    rule: 'managed-identity pool shares its auth type',
    valid: [['backends.b1.auth', { type: 'managed-identity' }], ['backends.b2.auth', { type: 'managed-identity' }]],
    invalid: [['backends.b1.auth', { type: 'managed-identity' }]],
    path: 'pools.p1.services',
    message: /mix managed-identity with other auth types/,
  },
  {
    rule: 'managed-identity pool shares one resource',
    valid: [['backends.b1.auth', { type: 'managed-identity', clientId: 'c' }], ['backends.b2.auth', { type: 'managed-identity', clientId: 'c' }]],
    invalid: [['backends.b1.auth', { type: 'managed-identity', resource: 'https://a' }], ['backends.b2.auth', { type: 'managed-identity' }]],
    path: 'pools.p1.services',
    message: /different resource or clientId/,
  },
  { rule: 'credentials header is a header name', valid: [['backends.b1.auth.header', 'Ocp-Apim-Subscription-Key']], invalid: [['backends.b1.auth.header', 'api key']], path: 'backends.b1.auth.header', message: /must be an HTTP header name/ },
  { rule: 'auth type is known', valid: [['backends.b1.auth', { type: 'none' }]], invalid: [['backends.b1.auth', { type: 'password' }]], path: 'backends.b1.auth.type', message: /type must be one of api-key, managed-identity, none/ },
  { rule: 'version is 1', valid: [['version', 1]], invalid: [['version', 0]], path: 'version', message: /^unsupported version 0: this Breakerboard reads version 1$/ },
  { rule: 'newer version refused', valid: [], invalid: [['version', 2]], path: 'version', message: /^version 2 was written by a newer Breakerboard; this one reads version 1$/ },
  { rule: 'version as text refused', valid: [], invalid: [['version', '1']], path: 'version', message: /unsupported version "1"/ },
  { rule: 'version required', valid: [], invalid: [['version', undefined]], path: 'version', message: /^is required \(version: 1\)$/ },
  { rule: 'unknown backend field', valid: [], invalid: [['backends.b1.colour', 'red']], path: 'backends.b1.colour', message: /^unknown field$/ },
  { rule: 'unknown top-level field', valid: [['gateway', { timeouts: { connect: 'PT5S' } }]], invalid: [['gatway', {}]], path: 'gatway', message: /^unknown field$/ },
  { rule: 'unknown breaker field', valid: [], invalid: [[`${fc}.threshold`, 3]], path: `${fc}.threshold`, message: /^unknown field$/ },
  { rule: 'gateway durations refuse P1M', valid: [['gateway.timeouts.response', 'PT2M']], invalid: [['gateway.timeouts.response', 'P2M']], path: 'gateway.timeouts.response', message: /write PT2M for minutes/ },
];

describe('validation rules (issue 2, APIM-SEMANTICS §3)', () => {
  it('starts from a valid workspace without warnings', () => {
    const r = validateWorkspace(baseWorkspace());
    expect(r).toMatchObject({ ok: true, errors: [], warnings: [] });
  });

  for (const c of cases) {
    describe(c.rule, () => {
      // With no edit of its own, the passing case is the base workspace, which keeps the rule.
      it('passes', () => {
        expect(errorsOf(workspaceWith(c.valid))).toEqual([]);
      });
      it(`fails at ${c.path}`, () => {
        const errors = errorsOf(workspaceWith(c.invalid));
        const at = errors.filter((e) => e.path === c.path);
        expect(at, JSON.stringify(errors)).toHaveLength(1);
        expect(at[0]!.message).toMatch(c.message);
      });
    });
  }

  it('reports `path: message` in the documented form', () => {
    const [e] = errorsOf(workspaceWith({ 'pools.p1.services[1].weight': 101 }));
    expect(`${e!.path}: ${e!.message}`).toBe('pools.p1.services[1].weight: must be between 0 and 100');
  });

  it('reports every error at once, shape and reference errors together', () => {
    const ws = workspaceWith([
      ['pools.p1.services[1].weight', 101],
      ['backends.b2.url', 'not a url'],
      ['pools.p2', { services: [{ backend: 'ghost' }, { backend: 'b1' }, { backend: 'b1' }] }],
      ['apis.a1.backend', 'nowhere'],
      ['simulation.phantom', {}],
      ['backends.b1.circuitBreaker.rules[0].tripDuration', 'P1M'],
    ]);
    const paths = errorsOf(ws).map((e) => e.path);
    expect(paths.sort()).toEqual(
      [
        'apis.a1.backend',
        'backends.b1.circuitBreaker.rules[0].tripDuration',
        'backends.b2.url',
        'pools.p1.services[1].weight',
        'pools.p2.services[0].backend',
        'pools.p2.services[2].backend',
        'simulation.phantom',
      ].sort(),
    );
  });

  it('does not report a reference error twice or for members it cannot read', () => {
    const ws = setPath(baseWorkspace(), 'pools.p1.services', [{ backend: 'b1' }, { weight: 3 }]);
    expect(errorsOf(ws)).toEqual([{ path: 'pools.p1.services[1].backend', message: 'is required' }]);
  });

  it('refuses "__proto__" as an id instead of dropping the entry', () => {
    const r = validateWorkspaceText('{ "version": 1, "backends": { "__proto__": { "url": "https://x.example.com" } } }');
    expect(r).toMatchObject({ ok: false, errors: [{ path: 'backends.__proto__', message: '"__proto__" cannot be used as a name' }] });
  });

  it('rejects values that are not maps of settings', () => {
    expect(errorsOf(workspaceWith({ backends: [] }))).toEqual([{ path: 'backends', message: 'must be a map of id → settings' }]);
    expect(validateWorkspace([1, 2])).toMatchObject({ ok: false, errors: [{ path: '(root)' }] });
    expect(validateWorkspace('version: 1')).toMatchObject({ ok: false, errors: [{ path: '(root)' }] });
  });
});
