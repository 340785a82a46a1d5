import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, requireBuild, root } from './helpers/cli';
import { tempDir } from './helpers/workspace';

beforeAll(requireBuild);

const F = join(root, 'test/fixtures/metrics');
const expected = JSON.parse(readFileSync(join(F, 'expected.json'), 'utf8'));
const sacrebleu = (id: string) => expected.cases.find((c: { id: string }) => c.id === id).expected;

function json(args: string[]) {
  const r = cli(['score', ...args, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('langbridge score', () => {
  it('prints corpus BLEU with its details and signature, as sacrebleu computes them', () => {
    const r = json(['--hyp', join(F, 'eng.hyp.txt'), '--ref', join(F, 'eng.ref.txt'), '--ref', join(F, 'eng.ref2.txt')]);
    const want = sacrebleu('eng corpus BLEU tok:13a');
    expect(r.score).toBeCloseTo(want.score, 9);
    expect(r).toMatchObject({ signature: want.signature, counts: want.counts, totals: want.totals, sys_len: want.sysLen, ref_len: want.refLen });
    const intl = json(['--metric', 'bleu', '--tokenize', 'intl', '--hyp', join(F, 'rus.hyp.txt'), '--ref', join(F, 'rus.ref.txt'), join(F, 'rus.ref2.txt')]);
    expect(intl.score).toBeCloseTo(sacrebleu('rus corpus BLEU tok:intl').score, 9);
  });

  it('prints chrF++ as a sacrebleu-style line, and per-line scores with --sentence', () => {
    const r = cli(['score', '--metric', 'chrf++', '--hyp', join(F, 'hin.hyp.txt'), '--ref', join(F, 'hin.ref.txt'), join(F, 'hin.ref2.txt')]);
    expect(r.status, r.stderr).toBe(0);
    const want = sacrebleu('hin corpus chrF++');
    expect(r.stdout.trim()).toBe(`chrF2++|${want.signature} = ${want.score.toFixed(2)}`);
    const lines = json(['--metric', 'chrf', '--sentence', '--hyp', join(F, 'kor.hyp.txt'), '--ref', join(F, 'kor.ref.txt')]);
    const seg = sacrebleu('kor sentence chrF');
    expect(lines.map((l: { score: number }) => l.score)).toEqual(seg.scores.map((s: number) => expect.closeTo(s, 9)));
  });

  it('reads CRLF files and a file without a final newline like their LF twins', () => {
    const d = tempDir();
    const lf = readFileSync(join(F, 'tur.hyp.txt'), 'utf8');
    writeFileSync(join(d, 'crlf.txt'), lf.replace(/\n/g, '\r\n'));
    writeFileSync(join(d, 'bare.txt'), lf.slice(0, -1));
    const ref = join(F, 'tur.ref.txt');
    const base = json(['--hyp', join(F, 'tur.hyp.txt'), '--ref', ref, '--lowercase']);
    expect(base.score).toBeCloseTo(sacrebleu('tur corpus BLEU lowercase tok:13a').score, 9);
    expect(json(['--hyp', join(d, 'crlf.txt'), '--ref', ref, '--lowercase']).score).toBe(base.score);
    expect(json(['--hyp', join(d, 'bare.txt'), '--ref', ref, '--lowercase']).score).toBe(base.score);
  });

  it('names the files and their line counts when they do not line up, and a missing or broken file', () => {
    const mismatch = cli(['score', '--hyp', join(F, 'eng.hyp.txt'), '--ref', join(F, 'kat.ref.txt')]);
    expect(mismatch.status).toBe(1);
    expect(mismatch.stderr.trim()).toMatch(/^langbridge: .*eng\.hyp\.txt has 6 lines but .*kat\.ref\.txt has 3/);
    const missing = cli(['score', '--hyp', join(F, 'no-such.txt'), '--ref', join(F, 'kat.ref.txt')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe(`langbridge: No such file: ${join(F, 'no-such.txt')}`);
    const d = tempDir();
    writeFileSync(join(d, 'bad.txt'), Buffer.concat([Buffer.from('fine\nbroken \xff here\n', 'latin1')]));
    const bad = cli(['score', '--hyp', join(d, 'bad.txt'), '--ref', join(d, 'bad.txt')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe(`langbridge: line 2 of ${join(d, 'bad.txt')}: not valid UTF-8 text`);
  });
});
