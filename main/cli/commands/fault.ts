import type { Command } from 'commander';
import { FAULT_TYPES, faultSpecSchema } from '../../../shared/simulation/faults';
import { CliError, EXIT, json, line, type CliIo } from '../io';

interface FaultFlags {
  retryAfter?: string;
  rate?: string;
  factor?: string;
  status?: string;
  json?: boolean;
}

const usage = (message: string) => new CliError(`error: ${message}`, EXIT.usage);

/** Flags → the fault body; a flag that does not belong to the type is a usage error, not silently dropped. */
function faultBody(type: string, f: FaultFlags): Record<string, unknown> {
  const body: Record<string, unknown> = { type };
  const take = (flag: string, value: string | undefined, key: string, only: string) => {
    if (value === undefined) return;
    if (type !== only) throw usage(`${flag} applies to ${only} only`);
    body[key] = Number(value);
  };
  take('--retry-after', f.retryAfter, 'retryAfter', 'throttle');
  take('--rate', f.rate, 'rate', 'errors');
  take('--factor', f.factor, 'factor', 'slow');
  take('--status', f.status, 'status', 'errors');
  const parsed = faultSpecSchema.safeParse(body);
  if (!parsed.success) {
    const iss = parsed.error.issues[0]!;
    const flag = { retryAfter: '--retry-after', rate: '--rate', factor: '--factor', status: '--status' }[String(iss.path[0])] ?? String(iss.path[0] ?? 'type');
    throw usage(`${flag}: ${iss.message}`);
  }
  return body;
}

export function registerFault(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('fault')
    .description('switch a simulated backend\'s fault on a running gateway --simulate (or simulate)')
    .argument('<url>', 'gateway URL (or the fault control URL that simulate prints)')
    .argument('<backend>', 'backend id')
    .argument('<type>', `${FAULT_TYPES.join('|')}|clear`)
    .option('--retry-after <n>', 'throttle: Retry-After seconds (default 30)')
    .option('--rate <r>', 'errors: share of requests that fail, 0-1 (default 1)')
    .option('--factor <k>', 'slow: latency multiplier (default 10)')
    .option('--status <code>', 'errors: 500 or 503 (default: either)')
    .option('--json', 'print one JSON document')
    .action(async (url: string, backend: string, type: string, f: FaultFlags) => {
      if (type !== 'clear' && !(FAULT_TYPES as readonly string[]).includes(type)) throw usage(`<type>: must be one of ${FAULT_TYPES.join(', ')}, clear (got "${type}")`);
      if (type === 'clear' && (f.retryAfter ?? f.rate ?? f.factor ?? f.status) !== undefined) throw usage('clear takes no options');
      let base: URL;
      try {
        base = new URL(url);
      } catch {
        throw usage(`<url>: "${url}" is not a URL (example: http://127.0.0.1:8080)`);
      }
      const body = type === 'clear' ? undefined : faultBody(type, f);
      const endpoint = `${base.origin}/_breakerboard/simulation/${encodeURIComponent(backend)}/fault`;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (io.env.BREAKERBOARD_GATEWAY_KEY) headers['api-key'] = io.env.BREAKERBOARD_GATEWAY_KEY;
      let res: Response;
      try {
        res = await fetch(endpoint, { method: body ? 'POST' : 'DELETE', headers, body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(10_000) });
      } catch (e) {
        const code = (e as { cause?: { code?: string } }).cause?.code;
        throw new CliError(`error: ${url}: cannot connect${code ? ` (${code})` : ''}; is \`gateway --simulate\` or \`simulate\` running there?`);
      }
      const text = await res.text();
      let answer: { fault?: unknown; error?: { message?: string } } = {};
      try {
        answer = JSON.parse(text);
      } catch {
        /* reported below */
      }
      if (!res.ok) {
        const why = answer.error?.message ?? (res.status === 404 ? 'no simulation endpoint here (is the gateway running with --simulate?)' : text.slice(0, 200));
        throw new CliError(`error: ${backend}: ${why} (HTTP ${res.status})`);
      }
      if (f.json) json(io, { backend, fault: answer.fault ?? null });
      else line(io, body ? `${backend}: ${type}${Object.entries(answer.fault ?? body).filter(([k]) => k !== 'type').map(([k, v]) => ` ${k}=${v}`).join('')}` : `${backend}: cleared`);
      done(EXIT.ok);
    });
}
