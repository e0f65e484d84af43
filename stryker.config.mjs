// @ts-check
import { resolve } from 'node:path';

/*
 * `npm run mutation` (not part of `npm test`): StrykerJS over the code whose mistakes the unit tests must catch —
 * the routing and breaker semantics, the gateway, the APIM client, the exports and serve mode's request guard.
 *
 * One folder at a time: `BB_MUTATION_FOLDER=export npm run mutation` mutates only that folder, runs only the tests
 * that exercise it and compiles only the project it lives in (see FOLDERS). Without it, everything is mutated
 * against all Node tests — hours on two shared cores.
 * Incremental: each folder keeps its results in docs/mutation/incremental-<folder>.json (committed: a full folder is
 * 20-40 min on these machines, the next developer starts from the last results), so a
 * second run re-tests only mutants in code or tests that changed.
 * One worker by default (BB_MUTATION_CONCURRENCY to change it): these machines have two shared cores.
 */

// The sandbox is a copy in .stryker-tmp/, where the default `../shared/apim-spec` would not resolve.
process.env.APIM_SPEC_DIR ??= resolve('..', 'shared', 'apim-spec');

// Left out of `mutate`: test files (not the code under test) and the index.ts files that only re-export (a mutant
// there is a missing export, which the TypeScript checker rejects). main/gateway/index.ts is the gateway's server
// itself, so it is mutated.
const NOT_MUTATED = ['!**/*.test.ts', ...['shared/semantics', 'shared/export', 'main/apim', 'main/apim/deployed', 'main/gateway/token-limit'].map((d) => `!${d}/index.ts`)];

// The suites that drive main/apim (the ARM emulator) and main/gateway (a gateway on 127.0.0.1).
const APIM_TESTS = [
  'main/apim/**/*.test.ts',
  'main/services/apim-service.test.ts',
  'main/services/discovery-service.test.ts',
  'test/apim-*.test.ts',
  'test/deployed-monitor.test.ts',
  'test/discovery-roundtrip.test.ts',
  'test/capacity-from-deployed.test.ts',
  'test/parity/import-parity.test.ts',
];
const GATEWAY_TESTS = [
  'main/gateway/**/*.test.ts',
  'test/gateway-*.test.ts',
  'test/wiring/**/*.test.ts',
  'test/parity/**/*.test.ts',
  'test/capacity-agreement.test.ts',
  'test/simulator-gateway-apis.test.ts',
  'test/fuzz/gateway-inputs.fuzz.test.ts',
];

const GATEWAY_SERVER = ['engine', 'index', 'request-handler', 'admin', 'watch', 'upstreams', 'carbon-endpoint', 'event-bus'];

/*
 * ignoreStatic: a static mutant (in code run when a module loads: top-level constants, tables) cannot be traced to
 * tests, so Stryker runs every suite of the folder against it — about 100 s each for the ARM-emulator and gateway
 * suites, 550 of them in main/apim alone. For those folders they are left out (reported as "ignored", not in the
 * score); the pure folders keep them.
 */
/** @type {Record<string, { mutate: string[], tests: string[], tsconfig: string, ignoreStatic?: boolean }>} */
const FOLDERS = {
  semantics: {
    mutate: ['shared/semantics/**/*.ts'],
    tests: ['shared/**/*.test.ts'],
    tsconfig: 'tsconfig.shared.json',
  },
  export: {
    mutate: ['shared/export/**/*.ts'],
    tests: ['shared/export/**/*.test.ts'],
    tsconfig: 'tsconfig.shared.json',
  },
  // main/apim in three parts, each with its own incremental file, so a part's results are kept when it finishes.
  apim: { ignoreStatic: true, mutate: ['main/apim/*.ts'], tests: APIM_TESTS, tsconfig: 'tsconfig.main.json' },
  'apim-deployed': { ignoreStatic: true, mutate: ['main/apim/deployed/**/*.ts'], tests: APIM_TESTS, tsconfig: 'tsconfig.main.json' },
  'apim-policy': { ignoreStatic: true, mutate: ['main/apim/policy/**/*.ts'], tests: APIM_TESTS, tsconfig: 'tsconfig.main.json' },
  gateway: { ignoreStatic: true, mutate: ['main/gateway/*.ts'], tests: GATEWAY_TESTS, tsconfig: 'tsconfig.main.json' },
  // main/gateway in three parts as well (the whole folder is over an hour here): the exchange with a backend, the
  // server around it (engine, request handling, admin and watch endpoints), and the meters and small helpers.
  'gateway-exchange': { ignoreStatic: true, mutate: ['main/gateway/exchange.ts'], tests: GATEWAY_TESTS, tsconfig: 'tsconfig.main.json' },
  'gateway-server': {
    ignoreStatic: true,
    mutate: GATEWAY_SERVER.map((f) => `main/gateway/${f}.ts`),
    tests: GATEWAY_TESTS,
    tsconfig: 'tsconfig.main.json',
  },
  'gateway-helpers': {
    ignoreStatic: true,
    mutate: ['main/gateway/*.ts', '!main/gateway/exchange.ts', ...GATEWAY_SERVER.map((f) => `!main/gateway/${f}.ts`)],
    tests: GATEWAY_TESTS,
    tsconfig: 'tsconfig.main.json',
  },
  'gateway-token-limit': { ignoreStatic: true, mutate: ['main/gateway/token-limit/**/*.ts'], tests: GATEWAY_TESTS, tsconfig: 'tsconfig.main.json' },
  guard: {
    mutate: ['main/control/request-guard.ts'],
    tests: ['main/control/request-guard.test.ts', 'main/control/control-server.test.ts', 'test/serve-hardening.test.ts'],
    tsconfig: 'tsconfig.main.json',
  },
};

const name = process.env.BB_MUTATION_FOLDER;
const folder = name === undefined ? undefined : FOLDERS[name];
if (name !== undefined && folder === undefined) {
  throw new Error(`BB_MUTATION_FOLDER: unknown folder "${name}" (one of ${Object.keys(FOLDERS).join(', ')})`);
}
// vitest.mutation.config.ts reads the test globs from here; an explicit BB_MUTATION_TESTS still wins.
if (folder) process.env.BB_MUTATION_TESTS ??= folder.tests.join(',');
const tag = name ?? 'all';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  plugins: ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  checkers: ['typescript'],
  // The checker compiles this project for every mutant: the shared/ project is several times faster to compile.
  tsconfigFile: process.env.BB_MUTATION_TSCONFIG ?? folder?.tsconfig ?? 'tsconfig.main.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [...(folder ? folder.mutate : Object.values(FOLDERS).flatMap((f) => f.mutate)), ...NOT_MUTATED],
  ignorePatterns: ['app/dist', 'release', 'reports', 'artifacts', 'test-results', 'docs', 'bench'],
  coverageAnalysis: 'perTest',
  ignoreStatic: folder?.ignoreStatic ?? false,
  incremental: true,
  incrementalFile: `docs/mutation/incremental-${tag}.json`,
  concurrency: Number(process.env.BB_MUTATION_CONCURRENCY ?? 1),
  // Generous: on two shared cores under load a full re-run of a folder's suites can take many seconds, and a
  // timeout that is only the machine's load would count as a kill.
  timeoutMS: 60_000,
  dryRunTimeoutMinutes: 15,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${tag}.html` },
  jsonReporter: { fileName: `reports/mutation/${tag}.json` },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
};
