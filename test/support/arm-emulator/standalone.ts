import { startArmEmulator } from './index';

/*
 * The emulator as a process, for UI tests that drive the app against it. Run it through a TypeScript runner or
 * a bundle, e.g.:
 *   npx esbuild test/support/arm-emulator/standalone.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=artifacts/arm-emulator.mjs && node artifacts/arm-emulator.mjs --port 0
 * First stdout line: `arm emulator listening on http://127.0.0.1:PORT`. It seeds subscription/resource group/
 * service from --subscription/--resource-group/--service (defaults below) and stops on SIGTERM/SIGINT.
 */

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};

const emulator = await startArmEmulator({
  port: Number(arg('port', '0')),
  pageSize: Number(arg('page-size', '100')),
  seed: {
    subscription: arg('subscription', '00000000-0000-0000-0000-000000000000'),
    resourceGroup: arg('resource-group', 'rg-ai'),
    service: arg('service', 'my-apim'),
  },
});
const svc = emulator.state.services[0]!;
for (const api of arg('apis', 'azure-openai').split(',').filter(Boolean)) emulator.state.addApi(svc, api, { path: api === 'azure-openai' ? 'openai' : api });
process.stdout.write(`arm emulator listening on ${emulator.url}\n`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
