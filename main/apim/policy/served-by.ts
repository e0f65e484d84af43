import { servedByLines } from '../../../shared/export/served-by-header';
import { applyEdits, child, decodeAttr, encodeAttr, findAll, indentAt, removeElement, scanXml, type Edit, type XmlElement } from './xml-scan';

/*
 * The opt-in "served by" response header in an API policy's <outbound> (apis.<id>.servedByHeader, fidelity row
 * F-OBS-1): apply writes, updates and removes it like the other elements it owns, and import reads it back. Ours is
 * recognised by its value alone — a direct child `<set-header>` of <outbound> whose one `<value>` is the expression
 * of shared/export/served-by-header.ts — so a user's own set-header, whatever its name, is never taken for it.
 */

/** What the workspace wants (in a plan's wiring): `{}` removes ours; the plan's wiring without it leaves it alone. */
export interface ServedByWant {
  header?: string;
  expression?: string;
}

/** What a policy holds: our element's header name, exists-action and value (whitespace runs collapsed). */
export interface ServedByRead {
  header: string;
  existsAction?: string;
  value: string;
  /** How many of our elements the section holds (apply keeps one). */
  count: number;
}

const MARKER = 'context.Request.Url.ToString().ToLowerInvariant()';
/** A value as plans and import compare it: whitespace runs collapsed, so APIM's re-indenting is no change. */
export const servedByValue = (s: string) => s.replace(/\s+/g, ' ').trim();
const text = (xml: string, el: XmlElement) => decodeAttr(xml.slice(el.openEnd, el.closeStart));

/** Whether an element is Breakerboard's served-by `<set-header>` (the one recogniser of rewrite, plan and import). */
export function isServedBySetHeader(xml: string, el: XmlElement): boolean {
  if (el.name !== 'set-header' || el.selfClosing || el.children.length !== 1) return false;
  const value = el.children[0]!;
  if (value.name !== 'value' || value.selfClosing) return false;
  // "@{" first: with anything before it APIM takes the value as literal text, not as our expression.
  const v = text(xml, value);
  return v.startsWith('@{') && v.includes(MARKER);
}

const outboundOf = (xml: string) => child(child(scanXml(xml), 'policies'), 'outbound');
const ours = (xml: string, outbound: XmlElement | undefined) => outbound?.children.filter((c) => isServedBySetHeader(xml, c)) ?? [];
const attr = (el: XmlElement, name: string) => (el.attrs.has(name) ? decodeAttr(el.attrs.get(name)!.value) : undefined);

/** Our header as the policy holds it; undefined when the policy has none. */
export function readServedBy(xml: string): ServedByRead | undefined {
  const found = ours(xml, outboundOf(xml));
  const el = found[0];
  if (!el) return undefined;
  return { header: attr(el, 'name') ?? '', existsAction: attr(el, 'exists-action'), value: servedByValue(text(xml, el.children[0]!)), count: found.length };
}

/** The export's lines, moved to `indent` with the document's own indentation `step` for each further level. */
function placed(want: Required<ServedByWant>, indent: string, step: string): string[] {
  // The export indents its set-header by two levels of four spaces: each further level becomes one `step`.
  return servedByLines(want.header, want.expression).map((l) => `${indent}${step.repeat(/^ */.exec(l)![0].length / 4 - 2)}${l.trimStart()}`);
}

/** Sets name and exists-action: changed in place, added (in this order) after the other attributes when missing. */
function attrEdits(el: XmlElement, header: string): Edit[] {
  const want: [string, string][] = [['name', header], ['exists-action', 'override']];
  const edits: Edit[] = want.flatMap(([n, v]) => {
    const a = el.attrs.get(n);
    return a && decodeAttr(a.value) !== v ? [{ start: a.start, end: a.end, text: `${n}="${encodeAttr(v)}"` }] : [];
  });
  const missing = want.filter(([n]) => !el.attrs.has(n)).map(([n, v]) => ` ${n}="${encodeAttr(v)}"`).join('');
  const at = [...el.attrs.values()].reduce((m, x) => Math.max(m, x.end), el.start + 1 + el.name.length);
  return missing ? [...edits, { start: at, end: at, text: missing }] : edits;
}

