import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';

/*
 * Writes an edited workspace back into the YAML document it was read from, node by node, so that the user's
 * comments, key order and flow/block styles survive a save. Only what changed is touched.
 */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function merge(doc: Document, node: unknown, value: unknown): unknown {
  if (isPlainObject(value)) {
    if (!isMap(node)) return doc.createNode(value);
    const keep = new Set(Object.keys(value).filter((k) => value[k] !== undefined));
    node.items = node.items.filter((pair) => keep.has(String(isScalar(pair.key) ? pair.key.value : pair.key)));
    const present = new Set<string>();
    for (const pair of node.items) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
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
  doc.contents = merge(doc, doc.contents, value) as Node;
  return doc;
}

export type FileFormat = 'yaml' | 'json';

export function formatFromPath(path: string): FileFormat {
  return /\.json$/i.test(path) ? 'json' : 'yaml';
}

/** Text to save: YAML keeps the original document's comments; JSON is written plainly with 2-space indent. */
export function serializeWorkspace(value: unknown, format: FileFormat, original?: Document): string {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  if (original) return updateDocument(original, value).toString();
  return new Document(value).toString();
}
