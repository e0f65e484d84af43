import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, render } from '@testing-library/react';
import type { ComponentType } from 'react';
import { createStore } from 'zustand/vanilla';
import { createFakeMonitorApi, type FakeMonitorApi } from '../../store/monitor/fake-monitor-api';
import { createMonitorSlice, type MonitorSlice } from '../../store/monitor/slice';
import { StoreProvider } from '../../store/store-context';
import type { AppStore } from '../../store/types';

/*
 * Test support for the Monitor and Simulate screens: the Monitor slice over a fake api the test drives, in the
 * store context the screens read. Buffer notifications are synchronous here, so a pushed snapshot shows at once.
 */
export function renderMonitor(Screen: ComponentType) {
  const api: FakeMonitorApi = createFakeMonitorApi();
  const store = createStore<MonitorSlice>()((set, get) => createMonitorSlice({ set, get, api, env: { now: () => Date.now(), schedule: (f) => f() } }));
  const utils = render(
    <FluentProvider theme={webLightTheme}>
      <StoreProvider store={store as unknown as AppStore}>
        <Screen />
      </StoreProvider>
    </FluentProvider>,
  );
  /** Runs a push (snapshot, event, job end) inside act, as React wants for updates from outside. */
  const push = (fn: (api: FakeMonitorApi) => void) => act(() => fn(api));
  return { ...utils, api, store, push };
}

/** Lets pending promises (status reads after a start) settle inside act. */
export const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));
