import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { rememberSource } from './document';
import type { Issue } from './paths';

export const MAX_WORKSPACE_BYTES = 5 * 1024 * 1024;
/** The path of an issue about the text as a whole (empty, binary, too large, not a map). */
export const FILE_PATH = '(file)';
/**
 * The deepest nesting of maps and lists a workspace may have. A real one is about 8 levels deep; the limit stops
 * a hostile file or payload (5,000 levels) before recursive code runs out of stack, with a message that says so.
 */
export const MAX_NESTING_DEPTH = 64;
export const NESTED_TOO_DEEP = `is nested deeper than ${MAX_NESTING_DEPTH} levels (a workspace is about 8 deep)`;

/** Whether a plain value (parsed JSON or YAML) nests maps and lists deeper than `max`; iterative, so never overflows. */
export function nestedDeeperThan(value: unknown, max = MAX_NESTING_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

const WORKSPACE_KEYS = ['version', 'backends', 'pools', 'apis'];

/**
 * Whether a parsed map is meant as a Breakerboard workspace: it has `version` (as every file `init`, the app and
 * `import` write) or one of backends/pools/apis as a map. Anything else (a config file, /etc/passwd read as YAML)
 * is refused as a whole, never shown key by key.
 */
export function looksLikeWorkspace(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const map = value as Record<string, unknown>;
  if (Object.hasOwn(map, 'version')) return true;
  return WORKSPACE_KEYS.slice(1).some((k) => map[k] !== null && typeof map[k] === 'object' && !Array.isArray(map[k]));
}

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
  let doc: Document;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, lineCounter: lines });
  } catch (e) {
    return fail(e instanceof RangeError ? NESTED_TOO_DEEP : `cannot be read: ${(e as Error).message.split('\n')[0]}`);
  }
  // The parser reports its own stack overflow as a syntax error: say what the file does wrong instead.
  if (doc.errors.some((e) => e.message.startsWith('Maximum call stack'))) return fail(NESTED_TOO_DEEP);
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
  // A list or map used as a key (`? [a] : 1`) has no JSON form: refused by position rather than stringified (the
  // yaml library would also print a warning on the console).
  let complexKey: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      // Scalars tagged into objects (`!!binary`, `!!timestamp`) are no names either.
      const key = pair.key as unknown;
      if (key !== null && (!isScalar(key) || (key.value !== null && typeof key.value === 'object'))) {
        complexKey = (key as { range?: [number, number, number] }).range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (complexKey !== undefined) {
    const pos = lines.linePos(complexKey);
    return { ok: false, errors: [{ path: `line ${pos.line}, column ${pos.col}`, message: 'a map key must be a plain name, not a list, a map or a tagged value' }] };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return fail(e instanceof RangeError ? NESTED_TOO_DEEP : `cannot be read: ${(e as Error).message.split('\n')[0]}`);
  }
  if (nestedDeeperThan(value)) return fail(NESTED_TOO_DEEP);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('must be a map of settings starting with "version: 1"');
  rememberSource(doc, text);
  return { ok: true, doc, value };
}
