import type { AppState } from '../types';

export const selectScreen = (s: AppState) => s.screen;
