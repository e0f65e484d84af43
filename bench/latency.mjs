// Sequential latency on one keep-alive connection (BENCH.md): N requests one after another, each timed with
// performance.now(); and streaming time-to-first-byte (status line + first chunk). Prints one JSON line.
// URL=..., N=1000, MODE=json|stream
import { Pool } from 'undici';

const url = new URL(process.env.URL);
const n = Number(process.env.N ?? 1000);
const stream = process.env.MODE === 'stream';
const pool = new Pool(url.origin, { connections: 1, pipelining: 1 });
const body = JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }], max_tokens: 16, ...(stream ? { stream: true } : {}) });
const path = `${url.pathname}${url.search}`;
const times = [];
for (let i = 0; i < n + 50; i++) {
  const t0 = performance.now();
  const res = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', 'api-key': 'client' }, body });
  let ttfb = 0;
  for await (const chunk of res.body) {
    if (!ttfb && chunk.length) ttfb = performance.now() - t0;
  }
  const total = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
  if (i >= 50) times.push(stream ? ttfb : total); // the first 50 warm up
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
process.stdout.write(`${JSON.stringify({ p50: q(50), p99: q(99), mean: times.reduce((a, b) => a + b, 0) / times.length })}\n`);
await pool.close();
