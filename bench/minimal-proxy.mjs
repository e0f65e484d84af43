// The "minimal careful Node proxy" of BENCH.md, for comparison: node:http server + undici Pool.stream, hop-by-hop
// headers stripped, no features. UPSTREAM=http://127.0.0.1:PORT. Prints its port as one JSON line.
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { Pool } from 'undici';

const HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);
const upstream = new URL(process.env.UPSTREAM);
const pool = new Pool(upstream.origin, { pipelining: 1, keepAliveTimeout: 30_000 });

const clean = (headers) => {
  const out = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP.has(k)) out[k] = v;
  return out;
};

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const ac = new AbortController();
  res.on('close', () => !res.writableFinished && ac.abort());
  pool.stream(
    { path: req.url, method: req.method, headers: clean(req.headers), body: req, signal: ac.signal },
    ({ statusCode, headers }) => {
      res.writeHead(statusCode, clean(headers));
      return new Writable({ write: (chunk, _e, cb) => (res.write(chunk) ? cb() : res.once('drain', cb)), final: (cb) => (res.end(), cb()) });
    },
    (err) => {
      if (!err) return;
      if (!res.headersSent) {
        res.writeHead(502);
        res.end();
      } else res.destroy();
    },
  );
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on('SIGTERM', () => process.exit(0));
