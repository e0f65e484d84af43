// The nightly-style fuzz run (issue 14): the suite `npm test` runs in test/fuzz/ (about 950 cases), scaled up to
// at least 10,000 cases, with a fresh seed each night unless one is given to replay a failure.
//   node scripts/fuzz-nightly.mjs [--scale 12] [--seed N]
// Exit code: vitest's (0 all properties held; 1 a counterexample, printed with its seed and path for replay).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
// 950 cases at scale 1 (see the fuzzRuns() calls in test/fuzz/): 12 × 950 = 11,400 ≥ 10,000.
const scale = Number(arg('scale', '12'));
const seed = Number(arg('seed', String(Math.floor(Date.now() / 86_400_000))));
if (!(scale > 0) || !Number.isInteger(seed)) {
  console.error('usage: node scripts/fuzz-nightly.mjs [--scale N > 0] [--seed INTEGER]');
  process.exit(2);
}
console.log(`fuzz: scale ${scale} (about ${Math.round(950 * scale)} cases), seed ${seed}`);
const run = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/fuzz', '--project', 'node', '--testTimeout', '3600000'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, BREAKERBOARD_FUZZ_SCALE: String(scale), BREAKERBOARD_FUZZ_SEED: String(seed) },
});
if (run.status !== 0) console.error(`fuzz: failed; replay with: node scripts/fuzz-nightly.mjs --scale ${scale} --seed ${seed}`);
process.exit(run.status ?? 1);
