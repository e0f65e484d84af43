import { describe, expect, it } from 'vitest';
import { createAppStore } from '../create-app-store';
import { createFakeApi } from '../testing/fake-api';
import { selectGatewayLabel } from './selectors';

/** Issue 19 item 8: the gateway slice as the status bar uses it, no React. */
describe('gateway slice', () => {
  it('is unavailable until read; then follows the running state and says where clients point', async () => {
    const api = createFakeApi();
    const store = createAppStore(api);
    expect(store.getState().gateway).toEqual({ available: false, running: false, url: null });
    await store.getState().followGateway();
    expect(store.getState().gateway).toMatchObject({ available: true, running: false });
    expect(selectGatewayLabel(store.getState())).toBe('Gateway stopped');
    api.fire.running({ running: true, url: 'http://127.0.0.1:8080', simulate: true, startedAt: '2026-12-03T12:00:00.000Z' });
    expect(store.getState().gateway).toEqual({ available: true, running: true, url: 'http://127.0.0.1:8080' });
    expect(selectGatewayLabel(store.getState())).toBe('Gateway running at http://127.0.0.1:8080');
    api.fire.running({ running: false, url: null, simulate: false, startedAt: null });
    expect(selectGatewayLabel(store.getState())).toBe('Gateway stopped');
  });
});
