import { noResponseView } from './on-error';
import { readServedBy, type ServedByRead } from './served-by';
import { tokenPolicyView } from './token-policy';
import { child, decodeAttr, findAll, scanXml, type XmlElement } from './xml-scan';

/*
 * The parts of an API policy Breakerboard owns (DESIGN §2): `set-backend-service backend-id`, the `<retry>`
 * block in `<backend>`, the Azure OpenAI `authentication-managed-identity` element, and the `<choose>` in
 * `<on-error>` that maps a backend without response to 502 / 504 (on-error.ts). Everything else is the user's and is
 * never changed.
 */

export interface PolicyWiring {
  backendId?: string;
  /** A `set-backend-service` that routes by `base-url` (not a Breakerboard backend). */
  baseUrl?: string;
  /** `timing`: the retry's wait attributes as written; `atOnce`: they make no wait (F-RETRY-1). */
  retry?: { count: number; on?: number[]; condition: string; countText: string; timing: string; atOnce: boolean };
  managedIdentity?: { resource: string; clientId?: string };
  /** Whether the `<retry>` sets the backend again before its forward-request (F-RETRY-5); both shapes are read. */
  retryReselects?: boolean;
  /** `forward-request timeout=` (seconds) or `timeout-ms=`, as an ISO 8601 duration (F-RETRY-6). */
  timeout?: string;
  /** A timeout the workspace cannot hold (`timeout="{{named-value}}"`, an expression), as written. */
  timeoutText?: string;
  /** `forward-request buffer-response="false"` (F-STREAM-1). */
  stream?: boolean;
  /** The token limit and token metric elements, field by field (token-policy.ts). */
  tokens?: Record<string, unknown>;
  /** The on-error mapping of a forward-request without response (F-RETRY-8), summarised; absent when not there. */
  noResponseErrors?: string;
  /** The opt-in served-by response header in <outbound> (served-by.ts); absent when the policy has none of ours. */
  servedBy?: ServedByRead;
}

/** The `<retry>` attributes that set the waits between tries, in the order they are shown. */
export const RETRY_TIMING_ATTRS = ['interval', 'delta', 'max-interval', 'first-fast-retry'];
/** Whether a retry tries again at once (F-RETRY-1): no wait (`interval` 0) and no growth (`delta` absent or 0). */
export function triesAtOnce(retry: XmlElement): boolean {
  const v = (n: string) => decodeAttr(retry.attrs.get(n)?.value ?? '').trim();
  return v('interval') === '0' && (v('delta') === '' || v('delta') === '0');
}

/** The managed-identity element is ours only when it targets Azure OpenAI (Cognitive Services). */
export const isOwnedManagedIdentity = (resource: string) => /cognitiveservices\.azure\.com/i.test(resource);

/** `@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)` → [429, 503]. */
export function parseRetryCondition(condition: string): number[] | undefined {
  const m = /^@\((.*)\)$/s.exec(condition.trim());
  if (!m) return undefined;
  const parts = m[1]!.split('||').map((p) => /^\s*context\.Response\.StatusCode\s*==\s*(\d{3})\s*$/.exec(p)?.[1]);
  return parts.every((p) => p !== undefined) ? parts.map(Number) : undefined;
}

export interface PolicySections {
  root: XmlElement;
  policies?: XmlElement;
  inbound?: XmlElement;
  backend?: XmlElement;
  onError?: XmlElement;
}

export function sections(xml: string): PolicySections {
  const root = scanXml(xml);
  const policies = child(root, 'policies');
  return { root, policies, inbound: child(policies, 'inbound'), backend: child(policies, 'backend'), onError: child(policies, 'on-error') };
}

export function readWiring(xml: string): PolicyWiring {
  const s = sections(xml);
  const out: PolicyWiring = {};
  const sbs = [...(s.inbound ? findAll(s.inbound, 'set-backend-service') : []), ...(s.backend ? findAll(s.backend, 'set-backend-service') : [])][0];
  const backendId = sbs?.attrs.get('backend-id')?.value;
  if (backendId !== undefined) out.backendId = decodeAttr(backendId);
  else if (sbs?.attrs.get('base-url')) out.baseUrl = decodeAttr(sbs.attrs.get('base-url')!.value);
  const retry = s.backend ? findAll(s.backend, 'retry')[0] : undefined;
  if (retry) {
    const condition = decodeAttr(retry.attrs.get('condition')?.value ?? '');
    const countText = decodeAttr(retry.attrs.get('count')?.value ?? '');
    const timing = RETRY_TIMING_ATTRS.filter((n) => retry.attrs.has(n)).map((n) => `${n}=${decodeAttr(retry.attrs.get(n)!.value)}`).join(' ');
    out.retry = { count: /^\d+$/.test(countText) ? Number(countText) : NaN, on: parseRetryCondition(condition), condition, countText, timing, atOnce: triesAtOnce(retry) };
    out.retryReselects = retry.children.some((c) => c.name === 'set-backend-service');
  }
  const fwd = s.backend ? findAll(s.backend, 'forward-request')[0] : undefined;
  if (fwd) {
    const secs = decodeAttr(fwd.attrs.get('timeout')?.value ?? '');
    const ms = decodeAttr(fwd.attrs.get('timeout-ms')?.value ?? '');
    if (/^\d+$/.test(secs)) out.timeout = `PT${Number(secs)}S`;
    else if (/^\d+$/.test(ms)) out.timeout = `PT${Number(ms) / 1000}S`;
    else if (secs || ms) out.timeoutText = secs ? `timeout="${secs}"` : `timeout-ms="${ms}"`;
    if (decodeAttr(fwd.attrs.get('buffer-response')?.value ?? '').trim().toLowerCase() === 'false') out.stream = true;
  }
  const mi = s.inbound?.children.find((c) => c.name === 'authentication-managed-identity' && isOwnedManagedIdentity(decodeAttr(c.attrs.get('resource')?.value ?? '')));
  if (mi) {
    const clientId = mi.attrs.get('client-id')?.value;
    out.managedIdentity = { resource: decodeAttr(mi.attrs.get('resource')!.value), ...(clientId !== undefined ? { clientId: decodeAttr(clientId) } : {}) };
  }
  out.tokens = tokenPolicyView(xml);
  const noResponse = noResponseView(xml, s.onError);
  if (noResponse) out.noResponseErrors = noResponse;
  const servedBy = readServedBy(xml);
  if (servedBy) out.servedBy = servedBy;
  return out;
}
