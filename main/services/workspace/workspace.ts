import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DB_FILE = 'langbridge.db';

/**
 * Where the CLI and the server keep their workspace: --workspace DIR, else
 * $LANGBRIDGE_HOME, else the XDG data folder ($XDG_DATA_HOME/langbridge or
 * ~/.local/share/langbridge). The desktop app passes Electron's userData.
 */
export function defaultWorkspaceDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LANGBRIDGE_HOME) return resolve(env.LANGBRIDGE_HOME);
  const xdg = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'langbridge');
}

export interface Workspace {
  dir: string;
  dbPath: string;
  /** Files uploaded through the browser front door, waiting to be imported. */
  uploadsDir: string;
}

export function prepareWorkspace(dir: string): Workspace {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  const uploadsDir = join(abs, 'uploads');
  mkdirSync(uploadsDir, { recursive: true });
  return { dir: abs, dbPath: join(abs, DB_FILE), uploadsDir };
}
