import { NO_RESPONSE_ERRORS, NO_RESPONSE_SUMMARY, noResponseChoose, noResponseCondition } from '../../../shared/export/no-response-errors';
import { decodeAttr, indentAt, removeElement, type Edit, type XmlElement } from './xml-scan';

/*
 * Breakerboard's one element in `<on-error>` (docs/apim-fidelity.md F-RETRY-8): the `<choose>` that answers a
 * forward-request without response with the local gateway's 502 / 504. It is recognised by its branches — every
 * `when` has one of our conditions, nothing else — so a user's own `<choose>` (e.g. the AI-Gateway lab's 503 filter)
 * is never taken for ours. Apply adds it as the last element of the section, after whatever the user wrote there
 * (their logging or their own answers run first), keeps every other element, and leaves it alone when it is already
 * as written, however APIM re-indents it.
 */

/** The document's own indentation step (its first section's indent beyond `<policies>`), else four spaces. */
function stepOf(xml: string, policies: XmlElement): string {
  const first = policies.children[0];
  const outer = indentAt(xml, policies.start);
  const inner = first ? indentAt(xml, first.start) : '';
  return inner.length > outer.length && inner.startsWith(outer) ? inner.slice(outer.length) : '    ';
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const OUR_CONDITIONS = new Set(NO_RESPONSE_ERRORS.map((e) => collapse(noResponseCondition(e))));

/** Whether an element of `<on-error>` is the mapping Breakerboard writes. */
export function isOwnedOnErrorChoose(el: XmlElement): boolean {
  return (
    el.name === 'choose' &&
    el.children.length > 0 &&
    el.children.every((w) => w.name === 'when' && OUR_CONDITIONS.has(collapse(decodeAttr(w.attrs.get('condition')?.value ?? ''))))
  );
}

/** The text as meaning goes: entities decoded, whitespace between tags and before `/>` dropped, runs collapsed. */
const canonical = (s: string) => collapse(decodeAttr(s).replace(/>\s+</g, '><').replace(/\s+\/>/g, '/>'));
const CANONICAL = canonical(noResponseChoose(''));

const owned = (onError: XmlElement | undefined) => onError?.children.filter(isOwnedOnErrorChoose) ?? [];

/**
 * Whether the section's text holds both our conditions although no element is ours: a user's own `<choose>` that
 * answers both (with an `<otherwise>` of theirs, say), or markup the scanner could only read the plain way. APIM
 * already answers both errors there, so the mapping is not added a second time.
 */
const mentionsOurs = (xml: string, onError: XmlElement) => {
  // A commented-out copy answers nothing: comments are dropped before looking.
  const t = collapse(decodeAttr(xml.slice(onError.openEnd, onError.closeStart).replace(/<!--[\s\S]*?-->/g, ' ')));
  return [...OUR_CONDITIONS].every((c) => t.includes(c));
};

/** For plans: `502 BackendUnavailable, 504 BackendTimeout` when the mapping is there as written; undefined when absent. */
export function noResponseView(xml: string, onError: XmlElement | undefined): string | undefined {
  const found = owned(onError);
  if (found.length === 0) return onError && !onError.selfClosing && mentionsOurs(xml, onError) ? NO_RESPONSE_SUMMARY : undefined;
  const current = found.length === 1 && canonical(xml.slice(found[0]!.start, found[0]!.end)) === CANONICAL;
  return current ? NO_RESPONSE_SUMMARY : 'not as Breakerboard writes it';
}

/** The edits that put the mapping into the policy: none when it is there as written. */
export function onErrorEdits(xml: string, policies: XmlElement, onError: XmlElement | undefined): Edit[] {
  const step = stepOf(xml, policies);
  const choose = (indent: string) => noResponseChoose(indent, step);
  if (!onError) {
    // No section: APIM uses the outer scope's, which a section with <base /> keeps doing.
    const last = policies.children.at(-1);
    const ind = last ? indentAt(xml, last.start) : indentAt(xml, policies.start) + step;
    const at = last ? last.end : policies.openEnd;
    const inner = ind + step;
    return [{ start: at, end: at, text: `\n${ind}<on-error>\n${inner}<base />\n${inner}${choose(inner)}\n${ind}</on-error>` }];
  }
  if (onError.selfClosing) {
    // An empty section replaces the outer scope's on purpose: it stays without <base />.
    const ind = indentAt(xml, onError.start);
    return [{ start: onError.start, end: onError.end, text: `<on-error>\n${ind}${step}${choose(ind + step)}\n${ind}</on-error>` }];
  }
  const [first, ...extra] = owned(onError);
  if (first) {
    const want = choose(indentAt(xml, first.start));
    const edits = extra.map((el) => removeElement(xml, el));
    if (canonical(xml.slice(first.start, first.end)) !== CANONICAL) edits.push({ start: first.start, end: first.end, text: want });
    return edits;
  }
  if (mentionsOurs(xml, onError)) return [];
  const last = onError.children.at(-1);
  const ind = last ? indentAt(xml, last.start) : indentAt(xml, onError.start) + step;
  const at = last ? last.end : onError.openEnd;
  return [{ start: at, end: at, text: `\n${ind}${choose(ind)}` }];
}
