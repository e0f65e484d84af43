import { ContractError, stableJson, type Api, type AppCommand, type AppInfo, type GatewayRun, type WorkspaceState } from '../../../../shared/contract';
import { createFakeDeployed } from '../../features/deployed-monitor/fake-deployed';
import { createFakeApim } from '../deploy/fake-apim';

/*
 * An in-memory stand-in for the main side, for store and component tests (no network, no Electron). It behaves
 * like the workspace service where the store depends on it: revisions, dirty against the saved value, documents.
 */
export interface FakeApi extends Api {
  fire: { workspaceChanged(state: WorkspaceState): void; command(command: AppCommand): void; running(run: GatewayRun): void };
  saved: Record<string, unknown>[];
  state(): WorkspaceState;
  failNext(error: ContractError): void;
}

export const SAMPLE = {
  version: 1,
  backends: { a: { url: 'https://a.example/openai' }, b: { url: 'https://b.example/openai' } },
  pools: { p: { services: [{ backend: 'a', priority: 1, weight: 10 }, { backend: 'b', priority: 1, weight: 1 }] } },
};

export function createFakeApi(opts: { path?: string | null; info?: Partial<AppInfo> } = {}): FakeApi {
  let documentId = 1;
  let revision = 1;
  let path: string | null = opts.path === undefined ? '/w/demo.yaml' : opts.path;
  let value: Record<string, unknown> = structuredClone(SAMPLE);
  let saved = stableJson(value);
  let failure: ContractError | null = null;
  const changed = new Set<(s: WorkspaceState) => void>();
  const commands = new Set<(c: { command: AppCommand }) => void>();
  const savedValues: Record<string, unknown>[] = [];
  const runListeners = new Set<(r: GatewayRun) => void>();
  const secretNames = new Set<string>();
  let run: GatewayRun = { running: false, url: null, simulate: false, startedAt: null };
  const setRun = (r: GatewayRun) => {
    run = r;
    runListeners.forEach((l) => l(r));
    return r;
  };

  const state = (): WorkspaceState => ({
    documentId,
    revision,
    path,
    name: path ? path.split('/').pop()! : 'Demo workspace',
    format: 'yaml',
    workspace: structuredClone(value),
    dirty: stableJson(value) !== saved,
    valid: true,
    errors: [],
    warnings: [],
    counts: { backends: 2, pools: 1, apis: 0 },
  });
  const emit = () => {
    const s = state();
    changed.forEach((l) => l(s));
    return s;
  };
  const guard = () => {
    const f = failure;
    failure = null;
    if (f) throw f;
  };

  return {
    workspace: {
      current: async () => state(),
      open: async (input) => {
        guard();
        if (!input.path) throw new ContractError('needs-path', 'type a path');
        path = input.path;
        documentId += 1;
        revision += 1;
        value = structuredClone(SAMPLE);
        saved = stableJson(value);
        return emit();
      },
      newFromDemo: async () => {
        documentId += 1;
        revision += 1;
        path = null;
        value = structuredClone(SAMPLE);
        saved = stableJson(value);
        return emit();
      },
      update: async (input) => {
        guard();
        value = structuredClone(input.workspace);
        revision += 1;
        return emit();
      },
      save: async () => {
        guard();
        if (!path) throw new ContractError('needs-path', 'choose a file');
        saved = stableJson(value);
        savedValues.push(structuredClone(value));
        revision += 1;
        return emit();
      },
      saveAs: async (input) => {
        guard();
        if (!input.path) throw new ContractError('needs-path', 'choose a file');
        if (input.path.includes('exists') && !input.overwrite) throw new ContractError('exists', `${input.path} already exists`);
        path = input.path;
        saved = stableJson(value);
        savedValues.push(structuredClone(value));
        revision += 1;
        return emit();
      },
      validate: async () => ({ valid: true, errors: [], warnings: [], counts: { backends: 2, pools: 1, apis: 0 } }),
      onChanged: (l) => {
        changed.add(l);
        return () => changed.delete(l);
      },
    },
    secrets: {
      // Names only: the fake, like the real service, never hands a value back.
      status: async () => ({ store: { kind: 'memory', persistent: false }, secrets: [...secretNames].map((name) => ({ name, source: 'store' as const })) }),
      set: async ({ name }) => {
        secretNames.add(name);
        return { name, source: 'store' };
      },
      remove: async ({ name }) => ({ removed: secretNames.delete(name) }),
      onChanged: () => () => undefined,
    },
    app: {
      info: async () => ({ name: 'Breakerboard', version: '0.0.0', platform: 'serve', nativeDialogs: false, cwd: '/w', ...opts.info }),
      onCommand: (l) => {
        commands.add(l);
        return () => commands.delete(l);
      },
    },
    gateway: {
      start: async ({ simulate }) => setRun({ running: true, url: 'http://127.0.0.1:8080', simulate, startedAt: '2026-11-25T10:00:00.000Z' }),
      stop: async () => setRun({ running: false, url: null, simulate: false, startedAt: null }),
      status: async () => ({ ...run, status: null }),
      resetBreaker: async () => ({ reset: false }),
      setCarbonEmission: async () => ({ carbonEmission: {} }),
      history: async () => ({ snapshots: [], events: [] }),
      onEvent: () => () => undefined,
      onSnapshot: () => () => undefined,
      onRunning: (l) => {
        runListeners.add(l);
        return () => runListeners.delete(l);
      },
    },
    apim: createFakeApim(),
    discovery: {
      discover: async () => ({ accounts: [], problems: [] }),
      plan: async () => ({ runs: [], wallMs: 0, target: 'p', unlimited: [] }),
    },
    deployed: createFakeDeployed(),
    simulator: {
      setFault: async () => ({ faults: {} }),
      clearFault: async () => ({ faults: {} }),
      faults: async () => ({ faults: {} }),
    },
    load: {
      start: async () => Promise.reject(new ContractError('unavailable', 'the gateway is not running: start it first')),
      runDrill: async () => Promise.reject(new ContractError('unavailable', 'no drills in the fake api')),
      cancel: async () => ({ cancelled: false }),
      current: async () => ({ job: null }),
      onProgress: () => () => undefined,
      onDone: () => () => undefined,
    },
    fire: {
      workspaceChanged: (s) => changed.forEach((l) => l(s)),
      command: (command) => commands.forEach((l) => l({ command })),
      running: (r) => void setRun(r),
    },
    saved: savedValues,
    state,
    failNext: (e) => (failure = e),
  };
}
