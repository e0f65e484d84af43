import type { Command } from 'commander';
import { checkEndpoint, DEFAULT_ENDPOINT, signInCredential } from '../../apim';
import { filteredIo, runDeploy, terminalSignIn } from '../deploy-support';
import { discoverAccounts } from '../../openai-accounts';
import { CliError, EXIT, type CliIo } from '../io';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

interface DiscoverFlags {
  subscription: string[];
  endpoint?: string;
  tenant?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `discover` (DESIGN §6): Azure OpenAI / AI Foundry accounts and deployments, signed in as for deploy. */
export function registerDiscover(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('discover')
    .description('list Azure OpenAI / AI Foundry accounts and their deployments (model, SKU, capacity)')
    .option('--subscription <id>', 'a subscription to read (repeat for several; default: every one the sign-in sees)', collect, [])
    .option('--endpoint <url>', 'ARM endpoint (sovereign clouds, tests); plain http only for loopback hosts')
    .option('--tenant <id>', 'Microsoft Entra tenant to sign in to')
    .option('--json', 'print one JSON document')
    .action(async (flags: DiscoverFlags) => {
      const say = filteredIo(io, () => (t) => t);
      await runDeploy(() => (t) => t, async () => {
        const bad = flags.subscription.find((s) => !GUID.test(s));
        if (bad !== undefined) throw new CliError(`error: --subscription: "${bad}" is not a subscription id (a GUID)`, EXIT.input);
        const endpoint = checkEndpoint(flags.endpoint ?? DEFAULT_ENDPOINT).origin;
        const credential = signInCredential(terminalSignIn(io, flags.tenant));
        const result = await discoverAccounts({ credential, endpoint, subscriptions: flags.subscription.length > 0 ? flags.subscription : undefined });
        if (flags.json) {
          say.json({ accounts: result.accounts, ...(result.problems.length > 0 ? { problems: result.problems } : {}) });
        } else {
          for (const a of result.accounts) {
            say.out(`${a.name} (${a.region}, ${a.kind}) ${a.endpoint}`);
            if (a.deployments.length === 0) say.out('  no deployments');
            for (const d of a.deployments) {
              const rate = d.tokensPerMinute !== null ? `${d.tokensPerMinute} TPM` : d.capacity !== null ? `${d.capacity} PTU` : 'capacity unknown';
              say.out(`  ${d.name}: ${d.model} ${d.version}, ${d.sku}, ${rate}${d.requestsPerMinute !== null ? `, ${d.requestsPerMinute} RPM` : ''}`);
            }
          }
          if (result.accounts.length === 0) say.out('no Azure OpenAI or AI Foundry accounts found');
          for (const p of result.problems) say.err(`warning: ${p}`);
        }
        done(EXIT.ok);
      });
    });
}
