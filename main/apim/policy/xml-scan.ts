/*
 * A small, forgiving XML scanner for APIM policy documents: it finds elements with their exact character
 * offsets so the rewrite can change one element and leave every other byte as the user wrote it (comments,
 * whitespace, attribute order, policy expressions). Quoted attribute values may contain `<` and `>` (rawxml), a
 * policy expression in a value or starting an element's text also quotes (C#, see expressionEnd); comments, CDATA
 * and processing instructions are skipped.
 */

export interface XmlElement {
  name: string;
  attrs: Map<string, { value: string; start: number; end: number }>;
  /** Offset of `<`. */
  start: number;
  /** Offset just after the start tag's `>`. */
  openEnd: number;
  /** Offset of the closing tag's `<` (= openEnd for a self-closing element). */
  closeStart: number;
  /** Offset just after the element (after `/>` or the closing tag's `>`). */
  end: number;
  selfClosing: boolean;
  children: XmlElement[];
  parent?: XmlElement;
}

/** What made a document not well-formed as scanned: `what` names it, `at` is its offset. */
export interface ScanProblem {
  at: number;
  what: string;
}

/** The tree and what was not well-formed in it (the scan goes on past each problem, as the type of XmlElement says). */
export interface ScannedXml {
  root: XmlElement;
  problems: ScanProblem[];
}

const NAME = /[A-Za-z_][\w.:-]*/y;

function parseStartTag(xml: string, at: number, budget: Budget): { el: XmlElement; next: number } | undefined {
  NAME.lastIndex = at + 1;
  const m = NAME.exec(xml);
  if (!m) return undefined;
  const el: XmlElement = { name: m[0], attrs: new Map(), start: at, openEnd: 0, closeStart: 0, end: 0, selfClosing: false, children: [] };
  let i = NAME.lastIndex;
  while (i < xml.length) {
    const c = xml[i]!;
    if (c === '>') {
      el.openEnd = i + 1;
      return { el, next: i + 1 };
    }
    if (c === '/' && xml[i + 1] === '>') {
      el.selfClosing = true;
      el.openEnd = el.closeStart = el.end = i + 2;
      return { el, next: i + 2 };
    }
    NAME.lastIndex = i;
    const a = /\s/.test(c) ? null : NAME.exec(xml);
    if (!a) {
      i += 1;
      continue;
    }
    i = NAME.lastIndex;
    while (/\s/.test(xml[i] ?? '')) i += 1;
    if (xml[i] !== '=') continue;
    i += 1;
    while (/\s/.test(xml[i] ?? '')) i += 1;
    const q = xml[i];
    if (q !== '"' && q !== "'") continue;
    // A whole-value policy expression ends at its balancing bracket (xml[-1] is undefined when there is none).
    const expr = expressionEnd(xml, i + 1, budget);
    const close = xml[expr] === q ? expr : xml.indexOf(q, i + 1);
    if (close < 0) return undefined;
    el.attrs.set(a[0], { value: xml.slice(i + 1, close), start: a.index, end: close + 1 });
    i = close + 1;
  }
  return undefined;
}

/** The element tree under a synthetic root; unbalanced tags are tolerated (closed at the nearest match). */
export function scanXml(xml: string): XmlElement {
  return scanXmlChecked(xml).root;
}

/**
 * The tree with what was not well-formed: an element never closed, a closing tag that closes nothing, a comment,
 * CDATA section or processing instruction never ended, a start tag cut off. APIM stores only well-formed policies,
 * so a problem in one read from APIM is a misreading here, and no edit may be based on it.
 */
export function scanXmlChecked(xml: string): ScannedXml {
  const root: XmlElement = { name: '#root', attrs: new Map(), start: 0, openEnd: 0, closeStart: xml.length, end: xml.length, selfClosing: false, children: [] };
  const problems: ScanProblem[] = [];
  const unclosed = (el: XmlElement) => problems.push({ at: el.start, what: `<${el.name}> is never closed` });
  const stack: XmlElement[] = [root];
  const budget: Budget = { left: 2 * xml.length };
  /** The end of a construct opened at `lt` that ends with `close`, or the end of the text (a problem) when it never does. */
  const skipTo = (lt: number, from: number, close: string, what: string) => {
    const e = xml.indexOf(close, from);
    if (e >= 0) return e + close.length;
    problems.push({ at: lt, what: `${what} is never ended` });
    return xml.length;
  };
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      i = skipTo(lt, lt + 4, '-->', 'a comment');
    } else if (xml.startsWith('<![CDATA[', lt)) {
      i = skipTo(lt, lt, ']]>', 'a CDATA section');
    } else if (xml.startsWith('<?', lt) || xml.startsWith('<!', lt)) {
      i = skipTo(lt, lt, '>', 'a declaration or processing instruction');
    } else if (xml[lt + 1] === '/') {
      const e = xml.indexOf('>', lt);
      const name = xml.slice(lt + 2, e < 0 ? xml.length : e).trim();
      let idx = stack.length - 1;
      while (idx >= 0 && stack[idx]!.name !== name) idx -= 1;
      if (idx > 0) {
        const el = stack[idx]!;
        el.closeStart = lt;
        el.end = e < 0 ? xml.length : e + 1;
        // Elements opened inside it and not closed before its closing tag.
        stack.slice(idx + 1).forEach(unclosed);
        stack.length = idx;
      } else {
        problems.push({ at: lt, what: `</${name}> closes no open element` });
      }
      if (e < 0) problems.push({ at: lt, what: `</${name}> is cut off` });
      i = e < 0 ? xml.length : e + 1;
    } else {
      const parsed = parseStartTag(xml, lt, budget);
      if (!parsed) {
        // Only a name after `<` starts a tag: other text with `<` is not markup in this reading.
        NAME.lastIndex = lt + 1;
        if (NAME.test(xml)) problems.push({ at: lt, what: 'a start tag is cut off or has a quoted value that never closes' });
        i = lt + 1;
        continue;
      }
      const parent = stack[stack.length - 1]!;
      parsed.el.parent = parent;
      parent.children.push(parsed.el);
      if (!parsed.el.selfClosing) stack.push(parsed.el);
      i = textEnd(xml, parsed.next, budget);
    }
  }
  stack.slice(1).forEach(unclosed);
  problems.sort((a, b) => a.at - b.at);
  return { root, problems };
}

