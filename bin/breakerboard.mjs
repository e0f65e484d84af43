#!/usr/bin/env node
// Committed launcher (DESIGN §2): loads the built CLI, or says how to build it. Kept tiny so `npx breakerboard`
// never points at a missing file (npx would cache that).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../app/dist/main/cli.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('breakerboard is not built yet: run `npm run build` (npm install does it) in the project folder.\n');
  process.exit(2);
}
const { main } = await import(pathToFileURL(built).href);
const code = await main(process.argv.slice(2));
// Let pending writes flush; long-running commands have already closed their servers.
process.exitCode = code;
