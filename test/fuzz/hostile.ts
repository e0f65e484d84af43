import fc from 'fast-check';
import { baseWorkspace, parsePath, setPath, type Plain } from '../support/workspace-arbitrary';

/*
 * Hostile inputs for the fuzz suite (issue 14): values that broke or could break the model, the engine or the
 * CLI — huge and fractional numbers, durations past any date, Retry-After garbage, deep nesting, odd keys —
 * applied at every path of a valid workspace.
 */

/** How many cases each property runs: small in `npm test`, large in `scripts/fuzz-nightly.mjs`. */
export function fuzzRuns(perProperty: number): { numRuns: number; seed: number } {
  const scale = Number(process.env.BREAKERBOARD_FUZZ_SCALE ?? 1);
  return { numRuns: Math.max(1, Math.round(perProperty * scale)), seed: Number(process.env.BREAKERBOARD_FUZZ_SEED ?? 20261203) };
}

export const hostileDuration = fc.oneof(
  fc.constantFrom('P99999999999D', 'PT99999999999999999999S', 'P365D', 'P366D', 'PT0S', 'P1M', 'P1Y', '-PT1M', 'PT1.5S', 'P', 'PT', '1m', 'PT1m', 'P1W', 'P52W', 'PT8760H', 'PT8761H', `PT${'9'.repeat(400)}S`),
  fc.tuple(fc.constantFrom('P', 'PT'), fc.bigInt({ min: 0n, max: 10n ** 25n }), fc.constantFrom('D', 'H', 'M', 'S', 'W')).map(([p, n, u]) => `${p}${n}${u}`),
);

const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e308, -0, 2 ** 31, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1.5, 599, 600, 99, 100));
const hostileString = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', ' ', '..', '../../etc/passwd', '%2e%2e', 'a'.repeat(300), '\u0000', 'http://x', 'https://', 'ftp://a.b/openai', '{{x}}', '@(context)', '<policy/>', '🙂'));

/** Nested maps/lists, sometimes past the nesting limit. */
const nested = fc.integer({ min: 1, max: 120 }).map((depth) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
});

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileNumber,
  hostileString,
  hostileDuration,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  nested,
  fc.array(fc.oneof(hostileNumber, hostileString), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(hostileNumber, hostileString), { maxKeys: 4 }),
);

/** Every path of the base workspace (containers and leaves), as validation formats them. */
function pathsOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  const entries = Array.isArray(value) ? value.map((v, i) => [`${prefix}[${i}]`, v] as const) : Object.entries(value).map(([k, v]) => [prefix ? `${prefix}.${k}` : k, v] as const);
  for (const [p, v] of entries) out.push(p, ...pathsOf(v, p));
  return out;
}
const BASE_PATHS = pathsOf(baseWorkspace());

const DURATION_PATHS = [
  'backends.b1.circuitBreaker.rules[0].tripDuration',
  'backends.b2.circuitBreaker.rules[0].failureCondition.interval',
  'gateway.timeouts.connect',
  'gateway.timeouts.response',
  'gateway.timeouts.clientHeaders',
  'gateway.timeouts.clientBody',
  'apis.a1.timeout',
];

/** A valid workspace with hostile durations where durations go (the crash of issue 14 item 1 lived here). */
const durationEdits: fc.Arbitrary<Plain> = fc.array(fc.tuple(fc.constantFrom(...DURATION_PATHS), hostileDuration), { minLength: 1, maxLength: 3 }).map((edits) => {
  const ws = baseWorkspace();
  for (const [path, value] of edits) setPath(ws, path, value);
  return ws;
});

/** A valid workspace with 1–4 hostile edits at existing paths or new keys beside them. */
const anyEdits: fc.Arbitrary<Plain> = fc
  .array(fc.tuple(fc.constantFrom(...BASE_PATHS), fc.oneof(fc.constant(''), fc.constantFrom('.extra', '.tripDuration', '.weight', '.retryAfter', '.timeout', '.__proto__', '.constructor')), hostileValue), { minLength: 1, maxLength: 4 })
  .map((edits) => {
    const ws = baseWorkspace();
    for (const [path, suffix, value] of edits) {
      const keys = parsePath(path + suffix);
      let node = ws as Record<string | number, unknown>;
      let ok = true;
      for (const key of keys.slice(0, -1)) {
        const next = node[key];
        if (next === null || typeof next !== 'object') {
          ok = false;
          break;
        }
        node = next as Record<string | number, unknown>;
      }
      const last = keys[keys.length - 1]!;
      // A list gets only indices: JSON and YAML cannot give an array a named property.
      if (!ok || (Array.isArray(node) && typeof last !== 'number')) continue;
      if (value === undefined) delete node[last];
      else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
    }
    return ws;
  });

export const mutatedWorkspace: fc.Arbitrary<Plain> = fc.oneof({ arbitrary: anyEdits, weight: 3 }, { arbitrary: durationEdits, weight: 1 });

/** Text a user (or an attacker) might hand to `validate`: mangled workspaces, deep brackets, binary, garbage. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  mutatedWorkspace.map((ws) => JSON.stringify(ws)),
  fc.tuple(mutatedWorkspace, fc.nat(), fc.string({ maxLength: 8 })).map(([ws, at, junk]) => {
    const text = JSON.stringify(ws, null, 2);
    const i = at % (text.length + 1);
    return text.slice(0, i) + junk + text.slice(i);
  }),
  fc.integer({ min: 50, max: 3000 }).map((n) => `version: 1\nx: ${'['.repeat(n)}${']'.repeat(n)}\n`),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('version: 1\na: &a [*a]\n', 'version: 1\n!!binary x: 1\n', '- 1\n- 2\n', 'null', '"just a string"', 'version: 1\nversion: 2\n', '\uFEFFversion: 1\n', 'version: 1\n\t- tab\n'),
);

/** `Retry-After` header values: numbers of any size, dates, and junk. */
export const hostileRetryAfter: fc.Arbitrary<string> = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
  fc.double({ min: 0, max: 1e12, noNaN: true }).map(String),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toUTCString()),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '-1', '1e400', 'Infinity', 'NaN', '0x10', 'Wed, 21 Oct 2015 07:28:00 GMT', 'Fri, 31 Dec 275760 23:59:59 GMT', '3600, 60'),
);

/** Request targets under an API prefix, with dot segments and encodings mixed in. */
export const hostilePath: fc.Arbitrary<string> = fc
  .array(fc.constantFrom('..', '.', '%2e%2e', '%2E.', '.%2e', '%2e', 'deployments', 'gpt-4o', 'a%2fb', 'x%5cy', 'a\\b', '', 'chat', 'completions', '%20', '...', '..a'), { maxLength: 8 })
  .chain((segs) => fc.constantFrom('', '?api-version=1', '?q=../../x').map((q) => `/openai/${segs.join('/')}${q}`));
