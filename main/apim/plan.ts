import {
  backendApiVersion,
  backendRejections,
  desiredPool,
  desiredSingle,
  diffFields,
  maskPlan,
  PREVIEW_API_VERSION,
  previewFieldPaths,
  touchedFields,
  unmodeledFields,
  withPoolPreview,
  withSinglePreview,
  type Plan,
  type Props,
  type ResourceChange,
} from '../../shared/deploy';
import { apiPolicyXml, backendResourceId, poolBackendProperties, secretNames, singleBackendProperties } from '../../shared/export';
import { secretEnvName, type Workspace } from '../../shared/model';
import type { SecretSource } from '../secrets/secret-source';
import type { ApimTarget, ArmConnection } from './client';
import { desiredWiring, rewritePolicy, type DesiredWiring } from './policy/rewrite';
import { readWiring, type PolicyWiring } from './policy/wiring';
import { readActualState, readNamedValue, readNamedValueValue, type ActualState } from './read-state';

/*
 * Desired (workspace) against actual (APIM): one change per resource, in apply order — named values, singles,
 * pools, API policies, then deletes (pools before singles). A change carries only what the workspace sets;
 * apply overlays it on what APIM holds when it writes (the plan's ETag proves that is what the plan saw), so
 * no value read from APIM, secret or not, is ever in a plan. Secret values are compared in memory only.
 */

export interface PlanOptions {
  prune?: boolean;
  secrets: SecretSource;
  now?: () => Date;
}

const wiringView = (w: PolicyWiring) => ({
  'backend-id': w.backendId ?? w.baseUrl,
  retry: w.retry ? { count: w.retry.countText, condition: w.retry.condition, timing: w.retry.timing || '(none)', ...(w.retryReselects ? { 'set-backend-service': 'inside' } : {}) } : undefined,
  'authentication-managed-identity': w.managedIdentity,
  'forward-request': w.timeout || w.timeoutText || w.stream ? { timeout: w.timeout ?? w.timeoutText, 'buffer-response': w.stream ? 'false' : undefined } : undefined,
  ...w.tokens,
  'on-error': w.noResponseErrors,
  servedByHeader: w.servedBy?.header,
  'servedByHeader.exists-action': w.servedBy?.existsAction,
  'servedByHeader.value': w.servedBy?.value,
  // Apply keeps one of ours: extra copies are a change to show.
  'servedByHeader.copies': w.servedBy && w.servedBy.count > 1 ? w.servedBy.count : undefined,
});

async function namedValueChanges(conn: ArmConnection, t: ApimTarget, ws: Workspace, actual: ActualState, secrets: SecretSource, blockers: string[]): Promise<ResourceChange[]> {
  const out: ResourceChange[] = [];
  for (const name of secretNames(ws)) {
    const listed = [...actual.namedValues.values()].find((n) => n.displayName === name) ?? actual.namedValues.get(name);
    const local = secrets.get(name);
    const body: Props = { displayName: name, secret: true };
    if (!listed) {
      if (local === undefined) blockers.push(`secret '${name}' is not in APIM and not available locally: set ${secretEnvName(name)} (or add it to the keychain), then plan again`);
      else out.push({ kind: 'namedValue', id: name, action: 'create', fields: [{ path: 'displayName', after: name }, { path: 'secret', after: true }, { path: 'value', secret: true }], body, secretName: name });
      continue;
    }
    const current = await readNamedValue(conn, t, listed.id);
    if (!current) continue;
    const base = { kind: 'namedValue' as const, id: current.id, etag: current.etag, fields: [] };
    if (current.keyVault) {
      out.push({ ...base, action: 'unchanged', note: 'a Key Vault reference: kept as it is' });
      continue;
    }
    if (local === undefined) {
      out.push({ ...base, action: 'unchanged', note: `secret not available locally (${secretEnvName(name)}): the value in APIM is left unchanged` });
      continue;
    }
    const fields: ResourceChange['fields'] = [];
    if (!current.secret) fields.push({ path: 'secret', before: false, after: true });
    if ((await readNamedValueValue(conn, t, current.id)) !== local) fields.push({ path: 'value', secret: true });
    const keep: Props = current.tags && current.tags.length > 0 ? { tags: current.tags } : {};
    out.push({ ...base, action: fields.length > 0 ? 'update' : 'unchanged', fields, body: { ...body, displayName: current.displayName, ...keep }, secretName: name });
  }
  return out;
}

/** `owned`: the workspace's fields; `merged`: them overlaid on what APIM has (what apply will write). */
function backendChange(kind: 'backend' | 'pool', id: string, actual: ActualState, owned: Props): ResourceChange & { merged: Props } {
  const current = actual.backends.get(id);
  const merged = kind === 'pool' ? desiredPool(current?.properties, owned) : desiredSingle(current?.properties, owned);
  const preview = previewFieldPaths(merged);
  const version = backendApiVersion(merged) === PREVIEW_API_VERSION ? { apiVersion: PREVIEW_API_VERSION, preview } : {};
  const touches = touchedFields(kind, owned);
  if (!current) return { kind, id, action: 'create', fields: diffFields({}, merged), body: owned, touches, ...version, merged };
  const fields = diffFields(current.properties, merged);
  const keeps = unmodeledFields(current.properties);
  return { kind, id, action: fields.length > 0 ? 'update' : 'unchanged', etag: current.etag, fields, body: owned, touches, ...(keeps.length > 0 ? { keeps } : {}), ...version, merged };
}

