#!/usr/bin/env node
// Scores of the mutation runs on record (reports/mutation/<part>.json, written by `npm run mutation`), per part,
// per file and per folder, with the survivors listed — what the README's table and docs/mutation-survivors.md report.
// Usage: node scripts/mutation-scores.mjs [--survivors] [part…]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join('reports', 'mutation');
const args = process.argv.slice(2);
const showSurvivors = args.includes('--survivors');
const wanted = args.filter((a) => !a.startsWith('--'));
if (!existsSync(DIR)) {
  console.error(`no mutation reports in ${DIR}: run BB_MUTATION_FOLDER=<folder> npm run mutation first`);
  process.exit(1);
}
const parts = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .filter((p) => wanted.length === 0 || wanted.includes(p));

const COUNTED = ['Killed', 'Timeout', 'Survived', 'NoCoverage'];
const empty = () => ({ Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 });
const score = (c) => {
  const all = COUNTED.reduce((n, k) => n + c[k], 0);
  return all === 0 ? 'n/a' : `${((100 * (c.Killed + c.Timeout)) / all).toFixed(1)} %`;
};
const line = (name, c) =>
  `${name.padEnd(48)} ${String(COUNTED.reduce((n, k) => n + c[k], 0)).padStart(5)} ${COUNTED.map((k) => String(c[k]).padStart(5)).join(' ')}  ${score(c)}`;

const folders = new Map();
console.log(`${'part / file'.padEnd(48)} total  kill  tout  surv  nocv  score`);
for (const part of parts) {
  const report = JSON.parse(readFileSync(join(DIR, `${part}.json`), 'utf8'));
  const total = empty();
  const perFile = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const c = empty();
    for (const m of mutants) if (m.status in c) c[m.status] += 1;
    for (const k of COUNTED) total[k] += c[k];
    perFile.push([file, c, mutants]);
    const folder = file.split('/').slice(0, -1).join('/');
    const f = folders.get(folder) ?? empty();
    for (const k of COUNTED) f[k] += c[k];
    folders.set(folder, f);
  }
  console.log(line(`[${part}]`, total));
  for (const [file, c, mutants] of perFile) {
    console.log(line(`  ${file}`, c));
    if (!showSurvivors) continue;
    for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
      const at = `${m.location.start.line}:${m.location.start.column}`;
      console.log(`      ${m.status === 'Survived' ? 'S' : 'N'} ${at} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '').slice(0, 90)}`);
    }
  }
}
console.log('\nper folder (all parts on record):');
for (const [folder, c] of [...folders].sort()) console.log(line(folder, c));
