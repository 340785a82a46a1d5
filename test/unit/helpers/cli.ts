import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const cliPath = root + 'bin/langbridge.js';

/** The CLI tests run the built CLI, as a user would; `npm test` builds before the unit stage. */
export function requireBuild(): void {
  if (!existsSync(root + 'out/main/cli.js')) throw new Error('The CLI is not built: run `npm run build` before these tests.');
}

export function cli(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cliPath, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 100_000,
  });
}
