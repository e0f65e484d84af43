import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../../../shared/model/schema';
import { createAppStore } from '../../store/create-app-store';
import { StoreProvider } from '../../store/store-context';
import { createFakeApi } from '../../store/testing/fake-api';
import type { WorkspaceValue } from '../../store/workspace/slice';
import { SuggestionCard } from './suggestion-card';

const WS = {
  version: 1,
  backends: {
    ptu: { url: 'https://ptu.openai.azure.com/openai', capacity: { sku: 'ProvisionedManaged', ptu: 100, model: 'gpt-4o' } },
    payg: { url: 'https://payg.openai.azure.com/openai', capacity: { sku: 'Standard', tokensPerMinute: 30_000, model: 'gpt-4o' } },
  },
};

async function renderCard() {
  const store = createAppStore(createFakeApi());
  await act(() => store.getState().boot());
  act(() => store.getState().editWorkspace(() => WS as unknown as WorkspaceValue));
  render(
    <FluentProvider theme={webLightTheme}>
      <StoreProvider store={store}>
        <SuggestionCard />
      </StoreProvider>
    </FluentProvider>,
  );
  return store;
}

describe('the pool suggestion card (issue 17)', () => {
  it('shows the suggestion as a diff and applies only the changes left ticked', async () => {
    const store = await renderCard();
    fireEvent.click(screen.getByTestId('suggest-run'));
    const diff = screen.getByTestId('suggest-diff');
    expect(diff.textContent).toContain('pools.pool-gpt-4o');
    expect(diff.textContent).toContain('backends.payg.circuitBreaker');
    // Nothing is applied before the user accepts.
    expect((store.getState().workspace.value as unknown as Workspace).pools).toBeUndefined();
    fireEvent.click(screen.getByLabelText('accept backends.payg.circuitBreaker'));
    fireEvent.click(screen.getByTestId('suggest-accept'));
    const ws = store.getState().workspace.value as unknown as Workspace;
    expect(ws.pools?.['pool-gpt-4o']?.services).toEqual([
      { backend: 'ptu', priority: 1 },
      { backend: 'payg', priority: 2 },
    ]);
    expect(ws.backends.ptu!.circuitBreaker?.rules[0]?.name).toBe('ptuRetryAfter');
    expect(ws.backends.payg!.circuitBreaker).toBeUndefined();
    // One undo step takes the whole acceptance back.
    act(() => store.getState().undo());
    expect((store.getState().workspace.value as unknown as Workspace).pools).toBeUndefined();
  });
});
