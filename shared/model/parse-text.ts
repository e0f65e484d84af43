import { parseDocument, type Document } from 'yaml';
import type { Issue } from './paths';

export const MAX_WORKSPACE_BYTES = 5 * 1024 * 1024;

export type ParsedText = { ok: true; doc: Document; value: unknown } | { ok: false; errors: Issue[] };

/**
 * YAML or JSON text → a YAML document (kept for comment-preserving saves) and its plain value.
 * Refuses what is not a workspace before a parser sees it: empty, binary, oversized; alias bombs are cut off by
 * the parser's alias limit.
 */
export function parseWorkspaceText(text: string): ParsedText {
  const fail = (message: string, path = '(file)'): ParsedText => ({ ok: false, errors: [{ path, message }] });
  if (text.length > MAX_WORKSPACE_BYTES) return fail(`is larger than ${MAX_WORKSPACE_BYTES / 1024 / 1024} MB; a workspace file is a few kilobytes`);
  if (text.trim() === '') return fail('is empty; a workspace starts with "version: 1" (run `breakerboard init <file>` for an example)');
  if (text.includes('\u0000') || text.includes('\uFFFD')) return fail('is not a text file (binary content)');
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `line ${pos.line}, column ${pos.col}` : '(file)';
        return { path: where, message: `YAML syntax error: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return fail(`cannot be read: ${(e as Error).message.split('\n')[0]}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('must be a map of settings starting with "version: 1"');
  return { ok: true, doc, value };
}
