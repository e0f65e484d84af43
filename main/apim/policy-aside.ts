import { isOwnedOnErrorChoose } from './policy/on-error';
import { isServedBySetHeader } from './policy/served-by';
import { ownedTokenElements } from './policy/token-policy';
import { isOwnedManagedIdentity, sections } from './policy/wiring';
import { decodeAttr, type XmlElement } from './policy/xml-scan';

/*
 * The policy elements import keeps aside: everything in an API policy except the sections themselves, `<base />`
 * and the elements Breakerboard owns (`set-backend-service`, the `<retry>` around `forward-request`, the Azure
 * OpenAI managed-identity element, the on-error `<choose>` of F-RETRY-8, the served-by `<set-header>` of F-OBS-1).
 * Named per section, so a reader sees that e.g. `rate-limit` or a user's on-error handler stays in APIM as it is
 * (apply rewrites only the owned elements).
 */

const SECTIONS = ['inbound', 'backend', 'outbound', 'on-error'] as const;

function owned(xml: string, el: XmlElement, section: string): boolean {
  if (el.name === 'base' || el.name === 'set-backend-service') return true;
  if (section === 'on-error') return isOwnedOnErrorChoose(el);
  if (section === 'outbound') return isServedBySetHeader(xml, el);
  if (el.name === 'authentication-managed-identity') return section === 'inbound' && isOwnedManagedIdentity(decodeAttr(el.attrs.get('resource')?.value ?? ''));
  // Both retry shapes are ours: with or without the pool set again before forward-request (fidelity row F-RETRY-5).
  if (section === 'backend' && el.name === 'retry') return el.children.every((c) => c.name === 'forward-request' || (c.name === 'set-backend-service' && c.attrs.has('backend-id')));
  return section === 'backend' && el.name === 'forward-request';
}

/** `["inbound: rate-limit-by-key, llm-token-limit", "on-error: choose"]`; empty when nothing is kept aside. */
export function policyElementsKeptAside(xml: string): string[] {
  const s = sections(xml);
  const policies = s.policies;
  if (!policies) return xml.trim() === '' ? [] : ['the whole document (it has no <policies> element)'];
  const out: string[] = [];
  const tokens = new Set(ownedTokenElements(policies.children.find((c) => c.name === 'inbound')));
  for (const name of SECTIONS) {
    const section = policies.children.find((c) => c.name === name);
    if (!section) continue;
    const kept = section.children.filter((c) => !owned(xml, c, name) && !tokens.has(c)).map((c) => c.name);
    if (kept.length > 0) out.push(`${name}: ${[...new Set(kept)].join(', ')}`);
  }
  const other = policies.children.filter((c) => !(SECTIONS as readonly string[]).includes(c.name)).map((c) => c.name);
  if (other.length > 0) out.push(`outside the sections: ${other.join(', ')}`);
  return out;
}
