import { forwardRequestAttrs, retryCondition, usesManagedIdentity } from '../../../shared/export/policy';
import type { Workspace } from '../../../shared/model';
import { servedByExpression } from '../../../shared/export/served-by-header';
import { onErrorEdits } from './on-error';
import { rewriteServedBy, type ServedByWant } from './served-by';
import { rewriteTokenPolicies, type TokenPolicyWant } from './token-policy';
import { foreignForwarding, foreignRouting } from './ownership';
import { isOwnedManagedIdentity, RETRY_TIMING_ATTRS, sections, triesAtOnce } from './wiring';
import { applyEdits, decodeAttr, encodeAttr, indentAt, removeElement, wellFormedProblem, type Edit, type XmlElement } from './xml-scan';

/*
 * Read-modify-write of an API policy: only `set-backend-service`, the `<retry>` block, the Azure OpenAI
 * managed-identity element, the token policies, the on-error mapping of a backend without response (F-RETRY-8)
 * and the served-by header (F-OBS-1) change; every other byte stays as the user wrote it. When the wiring already matches, the text comes back
 * identical, so a plan shows no change.
 */

export interface DesiredWiring {
  backendId: string;
  retry?: { count: number; on: number[] };
  managedIdentity?: { resource: string; clientId?: string };
  /** The API's `timeout` (ISO 8601), written as `forward-request timeout=` (F-RETRY-6). */
  timeout?: string;
  /** The API streams: `forward-request buffer-response="false"` (F-STREAM-1). */
  stream?: boolean;
  /** The API's token limit and token metric (token-policy.ts); absent: those elements are not touched. */
  tokens?: TokenPolicyWant;
  /** The opt-in served-by response header (served-by.ts); `{}` removes ours; absent: it is not touched. */
  servedBy?: ServedByWant;
}

/** What apply writes for an API of the workspace (the same wiring as the export). */
export function desiredWiring(ws: Workspace, apiId: string): DesiredWiring {
  const api = ws.apis![apiId]!;
  return { backendId: api.backend, retry: api.retry, managedIdentity: usesManagedIdentity(ws, apiId), timeout: api.timeout, stream: api.stream, tokens: { tokenLimit: api.tokenLimit, tokenMetric: api.tokenMetric }, servedBy: api.servedByHeader ? { header: api.servedByHeader, expression: servedByExpression(ws, apiId) } : {} };
}

const STEP = '    ';
/** `forward-request` attributes Breakerboard owns; any other attribute is the user's and stays. */
const OWNED_FORWARD_ATTRS = ['buffer-request-body', 'timeout', 'timeout-ms', 'buffer-response'];

const sbsText = (id: string) => `<set-backend-service backend-id="${encodeAttr(id)}" />`;
const miText = (mi: NonNullable<DesiredWiring['managedIdentity']>, rest = '') =>
  `<authentication-managed-identity resource="${encodeAttr(mi.resource)}"${mi.clientId ? ` client-id="${encodeAttr(mi.clientId)}"` : ''}${rest} />`;
const attrText = (attrs: [string, string][]) => attrs.map(([k, v]) => ` ${k}="${encodeAttr(v)}"`).join('');
const retryOpen = (r: NonNullable<DesiredWiring['retry']>) => `<retry condition="${encodeAttr(retryCondition(r.on))}" count="${r.count}" interval="0" first-fast-retry="true">`;
/** The retry block of F-RETRY-5: the pool is set again before each forward-request, so every try re-picks. */
const retryBlock = (want: DesiredWiring, r: NonNullable<DesiredWiring['retry']>, indent: string) =>
  [
    retryOpen(r),
    `${indent}${STEP}${sbsText(want.backendId)}`,
    `${indent}${STEP}<forward-request buffer-request-body="true"${attrText(forwardRequestAttrs(want))} />`,
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
    s = sections(xml);
  }
  // `<inbound />` / `<backend />` open up to hold ours, without a `<base />`: the empty section left the outer scope out on purpose.
  const opened = [s.inbound, needBackend ? s.backend : undefined].filter((el): el is XmlElement => el?.selfClosing === true).map((el) => openUp(xml, el, ''));
  return applyEdits(xml, opened);
}

/** The edit that turns `<name … />` into `<name …>body\n</name>`, indented like the element. */
function openUp(xml: string, el: XmlElement, body: string): Edit {
  let at = el.end - 2;
  while (/\s/.test(xml[at - 1] ?? '')) at -= 1;
  return { start: at, end: el.end, text: `>${body}\n${indentAt(xml, el.start)}</${el.name}>` };
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

/** Several attributes at once; the ones added go in one edit, in the order given. */
function setAttrs(xml: string, el: XmlElement, pairs: [string, string | undefined][]): Edit[] {
  const edits = pairs.filter(([n]) => el.attrs.has(n)).map(([n, v]) => setAttr(xml, el, n, v)).filter((e): e is Edit => e !== undefined);
  const added = pairs.filter(([n, v]) => !el.attrs.has(n) && v !== undefined).map(([n, v]) => setAttr(xml, el, n, v)!);
  if (added.length > 0) edits.push({ start: added[0]!.start, end: added[0]!.end, text: added.map((e) => e.text).join('') });
  return edits;
}

/** `https://cognitiveservices.azure.com/` and without the slash name the same audience (import reads them alike). */
const sameResource = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '');

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
    const resource = sameResource(decodeAttr(mi.attrs.get('resource')!.value), want.managedIdentity.resource) ? undefined : setAttr(xml, mi, 'resource', want.managedIdentity.resource);
    edits.push(...[resource, setAttr(xml, mi, 'client-id', want.managedIdentity.clientId)].filter((e): e is Edit => e !== undefined));
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

