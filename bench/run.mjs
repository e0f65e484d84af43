// `npm run bench` (BENCH.md): loopback, one trivial mock backend, the load generator (autocannon) in its own
// process, contenders interleaved round by round: direct to the mock, through the Breakerboard gateway (all
// features on), through a minimal undici proxy, and through nginx proxy_pass when /usr/sbin/nginx exists.
// Reports req/s as ratios, added latency p50/p99 (1,000 sequential requests on one keep-alive connection),
// streaming time-to-first-byte overhead, and the gateway's RSS before/after a bounded number of requests.
//
//   node bench/run.mjs [--quick] [--rounds 2] [--duration 5] [--connections 10] [--latency-requests 1000]
//                      [--rss-requests 1000000] [--json]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startNginx } from './nginx.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('usage: node bench/run.mjs [--quick] [--rounds N] [--duration S] [--connections C] [--latency-requests N] [--rss-requests N] [--json]\n');
  process.exit(0);
}
const quick = args.includes('--quick');
const opts = {
  rounds: flag('rounds', quick ? 1 : 2),
  duration: flag('duration', quick ? 2 : 5),
  connections: flag('connections', 10),
  latencyRequests: flag('latency-requests', quick ? 300 : 1000),
  rssRequests: flag('rss-requests', quick ? 20_000 : 1_000_000),
};
const children = [];
const log = (t) => process.stderr.write(`${t}\n`);

