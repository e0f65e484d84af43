import type { AppState } from '../types';

export const selectGateway = (s: AppState) => s.gateway;
export const selectGatewayLabel = (s: AppState) =>
  s.gateway.running ? `Gateway running${s.gateway.url ? ` at ${s.gateway.url}` : ''}` : 'Gateway stopped';
