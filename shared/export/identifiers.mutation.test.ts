import { describe, expect, it } from 'vitest';
import { symbolicName } from './identifiers';

/* Bicep symbol and parameter names from workspace ids: camel case, valid, never a keyword, unique. */

describe('symbolicName', () => {
  it('never returns a Bicep keyword: each one gets "Value" appended', () => {
    const words = ['true', 'false', 'null', 'param', 'var', 'resource', 'module', 'output', 'existing', 'metadata', 'import', 'type', 'func', 'if', 'for', 'in', 'as', 'with', 'targetScope', 'az', 'sys'];
    for (const w of words) expect(symbolicName('', w, new Set()), w).toBe(`${w}Value`);
    // Only whole keywords: a longer name is kept.
    expect(symbolicName('', 'types', new Set())).toBe('types');
    expect(symbolicName('', 'target-scope', new Set())).toBe('targetScopeValue');
  });

  it('joins the words of an id in camel case after the prefix, or lower-cases the first letter without one', () => {
    expect(symbolicName('backend', 'aoai-east_us.2', new Set())).toBe('backendAoaiEastUs2');
    expect(symbolicName('', 'Aoai--Key', new Set())).toBe('aoaiKey');
    expect(symbolicName('', 'x', new Set())).toBe('x');
  });

  it('an id with no letters or digits becomes "value"; a leading digit gets an underscore', () => {
    expect(symbolicName('', '--', new Set())).toBe('value');
    expect(symbolicName('', '1st-key', new Set())).toBe('_1stKey');
    expect(symbolicName('pool', '', new Set())).toBe('pool');
  });

  it('numbers a name already taken from 2 on, and records what it returns', () => {
    const taken = new Set(['apim', 'backendA']);
    expect(symbolicName('backend', 'a', taken)).toBe('backendA2');
    expect(symbolicName('backend', 'a', taken)).toBe('backendA3');
    expect(symbolicName('', 'apim', taken)).toBe('apim2');
    expect([...taken]).toEqual(['apim', 'backendA', 'backendA2', 'backendA3', 'apim2']);
  });
});
