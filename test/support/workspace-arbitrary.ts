/*
 * Workspaces for tests: a small valid fixture with edits addressed by the same paths validation reports
 * (`pools.p1.services[1].weight`), and fast-check arbitraries of valid workspaces (below).
 */

import fc from 'fast-check';
import { DEMO_WORKSPACE_YAML, validateWorkspace, validateWorkspaceText, type Workspace } from '../../shared/model';

export type Plain = Record<string, unknown>;

/** A value that must validate, as the validated workspace; a test fixture that does not is a bug in the test. */
export function valid(value: unknown): Workspace {
  const r = validateWorkspace(value);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.workspace;
}

/** The built-in demo, validated. */
export function demoWorkspace(): Workspace {
  const r = validateWorkspaceText(DEMO_WORKSPACE_YAML);
  if (!r.ok) throw new Error(`the built-in demo does not validate: ${JSON.stringify(r.errors)}`);
  return r.workspace;
}

export function breakerRule(): Plain {
  return {
    name: 'rule',
    failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }], errorReasons: ['Server errors'] },
    tripDuration: 'PT1M',
    acceptRetryAfter: true,
  };
}

/** Valid and free of warnings: every test starts from here and changes one thing. */
export function baseWorkspace(): Plain {
  return {
    version: 1,
    backends: {
      b1: { url: 'https://b1.example.com/openai', auth: { type: 'api-key', secret: 'b1-key' }, circuitBreaker: { rules: [breakerRule()] } },
      b2: { url: 'https://b2.example.com/openai', auth: { type: 'api-key', secret: 'b2-key' }, circuitBreaker: { rules: [breakerRule()] } },
    },
    pools: {
      p1: {
        services: [
          { backend: 'b1', priority: 1, weight: 10 },
          { backend: 'b2', priority: 1, weight: 1 },
        ],
      },
    },
    apis: { a1: { path: 'openai', backend: 'p1', retry: { count: 1, on: [429, 503] } } },
    simulation: { b1: { tokensPerMinute: 1000 } },
  };
}

/** `a.b[1]["c.d"]` → ['a', 'b', 1, 'c.d']. */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /(?:^|\.)([A-Za-z0-9_-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < path.length && (m = re.exec(path))) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]!) as string);
  }
  if (re.lastIndex !== path.length) throw new Error(`cannot parse path ${path}`);
  return out;
}

/** Sets (or with `undefined`, deletes) the value at `path`, creating maps on the way. Returns `ws`. */
export function setPath<T extends Plain>(ws: T, path: string, value: unknown): T {
  const keys = parsePath(path);
  let node = ws as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  } else node[last] = value;
  return ws;
}

export function getPath(ws: Plain, path: string): unknown {
  let node: unknown = ws;
  for (const key of parsePath(path)) node = (node as Record<string | number, unknown> | undefined)?.[key];
  return node;
}

/** A copy of the base workspace with edits applied in order (path → value; `undefined` deletes). */
export function workspaceWith(edits: Record<string, unknown> | [string, unknown][] = {}): Plain {
  const ws = baseWorkspace();
  for (const [path, value] of Array.isArray(edits) ? edits : Object.entries(edits)) setPath(ws, path, value);
  return ws;
}

// ---- Files that are not workspaces: each must give a clear error and stay unchanged. ----

