import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The URL of a built worker entry (out/main/<name>.js), or null when running
 * from TypeScript sources (unit tests), where callers do the work inline.
 * The bundler may put the calling module in out/main/chunks/, so the entry is
 * looked for beside the module and one folder up.
 */
export function builtWorkerUrl(name: string, moduleUrl: string): URL | null {
  for (const rel of [`./${name}`, `../${name}`]) {
    const url = new URL(rel, moduleUrl);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return null;
}