/** The element's text with edits (given in document offsets) applied to it. */
function editedText(xml: string, el: XmlElement, edits: Edit[]): string {
  return applyEdits(xml.slice(el.start, el.end), edits.map((e) => ({ ...e, start: e.start - el.start, end: e.end - el.start })));
}

/** Sets our forward-request attributes (timeout, buffer-response), removing the ones the workspace does not set. */
function forwardEdits(xml: string, fwd: XmlElement, want: DesiredWiring, inRetry: boolean): Edit[] {
  const attrs = new Map(forwardRequestAttrs(want));
  // Inside a retry the body must be kept for the replay; outside, buffer-request-body is left as the user wrote it.
  if (inRetry) attrs.set('buffer-request-body', 'true');
  const names = inRetry ? OWNED_FORWARD_ATTRS : OWNED_FORWARD_ATTRS.slice(1);
  // A value the workspace cannot hold ({{named value}}, an expression) stays unless the workspace sets that attribute.
  const kept = (n: string) => !attrs.has(n) && !readableForwardValue(n, decodeAttr(fwd.attrs.get(n)?.value ?? ''));
  return names.filter((n) => !kept(n)).map((n) => setAttr(xml, fwd, n, attrs.get(n))).filter((e): e is Edit => e !== undefined);
}

/** Whether an owned forward-request attribute's value is one the workspace models (whole seconds or ms, true / false); absent counts as readable. */
export function readableForwardValue(name: string, value: string): boolean {
  if (value === '') return true;
  return name.startsWith('timeout') ? /^\d+$/.test(value) : /^(true|false)$/i.test(value.trim());
}

const isOwnSbs = (el: XmlElement) => el.name === 'set-backend-service' && el.attrs.has('backend-id');

/** The retry's timing attributes as Breakerboard writes them (F-RETRY-1); `delta` and `max-interval` go. */
const IMMEDIATE_RETRY: Record<string, string | undefined> = { interval: '0', 'first-fast-retry': 'true' };

/**
 * The forward-request a user's retry without one gets (the one the retry block writes), or a refusal when the
 * backend section forwards after the retry: the plan then stops, naming it, rather than send every request twice.
 */
function ownRetryForward(backend: XmlElement, retry: XmlElement, want: DesiredWiring): string {
  const after = backend.children.find((c) => c !== retry && (c.name === 'forward-request' || c.name === 'base'));
  if (after) {
    throw new Error(
      `its <backend> has a <retry> with no <forward-request> inside and a <${after.name}${after.name === 'base' ? ' /' : ''}> outside it: move the forwarding into the retry (or remove the retry), then plan again`,
    );
  }
  return `<forward-request buffer-request-body="true"${attrText(forwardRequestAttrs(want))} />`;
}

