#!/usr/bin/env node
// The terminal front door. The CLI is built with the app (`npm run build`,
// which `npm install` runs in a checkout).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('langbridge: the CLI is not built yet; run `npm run build` in the Langbridge folder first.');
  process.exit(1);
}
await import(cli);
