// Runs the Breakerboard gateway (bundled from main/gateway by run.mjs) in its own process, with all its features
// on: pool of two members, breakers, retry with body buffering, api-key credentials, metrics, usage parsing.
// BUNDLE=<path of the bundle>, UPSTREAM=http://127.0.0.1:PORT. Prints its port and pid as one JSON line.
const { startGateway } = await import(process.env.BUNDLE);

const rule = { rules: [{ name: 'bench', failureCondition: { count: 5, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }, { min: 500, max: 599 }], errorReasons: ['Server errors'] }, tripDuration: 'PT1M', acceptRetryAfter: true }] };
const url = `${process.env.UPSTREAM}/openai`;
const workspace = {
  version: 1,
  backends: {
    'mock-a': { url, auth: { type: 'api-key', secret: 'bench-key' }, circuitBreaker: rule },
    'mock-b': { url, auth: { type: 'api-key', secret: 'bench-key' }, circuitBreaker: rule },
  },
  pools: { pool: { services: [{ backend: 'mock-a', priority: 1, weight: 3 }, { backend: 'mock-b', priority: 1, weight: 1 }] } },
  // stream: chunks pass through as they come (buffer-response="false"), so stream TTFB measures the proxy, not the hold.
  apis: { 'azure-openai': { path: 'openai', backend: 'pool', retry: { count: 1, on: [429, 503] }, stream: true } },
};
const gw = await startGateway({ workspace, port: 0, secrets: { get: () => 'bench-secret' } });
// Subscribers as the UI would have them, so events and snapshots are part of the cost.
gw.subscribe(() => undefined);
gw.onSnapshot(() => undefined);
process.stdout.write(`${JSON.stringify({ port: gw.port, pid: process.pid })}\n`);
process.on('SIGTERM', () => gw.close().then(() => process.exit(0)));
