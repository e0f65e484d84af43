import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

/*
 * Setup for every component test (vitest's renderer project, jsdom). Vitest runs without globals here, so Testing
 * Library cannot register its own cleanup; and jsdom has no ResizeObserver, which Fluent and the charts use to
 * measure themselves (browsers and Electron have it).
 */
afterEach(cleanup);

class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoopResizeObserver as unknown as typeof ResizeObserver;
