import { z } from 'zod';
import { ACTIONS, fieldDiffSchema, planTargetSchema, RESOURCE_KINDS } from '../deploy/plan-schema';
import { defineService, type ServiceApi } from './define';
import { workspaceValueSchema } from './workspace';

/*
 * Deploy to Azure API Management from the app (issue 9), over the APIM client of main/apim: sign in, pick a
 * service, import, plan, apply with progress. Secrets never cross: a token goes in (sign-in) and never comes
 * back; plans travel without their request bodies and with credential values masked; named values are names.
 * The ARM endpoint is a real setting (sovereign clouds; the tests' ARM emulator), not a code path for tests.
 */

export const SIGN_IN_METHODS = ['token', 'cli', 'browser', 'device'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const subscriptionId = z.string().regex(GUID, { error: 'must be a subscription id (a GUID)' });
const armName = (max: number) =>
  z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => !/[/?#\\]/.test(s), { error: 'must not contain /, ?, # or \\' });

export const deployTargetSchema = z.strictObject({ subscription: subscriptionId, resourceGroup: armName(90), service: armName(50) });
export type DeployTarget = z.infer<typeof deployTargetSchema>;

export const accountSchema = z.object({
  signedIn: z.boolean(),
  method: z.enum(SIGN_IN_METHODS).nullable(),
  /** Who, as the token says (upn, e-mail or app id); null when the token does not say (e.g. an opaque test token). */
  user: z.string().nullable(),
  tenant: z.string().nullable(),
  /** The ARM endpoint this sign-in talks to. */
  endpoint: z.string(),
});
export type AccountInfo = z.infer<typeof accountSchema>;

export const apimSettingsSchema = z.object({ endpoint: z.string(), defaultEndpoint: z.string() });
export type ApimSettings = z.infer<typeof apimSettingsSchema>;

export const subscriptionInfoSchema = z.object({ id: z.string(), name: z.string(), tenantId: z.string().nullable() });
export const serviceInfoSchema = z.object({ name: z.string(), resourceGroup: z.string(), location: z.string().nullable(), sku: z.string().nullable() });
export type SubscriptionSummary = z.infer<typeof subscriptionInfoSchema>;
export type ServiceSummary = z.infer<typeof serviceInfoSchema>;

export const importReportSchema = z.object({
  /** The service as a workspace (names of secrets only); the renderer puts it into the open or a new workspace. */
  workspace: workspaceValueSchema,
  read: z.object({ backends: z.array(z.string()), pools: z.array(z.string()), apis: z.array(z.string()) }),
  /** What the workspace does not model, kept in APIM (apply leaves it as it is), one sentence each. */
  keptAside: z.array(z.string()),
});
export type ImportReport = z.infer<typeof importReportSchema>;

/** A plan as the UI sees it: the change list of shared/deploy without request bodies. */
export const planChangeViewSchema = z.object({
  kind: z.enum(RESOURCE_KINDS),
  id: z.string(),
  action: z.enum(ACTIONS),
  fields: z.array(fieldDiffSchema),
  note: z.string().optional(),
  /** The fields apply sets; everything else stays as APIM has it (`keeps` names what APIM has beyond them). */
  touches: z.array(z.string()).optional(),
  keeps: z.array(z.string()).optional(),
  /** Written with a preview api-version because of these fields. */
  preview: z.array(z.string()).optional(),
  apiVersion: z.string().optional(),
});
export type PlanChangeView = z.infer<typeof planChangeViewSchema>;

export const planWarningSchema = z.object({ kind: z.enum(RESOURCE_KINDS), id: z.string(), message: z.string() });
export type PlanWarning = z.infer<typeof planWarningSchema>;

export const planViewSchema = z.object({
  planId: z.string(),
  createdAt: z.string(),
  target: planTargetSchema,
  prune: z.boolean(),
  changes: z.array(planChangeViewSchema),
  /** Things to know before applying, e.g. a pool member about to be removed while it still takes traffic. */
  warnings: z.array(planWarningSchema),
  /** Apply refuses while any is left (a missing API, a secret that is nowhere). */
  blockers: z.array(z.string()),
  notes: z.array(z.string()),
});
export type PlanView = z.infer<typeof planViewSchema>;

const stepRefSchema = z.object({ kind: z.enum(RESOURCE_KINDS), id: z.string(), action: z.enum(ACTIONS) });

export const applyEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), total: z.number() }),
  z.object({ type: z.literal('step'), index: z.number(), total: z.number(), step: stepRefSchema, status: z.enum(['running', 'done', 'failed']), message: z.string().optional() }),
  z.object({ type: z.literal('throttled'), step: stepRefSchema, waitSeconds: z.number() }),
  z.object({ type: z.literal('rollback'), step: stepRefSchema, status: z.enum(['running', 'done', 'failed', 'skipped']), message: z.string().optional() }),
  z.object({ type: z.literal('finish'), ok: z.boolean(), message: z.string() }),
]);
export type ApplyProgressEvent = z.infer<typeof applyEventSchema>;

