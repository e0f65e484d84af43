import type { DeployedDrillDone, DeployedReading } from '../../../../shared/contract';
import type { SliceContext } from '../../store/types';

/*
 * The deployed service in the store (issue 16): which source the Monitor shows, the latest Log Analytics reading,
 * and the Simulate screen's deployed target with its last side-by-side report. Readings are pulled (a button and
 * a 60 s refresh while shown): Log Analytics is minutes behind, pushing would add nothing.
 */

export type MonitorSource = 'local' | 'deployed';

export interface DeployedState {
  source: MonitorSource;
  sinceSeconds: number;
  workspaceId: string;
  eventsQueue: string;
  loading: boolean;
  reading: DeployedReading | null;
  error: string | null;
  drill: { running: boolean; done: DeployedDrillDone | null; error: string | null };
}

export interface DeployedSlice {
  deployed: DeployedState;
  setMonitorSource(source: MonitorSource): void;
  setDeployedOptions(o: Partial<Pick<DeployedState, 'sinceSeconds' | 'workspaceId' | 'eventsQueue'>>): void;
  refreshDeployed(): Promise<void>;
  runDeployedDrill(input: Parameters<SliceContext['api']['deployed']['runDrill']>[0]): Promise<void>;
  /** The service's APIM subscriptions by name and scope (keys stay in main). */
  listDeployedKeys(target: Parameters<SliceContext['api']['deployed']['listKeys']>[0]['target']): Promise<{ id: string; displayName: string; scope: string }[]>;
}

export const deployedInitialState: DeployedState = {
  source: 'local',
  sinceSeconds: 900,
  workspaceId: '',
  eventsQueue: '',
  loading: false,
  reading: null,
  error: null,
  drill: { running: false, done: null, error: null },
};

export function createDeployedSlice(ctx: SliceContext): DeployedSlice {
  const patch = (p: Partial<DeployedState>) => ctx.set((s) => ({ deployed: { ...s.deployed, ...p } }));
  let following = false;
  return {
    deployed: deployedInitialState,
    setMonitorSource: (source) => patch({ source }),
    setDeployedOptions: (o) => patch(o),
    async refreshDeployed() {
      const d = ctx.get().deployed;
      patch({ loading: true, error: null });
      try {
        const reading = await ctx.api.deployed.monitor({
          sinceSeconds: d.sinceSeconds,
          ...(d.workspaceId.trim() ? { workspaceId: d.workspaceId.trim() } : {}),
          ...(d.eventsQueue.trim() ? { eventsQueue: d.eventsQueue.trim() } : {}),
        });
        patch({ reading, loading: false });
      } catch (e) {
        patch({ loading: false, error: (e as Error).message });
      }
    },
    listDeployedKeys: async (target) => (await ctx.api.deployed.listKeys({ target })).subscriptions,
    async runDeployedDrill(input) {
      if (!following) {
        following = true;
        ctx.api.deployed.onDrillDone((done) => patch({ drill: { running: false, done, error: done.error?.message ?? null } }));
      }
      patch({ drill: { running: true, done: null, error: null } });
      try {
        await ctx.api.deployed.runDrill(input);
      } catch (e) {
        patch({ drill: { running: false, done: null, error: (e as Error).message } });
      }
    },
  };
}
