import { ContractError } from '../../../../shared/contract';
import type { DeployTarget, SignInMethod } from '../../../../shared/contract/apim';
import type { SliceContext } from '../types';
import { deployInitialState, type DeployBusy, type DeployPick, type DeployView } from './initial-state';
import { foldProgress, initialProgress } from './progress';
import { mergeImported, targetOfWorkspace, withTarget } from './workspace-target';

export interface DeploySlice {
  deploy: DeployView;
  /** Reads settings and account, follows the service's events, adopts the workspace's `target:`. Idempotent. */
  initDeploy(): Promise<void>;
  setEndpoint(endpoint: string): Promise<boolean>;
  signIn(input: { method: SignInMethod; token?: string; tenant?: string }): Promise<boolean>;
  signOut(): Promise<void>;
  loadSubscriptions(): Promise<void>;
  chooseSubscription(id: string | null): Promise<void>;
  chooseResourceGroup(name: string | null): Promise<void>;
  /** Picks the service and remembers the target in the workspace (`target:`), as one undoable edit. */
  chooseService(name: string | null): void;
  importService(into: 'open' | 'new'): Promise<boolean>;
  makePlan(opts?: { prune?: boolean }): Promise<boolean>;
  applyPlan(): Promise<boolean>;
  dismissDeployError(): void;
}

export { deployInitialState } from './initial-state';

