import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, requireBuild } from './helpers/cli';
import { fixture } from './helpers/importer';
import { tempDir } from './helpers/workspace';

beforeAll(requireBuild);

function json(r: { stdout: string; stderr: string; status: number | null }) {
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('langbridge CLI', () => {
  it('imports, lists, counts, searches and deletes with --json', () => {
    const ws = tempDir();
    const imp = json(cli(['import', fixture('text', 'swahili-lines.txt'), '--lang', 'sw', '--license', 'CC0', '--workspace', ws, '--json']));
    expect(imp).toMatchObject({ sourceId: 1, documents: 3, pairs: 0, skipped: 0 });
    const stats = json(cli(['stats', '--workspace', ws, '--json']));
    expect(stats.languages).toEqual([
      expect.objectContaining({ code: 'swh_Latn', documents: 3, pairs: 0, characters: 54, words: 8, tokens: expect.any(Number) }),
    ]);
    const sources = json(cli(['sources', '--workspace', ws, '--json']));
    expect(sources[0]).toMatchObject({ id: 1, name: 'swahili-lines.txt', license: 'CC0' });
    const found = json(cli(['search', 'asubuhi', '--workspace', ws, '--json']));
    expect(found.hits[0].text.text).toBe('Habari ya asubuhi.');
    expect(json(cli(['delete-source', '1', '--workspace', ws, '--json']))).toEqual({ documents: 3, pairs: 0 });
    expect(json(cli(['stats', '--workspace', ws, '--json'])).languages).toEqual([]);
  });

  it('takes the workspace from LANGBRIDGE_HOME', () => {
    const ws = tempDir();
    json(cli(['import', fixture('text', 'thai.txt'), '--lang', 'th', '--json'], { LANGBRIDGE_HOME: ws }));
    const stats = json(cli(['stats', '--workspace', ws, '--json']));
    expect(stats.languages.map((l: { code: string }) => l.code)).toEqual(['tha_Thai']);
  });

  it('imports a Moses pair given as two paths', () => {
    const ws = tempDir();
    const dir = tempDir();
    writeFileSync(join(dir, 'Bible.en-sw.en'), 'In the beginning\nAnd God said\n');
    writeFileSync(join(dir, 'Bible.en-sw.sw'), 'Hapo mwanzo\nMungu akasema\n');
    const r = json(cli(['import', join(dir, 'Bible.en-sw.en'), join(dir, 'Bible.en-sw.sw'), '--workspace', ws, '--json']));
    expect(r).toMatchObject({ pairs: 2, documents: 0, format: 'moses' });
    const stats = json(cli(['stats', '--workspace', ws, '--json']));
    expect(stats.languages.find((l: { code: string }) => l.code === 'eng_Latn').pairsByPartner).toEqual({ swh_Latn: 2 });
  });

  it('fails with one line on stderr and a non-zero exit code', () => {
    const ws = tempDir();
    const missing = cli(['import', '/no/such/file.txt', '--lang', 'sw', '--workspace', ws]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toEqual(['langbridge: No such file or folder: /no/such/file.txt']);
    cli(['import', fixture('text', 'thai.txt'), '--lang', 'th', '--workspace', ws]);
    const dup = cli(['import', fixture('text', 'thai.txt'), '--lang', 'th', '--workspace', ws]);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/already in the corpus as source #1/);
    const badId = cli(['delete-source', 'abc', '--workspace', ws]);
    expect(badId.status).toBe(1);
    expect(badId.stderr).toMatch(/not a source id/);
  });

  it('has --help for every command', () => {
    for (const cmd of ['import', 'sources', 'stats', 'search', 'delete-source', 'serve']) {
      const r = cli([cmd, '--help']);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/--workspace/);
    }
    expect(cli(['--help']).stdout).toMatch(/import[\s\S]*stats[\s\S]*serve/);
  });

  it('imports the UDHR sample for chosen languages', () => {
    const ws = tempDir();
    const r = json(cli(['import', '--sample', 'udhr', '--langs', 'eng,quy', '--workspace', ws, '--json']));
    expect(r).toMatchObject({ documents: 60 + 59, skipped: 0 });
    expect(r.pairs).toBeGreaterThanOrEqual(31);
  });
});