/** Starts `node <script>` with env, resolves with the first JSON line it prints. */
function startChild(script, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve({ child, ...JSON.parse(buf.slice(0, nl)) });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** Runs a node script to completion and parses its stdout as JSON. */
function runJson(argv, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${argv.join(' ')} exited with ${code}`))));
  });
}

const BODY = JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }], max_tokens: 16 });
const autocannon = (url, extra) =>
  runJson([join(root, 'node_modules/autocannon/autocannon.js'), '-c', String(opts.connections), '-m', 'POST', '-H', 'content-type=application/json', '-H', 'api-key=client', '-b', BODY, '-j', ...extra, url]);

// Vite's `?raw` imports (the built-in demo YAML) as text, so esbuild can bundle what electron-vite builds.
const rawImports = {
  name: 'raw',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (a) => ({ path: join(a.resolveDir, a.path.slice(0, -4)), namespace: 'raw' }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, (a) => ({ contents: readFileSync(a.path, 'utf8'), loader: 'text' }));
  },
};

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function main() {
  const cache = join(root, 'node_modules/.cache/breakerboard-bench');
  mkdirSync(cache, { recursive: true });
  const bundle = join(cache, 'gateway.mjs');
  await build({ entryPoints: [join(root, 'main/gateway/index.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, packages: 'external', logLevel: 'error', plugins: [rawImports] });

  const mock = await startChild(join(root, 'bench/mock-backend.mjs'), {});
  const upstream = `http://127.0.0.1:${mock.port}`;
  const gateway = await startChild(join(root, 'bench/gateway-child.mjs'), { BUNDLE: bundle, UPSTREAM: upstream });
  const minimal = await startChild(join(root, 'bench/minimal-proxy.mjs'), { UPSTREAM: upstream });
  const path = '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21';
  const contenders = [
    { name: 'direct', label: 'direct to the mock', url: `${upstream}${path}` },
    { name: 'gateway', label: 'Breakerboard gateway (all features on)', url: `http://127.0.0.1:${gateway.port}${path}` },
    { name: 'minimal', label: 'minimal Node proxy (node:http + undici Pool.stream)', url: `http://127.0.0.1:${minimal.port}${path}` },
  ];
  const nginx = existsSync('/usr/sbin/nginx') ? await startNginx(mock.port, cache) : null;
  if (nginx) children.push(nginx.child);
  if (nginx) contenders.push({ name: 'nginx', label: `nginx proxy_pass, upstream keepalive (${nginx.version})`, url: `http://127.0.0.1:${nginx.port}${path}` });
  else log('nginx: /usr/sbin/nginx not found, skipped (apt-get install nginx to compare)');

  log(`warm-up (${contenders.map((c) => c.name).join(', ')})`);
  for (const c of contenders) await autocannon(c.url, ['-d', '1']);

  for (const c of contenders) c.rps = [];
  for (let r = 0; r < opts.rounds; r++) {
    for (const c of contenders) {
      const res = await autocannon(c.url, ['-d', String(opts.duration)]);
      if (res.non2xx || res.errors) log(`warning: ${c.name}: ${res.non2xx} non-2xx, ${res.errors} errors`);
      c.rps.push(res.requests.average);
      log(`round ${r + 1}/${opts.rounds} ${c.name}: ${Math.round(res.requests.average)} req/s`);
    }
  }
  for (const c of contenders) {
    c.latency = await runJson([join(root, 'bench/latency.mjs')], { URL: c.url, N: String(opts.latencyRequests) });
    c.ttfb = await runJson([join(root, 'bench/latency.mjs')], { URL: c.url, N: String(Math.min(opts.latencyRequests, 500)), MODE: 'stream' });
    log(`latency ${c.name}: p50 ${c.latency.p50.toFixed(3)} ms, p99 ${c.latency.p99.toFixed(3)} ms, stream TTFB p50 ${c.ttfb.p50.toFixed(3)} ms`);
  }

  const rssBefore = rssMb(gateway.pid);
  log(`RSS: ${opts.rssRequests} requests through the gateway…`);
  await autocannon(contenders[1].url, ['-a', String(opts.rssRequests)]);
  const rssAfter = rssMb(gateway.pid);

  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const direct = contenders[0];
  const ref = contenders.find((c) => c.name === 'nginx');
  const minimalC = contenders.find((c) => c.name === 'minimal');
  const rows = contenders.map((c) => ({
    contender: c.label,
    rps: Math.round(mean(c.rps)),
    xDirect: mean(c.rps) / mean(direct.rps),
    xNginx: ref ? mean(c.rps) / mean(ref.rps) : null,
    xMinimal: mean(c.rps) / mean(minimalC.rps),
    addedP50: c.latency.p50 - direct.latency.p50,
    addedP99: c.latency.p99 - direct.latency.p99,
    addedTtfbP50: c.ttfb.p50 - direct.ttfb.p50,
  }));
  const result = { opts, node: process.version, rows, rss: { requests: opts.rssRequests, beforeMb: rssBefore, afterMb: rssAfter, growthMb: rssAfter - rssBefore } };
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(table(result));
}

function table({ opts: o, node, rows, rss }) {
  const f = (x, d = 2) => (x === null ? '–' : x.toFixed(d));
  const ms = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(3)} ms`;
  const lines = [
    `Breakerboard gateway benchmark — node ${node}, ${o.connections} connections, ${o.rounds} × ${o.duration} s interleaved rounds; latency over ${o.latencyRequests} sequential requests`,
    '',
    '| contender | req/s | × direct | × nginx | × minimal proxy | added p50 | added p99 | added stream TTFB p50 |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map((r) => `| ${r.contender} | ${r.rps} | ${f(r.xDirect)} | ${f(r.xNginx)} | ${f(r.xMinimal)} | ${ms(r.addedP50)} | ${ms(r.addedP99)} | ${ms(r.addedTtfbP50)} |`),
    '',
    `Gateway RSS: ${rss.beforeMb.toFixed(1)} MB before, ${rss.afterMb.toFixed(1)} MB after ${rss.requests.toLocaleString('en')} requests (${rss.growthMb >= 0 ? '+' : ''}${rss.growthMb.toFixed(1)} MB)`,
    '',
  ];
  return lines.join('\n');
}

const stopChildren = () => {
  for (const c of children) c.kill('SIGTERM');
};
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    stopChildren();
    process.exit(130);
  });
}
try {
  await main();
} finally {
  stopChildren();
}