/** A billion-laughs document: nine levels of nine aliases each (~387 million nodes if expanded). */
export function aliasBomb(): string {
  const lines = ['version: 1', 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= 8; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** `message` matches the first error; `path` its path (default: the file's own path). */
export const BAD_FILES: { name: string; file: string; content: string | Buffer; message: RegExp; path?: RegExp }[] = [
  { name: 'empty', file: 'empty.yaml', content: '', message: /is empty/ },
  { name: 'whitespace only', file: 'blank.yaml', content: ' \n\t\n  \n', message: /is empty/ },
  { name: 'NUL bytes', file: 'nul.yaml', content: Buffer.from([0x76, 0x65, 0x72, 0x00, 0x01, 0x02, 0x0a]), message: /is not a text file/ },
  { name: 'invalid UTF-8', file: 'latin1.yaml', content: Buffer.from([0x76, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a]), message: /is not a text file \(not UTF-8\)/ },
  { name: 'huge', file: 'huge.yaml', content: `version: 1\n${'# padding padding padding padding padding\n'.repeat(130_000)}`, message: /is larger than 5 MB/ },
  { name: 'wrong types', file: 'types.yaml', content: 'version: 1\nbackends: 5\n', message: /must be a map of id → settings/, path: /^backends$/ },
  { name: 'a list at top level', file: 'list.yaml', content: '- version: 1\n- backends: {}\n', message: /must be a map of settings starting with "version: 1"/ },
  { name: 'a scalar at top level', file: 'scalar.yaml', content: 'hello\n', message: /must be a map of settings/ },
  { name: 'YAML syntax error', file: 'syntax.yaml', content: 'version: 1\nbackends:\n  a: [1, 2\n  b: x\n', message: /^YAML syntax error: /, path: /^line \d+, column \d+$/ },
  { name: 'alias bomb', file: 'bomb.yaml', content: aliasBomb(), message: /cannot be read: .*alias/i },
  { name: 'duplicate keys', file: 'dup.yaml', content: 'version: 1\nbackends: {}\nbackends: {}\n', message: /^YAML syntax error: Map keys must be unique$/, path: /^line 3, column 1$/ },
  { name: 'tab indentation', file: 'tabs.yaml', content: 'version: 1\nbackends:\n\tb: {}\n', message: /^YAML syntax error: Tabs are not allowed as indentation$/, path: /^line 3, column 1$/ },
  { name: 'several YAML documents', file: 'multi.yaml', content: 'version: 1\n---\nversion: 1\n', message: /^YAML syntax error: Source contains multiple documents/, path: /^line 2, column 1$/ },
  { name: 'JSON syntax error', file: 'broken.json', content: '{ "version": 1, "backends": { }\n', message: /YAML syntax error/, path: /^line \d+, column \d+$/ },
];

// ---- fast-check arbitraries of VALID workspaces (every rule of shared/model kept by construction). ----

const idArb = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,14}$/);
/** Text that YAML could misread if written carelessly: keywords, numbers, comment and flow characters. */
const trickyText = fc.constantFrom('yes', 'no', 'null', '~', 'true', '0x1F', '1e3', '012', '- item', '# not a comment', 'a: b', "it's", '"quoted"', ' leading', 'trailing ', '{x}', '[y]', '&anchor', '*alias', '!tag', '%', '@', 'line\nbreak', 'tab\there', 'ünïcödé ✓', '\uFFFD');
const textArb = fc.oneof(trickyText, fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }));
const durationArb = fc.oneof(
  fc.integer({ min: 1, max: 3600 }).map((n) => `PT${n}S`),
  fc.integer({ min: 1, max: 120 }).map((n) => `PT${n}M`),
  fc.integer({ min: 1, max: 48 }).map((n) => `PT${n}H`),
  fc.integer({ min: 1, max: 7 }).map((n) => `P${n}D`),
  fc.constant('PT1M30S'),
);
const statusRangeArb = fc.tuple(fc.integer({ min: 200, max: 599 }), fc.integer({ min: 200, max: 599 })).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));

const breakerRuleArb = fc.record(
  {
    name: textArb,
    failureCondition: fc
      .record(
        {
          threshold: fc.oneof(fc.record({ count: fc.integer({ min: 1, max: 1000 }) }), fc.record({ percentage: fc.integer({ min: 1, max: 100 }) })),
          interval: durationArb,
          statusCodeRanges: fc.array(statusRangeArb, { maxLength: 10 }),
          errorReasons: fc.array(fc.oneof(fc.constant('Server errors'), fc.constant('timeout'), fc.string({ maxLength: 200 })), { maxLength: 10 }),
        },
        { requiredKeys: ['threshold', 'interval'] },
      )
      .map(({ threshold, ...rest }) => ({ ...threshold, ...rest })),
    tripDuration: durationArb,
    acceptRetryAfter: fc.boolean(),
  },
  { requiredKeys: ['name', 'failureCondition', 'tripDuration'] },
);

const urlArb = fc
  .tuple(idArb, fc.constantFrom('https', 'http'), fc.constantFrom('', '/openai', '/a/b?x=1', ':8443/v1'))
  // Letters and digits only: a generated `xn--…` label would be invalid punycode, which URL parsing rightly refuses.
  .map(([host, scheme, rest]) => `${scheme}://${host.replace(/[^a-z0-9]/g, '') || 'h'}.example.com${rest}`);

const secretArb = fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/);
const apiPathArb = fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,10}(\/[a-z0-9._~-]{1,8}){0,2}$/);
const profileArb = fc.record(
  {
    tokensPerMinute: fc.integer({ min: 1, max: 1_000_000 }),
    latencyMs: fc.tuple(fc.nat({ max: 5000 }), fc.nat({ max: 5000 })).map(([a, b]) => ({ p50: Math.min(a, b), p99: Math.max(a, b) })),
    seed: fc.nat({ max: 1000 }),
  },
  { requiredKeys: [] },
);
const retryArb = fc.record({ count: fc.integer({ min: 0, max: 50 }), on: fc.uniqueArray(fc.integer({ min: 100, max: 599 }), { minLength: 1, maxLength: 5 }) }, { requiredKeys: ['count'] });
const gatewayArb = fc.record({ timeouts: fc.record({ connect: durationArb, response: durationArb }, { requiredKeys: [] }) });
const targetArb = fc.record({ subscription: fc.uuid(), resourceGroup: fc.constantFrom('rg-ai', 'rg.test_1'), service: fc.constantFrom('my-apim', 'apim2') });
const weightArb = fc.integer({ min: 0, max: 100 });
const circuitBreakerArb = fc.array(breakerRuleArb, { maxLength: 1 }).map((rules) => ({ rules }));