/** The step beyond `outer` that `inner` is indented by, else four spaces. */
const stepBetween = (outer: string, inner: string) => (inner.length > outer.length && inner.startsWith(outer) ? inner.slice(outer.length) : '    ');

function updateEdits(xml: string, el: XmlElement, want: Required<ServedByWant>, step: string): Edit[] {
  const edits = attrEdits(el, want.header);
  const value = el.children[0]!;
  if (servedByValue(text(xml, value)) !== servedByValue(want.expression)) {
    const lines = placed(want, indentAt(xml, el.start), step);
    edits.push({ start: value.start, end: value.end, text: lines.slice(1, -1).join('\n').trimStart() });
  }
  return edits;
}

/** A new <outbound> section (with `<base />`, as the export writes it) after <backend> or <inbound>, else first. */
function newSection(xml: string, policies: XmlElement, want: Required<ServedByWant>): Edit {
  const prior = child(policies, 'backend') ?? child(policies, 'inbound');
  const ind = prior ? indentAt(xml, prior.start) : `${indentAt(xml, policies.start)}    `;
  const step = prior?.children[0] ? stepBetween(ind, indentAt(xml, prior.children[0].start)) : '    ';
  const body = [`${ind}${step}<base />`, ...placed(want, ind + step, step)].join('\n');
  const at = prior ? prior.end : policies.openEnd;
  return { start: at, end: at, text: `\n${ind}<outbound>\n${body}\n${ind}</outbound>` };
}

/**
 * The policy with our served-by header as the workspace wants it: updated in place (name, exists-action, value),
 * added after `<base />` in <outbound> (else after its last element; the section is created when missing), or
 * removed; nothing else changes, and the text is identical when it is already right. Another set-header of the same
 * name is the user's own: apply stops with an error naming it rather than removing it or letting one of the two
 * silently override the other (`drill --against` would then read the wrong value).
 */
export function rewriteServedBy(xml: string, want: ServedByWant | undefined): string {
  if (!want) return xml;
  const policies = child(scanXml(xml), 'policies');
  const outbound = child(policies, 'outbound');
  const found = ours(xml, outbound);
  if (!want.header || !want.expression) return applyEdits(xml, found.map((el) => removeElement(xml, el)));
  const full = { header: want.header, expression: want.expression };
  const name = full.header.toLowerCase();
  const clash = outbound ? findAll(outbound, 'set-header').find((el) => !found.includes(el) && attr(el, 'name')?.toLowerCase() === name) : undefined;
  if (clash) throw new Error(`<outbound> already sets header '${attr(clash, 'name')}' with its own value: rename servedByHeader or remove that set-header, then plan again`);
  if (!policies || policies.selfClosing) throw new Error('the policy has no <policies> element');
  if (!outbound) return applyEdits(xml, [newSection(xml, policies, full)]);
  const outer = indentAt(xml, outbound.start);
  const first = outbound.children[0];
  // The document's own step: its outbound's children beyond the section, else the section beyond <policies>.
  const step = first ? stepBetween(outer, indentAt(xml, first.start)) : stepBetween(indentAt(xml, policies.start), outer);
  if (outbound.selfClosing) {
    // An empty section replaces the outer scope's on purpose: it stays without <base />.
    return applyEdits(xml, [{ start: outbound.start, end: outbound.end, text: `<outbound>\n${placed(full, outer + step, step).join('\n')}\n${outer}</outbound>` }]);
  }
  const [mine, ...extra] = found;
  if (mine) return applyEdits(xml, [...updateEdits(xml, mine, full, step), ...extra.map((el) => removeElement(xml, el))]);
  const base = outbound.children.find((c) => c.name === 'base');
  const last = outbound.children.at(-1);
  const anchor = base ?? last;
  const indent = anchor ? indentAt(xml, anchor.start) : outer + step;
  const at = anchor ? anchor.end : outbound.openEnd;
  return applyEdits(xml, [{ start: at, end: at, text: `\n${placed(full, indent, step).join('\n')}` }]);
}
