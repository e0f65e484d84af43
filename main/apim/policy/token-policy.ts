import type { Props } from '../../../shared/deploy';
import { DEFAULT_METRIC_DIMENSIONS, type Api, type MetricDimension } from '../../../shared/model';
import { TOKEN_LIMIT_HEADER_ATTRIBUTES, tokenLimitAttributes, tokenLimitElement, tokenMetricXml } from '../../../shared/export/token-policy';
import { counterKeyFromExpression } from '../../../shared/semantics/token-key';
import { applyEdits, decodeAttr, encodeAttr, indentAt, removeElement, scanXml, child, type Edit, type XmlElement } from './xml-scan';

/*
 * The token policies in an API policy's <inbound> (F-TOKEN-11): read back into the workspace's shape (import,
 * plan), and rewritten element by element (apply). Only the first token-limit and the first emit-token-metric
 * element are Breakerboard's; attributes it does not model (the *-variable-name ones, the metric's `value`) are
 * kept on the element, and every other element and byte of the policy stays as the user wrote it.
 */

const LIMIT_NAMES = ['azure-openai-token-limit', 'llm-token-limit'];
const METRIC_NAMES = ['azure-openai-emit-token-metric', 'llm-emit-token-metric'];
const LIMIT_MODELLED = new Set(['counter-key', 'tokens-per-minute', 'token-quota', 'token-quota-period', 'estimate-prompt-tokens', ...TOKEN_LIMIT_HEADER_ATTRIBUTES.map(([, a]) => a)]);
const METRIC_MODELLED = new Set(['namespace']);
const HEADER_DIMENSION = /^@\(context\.Request\.Headers\.GetValueOrDefault\("([^"]+)", ""\)\)$/;

/** What the workspace wants of an API's token policies (a plan carries it; apply rewrites with it). */
export type TokenPolicyWant = Pick<Api, 'tokenLimit' | 'tokenMetric'>;

export interface TokenPolicies {
  tokenLimit?: Props;
  tokenMetric?: Props;
  /** What the workspace cannot hold, said once per element (import notes). */
  notes: string[];
}

const attr = (el: XmlElement, name: string) => {
  const a = el.attrs.get(name);
  return a === undefined ? undefined : decodeAttr(a.value);
};

const inboundOf = (xml: string) => child(child(scanXml(xml), 'policies'), 'inbound');

function readLimit(el: XmlElement, notes: string[]): Props | undefined {
  const out: Props = {};
  const key = attr(el, 'counter-key');
  if (key === undefined) {
    notes.push(`<${el.name}> has no counter-key; not imported`);
    return undefined;
  }
  out.counterKey = counterKeyFromExpression(key);
  const whole = (name: string) => {
    const v = attr(el, name);
    if (v === undefined) return undefined;
    if (/^\d+$/.test(v)) return Number(v);
    notes.push(`<${el.name}> ${name}="${v}" is not a whole number; the workspace leaves it out (kept in APIM unless the workspace sets it)`);
    return undefined;
  };
  const tpm = whole('tokens-per-minute');
  if (tpm !== undefined) out.tokensPerMinute = tpm;
  const quota = whole('token-quota');
  const period = attr(el, 'token-quota-period');
  if (quota !== undefined && period !== undefined) out.quota = { tokens: quota, period };
  // A quota needs both attributes: half of one is not imported, and the note says so (nothing goes without a word).
  else if (quota !== undefined) notes.push(`<${el.name}> token-quota without token-quota-period; the workspace leaves the quota out (kept in APIM unless the workspace sets a quota)`);
  else if (period !== undefined && attr(el, 'token-quota') === undefined) notes.push(`<${el.name}> token-quota-period without token-quota; the workspace leaves it out (kept in APIM unless the workspace sets a quota)`);
  out.estimatePromptTokens = attr(el, 'estimate-prompt-tokens')?.toLowerCase() === 'true';
  out.flavour = el.name === 'llm-token-limit' ? 'llm' : 'azure-openai';
  for (const [field, name] of TOKEN_LIMIT_HEADER_ATTRIBUTES) {
    const v = attr(el, name);
    if (v !== undefined) out[field] = v;
  }
  const kept = [...el.attrs.keys()].filter((k) => !LIMIT_MODELLED.has(k));
  if (kept.length > 0) notes.push(`<${el.name}> ${kept.join(', ')} not modeled by the workspace; kept in APIM (apply leaves them as they are)`);
  return out;
}

/** An emit-token-metric's elements other than `<dimension>` (the policy's schema has no others; kept, never dropped). */
const notDimensions = (el: XmlElement) => el.children.filter((c) => c.name !== 'dimension');

