import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../model/duration';
import { formatPath, type Issue } from '../model/paths';
import { regionEmissionSchema, type Workspace } from '../model/schema';
import { regionKey } from '../semantics/carbon';
import { faultSpecSchema } from './faults';

/*
 * The drill file (DESIGN §2 "Drill files"): load to run, faults to switch on and off at given times, and what
 * must hold afterwards. Every error names its field (`timeline[0].at: ...`), like the workspace's.
 */

const typeError = (expected: string) => (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : `must be ${expected}`);

/** An ISO 8601 duration in ms; unlike breaker durations, zero is allowed (`at: PT0S` = at the start). */
const durationField = (allowZero: boolean) =>
  z.string({ error: typeError('an ISO 8601 duration such as PT10S') }).transform((v, ctx) => {
    const r = parseDuration(v);
    if (r.ok) return r.ms;
    if (allowZero && r.message === 'must be greater than zero' && !v.startsWith('-')) return 0;
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  });

const idField = z.string({ error: typeError('a backend id') }).min(1, { error: 'must not be empty' });
const positive = (max: number) => z.number({ error: typeError('a number') }).positive({ error: 'must be greater than zero' }).max(max, { error: `must be at most ${max}` });
const wholeAtLeast = (min: number, max: number) =>
  z.number({ error: typeError('a whole number') }).int({ error: 'must be a whole number' }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });

/** Tenants of the load: each request carries `header: <tenant>`, tenants in proportion to their shares. */
export const drillTenantsSchema = z.strictObject({
  header: z.string({ error: typeError('a header name') }).regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, { error: 'must be an HTTP header name' }),
  shares: z
    .record(z.string().min(1, { error: 'a tenant name must not be empty' }).max(200), positive(1_000_000), { error: typeError('a map of tenant name to share, e.g. { tenant-a: 1, tenant-b: 3 }') })
    .refine((s) => Object.keys(s).length >= 1 && Object.keys(s).length <= 100, { error: 'needs 1 to 100 tenants' }),
});

export const drillLoadSchema = z.strictObject({
  /** Open loop at this arrival rate; without it, closed loop at `concurrency`. */
  rps: positive(10_000).optional(),
  concurrency: wholeAtLeast(1, 10_000).optional(),
  duration: durationField(false),
  api: z.string({ error: typeError('an api id') }).optional(),
  deployment: z.string({ error: typeError('a deployment name') }).min(1).default('gpt-4o'),
  kind: z.enum(['chat', 'embeddings'], { error: 'must be chat or embeddings' }).default('chat'),
  stream: z.boolean({ error: typeError('true or false') }).default(false),
  maxTokens: wholeAtLeast(1, 100_000).optional(),
  tenants: drillTenantsSchema.optional(),
}).superRefine((l, ctx) => {
  if (l.rps === undefined && l.concurrency === undefined) ctx.addIssue({ code: 'custom', message: 'set rps (open loop) or concurrency (closed loop)', path: ['rps'] });
});

/** `{ backend, type, ...fault fields }`: the backend id beside a fault spec, checked by the shared fault schema. */
const faultStep = z.looseObject({ backend: idField }).transform((v, ctx) => {
  const { backend, ...rest } = v;
  const parsed = faultSpecSchema.safeParse(rest);
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      if (iss.code === 'unrecognized_keys') for (const k of iss.keys) ctx.addIssue({ code: 'custom', message: 'unknown field', path: [...iss.path, k] });
      else ctx.addIssue({ code: 'custom', message: iss.message, path: iss.path });
    }
    return z.NEVER;
  }
  return { backend, fault: parsed.data };
});

/**
 * `{ region, emission }`: the region's carbon emission from this step on, as APIM would read it from Azure
 * (docs/apim-fidelity.md F-ROUTE-7); `emission: workspace` goes back to the workspace's `gateway.carbonEmission`.
 */
const carbonStep = z.strictObject({
  region: z.string({ error: typeError('an Azure region, e.g. westeurope') }).min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  emission: z.union([regionEmissionSchema, z.literal('workspace')], { error: `must be one of ${[...regionEmissionSchema.options, 'workspace'].join(', ')}` }),
});

export const drillStepSchema = z
  .strictObject({
    at: durationField(true),
    fault: faultStep.optional(),
    clear: z.strictObject({ backend: idField }).optional(),
    carbon: carbonStep.optional(),
  })
  .superRefine((s, ctx) => {
    const set = [s.fault, s.clear, s.carbon].filter((x) => x !== undefined).length;
    if (set !== 1) ctx.addIssue({ code: 'custom', message: s.carbon === undefined ? 'set exactly one of fault or clear' : 'set exactly one of fault, clear or carbon', path: [s.carbon === undefined ? 'fault' : 'carbon'] });
  });

export const drillExpectSchema = z.strictObject({
  /** At most this many responses other than 2xx (or no response at all) seen by the load generator. */
  clientErrors: wholeAtLeast(0, 1_000_000_000).optional(),
  /** Backends that must trip at least once. */
  tripped: z.array(idField, { error: typeError('a list of backend ids') }).optional(),
  /** Backends that must never trip. */
  notTripped: z.array(idField, { error: typeError('a list of backend ids') }).optional(),
  /** From each fault to the first trip of its backend after it. */
  maxTimeToTrip: durationField(false).optional(),
  /** By counter key (the tenant names of load.tenants): never refused by the token limit, or refused at least once. */
  tokenLimited: z
    .strictObject({
      never: z.array(z.string().min(1), { error: typeError('a list of tenant names') }).optional(),
      capped: z.array(z.string().min(1), { error: typeError('a list of tenant names') }).optional(),
    })
    .optional(),
});

