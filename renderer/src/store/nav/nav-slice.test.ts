import { describe, expect, it } from 'vitest';
import { createAppStore } from '../create-app-store';
import { createFakeApi } from '../testing/fake-api';

describe('nav slice', () => {
  it('starts on Pools, remembers the open screen across a reload, ignores junk', () => {
    const kept = new Map<string, string>();
    const storage = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) };
    const first = createAppStore(createFakeApi(), { storage });
    expect(first.getState().screen).toBe('pools');
    first.getState().setScreen('monitor');
    expect(createAppStore(createFakeApi(), { storage }).getState().screen).toBe('monitor');
    kept.set('breakerboard.screen', 'admin');
    expect(createAppStore(createFakeApi(), { storage }).getState().screen).toBe('pools');
  });
});
