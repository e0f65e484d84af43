import type { PolicySections } from './wiring';
import { findAll, lineAndColumn, type XmlElement } from './xml-scan';

/*
 * Where a policy routes and forwards somewhere Breakerboard does not write. Apply edits one `set-backend-service`
 * (the first in `<inbound>`, and its copy inside the retry, F-RETRY-5) and one forwarding place in `<backend>` (the
 * retry's `forward-request`, else one `<base />` or `forward-request`). Another one that also routes or forwards
 * (in a `<choose>`, a `<limit-concurrency>`, an `include-fragment`, a second retry) would make APIM do something
 * else than the plan says: the route is the user's, or every request goes to the backend twice. Such a policy is
 * refused by name, never edited around.
 */

const at = (xml: string, el: XmlElement) => `<${el.name}> at ${lineAndColumn(xml, el.start)}${el.parent && !['inbound', 'backend'].includes(el.parent.name) ? ` (inside <${el.parent.name}>)` : ''}`;

/** A `set-backend-service` that would decide the route after (or instead of) Breakerboard's; undefined when none. */
export function foreignRouting(xml: string, s: PolicySections): string | undefined {
  const ours = s.inbound?.children.find((c) => c.name === 'set-backend-service');
  const retry = s.backend?.children.find((c) => c.name === 'retry');
  const all = [...(s.inbound ? findAll(s.inbound, 'set-backend-service') : []), ...(s.backend ? findAll(s.backend, 'set-backend-service') : [])];
  const other = all.find((el) => el !== ours && !(el.parent === retry && el.attrs.has('backend-id')));
  if (!other) return undefined;
  return `${at(xml, other)} also sets the backend, so Breakerboard's set-backend-service would not decide the route: keep one set-backend-service, first in <inbound>, or manage this API's routing by hand`;
}

/** The one place in `<backend>` Breakerboard forwards from: the retry's forward-request, else one `<base />` or forward-request. */
function ownForwarding(backend: XmlElement): XmlElement | undefined {
  const retry = backend.children.find((c) => c.name === 'retry');
  if (retry) return retry.children.find((c) => c.name === 'forward-request');
  return backend.children.find((c) => c.name === 'base' || c.name === 'forward-request');
}

/** Names of what may send the request on: an `include-fragment` may hold a forward-request that cannot be seen here. */
const FORWARDING = ['forward-request', 'base', 'include-fragment'];

/** Another element of `<backend>` that forwards (or may) beside Breakerboard's place; undefined when none. */
export function foreignForwarding(xml: string, s: PolicySections): string | undefined {
  if (!s.backend) return undefined;
  const own = ownForwarding(s.backend);
  const spots = FORWARDING.flatMap((name) => findAll(s.backend!, name)).sort((a, b) => a.start - b.start);
  const other = spots.find((el) => el !== own);
  if (!other) return undefined;
  return `its <backend> also forwards (or may) through ${at(xml, other)}, so with Breakerboard's forward-request each request could go to the backend twice: leave one <base /> or <forward-request /> in <backend> (inside the <retry>, if there is one), or manage this API's forwarding by hand`;
}
