import type { ContractError } from '../../../../shared/contract';
import type { AccountInfo, ApimService, ApplyProgressEvent, ApplyReport, ImportReport, PlanView } from '../../../../shared/contract/apim';

/*
 * An in-memory apim service for store and component tests: one subscription, group and service; plans and apply
 * reports are set by the test; every call is recorded. No network, no SDK.
 */
export const FAKE_SUB = '11111111-2222-3333-4444-555555555555';
export const FAKE_TARGET = { subscription: FAKE_SUB, resourceGroup: 'rg-ai', service: 'my-apim' };

export const samplePlan = (over: Partial<PlanView> = {}): PlanView => ({
  planId: 'plan-1',
  createdAt: '2026-11-25T10:00:00.000Z',
  target: { ...FAKE_TARGET, endpoint: 'https://management.azure.com' },
  prune: false,
  changes: [
    { kind: 'namedValue', id: 'a-key', action: 'unchanged', fields: [], note: 'secret not available locally (BREAKERBOARD_SECRET_A_KEY): the value in APIM is left unchanged' },
    { kind: 'backend', id: 'a', action: 'unchanged', fields: [] },
    { kind: 'pool', id: 'p', action: 'update', fields: [{ path: 'pool.services[1].weight', before: 1, after: 5 }] },
  ],
  warnings: [],
  blockers: [],
  notes: [],
  ...over,
});

export const okReport = (over: Partial<ApplyReport> = {}): ApplyReport => ({
  ok: true,
  outcome: 'applied',
  applied: [{ kind: 'pool', id: 'p', action: 'update' }],
  rollback: [],
  restored: true,
  message: 'applied 1 change to my-apim',
  target: samplePlan().target,
  ...over,
});

export interface FakeApim extends ApimService {
  calls: { method: string; input: unknown }[];
  next: { plan?: PlanView; report?: ApplyReport; events?: ApplyProgressEvent[]; failure?: ContractError; importReport?: ImportReport };
}

export function createFakeApim(): FakeApim {
  const calls: FakeApim['calls'] = [];
  const next: FakeApim['next'] = {};
  let endpoint = 'https://management.azure.com';
  let account: AccountInfo = { signedIn: false, method: null, user: null, tenant: null, endpoint };
  const progress = new Set<(p: { planId: string; event: ApplyProgressEvent }) => void>();
  const record = async <T>(method: string, input: unknown, answer: () => T): Promise<T> => {
    calls.push({ method, input });
    const f = next.failure;
    if (f) {
      next.failure = undefined;
      throw f;
    }
    return answer();
  };
  const settings = () => ({ endpoint, defaultEndpoint: 'https://management.azure.com' });
  return {
    calls,
    next,
    signIn: (input) => record('signIn', input, () => (account = { signedIn: true, method: input.method, user: 'ada@contoso.com', tenant: 'tenant-1', endpoint })),
    signOut: () => record('signOut', undefined, () => (account = { signedIn: false, method: null, user: null, tenant: null, endpoint })),
    account: () => record('account', undefined, () => account),
    settings: () => record('settings', undefined, settings),
    setSettings: (input) => record('setSettings', input, () => ((endpoint = input.endpoint), settings())),
    listSubscriptions: () => record('listSubscriptions', undefined, () => [{ id: FAKE_SUB, name: 'Contoso AI', tenantId: 'tenant-1' }]),
    listResourceGroups: (input) => record('listResourceGroups', input, () => ['rg-ai', 'rg-web']),
    listServices: (input) => record('listServices', input, () => [{ name: 'my-apim', resourceGroup: input.resourceGroup, location: 'eastus', sku: 'Developer' }, { name: 'other-apim', resourceGroup: input.resourceGroup, location: 'westus', sku: 'StandardV2' }]),
    import: (input) =>
      record('import', input, () =>
        next.importReport ?? {
          workspace: { version: 1, backends: { a: { url: 'https://a.example/openai' } }, pools: { p: { services: [{ backend: 'a', priority: 1, weight: 2 }] } }, target: input.target },
          read: { backends: ['a'], pools: ['p'], apis: [] },
          keptAside: ['backends.a: tls not modeled by the workspace; kept in APIM (apply leaves them as they are)'],
        },
      ),
    plan: (input) => record('plan', input, () => next.plan ?? samplePlan()),
    apply: (input) =>
      record('apply', input, () => {
        for (const event of next.events ?? []) progress.forEach((l) => l({ planId: input.planId, event }));
        return next.report ?? okReport();
      }),
    onApplyProgress: (l) => (progress.add(l), () => progress.delete(l)),
    onAccountChanged: () => () => undefined,
    onSignInPrompt: () => () => undefined,
  };
}
