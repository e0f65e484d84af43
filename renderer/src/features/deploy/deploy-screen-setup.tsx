import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { expect } from 'vitest';
import { FAKE_SUB } from '../../store/deploy/fake-apim';
import { createDeployTestStore, createFakeApiWithApim } from '../../store/deploy/test-store';
import { StoreProvider } from '../../store/store-context';
import { DeployScreen } from './deploy-screen';

/* The deploy screen over the fake APIM service and a test store, for the screen's component tests. */

export async function setupDeployScreen() {
  const { api, apim } = createFakeApiWithApim();
  const store = createDeployTestStore(api);
  await store.getState().boot();
  render(
    <FluentProvider theme={webLightTheme}>
      <StoreProvider store={store}>
        <DeployScreen />
      </StoreProvider>
    </FluentProvider>,
  );
  await waitFor(() => expect(store.getState().deploy.settings).not.toBeNull());
  return { api, apim, store, s: () => store.getState() };
}

/** Signed in with the service picked, through the store (the picker itself is tested once, in deploy-screen.test). */
export async function pickedDeployScreen() {
  const r = await setupDeployScreen();
  await act(async () => {
    await r.s().signIn({ method: 'token', token: 't' });
    await r.s().chooseSubscription(FAKE_SUB);
    await r.s().chooseResourceGroup('rg-ai');
    r.s().chooseService('my-apim');
  });
  return r;
}

export const clickTestId = (id: string) => act(async () => void fireEvent.click(screen.getByTestId(id)));