/** What a rewritten metric keeps, in document order: the user's comments between its children and its other children. */
function keptInMetric(xml: string, el: XmlElement): string[] {
  const comments = [...xml.slice(el.openEnd, el.closeStart).matchAll(/<!--[\s\S]*?-->/g)]
    .map((m) => ({ start: el.openEnd + m.index, text: m[0] }))
    .filter((c) => !el.children.some((ch) => c.start > ch.start && c.start < ch.end));
  const others = notDimensions(el).map((c) => ({ start: c.start, text: xml.slice(c.start, c.end) }));
  return [...comments, ...others].sort((a, b) => a.start - b.start).map((x) => x.text);
}

function readMetric(el: XmlElement, notes: string[]): Props {
  const dims: MetricDimension[] = [];
  for (const d of el.children.filter((c) => c.name === 'dimension')) {
    const name = attr(d, 'name') ?? '';
    const value = attr(d, 'value');
    const header = value !== undefined ? HEADER_DIMENSION.exec(value)?.[1] : undefined;
    if (value === undefined && (DEFAULT_METRIC_DIMENSIONS as readonly string[]).includes(name)) dims.push(name as MetricDimension);
    else if (header !== undefined) dims.push({ name, header });
    else dims.push({ name, value: value ?? '' });
  }
  const out: Props = { dimensions: dims, flavour: el.name === 'llm-emit-token-metric' ? 'llm' : 'azure-openai' };
  const ns = attr(el, 'namespace');
  if (ns !== undefined) out.namespace = ns;
  const kept = [...el.attrs.keys()].filter((k) => !METRIC_MODELLED.has(k));
  if (kept.length > 0) notes.push(`<${el.name}> ${kept.join(', ')} not modeled by the workspace; kept in APIM (apply leaves them as they are)`);
  const others = notDimensions(el).map((c) => `<${c.name}>`);
  if (others.length > 0) notes.push(`<${el.name}> holds ${others.join(', ')}, not a <dimension>: not modeled by the workspace; kept in APIM (apply leaves them as they are)`);
  return out;
}

/** The elements Breakerboard owns in an <inbound>: the first token-limit and the first emit-token-metric. */
export function ownedTokenElements(inbound: XmlElement | undefined): XmlElement[] {
  const limit = inbound?.children.find((c) => LIMIT_NAMES.includes(c.name));
  const metric = inbound?.children.find((c) => METRIC_NAMES.includes(c.name));
  return [limit, metric].filter((e): e is XmlElement => e !== undefined);
}

/** The token policies of a policy document, in the workspace's shape. */
export function readTokenPolicies(xml: string): TokenPolicies {
  const notes: string[] = [];
  const inbound = inboundOf(xml);
  const limits = inbound?.children.filter((c) => LIMIT_NAMES.includes(c.name)) ?? [];
  const metrics = inbound?.children.filter((c) => METRIC_NAMES.includes(c.name)) ?? [];
  if (limits.length > 1) notes.push(`${limits.length} token-limit elements: the first is imported, the others stay in APIM as they are`);
  if (metrics.length > 1) notes.push(`${metrics.length} emit-token-metric elements: the first is imported, the others stay in APIM as they are`);
  const out: TokenPolicies = { notes };
  const limit = limits[0] ? readLimit(limits[0], notes) : undefined;
  if (limit) out.tokenLimit = limit;
  if (metrics[0]) out.tokenMetric = readMetric(metrics[0], notes);
  return out;
}

/** Import: the API's token policies as workspace fields, their notes under the API's path. */
export function importTokenPolicies(xml: string, path: string, notes: string[]): Props {
  const t = readTokenPolicies(xml);
  notes.push(...t.notes.map((n) => `${path}: ${n}`));
  return { ...(t.tokenLimit ? { tokenLimit: t.tokenLimit } : {}), ...(t.tokenMetric ? { tokenMetric: t.tokenMetric } : {}) };
}

/** The plan's view: the two elements field by field (`tokenLimit.tokensPerMinute`, `tokenMetric.dimensions[1]`). */
export function tokenPolicyView(xml: string): Props {
  const t = readTokenPolicies(xml);
  return { tokenLimit: t.tokenLimit, tokenMetric: t.tokenMetric };
}

/**
 * Keeps the attributes Breakerboard does not model, and `alsoKept`: appended to the regenerated start tag as the user
 * wrote them, byte for byte (their quotes and entities).
 */
function keptAttributes(xml: string, el: XmlElement, modelled: Set<string>, alsoKept: ReadonlySet<string> = new Set()): string {
  return [...el.attrs.entries()]
    .filter(([k]) => !modelled.has(k) || alsoKept.has(k))
    .map(([, a]) => ` ${xml.slice(a.start, a.end)}`)
    .join('');
}

