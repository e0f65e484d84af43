import { retryCondition } from '../../../shared/export/policy';
import { rewriteTokenPolicies, type TokenPolicyWant } from './token-policy';
import { isOwnedManagedIdentity, sections } from './wiring';
import { applyEdits, decodeAttr, encodeAttr, indentAt, type Edit, type XmlElement } from './xml-scan';

/*
 * Read-modify-write of an API policy: only `set-backend-service`, the `<retry>` block and the Azure OpenAI
 * managed-identity element change; every other byte stays as the user wrote it. When the wiring already matches,
 * the text comes back identical, so a plan shows no change.
 */

export interface DesiredWiring {
  backendId: string;
  retry?: { count: number; on: number[] };
  managedIdentity?: { resource: string; clientId?: string };
  /** The API's token limit and token metric (token-policy.ts); absent: those elements are not touched. */
  tokens?: TokenPolicyWant;
}

const STEP = '    ';

const sbsText = (id: string) => `<set-backend-service backend-id="${encodeAttr(id)}" />`;
const miText = (mi: NonNullable<DesiredWiring['managedIdentity']>, rest = '') =>
  `<authentication-managed-identity resource="${encodeAttr(mi.resource)}"${mi.clientId ? ` client-id="${encodeAttr(mi.clientId)}"` : ''}${rest} />`;
const retryBlock = (r: NonNullable<DesiredWiring['retry']>, indent: string) =>
  [
    `<retry condition="${encodeAttr(retryCondition(r.on))}" count="${r.count}" interval="0" first-fast-retry="true">`,
    `${indent}${STEP}<forward-request buffer-request-body="true" />`,
    `${indent}</retry>`,
  ].join('\n');

/** Adds missing `<inbound>` / `<backend>` sections (with `<base />`) so the element edits have a place. */
function ensureSections(xml: string, needBackend: boolean): string {
  let s = sections(xml);
  if (!s.policies || s.policies.selfClosing) throw new Error('the policy has no <policies> element');
  const ind = indentAt(xml, s.policies.start) + STEP;
  if (!s.inbound) {
    xml = applyEdits(xml, [{ start: s.policies.openEnd, end: s.policies.openEnd, text: `\n${ind}<inbound>\n${ind}${STEP}<base />\n${ind}</inbound>` }]);
    s = sections(xml);
  }
  if (!s.backend && needBackend) {
    const at = s.inbound!.end;
    xml = applyEdits(xml, [{ start: at, end: at, text: `\n${ind}<backend>\n${ind}${STEP}<base />\n${ind}</backend>` }]);
  }
  return xml;
}

/** Replaces (or adds, or removes) one attribute of an element, keeping the others as written. */
function setAttr(xml: string, el: XmlElement, name: string, value: string | undefined): Edit | undefined {
  const a = el.attrs.get(name);
  if (a && value !== undefined) return decodeAttr(a.value) === value ? undefined : { start: a.start, end: a.end, text: `${name}="${encodeAttr(value)}"` };
  if (a) return { start: a.start - (/\s/.test(xml[a.start - 1] ?? '') ? 1 : 0), end: a.end, text: '' };
  if (value === undefined) return undefined;
  const at = [...el.attrs.values()].reduce((m, x) => Math.max(m, x.end), el.start + 1 + el.name.length);
  return { start: at, end: at, text: ` ${name}="${encodeAttr(value)}"` };
}

/** Removes an element together with the whitespace that starts its line. */
function removeElement(xml: string, el: XmlElement): Edit {
  const lineStart = xml.lastIndexOf('\n', el.start - 1);
  const onlyWs = lineStart >= 0 && /^[ \t]*$/.test(xml.slice(lineStart + 1, el.start));
  return { start: onlyWs ? lineStart : el.start, end: el.end, text: '' };
}

