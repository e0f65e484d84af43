import type { CounterKey } from '../model/schema';

/*
 * The counter key and metric dimension values the local engine can compute (F-TOKEN-5). APIM evaluates C# policy
 * expressions; the engine evaluates only the handful of forms below, which cover the policy reference's examples.
 * Anything else is not evaluated: the whole API then shares one counter (the key is the expression text), and
 * validation warns about it.
 */

/** What a request offers to a key or dimension: header lookup (lower-case names), client IP, subscription. */
export interface KeySource {
  header(lowerName: string): string | undefined;
  ip: string;
  /** A stand-in for context.Subscription.Id: a fingerprint of the subscription key, never the key itself. */
  subscription: string | undefined;
}

const SUBSCRIPTION = /^@\(\s*context\.Subscription\??\.(Id|Key|Name)\s*\)$/;
const IP = /^@\(\s*context\.Request\.IpAddress\s*\)$/;
const HEADER = /^@\(\s*context\.Request\.Headers\.GetValueOrDefault\(\s*"([^"]+)"\s*(?:,\s*"([^"]*)"\s*)?\)\s*\)$/;

export type Evaluated = { ok: true; value: (src: KeySource) => string } | { ok: false };

/** Compiles an expression into a reader when it is one of the forms the engine knows. */
export function compileExpression(expression: string): Evaluated {
  const e = expression.trim();
  if (SUBSCRIPTION.test(e)) return { ok: true, value: (s) => s.subscription ?? '' };
  if (IP.test(e)) return { ok: true, value: (s) => s.ip };
  const h = HEADER.exec(e);
  if (h) {
    const name = h[1]!.toLowerCase();
    const fallback = h[2] ?? '';
    return { ok: true, value: (s) => s.header(name) ?? fallback };
  }
  // A literal string (no @ at all) is a constant, as in APIM.
  if (!e.startsWith('@')) return { ok: true, value: () => expression };
  return { ok: false };
}

/** Which counter-key expressions the engine evaluates, in words (for the editor and validation). */
export const EVALUATED_FORMS =
  'context.Subscription.Id, context.Request.IpAddress, context.Request.Headers.GetValueOrDefault("name"[, "default"]) or a literal';

/** The reader of a counter key; `evaluated: false` when the engine cannot evaluate the expression. */
export function compileCounterKey(key: CounterKey): { read: (src: KeySource) => string; evaluated: boolean } {
  if (key === 'subscription') return { read: (s) => s.subscription ?? '', evaluated: true };
  if (key === 'ip') return { read: (s) => s.ip, evaluated: true };
  if ('header' in key) {
    const name = key.header.toLowerCase();
    return { read: (s) => s.header(name) ?? '', evaluated: true };
  }
  const c = compileExpression(key.expression);
  if (c.ok) return { read: c.value, evaluated: true };
  const constant = key.expression;
  return { read: () => constant, evaluated: false };
}

/** The policy expression APIM is given for a counter key (export) — the inverse of `counterKeyFromExpression`. */
export function counterKeyExpression(key: CounterKey): string {
  if (key === 'subscription') return '@(context.Subscription.Id)';
  if (key === 'ip') return '@(context.Request.IpAddress)';
  if ('header' in key) return `@(context.Request.Headers.GetValueOrDefault("${key.header}", ""))`;
  return key.expression;
}

/** Reads an exported counter-key attribute back into the workspace's form (import), losslessly. */
export function counterKeyFromExpression(expression: string): CounterKey {
  const e = expression.trim();
  if (e === '@(context.Subscription.Id)') return 'subscription';
  if (e === '@(context.Request.IpAddress)') return 'ip';
  const h = HEADER.exec(e);
  // Only the exact form export writes maps back to { header }: anything else stays the user's expression.
  if (h && h[2] === '' && e === counterKeyExpression({ header: h[1]! })) return { header: h[1]! };
  return { expression };
}
