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

describe('two processes on one workspace', () => {
  it('lets a reader read during an import, and tells a second writer the workspace is busy', async () => {
    const ws = tempDir();
    expect(cli(['import', fixture('text', 'thai.txt'), '--lang', 'th', '--workspace', ws]).status).toBe(0);
    const big = join(tempDir(), 'big.txt');
    const out = createWriteStream(big);
    for (let i = 0; i < 60_000; i++) out.write(`Mstari wa majaribio namba ${i} kwa ajili ya kusoma na kuandika.\n`);
    out.end();
    await once(out, 'finish');
    const importer = spawn(process.execPath, [cliPath, 'import', big, '--lang', 'sw', '--workspace', ws], {
      cwd: root,
      env: { ...process.env, LANGBRIDGE_PROGRESS_INTERVAL_MS: '20' },
    });
    importer.stderr.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      importer.stderr.on('data', (s: string) => {
        if (/importing [1-9]\d*%/.test(s)) resolve();
      });
      importer.on('exit', () => reject(new Error('the import ended before the test could overlap it')));
    });
    // A reader is never blocked by the writer (WAL).
    const stats = cli(['stats', '--workspace', ws, '--json'], { LANGBRIDGE_BUSY_TIMEOUT_MS: '300' });
    expect(stats.status, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout).languages.map((l: { code: string }) => l.code)).toEqual(['tha_Thai']);
    // A second writer waits for the busy timeout, then gets a clear sentence.
    const writer = cli(['delete-source', '1', '--workspace', ws], { LANGBRIDGE_BUSY_TIMEOUT_MS: '300' });
    expect(writer.status).toBe(1);
    expect(writer.stderr).toMatch(/workspace is busy/);
    const [code] = (await once(importer, 'exit')) as [number];
    expect(code).toBe(0);
    const db = new Database(join(ws, 'langbridge.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT COUNT(*) AS n FROM documents').get()).toEqual({ n: 60_002 });
    db.close();
  }, 120_000);
});
