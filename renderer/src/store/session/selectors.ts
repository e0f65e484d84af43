import type { AppState } from '../types';

export const selectPhase = (s: AppState) => s.phase;
export const selectNotices = (s: AppState) => s.notices;
export const selectConnection = (s: AppState) => s.connection;
export const selectInfo = (s: AppState) => s.info;
export const selectPathPrompt = (s: AppState) => s.pathPrompt;
