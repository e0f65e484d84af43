import { z } from 'zod';

/*
 * A deploy plan: what `apply` would change in one APIM service, resource by resource and field by field.
 * The same value is printed by `plan --json`, written by `plan --out`, read by `apply --plan`, and shown by the
 * desktop UI. It never holds a secret value: named values carry the secret's name, resolved at apply time.
 */

export const RESOURCE_KINDS = ['namedValue', 'backend', 'pool', 'apiPolicy'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const ACTIONS = ['create', 'update', 'delete', 'unchanged'] as const;
export type Action = (typeof ACTIONS)[number];

export const fieldDiffSchema = z.object({
  /** Dotted path inside the resource's properties, e.g. `pool.services[1].weight`. */
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** A secret value differs: before/after are never recorded. */
  secret: z.boolean().optional(),
});
export type FieldDiff = z.infer<typeof fieldDiffSchema>;

export const resourceChangeSchema = z.object({
  kind: z.enum(RESOURCE_KINDS),
  /** The APIM resource name: backend id, named value id, or API id (its policy). */
  id: z.string().min(1),
  action: z.enum(ACTIONS),
  /** ETag read by the plan; apply sends it as If-Match so a change made since stops the apply. */
  etag: z.string().optional(),
  fields: z.array(fieldDiffSchema),
  /**
   * What apply sets (create/update): backends and pools: the workspace's fields only, overlaid at apply time on
   * what APIM then holds (unchanged since the plan, the ETag proves it), so nothing the workspace does not model
   * is stripped and no value read from APIM is ever in a plan. API policies: `{ wiring }` (update: only the
   * elements Breakerboard owns are rewritten at apply time) or `{ value, format }` (create, from the workspace).
   * Named values: without `value` (see `secretName`).
   */
  body: z.record(z.string(), z.unknown()).optional(),
  /** The fields apply sets; everything else stays as APIM has it. */
  touches: z.array(z.string()).optional(),
  /** Fields APIM has that the workspace does not model: apply keeps them as they are. */
  keeps: z.array(z.string()).optional(),
  /** The api-version of the write; a preview version is named in the plan. */
  apiVersion: z.string().optional(),
  /** Fields that need the preview api-version (they are in the body or kept from APIM). */
  preview: z.array(z.string()).optional(),
  /** Named values: the local secret whose value apply sends. */
  secretName: z.string().optional(),
  /** One sentence for the reader, e.g. why a secret stays unchanged. */
  note: z.string().optional(),
});
export type ResourceChange = z.infer<typeof resourceChangeSchema>;

/** The service a plan is for; `apply --plan` refuses a plan whose target differs from its own (credentials go there). */
export const planTargetSchema = z.object({
  subscription: z.string(),
  resourceGroup: z.string(),
  service: z.string(),
  endpoint: z.string(),
});
export type PlanTarget = z.infer<typeof planTargetSchema>;

export const planSchema = z.object({
  kind: z.literal('breakerboard-plan'),
  version: z.literal(1),
  createdAt: z.string(),
  target: planTargetSchema,
  prune: z.boolean(),
  /** In apply order: named values, singles, pools, API policies; then deletes in reverse. */
  changes: z.array(resourceChangeSchema),
  /** Things apply cannot do (a missing API, a secret that is nowhere): apply refuses while any is left. */
  blockers: z.array(z.string()),
  /** Information that does not block (resources APIM has that the workspace does not, kept without --prune). */
  notes: z.array(z.string()),
});
export type Plan = z.infer<typeof planSchema>;

export const hasChanges = (plan: Plan) => plan.changes.some((c) => c.action !== 'unchanged');

export function countActions(plan: Plan): Record<Action, number> {
  const counts: Record<Action, number> = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const c of plan.changes) counts[c.action] += 1;
  return counts;
}

/** Parses a plan file's JSON; errors name the path, as workspace errors do. */
export function parsePlan(value: unknown): { ok: true; plan: Plan } | { ok: false; errors: string[] } {
  const r = planSchema.safeParse(value);
  if (r.success) return { ok: true, plan: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || '(plan)'}: ${i.message}`) };
}
