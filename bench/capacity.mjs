// The capacity planner's benchmark (issue 17): one hour of traffic at 100 req/s over 10 backends in virtual time.
// Target: ≤ 2 s on this machine. Not part of `npm test` (no wall-clock assertions in tests).
//
//   node bench/capacity.mjs [--hours 1] [--rps 100] [--backends 10] [--repeat 3] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const hours = flag('hours', 1);
const rps = flag('rps', 100);
const n = flag('backends', 10);
const repeat = flag('repeat', 3);

// The planner is pure TypeScript: bundle it once, as the app's build would.
const dir = mkdtempSync(join(tmpdir(), 'bb-capacity-bench-'));
const out = join(dir, 'capacity.mjs');
await build({ entryPoints: [join(root, 'shared/capacity/index.ts')], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'error' });
const { runPlan } = await import(pathToFileURL(out).href);
rmSync(dir, { recursive: true, force: true });

// Two PTU lanes' worth of backends in priority 1, the rest pay-as-you-go in priority 2; total capacity a bit under
// the offered load, so breakers trip, spill over and reset all hour long (the expensive case).
const backends = {};
const services = [];
for (let i = 0; i < n; i++) {
  const ptu = i < n / 2;
  backends[`b${i}`] = {
    url: `https://b${i}.openai.azure.com/openai`,
    circuitBreaker: { rules: [{ name: 'r', failureCondition: { count: ptu ? 1 : 3, interval: 'PT1M', statusCodeRanges: ptu ? [{ min: 429, max: 429 }] : [{ min: 429, max: 429 }, { min: 500, max: 599 }] }, tripDuration: 'PT1M', acceptRetryAfter: true }] },
    capacity: { sku: ptu ? 'ProvisionedManaged' : 'Standard', tokensPerMinute: 50_000 },
  };
  services.push({ backend: `b${i}`, priority: ptu ? 1 : 2, weight: 1 + (i % 3) });
}
// Already in the validated shape (the unit tests validate the same kind of workspace).
const workspace = { version: 1, backends, pools: { pool: { services } }, apis: { chat: { path: 'openai', backend: 'pool', retry: { count: 2, on: [429, 503] } } } };
const profile = { rpm: rps * 60, tokensPerRequest: 1000, durationMs: hours * 3_600_000 };

const times = [];
let run;
for (let r = 0; r < repeat; r++) {
  const t0 = performance.now();
  run = runPlan(workspace, profile, 1);
  times.push(performance.now() - t0);
}
const best = Math.min(...times);
const result = { hours, rps, backends: n, requests: run.requests, trips: run.tripCount, clientSuccess: run.clientSuccess, msBest: Math.round(best), msAll: times.map(Math.round), target: 2000, met: best <= 2000 };
if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else process.stdout.write(`${run.requests} requests (${hours} h at ${rps} req/s over ${n} backends, ${run.tripCount} trips) planned in ${result.msBest} ms (best of ${repeat}: ${result.msAll.join(', ')} ms); target ≤ 2000 ms: ${result.met ? 'met' : 'MISSED'}\n`);