/**
 * The limit's modelled attributes import could not hold (a policy expression or other non-whole number, half a
 * quota): they never reached the workspace, so they are not its to remove. A rewrite keeps them, unless the workspace
 * now writes that attribute itself.
 */
function unreadLimitAttributes(el: XmlElement, api: TokenPolicyWant): Set<string> {
  const whole = (name: string) => /^\d+$/.test(attr(el, name) ?? '');
  const unread = new Set<string>();
  if (el.attrs.has('tokens-per-minute') && !whole('tokens-per-minute')) unread.add('tokens-per-minute');
  if (!(whole('token-quota') && el.attrs.has('token-quota-period'))) {
    for (const name of ['token-quota', 'token-quota-period']) if (el.attrs.has(name)) unread.add(name);
  }
  for (const [name] of tokenLimitAttributes(api.tokenLimit!)) unread.delete(name);
  return unread;
}

const limitText = (api: TokenPolicyWant, kept = '') => {
  const t = api.tokenLimit!;
  return `<${tokenLimitElement(t.flavour)}${tokenLimitAttributes(t).map(([k, v]) => ` ${k}="${encodeAttr(v)}"`).join('')}${kept} />`;
};

/** `keptChildren`: the user's comments and elements other than `<dimension>`, kept as written after the workspace's dimensions. */
const metricText = (api: TokenPolicyWant, indent: string, kept = '', keptChildren: string[] = []) => {
  const lines = tokenMetricXml(api.tokenMetric!, indent);
  lines[0] = `${lines[0]!.slice(indent.length, -1)}${kept}>`;
  lines.splice(-1, 0, ...keptChildren.map((c) => `${indent}    ${c}`));
  return lines.join('\n');
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The policy with the API's token limit and token metric as the workspace says: an element that already matches
 * is left byte for byte; a changed one is rewritten in place (keeping attributes not modeled); a missing one is
 * added after `<base />` in <inbound>; one the workspace no longer has is removed. Identical text when nothing changes.
 */
export function rewriteTokenPolicies(xml: string, api: TokenPolicyWant): string {
  const inbound = inboundOf(xml);
  if (!inbound || inbound.selfClosing) {
    if (!api.tokenLimit && !api.tokenMetric) return xml;
    throw new Error('the policy has no <inbound> section for the token policies');
  }
  const current = readTokenPolicies(xml);
  const limitEl = inbound.children.find((c) => LIMIT_NAMES.includes(c.name));
  const metricEl = inbound.children.find((c) => METRIC_NAMES.includes(c.name));
  const wanted = tokenPolicyViewOf(api);
  const base = inbound.children.find((c) => c.name === 'base');
  const indent = base ? indentAt(xml, base.start) : `${indentAt(xml, inbound.start)}    `;
  const insertAt = base ? base.end : inbound.openEnd;
  const edits: Edit[] = [];
  let inserted = '';
  if (!same(current.tokenLimit, wanted.tokenLimit)) {
    if (limitEl && api.tokenLimit) edits.push({ start: limitEl.start, end: limitEl.end, text: limitText(api, keptAttributes(xml, limitEl, LIMIT_MODELLED, unreadLimitAttributes(limitEl, api))) });
    else if (limitEl) edits.push(removeElement(xml, limitEl));
    else if (api.tokenLimit) inserted += `\n${indent}${limitText(api)}`;
  }
  if (!same(current.tokenMetric, wanted.tokenMetric)) {
    if (metricEl && api.tokenMetric) edits.push({ start: metricEl.start, end: metricEl.end, text: metricText(api, indentAt(xml, metricEl.start), keptAttributes(xml, metricEl, METRIC_MODELLED), keptInMetric(xml, metricEl)) });
    else if (metricEl) edits.push(removeElement(xml, metricEl));
    else if (api.tokenMetric) inserted += `\n${indent}${metricText(api, indent)}`;
  }
  if (inserted) edits.push({ start: insertAt, end: insertAt, text: inserted });
  return edits.length === 0 ? xml : applyEdits(xml, edits);
}

/** The workspace's token policies as import would read them back from the exported XML (the plan's "after"). */
function tokenPolicyViewOf(api: TokenPolicyWant): Props {
  const lines = [
    '<policies><inbound>',
    ...(api.tokenLimit ? [limitText(api)] : []),
    ...(api.tokenMetric ? [metricText(api, '')] : []),
    '</inbound></policies>',
  ];
  return tokenPolicyView(lines.join('\n'));
}