function policyChanges(ws: Workspace, t: ApimTarget, actual: ActualState, blockers: string[], notes: string[]): ResourceChange[] {
  const out: ResourceChange[] = [];
  for (const [apiId, api] of Object.entries(ws.apis ?? {})) {
    const current = actual.apis.get(apiId);
    if (!current) {
      blockers.push(`api '${apiId}' does not exist in service ${t.service}: create it first (the portal's Azure OpenAI template or Bicep), then plan again`);
      continue;
    }
    if (current.path !== api.path) notes.push(`api '${apiId}': its path in APIM is '${current.path}', the workspace says '${api.path}' (apply does not change APIs)`);
    const want: DesiredWiring = desiredWiring(ws, apiId);
    const policy = current.policy;
    if (!policy || policy.xml.trim() === '') {
      const xml = apiPolicyXml(ws, apiId);
      out.push({ kind: 'apiPolicy', id: apiId, action: 'create', fields: diffFields({}, wiringView(readWiring(xml))), body: { value: xml, format: 'xml' } });
      continue;
    }
    if (/-link$/.test(policy.format)) {
      blockers.push(`api '${apiId}': its policy is a link (${policy.format}); Breakerboard edits inline policies only`);
      continue;
    }
    let xml: string;
    try {
      xml = rewritePolicy(policy.xml, want);
    } catch (e) {
      blockers.push(`api '${apiId}': its policy cannot be edited: ${(e as Error).message}`);
      continue;
    }
    if (xml === policy.xml) {
      out.push({ kind: 'apiPolicy', id: apiId, action: 'unchanged', etag: policy.etag, fields: [] });
      continue;
    }
    const fields = diffFields(wiringView(readWiring(policy.xml)), wiringView(readWiring(xml)));
    if (fields.length === 0) fields.push({ path: 'policy', before: 'sections missing', after: 'inbound/backend sections added' });
    // The rewritten text is not recorded: the policy may hold literal keys. Apply rewrites what it reads then.
    out.push({ kind: 'apiPolicy', id: apiId, action: 'update', etag: policy.etag, fields, body: { wiring: want }, touches: ['set-backend-service', 'retry', 'authentication-managed-identity (Azure OpenAI)', 'token-limit and emit-token-metric (first of each)', 'on-error: the 502 / 504 answer for no response', 'set-header: the served-by response header (outbound)'], keeps: ['every other element, attribute, comment and whitespace'] });
  }
  return out;
}

/** Reads the service and compares it with the workspace. Never writes. */
export async function buildPlan(conn: ArmConnection, t: ApimTarget, ws: Workspace, opts: PlanOptions): Promise<Plan> {
  const actual = await readActualState(conn, t, Object.keys(ws.apis ?? {}));
  const blockers: string[] = [];
  const notes: string[] = [];
  const memberId = (id: string) => backendResourceId(t.subscription, t.resourceGroup, t.service, id);
  const singles = Object.entries(ws.backends).map(([id, b]) => backendChange('backend', id, actual, withSinglePreview(b, singleBackendProperties(b))));
  const pools = Object.entries(ws.pools ?? {}).map(([id, p]) => backendChange('pool', id, actual, withPoolPreview(p, poolBackendProperties(p, memberId))));
  // ARM names are case-insensitive: a member APIM lists as `/backends/ALPHA` is the workspace's `alpha`.
  const kinds = new Map<string, 'single' | 'pool'>([...Object.keys(ws.pools ?? {}).map((id) => [id.toLowerCase(), 'pool'] as const), ...Object.keys(ws.backends).map((id) => [id.toLowerCase(), 'single'] as const)]);
  const kindOf = (id: string) => kinds.get(id.toLowerCase());
  for (const c of [...singles, ...pools]) {
    // Unchanged resources are checked too when the service cannot hold them at all (a breaker on Consumption).
    const facts = { sku: actual.sku, service: t.service, id: c.id };
    const found = backendRejections(c.merged, kindOf, facts).filter((r) => c.action !== 'unchanged' || r.startsWith('circuitBreaker: Circuit breaker'));
    for (const r of found) blockers.push(`${c.kind} '${c.id}': ${r}`);
  }
  const strip = ({ merged: _merged, ...c }: ResourceChange & { merged: Props }): ResourceChange => c;
  const deletes: ResourceChange[] = [];
  const owned = new Set([...Object.keys(ws.backends), ...Object.keys(ws.pools ?? {})]);
  const extra = [...actual.backends.values()].filter((b) => !owned.has(b.id));
  // Deletes run after every write, pools before the singles they may reference.
  for (const b of [...extra.filter((x) => x.properties.type === 'Pool'), ...extra.filter((x) => x.properties.type !== 'Pool')]) {
    const kind = b.properties.type === 'Pool' ? 'pool' : 'backend';
    if (opts.prune) deletes.push({ kind, id: b.id, action: 'delete', etag: b.etag, fields: [] });
    else notes.push(`${kind} '${b.id}' is in APIM but not in the workspace: kept (--prune deletes it)`);
  }
  const changes = [
    ...(await namedValueChanges(conn, t, ws, actual, opts.secrets, blockers)),
    ...singles.map(strip),
    ...pools.map(strip),
    ...policyChanges(ws, t, actual, blockers, notes),
    ...deletes,
  ];
  return maskPlan({
    kind: 'breakerboard-plan',
    version: 1,
    createdAt: (opts.now?.() ?? new Date()).toISOString(),
    target: { ...t, endpoint: conn.endpoint },
    prune: Boolean(opts.prune),
    changes,
    blockers,
    notes,
  });
}
