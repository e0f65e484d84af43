import { describe, expect, it } from 'vitest';
import { SecretFilter, secretRedactor } from './redact';

/* The last line of defence before anything the deploy commands print: every known secret value becomes "(secret)". */

const source = (values: Record<string, string>) => ({ get: (n: string) => values[n] });

describe('secretRedactor', () => {
  it('hides every occurrence of each named value, the longer value first so a prefix never leaves a tail', () => {
    const redact = secretRedactor(source({ a: 'abcd', b: 'abcdef', c: 'zzzz' }), ['a', 'b', 'c', 'missing']);
    expect(redact('x abcdef y abcd z zzzz zzzz')).toBe('x (secret) y (secret) z (secret) (secret)');
  });

  it('leaves values shorter than 4 characters and other names alone', () => {
    const redact = secretRedactor(source({ short: 'abc', four: 'wxyz', other: 'qqqq' }), ['short', 'four']);
    expect(redact('abc wxyz qqqq')).toBe('abc (secret) qqqq');
  });

  it('without a value to hide returns the text as it is', () => {
    expect(secretRedactor(source({}), ['a'])('abcd')).toBe('abcd');
    expect(secretRedactor(source({ a: 'abcd' }), [])('abcd')).toBe('abcd');
  });
});

describe('SecretFilter', () => {
  it('learns values as they are read, longest first, and ignores short or missing ones', () => {
    const f = new SecretFilter();
    expect(f.apply('abcd abcdef')).toBe('abcd abcdef');
    f.add('abcd');
    f.add('abcdef');
    f.add('abc');
    f.add(undefined);
    expect(f.apply('abcdef abcd abc')).toBe('(secret) (secret) abc');
    // apply is a bound property: it can be passed around as a function.
    const { apply } = f;
    expect(['xabcdx'].map(apply)).toEqual(['x(secret)x']);
  });
});