export const APPLY_OUTCOMES = ['applied', 'no-changes', 'changed-since-plan', 'failed'] as const;
export type ApplyOutcome = (typeof APPLY_OUTCOMES)[number];

export const applyReportSchema = z.object({
  ok: z.boolean(),
  /** `changed-since-plan`: someone changed a resource after the plan (412); nothing more was written; plan again. */
  outcome: z.enum(APPLY_OUTCOMES),
  applied: z.array(stepRefSchema),
  failed: z.object({ step: stepRefSchema, message: z.string() }).optional(),
  rollback: z.array(z.object({ step: stepRefSchema, status: z.enum(['restored', 'failed', 'unchanged']), message: z.string() })),
  /** True when every rollback step succeeded (or nothing needed one): the service is as it was before. */
  restored: z.boolean(),
  /** What the service holds, read again after any failure: applied, restored, or only partly restored. */
  final: z.enum(['applied', 'restored', 'only partly restored']).optional(),
  /** Only partly restored: exactly the resources that differ from before the apply. */
  differing: z.array(z.object({ kind: z.enum(RESOURCE_KINDS), id: z.string(), message: z.string() })).optional(),
  message: z.string(),
  target: planTargetSchema,
});
export type ApplyReport = z.infer<typeof applyReportSchema>;

const signInInput = z
  .strictObject({
    method: z.enum(SIGN_IN_METHODS),
    /** Only with method `token`: an ARM bearer token (e.g. `az account get-access-token`). Held in memory only. */
    token: z.string().max(16_384, { error: 'must be at most 16384 characters' }).optional(),
    tenant: z.string().max(200, { error: 'must be at most 200 characters' }).optional(),
  })
  .refine((i) => i.method !== 'token' || (i.token ?? '').trim() !== '', { error: 'paste an ARM access token', path: ['token'] });

export const apimService = defineService(
  'apim',
  {
    signIn: { input: signInInput, output: accountSchema },
    signOut: { output: accountSchema },
    account: { output: accountSchema },
    settings: { output: apimSettingsSchema },
    /** The ARM endpoint: https anywhere, plain http only on loopback. Changing it signs out (another cloud). */
    setSettings: { input: z.strictObject({ endpoint: z.string().min(1, { error: 'must not be empty' }).max(2048) }), output: apimSettingsSchema },
    listSubscriptions: { output: z.array(subscriptionInfoSchema) },
    listResourceGroups: { input: z.strictObject({ subscription: subscriptionId }), output: z.array(z.string()) },
    listServices: { input: z.strictObject({ subscription: subscriptionId, resourceGroup: armName(90) }), output: z.array(serviceInfoSchema) },
    import: { input: z.strictObject({ target: deployTargetSchema }), output: importReportSchema },
    /** Plans `workspace` (what the editor shows) or, without it, the open workspace. Never writes. */
    plan: { input: z.strictObject({ target: deployTargetSchema, workspace: workspaceValueSchema.optional(), prune: z.boolean().optional() }), output: planViewSchema },
    /** Applies a plan made by `plan` (once: a plan is used up by its apply); progress comes as `applyProgress`. */
    apply: { input: z.strictObject({ planId: z.string().min(1).max(100) }), output: applyReportSchema },
  },
  {
    applyProgress: z.object({ planId: z.string(), event: applyEventSchema }),
    accountChanged: accountSchema,
    /** Device-code sign-in: the instruction to show (a URL and a code). */
    signInPrompt: z.object({ message: z.string() }),
  },
);
export type ApimService = ServiceApi<typeof apimService>;

const TARGET = { subscription: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-ai', service: 'my-apim' };

/** Contract examples (shared/contract/examples.ts): one valid and one invalid payload per method. */
export const APIM_EXAMPLES: Record<keyof (typeof apimService)['methods'], { valid: unknown; invalid?: unknown }> = {
  signIn: { valid: { method: 'token', token: 'eyJ0eXAi' }, invalid: { method: 'token' } },
  signOut: { valid: undefined, invalid: { all: true } },
  account: { valid: undefined, invalid: [] },
  settings: { valid: undefined, invalid: { endpoint: 1 } },
  setSettings: { valid: { endpoint: 'https://management.usgovcloudapi.net' }, invalid: { endpoint: '' } },
  listSubscriptions: { valid: undefined, invalid: { page: 2 } },
  listResourceGroups: { valid: { subscription: TARGET.subscription }, invalid: { subscription: 'not-a-guid' } },
  listServices: { valid: { subscription: TARGET.subscription, resourceGroup: 'rg-ai' }, invalid: { subscription: TARGET.subscription, resourceGroup: 'a/b' } },
  import: { valid: { target: TARGET }, invalid: { target: { ...TARGET, service: '' } } },
  plan: { valid: { target: TARGET, prune: false }, invalid: { target: TARGET, prune: 'yes' } },
  apply: { valid: { planId: 'p-1' }, invalid: { planId: '' } },
};
