import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { cli, cliPath, requireBuild, root } from './helpers/cli';
import { fixture } from './helpers/importer';
import { tempDir } from './helpers/workspace';

beforeAll(requireBuild);

async function bigFile(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < lines; i++) {
    if (!out.write(`Sentensi ya majaribio namba ${i}: watu wote wamezaliwa huru, hadhi na haki zao ni sawa.\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('an import killed halfway', () => {
  it('leaves a consistent database with nothing of the killed file, and the file imports again', async () => {
    const ws = tempDir();
    const before = cli(['import', fixture('text', 'thai.txt'), '--lang', 'th', '--workspace', ws, '--json']);
    expect(before.status, before.stderr).toBe(0);
    const big = join(tempDir(), 'big.txt');
    await bigFile(big, 120_000); // ~11 MB
    const child = spawn(process.execPath, [cliPath, 'import', big, '--lang', 'sw', '--workspace', ws], {
      cwd: root,
      env: { ...process.env, LANGBRIDGE_PROGRESS_INTERVAL_MS: '20' },
    });
    let seen = 0;
    child.stderr.setEncoding('utf8');
    const killedAt = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (s: string) => {
        for (const m of s.matchAll(/importing (\d+)%/g)) seen = Number(m[1]);
        if (seen >= 30 && child.exitCode === null) {
          child.kill('SIGKILL');
          resolve(seen);
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`the import finished (code ${code}) before it could be killed`));
      });
    });
    await once(child, 'exit').catch(() => undefined);
    expect(killedAt).toBeGreaterThanOrEqual(30);
    expect(killedAt).toBeLessThan(100);

    const db = new Database(join(ws, 'langbridge.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT name FROM sources').all()).toEqual([{ name: 'thai.txt' }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM documents').get()).toEqual({ n: 2 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM documents_fts WHERE documents_fts MATCH '\"majaribio\"'").get()).toEqual({ n: 0 });
    db.close();

    const again = cli(['import', big, '--lang', 'sw', '--workspace', ws, '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ documents: 120_000 });
  }, 120_000);
});
