import { describe, expect, it } from 'vitest';
import { createAppStore } from '../create-app-store';
import { createFakeApi } from '../testing/fake-api';

describe('secrets slice', () => {
  it('stores a value through the service and learns only where the name resolves', async () => {
    const api = createFakeApi();
    const store = createAppStore(api);
    await store.getState().setSecret('aoai-eastus-key', 'sk-very-secret');
    expect(store.getState().secretSources['aoai-eastus-key']).toBe('store');
    expect(JSON.stringify(store.getState())).not.toContain('sk-very-secret');
  });
});
