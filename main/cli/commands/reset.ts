import type { Command } from 'commander';
import { CliError, EXIT, json, line, type CliIo } from '../io';

/** `reset <gateway-url> <backend>`: closes a backend's breaker by hand on a running gateway (DESIGN §2). */
export function registerReset(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('reset')
    .description("close a backend's circuit breaker by hand on a running gateway")
    .argument('<url>', 'gateway URL, e.g. http://127.0.0.1:8080')
    .argument('<backend>', 'backend id')
    .option('--json', 'print one JSON document')
    .action(async (url: string, backend: string, f: { json?: boolean }) => {
      let base: URL;
      try {
        base = new URL(url);
      } catch {
        throw new CliError(`error: <url>: "${url}" is not a URL (example: http://127.0.0.1:8080)`, EXIT.usage);
      }
      const headers: Record<string, string> = {};
      if (io.env.BREAKERBOARD_GATEWAY_KEY) headers['api-key'] = io.env.BREAKERBOARD_GATEWAY_KEY;
      let res: Response;
      try {
        res = await fetch(`${base.origin}/_breakerboard/backends/${encodeURIComponent(backend)}/reset`, { method: 'POST', headers, signal: AbortSignal.timeout(10_000) });
      } catch (e) {
        const code = (e as { cause?: { code?: string } }).cause?.code;
        throw new CliError(`error: ${url}: cannot connect${code ? ` (${code})` : ''}; is \`breakerboard gateway\` running there?`);
      }
      const text = await res.text();
      let body: { error?: { message?: string } } = {};
      try {
        body = JSON.parse(text);
      } catch {
        /* reported below */
      }
      if (!res.ok) throw new CliError(`error: ${backend}: ${body.error?.message ?? `gateway answered ${res.status}`}`);
      if (f.json) json(io, body);
      else line(io, `reset ${backend}: closed`);
      done(EXIT.ok);
    });
}
