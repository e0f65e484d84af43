import type { Command } from 'commander';
import { parseShortDuration } from '../../../shared/simulation/short-duration';
import { buildTarget, formatLoadReport, formatProgress, runLoad, type LoadKind } from '../../loadgen';
import { CliError, EXIT, json, line, type CliIo } from '../io';

interface LoadFlags {
  requests?: string;
  duration?: string;
  rps?: string;
  concurrency?: string;
  stream?: boolean;
  json?: boolean;
  api: string;
  deployment?: string;
  kind: string;
  maxTokens?: string;
  timeout: string;
}

const usage = (message: string) => new CliError(`error: ${message}`, EXIT.usage);

function positiveNumber(flag: string, text: string | undefined, whole: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) throw usage(`${flag}: must be a ${whole ? 'whole ' : ''}number greater than zero (got "${text}")`);
  return n;
}

function duration(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const r = parseShortDuration(text);
  if (!r.ok) throw usage(`${flag}: ${r.message}`);
  return r.ms;
}

export function registerLoad(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('load')
    .description('load generator: status counts, served-by counts, latency p50/p90/p99, failures')
    .argument('<url>', 'gateway or backend base URL, e.g. http://127.0.0.1:8080')
    .option('--requests <n>', 'stop after this many requests (default 100 when no --duration)')
    .option('--duration <time>', 'stop sending after this long: 500ms, 30s, 2m, PT30S')
    .option('--rps <r>', 'open loop: a fixed arrival rate, latency measured from each due time')
    .option('--concurrency <c>', 'closed loop: requests in flight at once (default 10); with --rps, a cap on in-flight requests')
    .option('--stream', 'streaming chat answers; reports time to first token')
    .option('--json', 'print one JSON document')
    .option('--api <path>', 'API path under the URL when it has none (an apis.<id>.path of the workspace)', 'openai')
    .option('--deployment <name>', 'Azure OpenAI deployment (or model on /v1 paths)')
    .option('--kind <kind>', 'chat or embeddings', 'chat')
    .option('--max-tokens <n>', 'max_tokens of each chat request (default 10)')
    .option('--timeout <time>', 'per request', '60s')
    .action(async (url: string, f: LoadFlags) => {
      let base: URL;
      try {
        base = new URL(url);
        if (!/^https?:$/.test(base.protocol)) throw new Error();
      } catch {
        throw usage(`<url>: "${url}" is not an http(s) URL (example: http://127.0.0.1:8080)`);
      }
      if (f.kind !== 'chat' && f.kind !== 'embeddings') throw usage(`--kind: must be chat or embeddings (got "${f.kind}")`);
      if (f.requests !== undefined && f.duration !== undefined) throw usage('give --requests or --duration, not both');
      if (f.stream && f.kind === 'embeddings') throw usage('--stream applies to chat only');
      const rps = positiveNumber('--rps', f.rps, false);
      const concurrency = positiveNumber('--concurrency', f.concurrency, true);
      const requests = positiveNumber('--requests', f.requests, true);
      const maxTokens = positiveNumber('--max-tokens', f.maxTokens, true);
      const durationMs = duration('--duration', f.duration);
      const timeoutMs = duration('--timeout', f.timeout);
      const target = buildTarget({ url: base.href, api: f.api, deployment: f.deployment, kind: f.kind as LoadKind, stream: f.stream, maxTokens, apiKey: io.env.BREAKERBOARD_GATEWAY_KEY });
      const stop = new AbortController();
      void io.interrupted?.then(() => stop.abort());
      const live = io.isTty && !f.json;
      const report = await runLoad({
        target,
        rps,
        concurrency,
        requests,
        durationMs,
        timeoutMs,
        signal: stop.signal,
        onProgress: live ? (p) => io.stderr(`\r\x1b[K${formatProgress(p)}`) : undefined,
      });
      if (live) io.stderr('\r\x1b[K');
      if (f.json) json(io, { url: target.url, ...report });
      else for (const l of formatLoadReport(report)) line(io, l);
      // Nothing answered at all: the URL is wrong or nothing listens there.
      const answered = Object.keys(report.statusCounts).length > 0;
      if (!answered && report.completed > 0 && !report.interrupted) {
        if (!f.json) io.stderr(`error: ${url}: no request got an answer (${Object.keys(report.errors).join(', ')}); is the gateway or simulator running there?\n`);
        return done(EXIT.input);
      }
      done(EXIT.ok);
    });
}
