import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callNames } from '../../main/api/contract';
import { Langbridge } from '../../main/services/langbridge';
import { countTokens } from '../../main/services/corpus/tokenizer';
import { TOKEN_SAMPLE_CHARS } from '../../main/services/corpus/write-import';
import { fixture } from './helpers/importer';
import { tempDir } from './helpers/workspace';

function open(): Langbridge {
  return new Langbridge(tempDir());
}

describe('corpus services', () => {
  it('imports a file, counts it per language and finds it by search', async () => {
    const lb = open();
    const s = await lb.invoke('corpus:import', { paths: [fixture('text', 'swahili-lines.txt')], lang: 'swh', license: 'CC-BY 4.0' });
    expect(s).toMatchObject({ documents: 3, pairs: 0, skipped: 0, languages: ['swh_Latn'] });
    const stats = await lb.invoke('corpus:stats', {});
    const sw = stats.languages.find((l) => l.code === 'swh_Latn')!;
    expect(sw).toMatchObject({ documents: 3, characters: 54, words: 8, tokensEstimated: false });
    expect(sw.tokens).toBeGreaterThan(7);
    expect(sw.fertility).toBeCloseTo(sw.tokens / 8, 2);
    const sources = await lb.invoke('corpus:sources', {});
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ name: 'swahili-lines.txt', format: 'text', license: 'CC-BY 4.0', languages: ['swh_Latn'] });
    const hits = await lb.invoke('corpus:search', { query: 'vitabu' });
    expect(hits.method).toBe('trigram');
    expect(hits.hits.map((h) => h.text.text)).toEqual(['Ninapenda kusoma vitabu.']);
    expect(hits.hits[0].text.matches).toEqual([[17, 23]]);
    lb.close();
  });

  it('finds substrings in scripts without spaces, and two-character words by scanning', async () => {
    const lb = open();
    await lb.invoke('corpus:import', { paths: [fixture('text', 'thai.txt')], lang: 'th' });
    await lb.invoke('corpus:import', { paths: [fixture('text', 'chinese.txt')], lang: 'zh' });
    const thai = await lb.invoke('corpus:search', { query: 'เกิดมา' });
    expect(thai.hits).toHaveLength(1);
    expect(thai.hits[0].lang).toBe('tha_Thai');
    const zh = await lb.invoke('corpus:search', { query: '自由' });
    expect(zh.method).toBe('scan');
    expect(zh.hits.map((h) => h.lang)).toEqual(['zho_Hans', 'zho_Hans']);
    const onlyThai = await lb.invoke('corpus:search', { query: '自由', lang: 'th' });
    expect(onlyThai.hits).toEqual([]);
    const stats = await lb.invoke('corpus:stats', {});
    // Words in Thai and Chinese come from the ICU word segmenter, not spaces.
    expect(stats.languages.find((l) => l.code === 'tha_Thai')!.words).toBeGreaterThan(10);
    expect(stats.languages.find((l) => l.code === 'zho_Hans')!.words).toBeGreaterThan(10);
    lb.close();
  });

  it('estimates tokens from a sample spread over a large file, and says so', async () => {
    const lb = open();
    const words = ['watu', 'wote', 'wamezaliwa', 'huru', 'hadhi', 'haki', 'sawa', 'akili', 'dhamiri', 'udugu', 'kwa', 'na', 'ni', 'kila', 'mtu'];
    const lines: string[] = [];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // The second half uses longer words, so a sample of the beginning alone would be biased.
    for (let i = 0; i < 8000; i++) {
      const n = 6 + Math.floor(rnd() * 8);
      const ws = Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]);
      lines.push((i < 4000 ? ws : ws.map((w) => w + 'ni')).join(' ') + '.');
    }
    const file = join(tempDir(), 'kubwa.txt');
    writeFileSync(file, lines.join('\n'));
    await lb.invoke('corpus:import', { paths: [file], lang: 'sw' });
    const sw = (await lb.invoke('corpus:stats', {})).languages[0];
    expect(sw.characters).toBeGreaterThan(TOKEN_SAMPLE_CHARS);
    expect(sw.tokensEstimated).toBe(true);
    const exact = lines.reduce((n, l) => n + countTokens(l), 0);
    expect(Math.abs(sw.tokens - exact) / exact).toBeLessThan(0.02);
    lb.close();
  });

  it('refuses a file already in the corpus and adds nothing', async () => {
    const lb = open();
    await lb.invoke('corpus:import', { paths: [fixture('text', 'swahili-lines.txt')], lang: 'sw' });
    const r = await lb.call('corpus:import', { paths: [fixture('text', 'swahili-lines.txt')], lang: 'sw' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('duplicate-source');
      expect(r.error.message).toMatch(/already in the corpus as source #1/);
    }
    expect(await lb.invoke('corpus:sources', {})).toHaveLength(1);
    lb.close();
  });

  it('a failing import leaves no rows and keeps what was there', async () => {
    const lb = open();
    await lb.invoke('corpus:import', { paths: [fixture('text', 'swahili-lines.txt')], lang: 'sw' });
    const bad = join(tempDir(), 'bad.jsonl');
    writeFileSync(bad, '{"text": "sawa"}\n{"text": "mbaya"\n');
    const r = await lb.call('corpus:import', { paths: [bad], lang: 'sw', format: 'jsonl' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/line 2 of bad\.jsonl/);
    const stats = await lb.invoke('corpus:stats', {});
    expect(stats.totals).toMatchObject({ sources: 1, documents: 3 });
    expect(lb.db.prepare('SELECT COUNT(*) AS n FROM documents').get()).toEqual({ n: 3 });
    lb.close();
  });

  it('asks for a language when neither the file nor the user gives one', async () => {
    const lb = open();
    const r = await lb.call('corpus:import', { paths: [fixture('text', 'swahili-lines.txt')] });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    if (!r.ok) expect(r.error.message).toMatch(/language is not given/);
    lb.close();
  });

  it('refuses an empty file with a clear error', async () => {
    const lb = open();
    const empty = join(tempDir(), 'empty.txt');
    writeFileSync(empty, '');
    const r = await lb.call('corpus:import', { paths: [empty], lang: 'sw' });
    expect(r).toMatchObject({ ok: false, error: { code: 'parse-error' } });
    if (!r.ok) expect(r.error.message).toMatch(/empty\.txt holds no text to import/);
    lb.close();
  });

  it('cancels an import: nothing of the file remains', async () => {
    const lb = open();
    const big = join(tempDir(), 'big.txt');
    writeFileSync(big, Array.from({ length: 200_000 }, (_, i) => `Sentensi namba ${i} ya majaribio.`).join('\n'));
    const jobId = 'cancel-me';
    const off = lb.on('jobs:progress', (p) => {
      if (p.jobId === jobId && p.step === 'importing') void lb.invoke('corpus:cancel', { jobId });
    });
    const r = await lb.call('corpus:import', { paths: [big], lang: 'sw', jobId });
    off();
    expect(r).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(lb.db.prepare('SELECT COUNT(*) AS n FROM documents').get()).toEqual({ n: 0 });
    expect(await lb.invoke('corpus:sources', {})).toEqual([]);
    lb.close();
  });

  it('deletes a source and its statistics with it', async () => {
    const lb = open();
    const a = await lb.invoke('corpus:import', { paths: [fixture('text', 'swahili-lines.txt')], lang: 'sw' });
    await lb.invoke('corpus:import', { paths: [fixture('text', 'thai.txt')], lang: 'th' });
    expect(await lb.invoke('corpus:delete-source', { sourceId: a.sourceId })).toEqual({ documents: 3, pairs: 0 });
    const stats = await lb.invoke('corpus:stats', {});
    expect(stats.languages.map((l) => l.code)).toEqual(['tha_Thai']);
    expect((await lb.invoke('corpus:search', { query: 'vitabu' })).hits).toEqual([]);
    const r = await lb.call('corpus:delete-source', { sourceId: 999 });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
    lb.close();
  });

  it('pages documents by language and opens one with its metadata', async () => {
    const lb = open();
    await lb.invoke('corpus:import', { paths: [fixture('text', 'swahili-lines.txt')], lang: 'sw' });
    await lb.invoke('corpus:import', { paths: [fixture('text', 'thai.txt')], lang: 'th' });
    const all = await lb.invoke('corpus:documents', { limit: 2, offset: 0 });
    expect(all.total).toBe(5);
    expect(all.rows).toHaveLength(2);
    const thai = await lb.invoke('corpus:documents', { lang: 'tha_Thai', offset: 1, limit: 10 });
    expect(thai.total).toBe(2);
    expect(thai.rows.map((r) => r.text)).toEqual(['ทุกคนมีสิทธิในการดำรงชีวิต']);
    const d = await lb.invoke('corpus:document', { id: thai.rows[0].id });
    expect(d).toMatchObject({ lang: 'tha_Thai', sourceName: 'thai.txt', ref: 'line 2', direction: 'ltr' });
    lb.close();
  });
});

describe('the embedded UDHR sample', () => {
  it('imports documents per paragraph and pairs aligned by article', async () => {
    const lb = open();
    const r = await lb.invoke('corpus:import-sample', { sample: 'udhr', langs: ['eng', 'quy', 'amh', 'xyz'] });
    expect(r.warnings).toEqual(['The UDHR sample has no text for "xyz".']);
    const docs = Object.fromEntries(r.imported.filter((s) => s.documents).map((s) => [s.languages[0], s.documents]));
    expect(docs).toEqual({ eng_Latn: 60, quy_Latn: 59, amh_Ethi: 50 });
    const stats = await lb.invoke('corpus:stats', {});
    const eng = stats.languages.find((l) => l.code === 'eng_Latn')!;
    // Each pair of languages is aligned on all 31 units (preamble + 30 articles) at least.
    expect(eng.pairsByPartner.quy_Latn).toBeGreaterThanOrEqual(31);
    expect(eng.pairsByPartner.amh_Ethi).toBeGreaterThanOrEqual(30);
    // English is fertile ground for the Qwen tokenizer; Amharic is fragmented far more.
    const amh = stats.languages.find((l) => l.code === 'amh_Ethi')!;
    expect(amh.fertility!).toBeGreaterThan(eng.fertility! * 2);
    // Importing again adds nothing.
    const again = await lb.invoke('corpus:import-sample', { sample: 'udhr', langs: ['eng', 'quy'] });
    expect(again.imported).toEqual([]);
    expect(again.alreadyPresent).toHaveLength(3);
    // Aligned texts appear in a document's detail.
    const first = await lb.invoke('corpus:documents', { lang: 'eng_Latn', limit: 1, offset: 0 });
    const detail = await lb.invoke('corpus:document', { id: first.rows[0].id });
    expect(detail.aligned.map((a) => a.lang).sort()).toEqual(expect.arrayContaining(['quy_Latn']));
    lb.close();
  });
});

describe('the contract', () => {
  it('rejects bad input to every call with a clear error naming the call', async () => {
    const lb = open();
    for (const name of callNames) {
      const r = await lb.call(name, { definitelyNotAField: 1 });
      expect(r.ok, name).toBe(false);
      if (!r.ok) {
        expect(r.error.code, name).toBe('bad-input');
        expect(r.error.message, name).toContain(`Invalid request for ${name}`);
      }
    }
    const unknown = await lb.call('corpus:explode', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const wrongType = await lb.call('corpus:search', { query: 42 });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    if (!wrongType.ok) expect(wrongType.error.message).toMatch(/query/);
    lb.close();
  });
});
