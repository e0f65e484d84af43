import { describe, expect, it } from 'vitest';
import { aliasBomb } from '../../test/support/workspace-arbitrary';
import { FILE_PATH, MAX_WORKSPACE_BYTES, NESTED_TOO_DEEP, parseWorkspaceText } from './parse-text';

/* Text that is not a workspace is refused before or by the parser, with a position where there is one. */

const errorsOf = (text: string) => {
  const r = parseWorkspaceText(text);
  return r.ok ? [] : r.errors;
};

describe('parseWorkspaceText', () => {
  it('refuses empty, whitespace-only, binary and oversized text as a whole', () => {
    expect(errorsOf('')).toEqual([{ path: FILE_PATH, message: expect.stringMatching(/^is empty; a workspace starts with "version: 1"/) }]);
    expect(errorsOf('\n  \t\n')).toEqual([{ path: FILE_PATH, message: expect.stringMatching(/^is empty/) }]);
    expect(errorsOf('version: 1\n\u0000\u0001')).toEqual([{ path: FILE_PATH, message: 'is not a text file (binary content)' }]);
    expect(errorsOf(`version: 1\n#${'x'.repeat(MAX_WORKSPACE_BYTES)}`)).toEqual([{ path: FILE_PATH, message: expect.stringMatching(/^is larger than 5 MB/) }]);
  });

  it('keeps a typed U+FFFD as text', () => {
    expect(parseWorkspaceText('version: 1\nnote: "\uFFFD"\n')).toMatchObject({ ok: true, value: { note: '\uFFFD' } });
  });

  it('gives line and column for syntax errors, one entry per error', () => {
    expect(errorsOf('version: 1\nbackends: {}\nbackends: {}\n')).toEqual([{ path: 'line 3, column 1', message: 'YAML syntax error: Map keys must be unique' }]);
    expect(errorsOf('{"version": 1,\n  "backends": {"a": 1,}}}\n')[0]!.path).toMatch(/^line 2, column \d+$/);
  });

  it('stops an alias bomb instead of expanding it', () => {
    // The alias-count refusal is the proof it was not expanded (no timing: a busy machine must not fail this).
    expect(errorsOf(aliasBomb())).toEqual([{ path: FILE_PATH, message: expect.stringMatching(/^cannot be read: .*alias/i) }]);
  });

  it('allows a few ordinary aliases', () => {
    const r = parseWorkspaceText('version: 1\nx: &r { min: 500, max: 599 }\ny: [*r, *r]\n');
    expect(r).toMatchObject({ ok: true, value: { y: [{ min: 500, max: 599 }, { min: 500, max: 599 }] } });
  });

  it('refuses a top level that is not a map', () => {
    for (const text of ['- a\n- b\n', '42\n', '"text"\n', 'null\n', '[1]']) {
      expect(errorsOf(text)).toEqual([{ path: FILE_PATH, message: 'must be a map of settings starting with "version: 1"' }]);
    }
  });

  it('reads JSON as well as YAML', () => {
    expect(parseWorkspaceText('{ "version": 1, "backends": {} }')).toMatchObject({ ok: true, value: { version: 1, backends: {} } });
  });

  it('refuses a list or map used as a key by position, without a warning on the console', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      expect(errorsOf('version: 1\n[a]: 1\n')).toEqual([{ path: 'line 2, column 1', message: 'a map key must be a plain name, not a list, a map or a tagged value' }]);
      expect(errorsOf('version: 1\n!!binary x: 1\n')).toEqual([{ path: 'line 2, column 10', message: 'a map key must be a plain name, not a list, a map or a tagged value' }]);
      expect(errorsOf('version: 1\nx: {? {b: 1} : 2}\n')).toEqual([{ path: 'line 2, column 7', message: 'a map key must be a plain name, not a list, a map or a tagged value' }]);
      // Node delivers process warnings on a later tick.
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('refuses nesting deeper than the limit, in flow, block and JSON form', () => {
    const msg = [{ path: FILE_PATH, message: NESTED_TOO_DEEP }];
    expect(errorsOf(`version: 1\nx: ${'['.repeat(70)}${']'.repeat(70)}\n`)).toEqual(msg);
    expect(errorsOf(`{"version":1,"x":${'['.repeat(5000)}${']'.repeat(5000)}}`)).toEqual(msg);
    expect(errorsOf(`version: 1\nx: ${'['.repeat(60)}${']'.repeat(60)}\n`)).toEqual([]);
  });
});
