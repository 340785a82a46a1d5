// Runs after `npm install` in the checkout: builds the app so that
// `npx langbridge` works straight away. Skipped when dev dependencies are absent
// (an installed package, not a checkout).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

if (!existsSync('node_modules/electron-vite') || !existsSync('main')) process.exit(0);
const r = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