export const drillSchema = z.strictObject({
  version: z.literal(1, { error: (iss) => (iss.input === undefined ? 'is required (version: 1)' : `unsupported version ${JSON.stringify(iss.input)}: this Breakerboard reads version 1`) }),
  workspace: z.string({ error: typeError('a file path') }).min(1).optional(),
  speed: positive(1000).default(1),
  seed: wholeAtLeast(0, 2_147_483_647).optional(),
  load: drillLoadSchema,
  timeline: z.array(drillStepSchema, { error: typeError('a list of steps') }).max(1000, { error: 'at most 1000 steps' }).default([]),
  expect: drillExpectSchema.default({}),
});

export type Drill = z.infer<typeof drillSchema>;
export type DrillLoad = z.infer<typeof drillLoadSchema>;
export type DrillStep = z.infer<typeof drillStepSchema>;
export type DrillExpect = z.infer<typeof drillExpectSchema>;
export type DrillTenants = z.infer<typeof drillTenantsSchema>;

/**
 * The tenant of each request, in proportion to the shares and spread evenly (smooth weighted round-robin, as the
 * gateway's picker): shares 1:3 give a, b, b, b in some interleaving every four requests. Deterministic.
 */
export function tenantSequence(shares: Record<string, number>): () => string {
  const names = Object.keys(shares);
  const current = names.map(() => 0);
  const total = names.reduce((n, k) => n + shares[k]!, 0);
  return () => {
    let best = 0;
    names.forEach((k, i) => {
      current[i]! += shares[k]!;
      if (current[i]! > current[best]!) best = i;
    });
    current[best]! -= total;
    return names[best]!;
  };
}

export type DrillParse = { ok: true; drill: Drill } | { ok: false; errors: Issue[] };

function issuesOf(error: z.ZodError): Issue[] {
  const out: Issue[] = [];
  for (const iss of error.issues) {
    if (iss.code === 'unrecognized_keys') for (const key of iss.keys) out.push({ path: formatPath([...iss.path, key]), message: 'unknown field' });
    else out.push({ path: formatPath(iss.path), message: iss.message });
  }
  return out;
}

/** Parses drill YAML or JSON text; every error names the field. */
export function parseDrillText(text: string): DrillParse {
  if (text.trim() === '') return { ok: false, errors: [{ path: '(file)', message: 'is empty; a drill starts with "version: 1"' }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, lineCounter });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return { path: pos ? `line ${pos.line}, column ${pos.col}` : '(file)', message: `YAML syntax error: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, errors: [{ path: '(file)', message: 'must be a map starting with "version: 1"' }] };
  return parseDrill(value);
}

export function parseDrill(value: unknown): DrillParse {
  const r = drillSchema.safeParse(value);
  return r.success ? { ok: true, drill: r.data } : { ok: false, errors: issuesOf(r.error) };
}

/** Names the drill uses that the workspace must have: fault targets, expected trips, the api. */
export function checkDrillAgainstWorkspace(drill: Drill, ws: Workspace): Issue[] {
  const errors: Issue[] = [];
  const backends = new Set(Object.keys(ws.backends));
  const regions = new Set(Object.values(ws.backends).flatMap((b) => (b.azureRegion ? [regionKey(b.azureRegion)] : [])));
  const need = (id: string, path: string) => {
    if (!backends.has(id)) errors.push({ path, message: `no backend "${id}" in the workspace (it has: ${[...backends].join(', ') || 'none'})` });
  };
  drill.timeline.forEach((s, i) => {
    if (s.fault) need(s.fault.backend, `timeline[${i}].fault.backend`);
    if (s.clear) need(s.clear.backend, `timeline[${i}].clear.backend`);
    // A region no backend is in would change nothing: most likely a typo.
    if (s.carbon && !regions.has(regionKey(s.carbon.region))) {
      errors.push({ path: `timeline[${i}].carbon.region`, message: `no backend has azureRegion "${s.carbon.region}" (regions: ${[...new Set(Object.values(ws.backends).flatMap((b) => (b.azureRegion ? [b.azureRegion] : [])))].join(', ') || 'none'})` });
    }
  });
  drill.expect.tripped?.forEach((id, i) => need(id, `expect.tripped[${i}]`));
  drill.expect.notTripped?.forEach((id, i) => need(id, `expect.notTripped[${i}]`));
  const tenants = Object.keys(drill.load.tenants?.shares ?? {});
  for (const which of ['never', 'capped'] as const) {
    drill.expect.tokenLimited?.[which]?.forEach((name, i) => {
      if (!tenants.includes(name)) errors.push({ path: `expect.tokenLimited.${which}[${i}]`, message: `no tenant "${name}" in load.tenants.shares (it has: ${tenants.join(', ') || 'none'})` });
    });
  }
  const apis = Object.keys(ws.apis ?? {});
  if (drill.load.api !== undefined && !apis.includes(drill.load.api)) errors.push({ path: 'load.api', message: `no api "${drill.load.api}" in the workspace (it has: ${apis.join(', ') || 'none'})` });
  if (drill.load.api === undefined && apis.length === 0) errors.push({ path: 'load.api', message: 'the workspace has no apis to send load to' });
  return errors;
}
