import type { TokenCredential } from '@azure/core-auth';
import { randomUUID } from 'node:crypto';
import { ContractError, type ErrorCode } from '../../shared/contract';
import type { AccountInfo, ApimService, ApimSettings, ApplyOutcome, ApplyProgressEvent, DeployTarget } from '../../shared/contract/apim';
import type { Plan } from '../../shared/deploy';
import { validateWorkspace } from '../../shared/model';
import { applyPlan, ApimError, buildPlan, describeSignInError, checkEndpoint, connect, DEFAULT_ENDPOINT, importService, listResourceGroups, listServices, listSubscriptions, type ArmConnection, type RetrySettings } from '../apim';
import { armScope } from '../apim/client';
import type { SecretSource } from '../secrets/secret-source';
import { accountFromToken, defaultCredentialFactory, type CredentialFactory } from './apim-account';
import { toPlanView } from './apim-plan-view';
import { createEmitter } from './emitter';

/*
 * The deploy service behind the Deploy screen: the APIM client of main/apim for one signed-in user. The credential
 * lives in this object only (memory; sign-out or a new endpoint drops it). Plans stay here, keyed by id, so apply
 * writes exactly what the user reviewed, with the ETags that plan read.
 */

export interface ApimServiceDeps {
  secrets: SecretSource;
  /** The open workspace (planned when the renderer sends none). */
  workspace: { value(): Record<string, unknown> };
  /** The ARM endpoint at start (e.g. remembered app settings); default public Azure. */
  endpoint?: string;
  /** Called when the endpoint setting changes, to remember it (the desktop app's settings file). */
  saveSettings?: (settings: { endpoint: string }) => Promise<void> | void;
  credentials?: CredentialFactory;
  retry?: RetrySettings;
}

/** `armSession`: the sign-in for other main-side readers of ARM (discovery, the deployed monitor); never crosses the contract. */
export type ApimServiceImpl = ApimService & { armSession(): { credential: TokenCredential; endpoint: string } | null };

const ANY_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
const MAX_PLANS = 20;

const CODE: Record<ApimError['code'], ErrorCode> = {
  'sign-in': 'unavailable',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  precondition: 'exists',
  conflict: 'unavailable',
  throttled: 'unavailable',
  rejected: 'bad-request',
  network: 'unavailable',
  input: 'bad-request',
  usage: 'bad-request',
  service: 'unavailable',
};

/** The field an ARM validation error names (`…: pool: Backend Entity 'x' not found.` → `pool`). */
const fieldOf = (message: string) => /^APIM rejected [^:]+: [^:]*?: ([A-Za-z][\w.[\]-]*): /.exec(message)?.[1];

export function toContractError(e: unknown): ContractError {
  if (e instanceof ContractError) return e;
  if (e instanceof ApimError) return new ContractError(CODE[e.code], e.message, e.code === 'rejected' ? fieldOf(e.message) : undefined);
  return new ContractError('internal', (e as Error)?.message ?? String(e));
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toContractError(e);
  }
}

/** Our own wording for "someone changed it since the plan" (apply.ts and errors.ts, 412 and create races). */
const CHANGED_SINCE_PLAN = /someone else since the plan/;