function backendEdits(xml: string, backend: XmlElement, want: DesiredWiring): Edit[] {
  const retry = backend.children.find((c) => c.name === 'retry');
  const r = want.retry && want.retry.count > 0 ? want.retry : undefined;
  const fwdAttrs = forwardRequestAttrs(want);
  if (retry && r) {
    // Both shapes are recognised: with set-backend-service inside the retry (F-RETRY-5) or without; ours is written.
    // Tries follow at once (F-RETRY-1), as the local gateway rehearses: a user's waits between them are replaced.
    const timing = triesAtOnce(retry) ? [] : RETRY_TIMING_ATTRS.map((n): [string, string | undefined] => [n, IMMEDIATE_RETRY[n]]);
    const attrEdits = setAttrs(xml, retry, [['condition', retryCondition(r.on)], ['count', String(r.count)], ...timing]);
    const sbs = retry.children.find(isOwnSbs);
    const fwd = retry.children.find((c) => c.name === 'forward-request');
    // A retry that repeats no forward-request sends nothing: ours goes in as its last element, unless the user
    // forwards after it (then which one the retry should repeat is theirs to say).
    const fwdLine = fwd ? undefined : ownRetryForward(backend, retry, want);
    if (retry.selfClosing) {
      // `<retry … />` opens up; this edit goes first, since an attribute added at the same offset must land before it.
      const outer = indentAt(xml, retry.start);
      const body = [sbsText(want.backendId), ...(fwdLine ? [fwdLine] : [])].map((l) => `\n${outer}${STEP}${l}`).join('');
      return [openUp(xml, retry, body), ...attrEdits];
    }
    const edits = [...attrEdits];
    const first = retry.children[0];
    const last = retry.children.at(-1);
    const ind = first ? indentAt(xml, first.start) : indentAt(xml, retry.start) + STEP;
    if (sbs) edits.push(...[setAttr(xml, sbs, 'backend-id', want.backendId)].filter((e): e is Edit => e !== undefined));
    else if (first) edits.push({ start: first.start, end: first.start, text: `${sbsText(want.backendId)}\n${ind}` });
    if (fwd) edits.push(...forwardEdits(xml, fwd, want, true));
    else if (fwdLine && last) edits.push({ start: last.end, end: last.end, text: `\n${indentAt(xml, last.start)}${fwdLine}` });
    // An empty retry: both lines at its start, in one edit.
    if (!first) edits.push({ start: retry.openEnd, end: retry.openEnd, text: [sbsText(want.backendId), ...(fwdLine ? [fwdLine] : [])].map((l) => `\n${ind}${l}`).join('') });
    return edits;
  }
  if (retry) {
    // Unwrap: our own set-backend-service goes; our own forward-request goes back to `<base />` (or keeps the
    // attributes the workspace sets); anything else the user had stays.
    const inner = retry.children.filter((c) => !isOwnSbs(c));
    const only = inner.length === 1 && inner[0]!.name === 'forward-request' && inner[0]!.selfClosing ? inner[0]! : undefined;
    const ours = only && [...only.attrs.keys()].every((k) => OWNED_FORWARD_ATTRS.includes(k));
    if (ours) return [{ start: retry.start, end: retry.end, text: fwdAttrs.length ? `<forward-request${attrText(fwdAttrs)} />` : '<base />' }];
    // The user's forward-request stays, with the workspace's timeout / buffer-response as outside a retry.
    const userFwd = inner.find((c) => c.name === 'forward-request');
    const bodyEdits = [...retry.children.filter(isOwnSbs).map((el) => removeElement(xml, el)), ...(userFwd ? forwardEdits(xml, userFwd, want, false) : [])];
    const body = editedText(xml, { ...retry, start: retry.openEnd, end: retry.closeStart }, bodyEdits).trim();
    return [{ start: retry.start, end: retry.end, text: body }];
  }
  const base = backend.children.find((c) => c.name === 'base');
  const fwd = backend.children.find((c) => c.name === 'forward-request');
  if (!r) {
    if (fwd) return forwardEdits(xml, fwd, want, false);
    if (fwdAttrs.length === 0) return [];
    const text = `<forward-request${attrText(fwdAttrs)} />`;
    if (base) return [{ start: base.start, end: base.end, text }];
    const ind = indentAt(xml, backend.start) + STEP;
    return [{ start: backend.openEnd, end: backend.openEnd, text: `\n${ind}${text}` }];
  }
  if (base) return [{ start: base.start, end: base.end, text: retryBlock(want, r, indentAt(xml, base.start)) }];
  if (fwd) {
    const ind = indentAt(xml, fwd.start);
    const inner = editedText(xml, fwd, forwardEdits(xml, fwd, want, true));
    return [{ start: fwd.start, end: fwd.end, text: `${retryOpen(r)}\n${ind}${STEP}${sbsText(want.backendId)}\n${ind}${STEP}${inner}\n${ind}</retry>` }];
  }
  const ind = indentAt(xml, backend.start) + STEP;
  return [{ start: backend.openEnd, end: backend.openEnd, text: `\n${ind}${retryBlock(want, r, ind)}` }];
}

/** The policy with Breakerboard's wiring; identical text when nothing needs to change. */
export function rewritePolicy(xml: string, want: DesiredWiring): string {
  // Every edit is placed by the offsets of the scan; a misread element would put them in the wrong place.
  const problem = wellFormedProblem(xml);
  if (problem) throw new Error(`it is not well-formed XML as Breakerboard reads it: ${problem}. APIM keeps only well-formed policies, so look at that spot in the portal's policy editor; nothing in this policy is changed`);
  // A document written with CRLF throughout is edited as LF and given back with CRLF, so added lines match it.
  if (/\r\n/.test(xml) && !/(?<!\r)\n/.test(xml)) return rewritePolicy(xml.replace(/\r\n/g, '\n'), want).replace(/\n/g, '\r\n');
  // Positions in refusals are the user's own lines, so they are found in the document as read.
  const read = sections(xml);
  const routing = foreignRouting(xml, read);
  if (routing) throw new Error(routing);
  const ensured = ensureSections(xml, Boolean(want.retry && want.retry.count > 0) || forwardRequestAttrs(want).length > 0);
  const s = sections(ensured);
  const backend = s.backend ? backendEdits(ensured, s.backend, want) : [];
  const forwarding = backend.length > 0 ? foreignForwarding(xml, read) : undefined;
  if (forwarding) throw new Error(forwarding);
  const edits = [...inboundEdits(ensured, s.inbound!, want), ...backend, ...onErrorEdits(ensured, s.policies!, s.onError)];
  const out = applyEdits(ensured, edits);
  const wired = edits.length === 0 && ensured === xml ? xml : out;
  return rewriteServedBy(want.tokens ? rewriteTokenPolicies(wired, want.tokens) : wired, want.servedBy);
}
