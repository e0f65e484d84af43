import { isMap, isScalar, isSeq, stringify, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

/*
 * Text edits that turn the YAML a document was read from into a new value while every untouched line keeps its
 * bytes: flow style, alignment, trailing comments (issue 15 item 10). Scalars are replaced in place; a key or item
 * added to a block collection becomes new lines at its siblings' indentation; a removed one takes its lines with
 * it; a flow collection whose keys changed is rewritten on its own. Anything else (a map that became a list, the
 * last key of a block map removed) answers false, and the caller re-prints the document instead. The caller also
 * proves the result by reading it back, so an edit here can be conservative but never wrong.
 */
export interface Splice {
  from: number;
  to: number;
  text: string;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export const keyOf = (key: unknown) => String(isScalar(key) ? key.value : key);

const YAML_WORDS = /^(true|false|null|yes|no|on|off|y|n)$/i;

/** A scalar as YAML text that reads back as the same value in block and flow context alike. */
export function scalarText(value: string | number | boolean): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(value) && !YAML_WORDS.test(value) ? value : JSON.stringify(value);
}

/** One-line flow text of a value (`{ a: 1, b: [x, y] }`), or undefined for what has no such form. */
function flowText(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const items = value.map(flowText);
    return items.every((i) => i !== undefined) ? `[${items.join(', ')}]` : undefined;
  }
  if (isPlainObject(value)) {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const t = flowText(v);
      if (t === undefined) return undefined;
      parts.push(`${scalarText(k)}: ${t}`);
    }
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return scalarText(value);
  return undefined;
}

const definedKeys = (v: Record<string, unknown>) => Object.keys(v).filter((k) => v[k] !== undefined);

class Editor {
  constructor(
    private readonly source: string,
    readonly out: Splice[],
  ) {}

  private lineStart(pos: number): number {
    return this.source.lastIndexOf('\n', pos - 1) + 1;
  }

  /** The offset just past the line `pos` is on (after its newline). */
  private lineEnd(pos: number): number {
    if (pos > 0 && this.source[pos - 1] === '\n') return pos;
    const nl = this.source.indexOf('\n', pos);
    return nl < 0 ? this.source.length : nl + 1;
  }

  /** The column of `pos` when only whitespace (or `- ` markers, with `dash`) precedes it on its line; else -1. */
  private column(pos: number, dash = false): number {
    const start = this.lineStart(pos);
    const before = this.source.slice(start, pos);
    return (dash ? /^ *(?:- +)*$/ : /^ *$/).test(before) ? pos - start : -1;
  }

  /** New lines at `indent`, inserted after `after` (the end of the last sibling's line). */
  private insertLines(after: number, indent: number, text: string): void {
    const at = this.lineEnd(after);
    const lead = at === this.source.length && !this.source.endsWith('\n') ? '\n' : '';
    const body = text.replace(/\n$/, '').split('\n').map((l) => ' '.repeat(indent) + l).join('\n');
    this.out.push({ from: at, to: at, text: `${lead}${body}\n` });
  }

  /** Edits that turn `node` into `value`; false when they cannot be expressed in place. */
  edit(node: unknown, value: unknown): boolean {
    if (isPlainObject(value)) return isMap(node) && this.editMap(node, value);
    if (Array.isArray(value)) return isSeq(node) && this.editSeq(node, value);
    if (!isScalar(node) || !node.range) return false;
    if (node.value === value) return true;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
    const text = scalarText(value);
    if (text === undefined) return false;
    this.out.push({ from: node.range[0], to: node.range[1], text });
    return true;
  }

  private replaceFlow(node: YAMLMap | YAMLSeq, value: unknown): boolean {
    const text = flowText(value);
    // A flow collection with comments inside is left to the re-print, which keeps them.
    if (text === undefined || !node.range || /\s#/.test(this.source.slice(node.range[0], node.range[1]))) return false;
    this.out.push({ from: node.range[0], to: node.range[1], text });
    return true;
  }

  private editMap(node: YAMLMap, value: Record<string, unknown>): boolean {
    const keys = definedKeys(value);
    const present = node.items.map((p) => keyOf(p.key));
    const sameKeys = present.length === keys.length && present.every((k) => Object.hasOwn(value, k) && value[k] !== undefined);
    if (node.flow) {
      if (sameKeys) return node.items.every((p) => this.edit(p.value, value[keyOf(p.key)]));
      return this.replaceFlow(node, value);
    }
    const kept = node.items.filter((p) => keys.includes(keyOf(p.key)));
    if (kept.length === 0) return false;
    for (const pair of node.items) {
      const key = keyOf(pair.key);
      if (keys.includes(key)) {
        if (!this.edit(pair.value, value[key])) return false;
      } else if (!this.removePair(pair)) return false;
    }
    const added = keys.filter((k) => !present.includes(k));
    if (added.length === 0) return true;
    const first = node.items[0]!.key as Node | undefined;
    const indent = first?.range ? this.column(first.range[0], true) : -1;
    const lastEnd = this.endOf(node.items[node.items.length - 1]!);
    if (indent < 0 || lastEnd === undefined) return false;
    this.insertLines(lastEnd, indent, stringify(Object.fromEntries(added.map((k) => [k, value[k]]))));
    return true;
  }

  private editSeq(node: YAMLSeq, value: unknown[]): boolean {
    if (node.flow) {
      if (node.items.length === value.length) return node.items.every((item, i) => this.edit(item, value[i]));
      return this.replaceFlow(node, value);
    }
    const common = Math.min(node.items.length, value.length);
    if (common === 0) return false;
    for (let i = 0; i < common; i++) if (!this.edit(node.items[i], value[i])) return false;
    for (let i = common; i < node.items.length; i++) {
      const item = node.items[i] as Node;
      if (!item.range || this.column(item.range[0], true) < 0) return false;
      this.out.push({ from: this.lineStart(item.range[0]), to: this.lineEnd(item.range[1]), text: '' });
    }
    if (value.length > common) {
      const first = node.items[0] as Node;
      const last = node.items[node.items.length - 1] as Node;
      if (!first.range || !last.range) return false;
      const dash = this.source.lastIndexOf('-', first.range[0] - 1);
      const indent = this.column(dash);
      if (indent < 0) return false;
      this.insertLines(last.range[1], indent, stringify(value.slice(common)));
    }
    return true;
  }

  private endOf(pair: Pair): number | undefined {
    const v = pair.value as Node | null;
    if (v?.range) return v.range[1];
    return (pair.key as Node | null)?.range?.[1];
  }

  private removePair(pair: Pair): boolean {
    const key = pair.key as Node | null;
    const end = this.endOf(pair);
    if (!key?.range || end === undefined || this.column(key.range[0]) < 0) return false;
    this.out.push({ from: this.lineStart(key.range[0]), to: this.lineEnd(end), text: '' });
    return true;
  }
}

/** Collects the splices that turn `node` (parsed from `source`) into `value`; false when they cannot. */
export function collectSplices(source: string, node: unknown, value: unknown, out: Splice[]): boolean {
  return new Editor(source, out).edit(node, value);
}