export function createApimService(deps: ApimServiceDeps): ApimServiceImpl {
  const accountEvents = createEmitter<AccountInfo>();
  const progress = createEmitter<{ planId: string; event: ApplyProgressEvent }>();
  const prompts = createEmitter<{ message: string }>();
  const credentials = deps.credentials ?? defaultCredentialFactory;
  let endpoint = checkEndpoint(deps.endpoint ?? DEFAULT_ENDPOINT).origin;
  let session: { credential: TokenCredential; account: AccountInfo } | null = null;
  const plans = new Map<string, { plan: Plan; target: DeployTarget; endpoint: string }>();
  let applying = false;

  const signedOut = (): AccountInfo => ({ signedIn: false, method: null, user: null, tenant: null, endpoint });
  const account = () => session?.account ?? signedOut();
  const settings = (): ApimSettings => ({ endpoint, defaultEndpoint: DEFAULT_ENDPOINT });
  const setSession = (next: typeof session) => {
    session = next;
    plans.clear();
    accountEvents.emit(account());
  };

  function connection(subscription: string): ArmConnection {
    if (!session) throw new ContractError('unavailable', 'not signed in to Azure: sign in first');
    return connect(subscription, { credential: session.credential, endpoint, retry: deps.retry });
  }

  return {
    signIn: (input) =>
      guarded(async () => {
        const credential = credentials({ method: input.method, token: input.token, tenant: input.tenant, onPrompt: (message) => prompts.emit({ message }) });
        // Ask for a token now (the browser or device code happens here), then prove it on the subscription list.
        const token = await credential.getToken(armScope(new URL(endpoint))).catch((e: unknown) => Promise.reject(describeSignInError(e)));
        if (!token) throw new ApimError('sign-in returned no token', 'sign-in');
        const conn = connect(ANY_SUBSCRIPTION, { credential, endpoint, retry: deps.retry });
        const subs = await listSubscriptions(conn);
        const who = accountFromToken(token.token);
        const tenant = input.tenant || who.tenant || subs.find((s) => s.tenantId)?.tenantId || null;
        setSession({ credential, account: { signedIn: true, method: input.method, user: who.user, tenant, endpoint } });
        return account();
      }),
    signOut: async () => {
      setSession(null);
      return account();
    },
    account: async () => account(),
    settings: async () => settings(),
    setSettings: (input) =>
      guarded(async () => {
        let url: URL;
        try {
          url = checkEndpoint(input.endpoint.trim());
        } catch (e) {
          throw new ContractError('bad-request', (e as Error).message.replace(/^--endpoint: /, ''), 'endpoint');
        }
        const next = url.origin + url.pathname.replace(/\/$/, '');
        if (next === endpoint) return settings();
        endpoint = next;
        // Another cloud (or emulator) needs its own sign-in; plans made against the old one are void.
        if (session) setSession(null);
        await deps.saveSettings?.({ endpoint });
        return settings();
      }),
    listSubscriptions: () =>
      guarded(async () => (await listSubscriptions(connection(ANY_SUBSCRIPTION))).map((s) => ({ id: s.id, name: s.name, tenantId: s.tenantId ?? null }))),
    listResourceGroups: ({ subscription }) => guarded(async () => (await listResourceGroups(connection(subscription), subscription)).sort((a, b) => a.localeCompare(b))),
    listServices: ({ subscription, resourceGroup }) =>
      guarded(async () =>
        (await listServices(connection(subscription), resourceGroup)).map((s) => ({ name: s.name, resourceGroup: s.resourceGroup || resourceGroup, location: s.location ?? null, sku: s.sku ?? null })),
      ),
    import: ({ target }) =>
      guarded(async () => {
        const result = await importService(connection(target.subscription), target);
        const keys = (k: string) => Object.keys((result.workspace[k] as Record<string, unknown> | undefined) ?? {});
        return { workspace: result.workspace, read: { backends: keys('backends'), pools: keys('pools'), apis: keys('apis') }, keptAside: result.notes };
      }),
    plan: (input) =>
      guarded(async () => {
        const checked = validateWorkspace(input.workspace ?? deps.workspace.value());
        if (!checked.ok) {
          const first = checked.errors[0]!;
          throw new ContractError('invalid-workspace', `fix the workspace before planning: ${first.path}: ${first.message}`, first.path);
        }
        const plan = await buildPlan(connection(input.target.subscription), input.target, checked.workspace, { secrets: deps.secrets, prune: input.prune });
        const planId = randomUUID();
        plans.set(planId, { plan, target: input.target, endpoint });
        while (plans.size > MAX_PLANS) plans.delete(plans.keys().next().value!);
        return toPlanView(plan, planId);
      }),
    apply: ({ planId }) =>
      guarded(async () => {
        const entry = plans.get(planId);
        if (!entry) throw new ContractError('not-found', 'this plan is no longer available (signed out, another endpoint, or already applied): plan again');
        if (applying) throw new ContractError('unavailable', 'another apply is still running: wait for it to finish');
        if (entry.endpoint !== endpoint) throw new ContractError('bad-request', 'the endpoint changed since this plan: plan again');
        // A plan is used once: after any apply (even a failed one) its ETags no longer match.
        plans.delete(planId);
        applying = true;
        try {
          const result = await applyPlan(connection(entry.target.subscription), entry.target, entry.plan, {
            secrets: deps.secrets,
            onEvent: (event) => progress.emit({ planId, event }),
          });
          const outcome: ApplyOutcome = result.ok
            ? result.applied.length === 0
              ? 'no-changes'
              : 'applied'
            : CHANGED_SINCE_PLAN.test(result.failed?.message ?? '')
              ? 'changed-since-plan'
              : 'failed';
          return { ...result, outcome, target: entry.plan.target };
        } finally {
          applying = false;
        }
      }),
    onApplyProgress: (l) => progress.on(l),
    onAccountChanged: (l) => accountEvents.on(l),
    onSignInPrompt: (l) => prompts.on(l),
    armSession: () => (session ? { credential: session.credential, endpoint } : null),
  };
}
