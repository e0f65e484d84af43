import { createStore } from 'zustand/vanilla';
import type { Api } from '../../../shared/contract';
import { createDeployedSlice } from '../features/deployed-monitor/deployed-slice';
import { createDeploySlice } from './deploy/slice';
import { createDiscoverySlice } from './discovery/slice';
import { createGatewaySlice } from './gateway/slice';
import { createMonitorSlice } from './monitor/slice';
import { createNavSlice } from './nav/slice';
import { createSecretsSlice } from './secrets/slice';
import { createSessionSlice } from './session/slice';
import type { AppState, AppStore, StoreEnv } from './types';
import { createWorkspaceSlice } from './workspace/slice';

export type { AppState, AppStore } from './types';

/**
 * The one store (STYLE rule 9), built from slices around the api object: the same store runs in Electron, in the
 * browser and in tests with a fake api. No React here; components read it through selectors.
 */
export function createAppStore(api: Api, env: Partial<StoreEnv> = {}): AppStore {
  const fullEnv: StoreEnv = { now: () => Date.now(), ...env };
  return createStore<AppState>()((set, get) => {
    const ctx = { set, get, api, env: fullEnv };
    return {
      ...createWorkspaceSlice(ctx),
      ...createNavSlice(ctx),
      ...createSessionSlice(ctx),
      ...createGatewaySlice(ctx),
      ...createDeploySlice(ctx),
      ...createMonitorSlice(ctx),
      ...createSecretsSlice(ctx),
      ...createDiscoverySlice(ctx),
      ...createDeployedSlice(ctx),
    };
  });
}
