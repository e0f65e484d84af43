import type { StoreApi } from 'zustand/vanilla';
import type { Api } from '../../../shared/contract';
import type { DeployedSlice } from '../features/deployed-monitor/deployed-slice';
import type { DeploySlice } from './deploy/slice';
import type { DiscoverySlice } from './discovery/slice';
import type { GatewaySlice } from './gateway/slice';
import type { MonitorSlice } from './monitor/slice';
import type { NavSlice } from './nav/slice';
import type { SecretsSlice } from './secrets/slice';
import type { SessionSlice } from './session/slice';
import type { WorkspaceSlice } from './workspace/slice';

export type AppState = WorkspaceSlice & NavSlice & SessionSlice & GatewaySlice & MonitorSlice & SecretsSlice & DeploySlice & DiscoverySlice & DeployedSlice;
export type AppStore = StoreApi<AppState>;

/** What a slice gets: zustand's set/get over the whole state, the api, and the few browser things it may use. */
export interface SliceContext {
  set: AppStore['setState'];
  get: AppStore['getState'];
  api: Api;
  env: StoreEnv;
}

export interface StoreEnv {
  /** Where the open screen is kept across reloads (sessionStorage in the app; a Map in tests). */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  now: () => number;
  /** True while a text field has focus: undo/redo then belong to the field, not to the workspace history. */
  isEditingText?: () => boolean;
  /** Runs the field's own undo/redo (desktop menu accelerators reach us before the field does). */
  nativeEdit?: (command: 'undo' | 'redo') => void;
}
