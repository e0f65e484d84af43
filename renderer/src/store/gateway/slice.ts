import type { SliceContext } from '../types';

/*
 * Whether the local gateway runs, for the status bar (and the Run panel later): read at boot, then followed
 * through the gateway service's `running` event. Snapshots and events are the Monitor's, not stored here.
 */
export interface GatewayStatusView {
  available: boolean;
  running: boolean;
  url: string | null;
}

export interface GatewaySlice {
  gateway: GatewayStatusView;
  setGatewayStatus(status: Partial<GatewayStatusView>): void;
  /** Reads the gateway's state and follows it; called by boot. */
  followGateway(): Promise<void>;
}

export const gatewayInitialState: GatewayStatusView = { available: false, running: false, url: null };

export function createGatewaySlice(ctx: SliceContext): GatewaySlice {
  return {
    gateway: gatewayInitialState,
    setGatewayStatus: (status) => ctx.set((s) => ({ gateway: { ...s.gateway, ...status } })),
    async followGateway() {
      const apply = (r: { running: boolean; url: string | null }) => ctx.get().setGatewayStatus({ available: true, running: r.running, url: r.url });
      ctx.api.gateway.onRunning(apply);
      apply(await ctx.api.gateway.status());
    },
  };
}
