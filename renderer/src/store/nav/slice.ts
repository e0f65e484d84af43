import type { SliceContext } from '../types';

export const SCREENS = ['pools', 'breakers', 'monitor', 'simulate', 'deploy', 'discovery'] as const;
export type ScreenId = (typeof SCREENS)[number];

export interface NavSlice {
  screen: ScreenId;
  setScreen(screen: ScreenId): void;
}

const KEY = 'breakerboard.screen';
const isScreen = (v: unknown): v is ScreenId => SCREENS.includes(v as ScreenId);

export const navInitialState = (ctx: Pick<SliceContext, 'env'>): Pick<NavSlice, 'screen'> => {
  const saved = ctx.env.storage?.getItem(KEY);
  return { screen: isScreen(saved) ? saved : 'pools' };
};

export function createNavSlice(ctx: SliceContext): NavSlice {
  return {
    ...navInitialState(ctx),
    setScreen(screen) {
      ctx.set({ screen });
      ctx.env.storage?.setItem(KEY, screen);
    },
  };
}
