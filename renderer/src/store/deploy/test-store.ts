import { createAppStore } from '../create-app-store';
import { createFakeApi, type FakeApi } from '../testing/fake-api';
import type { AppStore } from '../types';
import type { FakeApim } from './fake-apim';

/** The frame's fake api, with a handle on its fake apim service. */
export function createFakeApiWithApim(): { api: FakeApi; apim: FakeApim } {
  const api = createFakeApi();
  return { api, apim: api.apim as FakeApim };
}

/** The app store over a fake api, as the app builds it. */
export const createDeployTestStore = (api: FakeApi): AppStore => createAppStore(api);
