// @ts-check
import { resolve } from 'node:path';

/*
 * `npm run mutation` (not part of `npm test`): StrykerJS over the code whose mistakes the unit tests must catch —
 * the routing and breaker semantics, the gateway, the APIM client, the exports and serve mode's request guard.
 * Incremental: results are kept in reports/stryker-incremental.json, so a second run re-tests only mutants in code
 * or tests that changed. Narrow a run with `npm run mutation -- --mutate 'shared/semantics/**\/*.ts'`.
 * One worker: these machines have two shared cores.
 */

// The sandbox is a copy in .stryker-tmp/, where the default `../shared/apim-spec` would not resolve.
process.env.APIM_SPEC_DIR ??= resolve('..', 'shared', 'apim-spec');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  plugins: ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  checkers: ['typescript'],
  // The checker compiles this project for every mutant: BB_MUTATION_TSCONFIG=tsconfig.shared.json makes a run on
  // shared/ code several times faster.
  tsconfigFile: process.env.BB_MUTATION_TSCONFIG ?? 'tsconfig.main.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'shared/semantics/**/*.ts',
    'main/gateway/**/*.ts',
    'main/apim/**/*.ts',
    'shared/export/**/*.ts',
    'main/control/request-guard.ts',
    '!**/*.test.ts',
    '!**/index.ts',
  ],
  ignorePatterns: ['app/dist', 'release', 'reports', 'artifacts', 'test-results', 'docs', 'bench'],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 1,
  timeoutMS: 10_000,
  dryRunTimeoutMinutes: 15,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
};
