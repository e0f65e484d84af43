import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Two projects: everything that runs under Node (shared/, main/, test/), and renderer components in jsdom.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'main/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
          setupFiles: ['renderer/src/testing/jsdom-setup.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
