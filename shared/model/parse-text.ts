import { LineCounter, parseDocument, type Document } from 'yaml';
import { rememberSource } from './document';
import type { Issue } from './paths';

export const MAX_WORKSPACE_BYTES = 5 * 1024 * 1024;
/** The path of an issue about the text as a whole (empty, binary, too large, not a map). */
export const FILE_PATH = '(file)';

export type ParsedText = { ok: true; doc: Document; value: unknown } | { ok: false; errors: Issue[] };

/**
 * YAML or JSON text → a YAML document (kept for comment-preserving saves) and its plain value.
 * Refuses what is not a workspace before a parser sees it: empty, binary, oversized; alias bombs are cut off by
 * the parser's alias limit.
 */
export function parseWorkspaceText(text: string): ParsedText {
  const fail = (message: string, path = FILE_PATH): ParsedText => ({ ok: false, errors: [{ path, message }] });
  if (text.length > MAX_WORKSPACE_BYTES) return fail(`is larger than ${MAX_WORKSPACE_BYTES / 1024 / 1024} MB; a workspace file is a few kilobytes`);
  if (text.trim() === '') return fail('is empty; a workspace starts with "version: 1" (run `breakerboard init <file>` for an example)');
  // NUL never appears in YAML or JSON text. (Invalid UTF-8 is refused where bytes are decoded; a U+FFFD that a
  // user typed is legitimate text and must survive a save.)
  if (text.includes('\u0000')) return fail('is not a text file (binary content)');
  // Positions come from a line counter: the errors' own linePos is only filled in with prettyErrors, which also
  // appends a source excerpt to every message.
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.pos ? lines.linePos(e.pos[0]) : undefined;
        const where = pos ? `line ${pos.line}, column ${pos.col}` : FILE_PATH;
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
  rememberSource(doc, text);
  return { ok: true, doc, value };
}
