import { defineConfig } from 'vitest/config';

/*
 * The tests Stryker runs against each mutant (stryker.config.mjs): the Node unit and integration tests. Left out:
 * suites that drive the built app (app/dist: e2e, the CLI launcher, packaging, Electron) — a mutant in the sources
 * never reaches them, so they would only cost time — and the drills and load-generator accuracy runs, which drive
 * real time under load: on a busy machine their timing, not a mutant, would decide.
 */
export default defineConfig({
  test: {
    name: 'mutation',
    environment: 'node',
    // BB_MUTATION_TESTS narrows a run to some suites (comma-separated globs), e.g. the unit tests of one folder.
    include: process.env.BB_MUTATION_TESTS?.split(',') ?? ['shared/**/*.test.ts', 'main/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/cli-launcher.test.ts', 'test/electron-smoke.test.ts', 'test/packaging-asar.test.ts', 'test/security-electronegativity.test.ts', 'test/drill-*.test.ts', 'test/loadgen-*.test.ts', '**/node_modules/**'],
    // One module graph for all the files of a run, kept between Stryker's runs: mutants are switched at run time
    // (mutant schemata), so re-importing every module for every mutant only cost time — seconds per mutant with the
    // Azure SDK and the APIM spec. The gateway and APIM suites pass this way (they share no module state).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