/** The first thing that is not well-formed, with where it is (`<retry> is never closed (line 7, column 5)`); undefined when none. */
export function wellFormedProblem(xml: string): string | undefined {
  const p = scanXmlChecked(xml).problems[0];
  return p && `${p.what} (${lineAndColumn(xml, p.at)})`;
}

/** `line 7, column 5`: where an offset is, for a message a user can find in the portal's editor. */
export function lineAndColumn(xml: string, at: number): string {
  const before = xml.slice(0, at);
  const line = before.split('\n').length;
  return `line ${line}, column ${at - (before.lastIndexOf('\n') + 1) + 1}`;
}

/*
 * In `rawxml` a policy expression is C# as typed: `value="@(h.GetValueOrDefault<string>("a"))"` and
 * `<value>@(h.GetValueOrDefault<string>("a"))</value>` hold quotes, `<` and `>` that are not XML. An expression
 * `@(…)` / `@{…}` ends at its balancing bracket, with C# string and character literals and comments skipped.
 */

/**
 * Characters the expression scans of one document may read: well-formed expressions never overlap, so they read
 * at most the document once; a document full of expressions that never close (no APIM would accept it) falls back
 * to the plain reading when the budget is spent, instead of rescanning to its end from every one (quadratic).
 */
interface Budget {
  left: number;
}

/** The offset just after the expression that starts at `at`; -1 when none starts there, it never closes or the budget is spent. */
function expressionEnd(xml: string, at: number, budget: Budget): number {
  if (xml[at] !== '@' || (xml[at + 1] !== '(' && xml[at + 1] !== '{')) return -1;
  let depth = 0;
  for (let i = at + 1; i < xml.length; i += 1) {
    if (--budget.left < 0) return -1;
    const c = xml[i];
    if (c === '(' || c === '{') depth += 1;
    else if (c === ')' || c === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    } else if (c === '"' || c === "'") {
      i = literalEnd(xml, i, budget);
      if (i < 0) return -1;
    } else if (c === '/' && (xml[i + 1] === '/' || xml[i + 1] === '*')) {
      // A C# comment may hold brackets and quotes that are not code (`// don't`).
      const close = xml[i + 1] === '/' ? '\n' : '*/';
      const e = xml.indexOf(close, i + 2);
      if (e < 0) return -1;
      budget.left -= e - i;
      i = e + close.length - 1;
    }
  }
  return -1;
}

/** The offset of the quote that closes the C# literal opened at `at` (`\` escapes; a verbatim `@"…"` doubles `"`). */
function literalEnd(xml: string, at: number, budget: Budget): number {
  const q = xml[at];
  const verbatim = xml[at - 1] === '@';
  for (let i = at + 1; i < xml.length; i += 1) {
    if (--budget.left < 0) return -1;
    if (xml[i] === '\\' && !verbatim) i += 1;
    else if (xml[i] === q) {
      if (!verbatim || xml[i + 1] !== q) return i;
      i += 1;
    }
  }
  return -1;
}

const SPACE = /\s*/y;

/** Where scanning goes on after a tag: past an expression that starts the text there (`<value>@(…)</value>`). */
function textEnd(xml: string, at: number, budget: Budget): number {
  SPACE.lastIndex = at;
  SPACE.exec(xml);
  const e = expressionEnd(xml, SPACE.lastIndex, budget);
  return e < 0 ? at : e;
}

export const child = (el: XmlElement | undefined, name: string) => el?.children.find((c) => c.name === name);

export function findAll(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    findAll(c, name, out);
  }
  return out;
}

/** Entities in attribute values as APIM's `xml` format writes them. */
export const decodeAttr = (v: string) =>
  v.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
export const encodeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (any order). */
export function applyEdits(xml: string, edits: Edit[]): string {
  let out = xml;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The whitespace before the line an offset is on: new elements copy their neighbour's indentation. */
export function indentAt(xml: string, offset: number): string {
  const lineStart = xml.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(xml.slice(lineStart))![0];
}

/** Removes an element together with the whitespace that starts its line. */
export function removeElement(xml: string, el: XmlElement): Edit {
  const lineStart = xml.lastIndexOf('\n', el.start - 1);
  const onlyWs = lineStart >= 0 && /^[ \t]*$/.test(xml.slice(lineStart + 1, el.start));
  return { start: onlyWs ? lineStart : el.start, end: el.end, text: '' };
}