export function createDeploySlice(ctx: SliceContext): DeploySlice {
  const { set, get, api } = ctx;
  const patch = (p: Partial<DeployView>) => set((s) => ({ deploy: { ...s.deploy, ...p } }));
  const state = () => get().deploy;
  let following = false;

  /** Runs one call with a busy marker; a refusal becomes `error` (in words, with its field) instead of a throw. */
  async function run<T>(busy: DeployBusy, action: string, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    patch({ busy, error: null });
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      const path = e instanceof ContractError ? e.path : undefined;
      patch({ error: { action, message: (e as Error).message, ...(path ? { path } : {}) } });
      return { ok: false };
    } finally {
      patch({ busy: null });
    }
  }

  const pickedTarget = (): DeployTarget | null => {
    const { subscription, resourceGroup, service } = state().pick;
    return subscription && resourceGroup && service ? { subscription, resourceGroup, service } : null;
  };

  /** The workspace remembers where it deploys: adopt its target (and its endpoint) when the screen opens. */
  async function adoptWorkspaceTarget(): Promise<void> {
    const t = targetOfWorkspace(get().workspace.value);
    if (!t) return;
    if (t.endpoint && state().settings && t.endpoint !== state().settings!.endpoint) await get().setEndpoint(t.endpoint);
    patch({ pick: { subscription: t.subscription, resourceGroup: t.resourceGroup, service: t.service } });
  }

  return {
    deploy: deployInitialState,

    async initDeploy() {
      if (!following) {
        following = true;
        api.apim.onAccountChanged((account) => patch({ account, ...(account.signedIn ? {} : { subscriptions: null, resourceGroups: null, services: null, plan: null }) }));
        api.apim.onSignInPrompt(({ message }) => patch({ signInPrompt: message }));
        api.apim.onApplyProgress(({ planId, event }) => {
          if (state().plan?.planId === planId) patch({ progress: foldProgress(state().progress, event) });
        });
      }
      const r = await run(null, 'Load deploy settings', async () => Promise.all([api.apim.settings(), api.apim.account()]));
      if (!r.ok) return;
      const [settings, account] = r.value;
      patch({ settings, account });
      await adoptWorkspaceTarget();
      if (get().deploy.account?.signedIn && !state().subscriptions) await get().loadSubscriptions();
    },

    async setEndpoint(endpoint) {
      const r = await run(null, 'Endpoint', () => api.apim.setSettings({ endpoint }));
      if (r.ok) patch({ settings: r.value });
      return r.ok;
    },

    async signIn(input) {
      patch({ signInPrompt: null });
      const r = await run('signing-in', 'Sign in', () => api.apim.signIn(input));
      patch({ signInPrompt: null });
      if (!r.ok) return false;
      patch({ account: r.value });
      await get().loadSubscriptions();
      return true;
    },

    async signOut() {
      const r = await run(null, 'Sign out', () => api.apim.signOut());
      if (r.ok) patch({ account: r.value, subscriptions: null, resourceGroups: null, services: null, plan: null, progress: [], report: null });
    },

    async loadSubscriptions() {
      const r = await run('listing', 'List subscriptions', () => api.apim.listSubscriptions());
      if (!r.ok) return;
      patch({ subscriptions: r.value });
      const { subscription, resourceGroup } = state().pick;
      // A remembered target: fill the lists below it, so the pickers show it selected.
      if (subscription && r.value.some((s) => s.id === subscription)) {
        await loadGroups(subscription);
        if (resourceGroup) await loadServices(subscription, resourceGroup);
      }
    },

    async chooseSubscription(id) {
      patch({ pick: { subscription: id, resourceGroup: null, service: null }, resourceGroups: null, services: null, plan: null });
      if (id) await loadGroups(id);
    },

    async chooseResourceGroup(name) {
      const pick: DeployPick = { ...state().pick, resourceGroup: name, service: null };
      patch({ pick, services: null, plan: null });
      if (name && pick.subscription) await loadServices(pick.subscription, name);
    },

    chooseService(name) {
      patch({ pick: { ...state().pick, service: name }, plan: null, report: null, progress: [] });
      const target = pickedTarget();
      const settings = state().settings;
      if (!target || !settings) return;
      const endpoint = settings.endpoint !== settings.defaultEndpoint ? settings.endpoint : undefined;
      get().editWorkspace((draft) => withTarget(draft, { ...target, ...(endpoint ? { endpoint } : {}) }));
    },

    async importService(into) {
      const target = pickedTarget();
      if (!target) return false;
      const r = await run('importing', 'Import', () => api.apim.import({ target }));
      if (!r.ok) return false;
      const { workspace, ...report } = r.value;
      if (into === 'new' && !(await get().newFromDemo())) return false;
      // One edit: undo takes the whole import back.
      get().editWorkspace((draft) => (into === 'new' ? structuredClone(workspace) : mergeImported(draft, workspace)));
      patch({ importReport: { ...report, into, service: target.service }, plan: null, report: null, progress: [] });
      return true;
    },

    async makePlan(opts) {
      const target = pickedTarget();
      if (!target) return false;
      const workspace = get().workspace.value ?? undefined;
      const r = await run('planning', 'Plan', () => api.apim.plan({ target, ...(workspace ? { workspace } : {}), ...(opts?.prune ? { prune: true } : {}) }));
      if (!r.ok) return false;
      patch({ plan: r.value, plannedValue: workspace ?? null, progress: initialProgress(r.value), report: null });
      return true;
    },

    async applyPlan() {
      const plan = state().plan;
      if (!plan) return false;
      patch({ progress: initialProgress(plan), report: null });
      const r = await run('applying', 'Apply', () => api.apim.apply({ planId: plan.planId }));
      if (!r.ok) return false;
      patch({ report: r.value });
      return r.value.ok;
    },

    dismissDeployError: () => patch({ error: null }),
  };

  async function loadGroups(subscription: string): Promise<void> {
    const r = await run('listing', 'List resource groups', () => api.apim.listResourceGroups({ subscription }));
    if (r.ok && state().pick.subscription === subscription) patch({ resourceGroups: r.value });
  }

  async function loadServices(subscription: string, resourceGroup: string): Promise<void> {
    const r = await run('listing', 'List API Management services', () => api.apim.listServices({ subscription, resourceGroup }));
    if (r.ok && state().pick.resourceGroup === resourceGroup) patch({ services: r.value });
  }
}
