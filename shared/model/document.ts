import { Document, isMap, isSeq, parseDocument, isScalar, type Node } from 'yaml';
import { collectSplices, isPlainObject, keyOf, type Splice } from './splice-edits';

/*
 * Writes an edited workspace back into the YAML document it was read from, so that the user's comments, key order
 * and flow/block styles survive a save. Two ways, best first:
 * - the edit is spliced into the original text (splice-edits.ts): changed scalars in place, added and removed keys
 *   and items as whole lines; every untouched line stays exactly as the user wrote it;
 * - what splicing cannot express is merged into the document node by node (only what changed is touched) and
 *   re-printed, which keeps comments and order but may normalise spacing.
 */
/** The text each parsed document was read from; dropped once the document itself is edited. */
const sources = new WeakMap<Document, string>();

/** Remembers the text a document was parsed from, so a later save can splice into it. */
export function rememberSource(doc: Document, text: string): void {
  sources.set(doc, text);
}

function merge(doc: Document, node: unknown, value: unknown): unknown {
  if (isPlainObject(value)) {
    if (!isMap(node)) return doc.createNode(value);
    const keep = new Set(Object.keys(value).filter((k) => value[k] !== undefined));
    node.items = node.items.filter((pair) => keep.has(keyOf(pair.key)));
    const present = new Set<string>();
    for (const pair of node.items) {
      const key = keyOf(pair.key);
      present.add(key);
      pair.value = merge(doc, pair.value, value[key]) as Node;
    }
    for (const key of keep) if (!present.has(key)) node.items.push(doc.createPair(key, value[key]));
    return node;
  }
  if (Array.isArray(value)) {
    if (!isSeq(node)) return doc.createNode(value);
    node.items = node.items.slice(0, value.length).map((item, i) => merge(doc, item, value[i]));
    for (let i = node.items.length; i < value.length; i++) node.items.push(doc.createNode(value[i]));
    return node;
  }
  if (isScalar(node)) {
    if (node.value !== value) node.value = value;
    return node;
  }
  return doc.createNode(value);
}

export function updateDocument(doc: Document, value: unknown): Document {
  sources.delete(doc);
  doc.contents = merge(doc, doc.contents, value) as Node;
  return doc;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return Object.is(a, b);
}

/** The original text with only what changed replaced, or undefined when splicing cannot express the edit. */
function spliceScalars(doc: Document, value: unknown): string | undefined {
  const source = sources.get(doc);
  if (source === undefined) return undefined;
  const splices: Splice[] = [];
  if (!collectSplices(source, doc.contents, value, splices)) return undefined;
  let text = source;
  // Last in the text first; at one offset the later-collected (outer) insertion first, so inner lines stay inner.
  const order = splices.map((s, i) => ({ s, i })).sort((a, b) => b.s.from - a.s.from || b.i - a.i);
  for (const { s } of order) text = text.slice(0, s.from) + s.text + text.slice(s.to);
  // Proof rather than trust: the spliced text must read back as exactly the value.
  const check = parseDocument(text, { uniqueKeys: true, strict: true });
  return check.errors.length === 0 && sameValue(check.toJS({ maxAliasCount: 100 }), value) ? text : undefined;
}

export type FileFormat = 'yaml' | 'json';

export function formatFromPath(path: string): FileFormat {
  return /\.json$/i.test(path) ? 'json' : 'yaml';
}

/** Text to save: YAML keeps the original document's comments; JSON is written plainly with 2-space indent. */
export function serializeWorkspace(value: unknown, format: FileFormat, original?: Document): string {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  if (original) return spliceScalars(original, value) ?? updateDocument(original, value).toString();
  return new Document(value).toString();
}
