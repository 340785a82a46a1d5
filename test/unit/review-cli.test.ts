import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, requireBuild } from './helpers/cli';
import { fixture } from './helpers/importer';
import { tempDir } from './helpers/workspace';

describe('langbridge review', () => {
  beforeAll(requireBuild);

  it('creates a queue from a file, lists it, and exports judgements as TSV and JSONL', () => {
    const ws = tempDir();
    const created = cli(['review', 'create', '--from-file', fixture('review', 'en-sw.jsonl'), '--src', 'en', '--tgt', 'sw', '--name', 'Batch 1', '--workspace', ws, '--json']);
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 1, name: 'Batch 1', items: 2, srcLang: 'eng_Latn', tgtLang: 'swh_Latn' });
    const listed = cli(['review', 'queues', '--workspace', ws]);
    expect(listed.stdout).toMatch(/^\s*1\s+Batch 1\s+file\s+eng_Latn→swh_Latn\s+1\s+0\/2/m);

    // Nothing judged yet: an export holds the header only.
    const out = join(ws, 'judgements.tsv');
    const tsv = cli(['review', 'export', '--format', 'tsv', '--queue', '1', '--out', out, '--workspace', ws]);
    expect(tsv.status).toBe(0);
    expect(tsv.stderr).toContain(`wrote 0 judgements to ${out}`);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^queue_id\tqueue\titem\t/);
  });

  it('names the file and line of a malformed translation, and asks for exactly one origin', () => {
    const ws = tempDir();
    const bad = cli(['review', 'create', '--from-file', fixture('review', 'wrong-columns.tsv'), '--src', 'en', '--tgt', 'sw', '--workspace', ws]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^langbridge: line 2 of wrong-columns\.tsv: expected 2 or 3 tab-separated columns/);
    const two = cli(['review', 'create', '--from-file', 'a.tsv', '--from-eval', '1', '--workspace', ws]);
    expect(two.stderr).toMatch(/give exactly one of --from-file/);
  });
});