function inboundEdits(xml: string, inbound: XmlElement, want: DesiredWiring): Edit[] {
  const edits: Edit[] = [];
  const sbs = inbound.children.find((c) => c.name === 'set-backend-service');
  const mi = inbound.children.find((c) => c.name === 'authentication-managed-identity' && isOwnedManagedIdentity(decodeAttr(c.attrs.get('resource')?.value ?? '')));
  const base = inbound.children.find((c) => c.name === 'base');
  const indent = base ? indentAt(xml, base.start) : indentAt(xml, inbound.start) + STEP;
  const insertAt = sbs ? sbs.start : base ? base.end : inbound.openEnd;
  const lead = sbs ? '' : `\n${indent}`;
  let inserted = '';
  if (want.managedIdentity && mi) {
    edits.push(...[setAttr(xml, mi, 'resource', want.managedIdentity.resource), setAttr(xml, mi, 'client-id', want.managedIdentity.clientId)].filter((e): e is Edit => e !== undefined));
  } else if (want.managedIdentity) {
    inserted += sbs ? `${miText(want.managedIdentity)}\n${indent}` : `${lead}${miText(want.managedIdentity)}`;
  } else if (mi) {
    edits.push(removeElement(xml, mi));
  }
  if (sbs && sbs.attrs.has('backend-id')) {
    const e = setAttr(xml, sbs, 'backend-id', want.backendId);
    if (e) edits.push(e);
  } else if (sbs) {
    edits.push({ start: sbs.start, end: sbs.end, text: sbsText(want.backendId) });
  } else {
    inserted += `\n${indent}${sbsText(want.backendId)}`;
  }
  if (inserted) edits.push({ start: insertAt, end: insertAt, text: inserted });
  return edits;
}

function backendEdits(xml: string, backend: XmlElement, want: DesiredWiring): Edit[] {
  const retry = backend.children.find((c) => c.name === 'retry');
  const r = want.retry && want.retry.count > 0 ? want.retry : undefined;
  if (retry && r) {
    return [setAttr(xml, retry, 'condition', retryCondition(r.on)), setAttr(xml, retry, 'count', String(r.count))].filter((e): e is Edit => e !== undefined);
  }
  if (retry) {
    // Unwrap: our own forward-request goes back to `<base />`; anything else the user had stays.
    const inner = retry.children;
    const ours = inner.length === 1 && inner[0]!.name === 'forward-request' && inner[0]!.selfClosing && [...inner[0]!.attrs.keys()].every((k) => k === 'buffer-request-body');
    const text = ours ? '<base />' : xml.slice(retry.openEnd, retry.closeStart).trim();
    return [{ start: retry.start, end: retry.end, text }];
  }
  if (!r) return [];
  const base = backend.children.find((c) => c.name === 'base');
  const fwd = backend.children.find((c) => c.name === 'forward-request');
  if (base) return [{ start: base.start, end: base.end, text: retryBlock(r, indentAt(xml, base.start)) }];
  if (fwd) {
    const ind = indentAt(xml, fwd.start);
    const open = `<retry condition="${encodeAttr(retryCondition(r.on))}" count="${r.count}" interval="0" first-fast-retry="true">`;
    return [{ start: fwd.start, end: fwd.end, text: `${open}\n${ind}${STEP}${xml.slice(fwd.start, fwd.end)}\n${ind}</retry>` }];
  }
  const ind = indentAt(xml, backend.start) + STEP;
  return [{ start: backend.openEnd, end: backend.openEnd, text: `\n${ind}${retryBlock(r, ind)}` }];
}

/** The policy with Breakerboard's wiring; identical text when nothing needs to change. */
export function rewritePolicy(xml: string, want: DesiredWiring): string {
  const ensured = ensureSections(xml, Boolean(want.retry && want.retry.count > 0));
  const s = sections(ensured);
  const edits = [...inboundEdits(ensured, s.inbound!, want), ...(s.backend ? backendEdits(ensured, s.backend, want) : [])];
  const out = applyEdits(ensured, edits);
  const wired = edits.length === 0 && ensured === xml ? xml : out;
  return want.tokens ? rewriteTokenPolicies(wired, want.tokens) : wired;
}
