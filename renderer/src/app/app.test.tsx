import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../store/create-app-store';
import { createFakeApi } from '../store/testing/fake-api';
import { App } from './app';

const NAV = ['pools', 'breakers', 'monitor', 'simulate', 'deploy'];

afterEach(cleanup);

async function renderApp(api = createFakeApi()) {
  const store = createAppStore(api);
  const view = render(<App store={store} keyboardShortcuts />);
  await screen.findByTestId('app-header');
  return { api, store, view };
}

describe('the app frame', () => {
  it('boots to data-app-state="ready" with header, the five screens and the status bar', async () => {
    const { view } = await renderApp();
    expect(view.container.querySelector('[data-app-state="ready"]')).not.toBeNull();
    for (const id of NAV) expect(screen.getByTestId(`nav-${id}`)).toBeTruthy();
    expect(screen.getByTestId('workspace-name').textContent).toBe('demo.yaml');
    expect(screen.getByTestId('gateway-status').textContent).toBe('Gateway stopped');
    expect(screen.queryByTestId('dirty-marker')).toBeNull();
  });

  it('switches screens from the navigation', async () => {
    await renderApp();
    const user = userEvent.setup();
    for (const id of NAV) {
      await user.click(screen.getByTestId(`nav-${id}`));
      expect(screen.getByTestId(`screen-${id}`)).toBeTruthy();
    }
  });

  it('shows the dirty marker after an edit and undo/redo buttons follow the history', async () => {
    const { store } = await renderApp();
    expect((screen.getByTestId('undo') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => store.getState().editWorkspace((d) => void ((d.pools as { p: { services: { weight: number }[] } }).p.services[0]!.weight = 2)));
    expect(await screen.findByTestId('dirty-marker')).toBeTruthy();
    expect((screen.getByTestId('undo') as HTMLButtonElement).disabled).toBe(false);
    await userEvent.setup().click(screen.getByTestId('undo'));
    expect(screen.queryByTestId('dirty-marker')).toBeNull();
  });

  it('shows a running gateway in the status bar', async () => {
    const { api } = await renderApp();
    await act(async () => api.fire.running({ running: true, url: 'http://127.0.0.1:8080', simulate: true, startedAt: null }));
    expect(within(screen.getByTestId('status-bar')).getByTestId('gateway-status').textContent).toBe('Gateway running at http://127.0.0.1:8080');
  });
});

describe('notices', () => {
  it('a save refused for validation errors goes away once the error is fixed, and is said once', async () => {
    const { store } = await renderApp();
    const doc = store.getState().workspace.doc!;
    const issue = { path: 'pools.p.services[0].weight', message: 'must be between 0 and 100' };
    // The main side's word: invalid, then the refusal (twice), then valid again.
    await act(async () => store.getState().applyWorkspaceState({ ...doc, valid: false, errors: [issue] }));
    for (let i = 0; i < 2; i++) await act(async () => store.getState().notify({ intent: 'error', title: 'Not saved', message: `${issue.path}: ${issue.message}`, untilValid: true }));
    expect(await screen.findAllByTestId('notice-error')).toHaveLength(1);
    await act(async () => store.getState().applyWorkspaceState({ ...doc, valid: true, errors: [] }));
    await waitFor(() => expect(screen.queryByTestId('notice-error')).toBeNull());
  });

});