/**
 * Backends, pools, apis and simulation profiles that validate. Managed identity, when chosen, is used by every
 * backend with one setting (a pool's members must share it); secrets are distinct after the env-name mapping.
 */
export const validWorkspaceArb = fc
  .record({
    ids: fc.uniqueArray(idArb, { minLength: 1, maxLength: 8, selector: (s) => s.toLowerCase() }),
    poolCount: fc.nat({ max: 3 }),
    secrets: fc.uniqueArray(secretArb, { minLength: 1, maxLength: 8, selector: (s) => s.toUpperCase().replace(/[-.]/g, '_') }),
    managedIdentity: fc.option(fc.record({ resource: fc.constantFrom('https://cognitiveservices.azure.com', 'https://x.example.com/?a=1&b=2') }, { requiredKeys: [] }), { nil: undefined }),
  })
  .chain(({ ids, poolCount, secrets, managedIdentity }) => {
    const pools = ids.length > 1 ? ids.slice(0, Math.min(poolCount, ids.length - 1)) : [];
    const backends = ids.slice(pools.length);
    const authArb = managedIdentity
      ? fc.constant({ type: 'managed-identity', ...managedIdentity })
      : fc.option(fc.oneof(fc.constantFrom(...secrets).map((secret) => ({ type: 'api-key', secret })), fc.constant({ type: 'none' })), { nil: undefined });
    const backendArb = fc.record(
      {
        title: textArb,
        description: textArb,
        url: urlArb,
        auth: authArb,
        circuitBreaker: circuitBreakerArb,
      },
      // Under managed identity every backend carries it: a pool must not mix it with other auth types.
      { requiredKeys: managedIdentity ? ['url', 'auth'] : ['url'] },
    );
    const memberArb = (backend: string) =>
      fc.record({ backend: fc.constant(backend), priority: weightArb, weight: weightArb }, { requiredKeys: ['backend'] });
    const poolArb = fc.record(
      {
        title: textArb,
        description: textArb,
        services: fc.shuffledSubarray(backends, { minLength: 1, maxLength: Math.min(30, backends.length) }).chain((members) => fc.tuple(...members.map(memberArb))),
      },
      { requiredKeys: ['services'] },
    );
    const apiArb = fc.record(
      {
        backend: fc.constantFrom(...ids),
        retry: retryArb,
      },
      { requiredKeys: ['backend'] },
    );
    return fc.record(
      {
        version: fc.constant(1),
        backends: fc.tuple(...backends.map(() => backendArb)).map((bs) => Object.fromEntries(backends.map((id, i) => [id, bs[i]]))),
        pools: fc.tuple(...pools.map(() => poolArb)).map((ps) => Object.fromEntries(pools.map((id, i) => [id, ps[i]]))),
        apis: fc
          .uniqueArray(fc.tuple(idArb, apiPathArb), { maxLength: 3, selector: ([, path]) => path.toLowerCase() })
          .chain((entries) => fc.tuple(...entries.map(() => apiArb)).map((apis) => dedupeById(entries.map(([id, path], i) => [id, { path, ...apis[i]! }])))),
        simulation: fc.subarray(backends).chain((ids2) => fc.tuple(...ids2.map(() => profileArb)).map((ps) => Object.fromEntries(ids2.map((id, i) => [id, ps[i]])))),
        gateway: gatewayArb,
        target: targetArb,
      },
      // apis may name pools, so pools are always written (possibly empty).
      { requiredKeys: ['version', 'backends', 'pools'] },
    );
  });

/** Keeps the first of entries with the same id (ids and paths are drawn independently). */
function dedupeById(entries: [string, Plain][]): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [id, value] of entries) if (!Object.hasOwn(out, id)) out[id] = value;
  return out;
}

/**
 * Property-test settings: bounded and deterministic (a fixed seed) so the suite stays fast and repeatable; set
 * FC_NUM_RUNS / FC_SEED to explore further, e.g. `FC_NUM_RUNS=20000 npx vitest run shared`.
 */
export function propertyRuns(): { numRuns: number; seed: number } {
  return { numRuns: Number(process.env.FC_NUM_RUNS ?? 100), seed: Number(process.env.FC_SEED ?? 20261125) };
}
