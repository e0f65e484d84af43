import type { Command } from 'commander';
import { REGION_EMISSIONS } from '../../../shared/model/schema';
import { CliError, EXIT, json, line, type CliIo } from '../io';

const VALUES = [...REGION_EMISSIONS, 'clear'] as const;

/**
 * `carbon <gateway-url> <region> <VeryLow|Low|Medium|High|VeryHigh|NotAvailable|clear>`: a region's current carbon
 * emission on a running gateway, the rehearsal of what APIM reads from Azure (docs/apim-fidelity.md F-ROUTE-7);
 * `clear` goes back to the workspace's `gateway.carbonEmission`.
 */
export function registerCarbon(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('carbon')
    .description("set an Azure region's carbon emission on a running gateway (carbon-aware pools: preferredCarbonEmission)")
    .argument('<url>', 'gateway URL, e.g. http://127.0.0.1:8080')
    .argument('<region>', 'Azure region as in the backends\' azureRegion, e.g. westeurope')
    .argument('<emission>', VALUES.join('|'))
    .option('--json', 'print one JSON document')
    .action(async (url: string, region: string, emission: string, f: { json?: boolean }) => {
      if (!(VALUES as readonly string[]).includes(emission)) throw new CliError(`error: <emission>: must be one of ${VALUES.join(', ')}`, EXIT.usage);
      let base: URL;
      try {
        base = new URL(url);
      } catch {
        throw new CliError(`error: <url>: "${url}" is not a URL (example: http://127.0.0.1:8080)`, EXIT.usage);
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (io.env.BREAKERBOARD_GATEWAY_KEY) headers['api-key'] = io.env.BREAKERBOARD_GATEWAY_KEY;
      const clear = emission === 'clear';
      let res: Response;
      try {
        res = await fetch(`${base.origin}/_breakerboard/carbon/${encodeURIComponent(region)}`, {
          method: clear ? 'DELETE' : 'PUT',
          headers,
          body: clear ? undefined : JSON.stringify({ emission }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (e) {
        const code = (e as { cause?: { code?: string } }).cause?.code;
        throw new CliError(`error: ${url}: cannot connect${code ? ` (${code})` : ''}; is \`breakerboard gateway\` running there?`);
      }
      const body = (await res.json().catch(() => ({}))) as { emission?: string | null; source?: string; error?: { message?: string } };
      if (!res.ok) throw new CliError(`error: ${region}: ${body.error?.message ?? `gateway answered ${res.status}`}`);
      if (f.json) json(io, body);
      else line(io, `carbon emission of ${region}: ${body.emission ?? 'none'}${body.source === 'workspace' ? " (the workspace's value)" : ''}`);
      done(EXIT.ok);
    });
}
