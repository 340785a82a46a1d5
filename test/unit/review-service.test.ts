import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Langbridge } from '../../main/services/langbridge';
import { countTokens } from '../../main/services/corpus/tokenizer';
import { meanWithInterval, studentTQuantile } from '../../main/services/review/student-t';
import { fixture } from './helpers/importer';
import { tempDir } from './helpers/workspace';

const review = (name: string) => fixture('review', name);

function open(): Langbridge {
  return new Langbridge(tempDir());
}

async function fileQueue(lb: Langbridge, name = 'en-sw.tsv') {
  return lb.invoke('review:create-queue', { from: { kind: 'file', path: review(name), srcLang: 'en', tgtLang: 'sw' } });
}

/** Two evaluation runs (two systems) translating the same items, inserted as the evaluation service stores them. */
function insertEvalRuns(lb: Langbridge, n: number): void {
  const run = lb.db.prepare(
    "INSERT INTO eval_runs (id, model_ref, model_label, items_hash, items_digest, benchmarks, config, status) VALUES (?, ?, ?, ?, 'd', '[\"flores\"]', '{}', 'succeeded')",
  );
  run.run(1, 'tiny', 'base model', 'h1');
  run.run(2, 'run:7', 'trained model', 'h2');
  const item = lb.db.prepare(
    `INSERT INTO eval_items (run_id, item_id, benchmark, subset, src_lang, tgt_lang, source, reference, hypothesis, score, correct, meta)
     VALUES (?, ?, 'flores', 'eng_Latn-swh_Latn', 'eng_Latn', 'swh_Latn', ?, ?, ?, ?, NULL, '{}')`,
  );
  for (let i = 1; i <= n; i++) {
    item.run(1, `flores:devtest:${i}`, `Sentence ${i}.`, `Sentensi ${i}.`, `base output ${i}`, 10);
    item.run(2, `flores:devtest:${i}`, `Sentence ${i}.`, `Sentensi ${i}.`, `trained output ${i}`, 20);
  }
  // A multiple-choice item has nothing to review and stays out.
  lb.db.prepare("INSERT INTO eval_items (run_id, item_id, benchmark, subset, src_lang, source, correct) VALUES (1, 'belebele:1', 'belebele', 'swh_Latn', 'swh_Latn', 'P: ...', 1)").run();
}

describe('review queues', () => {
  it('builds a queue from a TSV file, skipping its header and blank lines, with references where given', async () => {
    const lb = open();
    const q = await fileQueue(lb);
    expect(q).toMatchObject({ kind: 'file', name: 'en-sw.tsv', srcLang: 'eng_Latn', tgtLang: 'swh_Latn', systems: ['en-sw.tsv'], items: 3, reviewed: 0 });
    const first = await lb.invoke('review:item', { queueId: q.id, reviewer: 'amina' });
    expect(first).toMatchObject({ ordinal: 1, total: 3, source: 'Good morning.', reference: 'Habari za asubuhi.', outputs: [{ slot: 'A', text: 'Habari ya asubuhi.' }], judgements: [] });
    const third = await lb.invoke('review:item', { queueId: q.id, reviewer: 'amina', ordinal: 3 });
    expect(third).toMatchObject({ source: 'Welcome.', reference: null, outputs: [{ slot: 'A', text: 'Karibu.' }] });
    expect((await lb.invoke('review:queues', {})).map((x) => x.id)).toEqual([q.id]);
    lb.close();
  });

  it('reads the JSONL the translate command writes, keeping its other fields as meta', async () => {
    const lb = open();
    const q = await fileQueue(lb, 'en-sw.jsonl');
    expect(q.items).toBe(2);
    const item = await lb.invoke('review:item', { queueId: q.id, reviewer: 'amina', ordinal: 2 });
    expect(item).toMatchObject({ source: 'Thank you very much.', reference: 'Asante sana.', outputs: [{ text: 'Asante sana.' }] });
    const meta = lb.db.prepare('SELECT meta FROM review_items WHERE id = ?').get(item.id) as { meta: string };
    expect(JSON.parse(meta.meta)).toEqual({ line: 2, confidence: -0.12 });
    lb.close();
  });

  it('refuses malformed lines, naming the file and the line', async () => {
    const lb = open();
    const cases: [string, RegExp, number][] = [
      ['wrong-columns.tsv', /^line 2 of wrong-columns\.tsv: expected 2 or 3 tab-separated columns .* found 1/, 2],
      ['broken.jsonl', /^line 2 of broken\.jsonl: not valid JSON/, 2],
      ['no-output.jsonl', /^line 2 of no-output\.jsonl: the object has no "output" text/, 2],
    ];
    for (const [name, message, line] of cases) {
      const r = await lb.call('review:create-queue', { from: { kind: 'file', path: review(name), srcLang: 'en', tgtLang: 'sw' } });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'parse-error', file: name, line, message: expect.stringMatching(message) });
    }
    const missing = await lb.call('review:create-queue', { from: { kind: 'file', path: review('nope.tsv'), srcLang: 'en', tgtLang: 'sw' } });
    expect(missing.ok || missing.error.message).toMatch(/Cannot read nope\.tsv/);
    expect(await lb.invoke('review:queues', {})).toEqual([]);
    lb.close();
  });

  it('shows two evaluation runs blind, shuffled per item, and maps each judgement back to its system', async () => {
    const lb = open();
    insertEvalRuns(lb, 24);
    const q = await lb.invoke('review:create-queue', { from: { kind: 'eval', runIds: [1, 2] } });
    expect(q).toMatchObject({ kind: 'eval', items: 24, systems: ['base model', 'trained model'], srcLang: 'eng_Latn', tgtLang: 'swh_Latn' });
    let baseOnLeft = 0;
    for (let ordinal = 1; ordinal <= 24; ordinal++) {
      const item = await lb.invoke('review:item', { queueId: q.id, reviewer: 'amina', ordinal });
      const a = item.outputs.find((o) => o.slot === 'A')!;
      if (a.text.startsWith('base')) baseOnLeft++;
      // The reviewer prefers whatever is on the left: the stored judgements must still name the right systems.
      await lb.invoke('review:judge', {
        itemId: item.id,
        reviewer: 'amina',
        outputs: [
          { slot: 'A', score: 80, spans: [], postEdit: null, accepted: false },
          { slot: 'B', score: 40, spans: [{ start: 0, end: 4, category: 'fluency/grammar', severity: 'major' }], postEdit: null, accepted: false },
        ],
      });
      const stored = lb.db
        .prepare('SELECT system, score FROM review_judgements WHERE item_id = ? ORDER BY system')
        .all(item.id) as { system: string; score: number }[];
      const expected = a.text.startsWith('base') ? [80, 40] : [40, 80];
      expect(stored).toEqual([
        { system: 'base model', score: expected[0] },
        { system: 'trained model', score: expected[1] },
      ]);
    }
    // Neither system sits on one side (seeded, so this count is fixed for the default seed).
    expect(baseOnLeft).toBeGreaterThan(4);
    expect(baseOnLeft).toBeLessThan(20);
    const again = await lb.invoke('review:create-queue', { from: { kind: 'eval', runIds: [1, 2] } });
    const orders = (id: number) => (lb.db.prepare('SELECT "order" FROM review_items WHERE queue_id = ? ORDER BY ordinal').all(id) as { order: string }[]).map((r) => r.order);
    expect(orders(again.id)).toEqual(orders(q.id));

    const agg = await lb.invoke('review:aggregates', { queueId: q.id });
    const all = agg.rows.filter((r) => r.direction === 'all');
    const base = all.find((r) => r.system === 'base model')!;
    expect(base.scored).toBe(24);
    expect(base.meanScore).toBeCloseTo((80 * baseOnLeft + 40 * (24 - baseOnLeft)) / 24, 6);
    expect(base.errors.major).toBe(24 - baseOnLeft);
    expect(agg.comparisons).toEqual([{ direction: 'eng_Latn-swh_Latn', a: 'base model', b: 'trained model', aWins: baseOnLeft, bWins: 24 - baseOnLeft, ties: 0 }]);
    lb.close();
  });

  it('reviews one evaluation run, in one direction, and explains what is missing', async () => {
    const lb = open();
    const none = await lb.call('review:create-queue', { from: { kind: 'eval', runIds: [1] } });
    expect(none.ok || none.error.message).toMatch(/no evaluation run #1/);
    insertEvalRuns(lb, 3);
    const q = await lb.invoke('review:create-queue', { from: { kind: 'eval', runIds: [2], srcLang: 'en', tgtLang: 'sw' }, limit: 2 });
    expect(q).toMatchObject({ items: 2, systems: ['trained model'] });
    const other = await lb.call('review:create-queue', { from: { kind: 'eval', runIds: [2], srcLang: 'sw', tgtLang: 'en' } });
    expect(other.ok || other.error.message).toMatch(/no translations to review in swh_Latn → eng_Latn/);
    lb.close();
  });
});

describe('judgements', () => {
  it('saves a score, error spans and a post-edit that becomes a corpus pair with its provenance, counted in the statistics', async () => {
    const lb = open();
    const q = await fileQueue(lb);
    const item = await lb.invoke('review:item', { queueId: q.id, reviewer: 'Amina' });
    const changes: string[] = [];
    lb.on('corpus:changed', (e) => changes.push(e.reason));
    const r = await lb.invoke('review:judge', {
      itemId: item.id,
      reviewer: 'Amina',
      outputs: [{ slot: 'A', score: 62, spans: [{ start: 7, end: 9, category: 'accuracy/mistranslation', severity: 'minor' }], postEdit: 'Habari za asubuhi.', accepted: false }],
    });
    expect(r).toMatchObject({ saved: 1, pairsAdded: 1, pairsUpdated: 0, reviewed: 1, total: 3 });
    expect(changes).toEqual(['reviewed translations']);

    const sources = await lb.invoke('corpus:sources', {});
    expect(sources).toEqual([expect.objectContaining({ id: r.sourceId, name: 'reviewed translations', format: 'review', pairs: 1, languages: ['eng_Latn', 'swh_Latn'] })]);
    const pairs = await lb.invoke('corpus:pairs', { sourceId: r.sourceId! });
    expect(pairs.rows).toEqual([expect.objectContaining({ srcLang: 'eng_Latn', tgtLang: 'swh_Latn', role: 'train' })]);
    const stored = lb.db.prepare('SELECT src_text, tgt_text, meta FROM pairs').get() as { src_text: string; tgt_text: string; meta: string };
    expect(stored).toMatchObject({ src_text: 'Good morning.', tgt_text: 'Habari za asubuhi.' });
    expect(JSON.parse(stored.meta).review).toMatchObject({ queueId: q.id, itemId: item.id, reviewer: 'Amina', system: 'en-sw.tsv', output: 'Habari ya asubuhi.', reference: 'Habari za asubuhi.', postEdited: true });
    const sw = (await lb.invoke('corpus:stats', {})).languages.find((l) => l.code === 'swh_Latn')!;
    expect(sw).toMatchObject({ pairs: 1, characters: 18, words: 3, tokens: countTokens('Habari za asubuhi.') });
    const hits = await lb.invoke('corpus:search', { query: 'za asubuhi', kind: 'pairs' });
    expect(hits.hits).toHaveLength(1);

    // The reviewer sees what they saved when they come back.
    const back = await lb.invoke('review:item', { queueId: q.id, reviewer: 'Amina', ordinal: 1 });
    expect(back.judgements).toEqual([expect.objectContaining({ slot: 'A', score: 62, postEdit: 'Habari za asubuhi.', spans: [{ start: 7, end: 9, category: 'accuracy/mistranslation', severity: 'minor' }] })]);
    // The next item without a judgement comes next.
    expect((await lb.invoke('review:item', { queueId: q.id, reviewer: 'Amina' })).ordinal).toBe(2);
    lb.close();
  });

  it('updates the same pair when a post-edit is edited, and removes it when taken back', async () => {
    const lb = open();
    const q = await fileQueue(lb);
    const item = await lb.invoke('review:item', { queueId: q.id, reviewer: 'amina', ordinal: 2 });
    const judge = (postEdit: string | null, accepted = false) =>
      lb.invoke('review:judge', { itemId: item.id, reviewer: 'amina', outputs: [{ slot: 'A', score: 70, spans: [], postEdit, accepted }] });
    const first = await judge('Ninapenda kusoma vitabu.');
    expect(first.pairsAdded).toBe(1);
    const edited = await judge('Ninapenda sana kusoma vitabu.');
    expect(edited).toMatchObject({ pairsAdded: 0, pairsUpdated: 1 });
    expect(lb.db.prepare('SELECT COUNT(*) AS n FROM pairs').get()).toEqual({ n: 1 });
    expect(lb.db.prepare('SELECT tgt_text FROM pairs').get()).toEqual({ tgt_text: 'Ninapenda sana kusoma vitabu.' });
    let stats = await lb.invoke('corpus:stats', {});
    expect(stats.languages.find((l) => l.code === 'swh_Latn')).toMatchObject({ pairs: 1, words: 4, characters: 29 });
    expect(stats.languages.find((l) => l.code === 'eng_Latn')).toMatchObject({ pairs: 1, words: 4 });
    // Same again: nothing changes.
    expect(await judge('Ninapenda sana kusoma vitabu.')).toMatchObject({ pairsAdded: 0, pairsUpdated: 0 });
    // Accepted as is (the post-edit box left as the output): the pair holds the output.
    expect(await judge('Ninapenda kusoma kitabu.', true)).toMatchObject({ pairsUpdated: 1 });
    expect(lb.db.prepare('SELECT tgt_text, meta FROM pairs').get()).toMatchObject({ tgt_text: 'Ninapenda kusoma kitabu.' });
    // Neither accepted nor post-edited any more: the pair leaves the corpus and the statistics.
    expect(await judge(null)).toMatchObject({ pairsRemoved: 1 });
    stats = await lb.invoke('corpus:stats', {});
    expect(stats.languages.find((l) => l.code === 'swh_Latn')?.pairs ?? 0).toBe(0);
    expect((await lb.invoke('corpus:sources', {}))[0]).toMatchObject({ name: 'reviewed translations', pairs: 0, languages: [] });
    // A second post-edit comes back into the same source.
    expect(await judge('Napenda kusoma vitabu.')).toMatchObject({ pairsAdded: 1 });
    expect(await lb.invoke('corpus:sources', {})).toHaveLength(1);
    lb.close();
  });

  it('refuses spans outside the output and slots the item does not have', async () => {
    const lb = open();
    const q = await fileQueue(lb);
    const item = await lb.invoke('review:item', { queueId: q.id, reviewer: 'amina', ordinal: 3 });
    const past = await lb.call('review:judge', { itemId: item.id, reviewer: 'amina', outputs: [{ slot: 'A', score: 50, spans: [{ start: 2, end: 9, category: 'style', severity: 'minor' }], postEdit: null, accepted: false }] });
    expect(past.ok || past.error.message).toMatch(/runs past the end of output A \(7 characters\)/);
    const slotB = await lb.call('review:judge', { itemId: item.id, reviewer: 'amina', outputs: [{ slot: 'B', score: 50, spans: [], postEdit: null, accepted: false }] });
    expect(slotB.ok || slotB.error.message).toMatch(/has no output B/);
    const backwards = await lb.call('review:judge', { itemId: item.id, reviewer: 'amina', outputs: [{ slot: 'A', score: 50, spans: [{ start: 3, end: 1, category: 'style', severity: 'minor' }], postEdit: null, accepted: false }] });
    expect(backwards.ok).toBe(false);
    expect(lb.db.prepare('SELECT COUNT(*) AS n FROM review_judgements').get()).toEqual({ n: 0 });
    lb.close();
  });
});

describe('aggregates and export', () => {
  it('computes the Student-t quantile and the 95% interval of a mean', () => {
    // Published two-sided 95% critical values.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281, 4);
    expect(studentTQuantile(0.975, 100)).toBeCloseTo(1.984, 3);
    const { mean, ci } = meanWithInterval([60, 70, 80]);
    expect(mean).toBe(70);
    // s = 10, se = 10/sqrt(3), t(0.975, 2) = 4.302653
    expect(ci!.low).toBeCloseTo(70 - 4.302653 * (10 / Math.sqrt(3)), 4);
    expect(ci!.high).toBeCloseTo(70 + 4.302653 * (10 / Math.sqrt(3)), 4);
    expect(meanWithInterval([55])).toEqual({ mean: 55, ci: null });
  });

  it('aggregates per system and direction with the MQM-lite error score, and exports TSV and JSONL', async () => {
    const lb = open();
    const q = await fileQueue(lb);
    const scores = [60, 70, 80];
    for (let ordinal = 1; ordinal <= 3; ordinal++) {
      const item = await lb.invoke('review:item', { queueId: q.id, reviewer: 'amina', ordinal });
      const spans = ordinal === 1 ? [{ start: 0, end: 6, category: 'terminology' as const, severity: 'critical' as const }, { start: 7, end: 9, category: 'fluency/spelling' as const, severity: 'minor' as const }] : [];
      await lb.invoke('review:judge', { itemId: item.id, reviewer: 'amina', outputs: [{ slot: 'A', score: scores[ordinal - 1]!, spans, postEdit: null, accepted: ordinal === 3 }] });
    }
    const agg = await lb.invoke('review:aggregates', { queueId: q.id });
    const row = agg.rows.find((r) => r.direction === 'eng_Latn-swh_Latn')!;
    expect(row).toMatchObject({ system: 'en-sw.tsv', judgements: 3, scored: 3, meanScore: 70, errors: { minor: 1, major: 0, critical: 1 }, categories: { terminology: 1, 'fluency/spelling': 1 }, accepted: 1 });
    expect(row.errorScore).toBeCloseTo(11 / 3, 10);
    expect(row.ci!.low).toBeCloseTo(45.1586, 3);
    expect(agg.method).toMatch(/Student-t/);

    const jsonl = await lb.invoke('review:export', { format: 'jsonl', queueId: q.id });
    const rows = jsonl.content!.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      queueId: q.id,
      item: 1,
      source: 'Good morning.',
      reference: 'Habari za asubuhi.',
      outputs: [{ system: 'en-sw.tsv', text: 'Habari ya asubuhi.' }],
      system: 'en-sw.tsv',
      score: 60,
      spans: [
        { start: 0, end: 6, text: 'Habari', category: 'terminology', severity: 'critical' },
        { start: 7, end: 9, text: 'ya', category: 'fluency/spelling', severity: 'minor' },
      ],
      postEdit: null,
      accepted: false,
      reviewer: 'amina',
    });
    expect(rows[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);

    const out = join(tempDir(), 'judgements.tsv');
    const tsv = await lb.invoke('review:export', { format: 'tsv', queueId: q.id, out });
    expect(tsv).toMatchObject({ rows: 3, path: out, content: null });
    const lines = readFileSync(out, 'utf8').replace(/\n$/, '').split('\n');
    expect(lines[0]!.split('\t')).toEqual(['queue_id', 'queue', 'item', 'src_lang', 'tgt_lang', 'system', 'reviewer', 'time', 'score', 'accepted', 'source', 'output', 'reference', 'post_edit', 'spans']);
    const third = lines[3]!.split('\t');
    expect(third).toHaveLength(15);
    expect(third.slice(8, 12)).toEqual(['80', '1', 'Welcome.', 'Karibu.']);
    expect(lines[1]!.split('\t')[14]).toBe('0-6:terminology:critical; 7-9:fluency/spelling:minor');
    lb.close();
  });
});

describe('queues from evaluation pairs', () => {
  it('takes a dataset version\'s held-out pairs, either way round, with outputs matched by source or none', async () => {
    const lb = open();
    const dir = join(lb.workspace.dir, 'datasets', 'd1');
    mkdirSync(join(dir, 'heldout'), { recursive: true });
    writeFileSync(
      join(dir, 'heldout', 'pairs.eng_Latn-swh_Latn.jsonl'),
      ['Good morning.', 'Welcome.'].map((src, i) => JSON.stringify({ src, tgt: ['Habari za asubuhi.', 'Karibu.'][i], src_lang: 'eng_Latn', tgt_lang: 'swh_Latn', pair_id: 10 + i }) + '\n').join(''),
    );
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ heldOutPairs: [{ srcLang: 'eng_Latn', tgtLang: 'swh_Latn', path: 'heldout/pairs.eng_Latn-swh_Latn.jsonl', pairs: 2 }] }));
    lb.db.prepare("INSERT INTO datasets (id, name, recipe_name, recipe, seed, status, folder) VALUES (1, 'marco-1', 'marco', '{}', 1, 'ready', 'datasets/d1')").run();

    const write = await lb.invoke('review:create-queue', { from: { kind: 'dataset', datasetId: 1 } });
    expect(write).toMatchObject({ kind: 'dataset', items: 2, systems: [], srcLang: 'eng_Latn', tgtLang: 'swh_Latn' });
    const item = await lb.invoke('review:item', { queueId: write.id, reviewer: 'amina' });
    expect(item).toMatchObject({ source: 'Good morning.', reference: 'Habari za asubuhi.', outputs: [] });
    // Without outputs the reviewer writes the translation, and it joins the corpus.
    const r = await lb.invoke('review:judge', { itemId: item.id, reviewer: 'amina', written: 'Habari ya asubuhi njema.' });
    expect(r.pairsAdded).toBe(1);
    expect((await lb.invoke('review:item', { queueId: write.id, reviewer: 'amina', ordinal: 1 })).written).toBe('Habari ya asubuhi njema.');

    const reversed = await lb.invoke('review:create-queue', { from: { kind: 'dataset', datasetId: 1, srcLang: 'sw', tgtLang: 'en', outputsPath: review('sw-en.tsv') } });
    expect(reversed).toMatchObject({ items: 1, srcLang: 'swh_Latn', tgtLang: 'eng_Latn', systems: ['sw-en.tsv'] });
    expect(reversed.warnings).toEqual(['1 of 2 pairs have no translation in sw-en.tsv and were left out.']);
    const rev = await lb.invoke('review:item', { queueId: reversed.id, reviewer: 'amina' });
    expect(rev).toMatchObject({ source: 'Karibu.', reference: 'Welcome.', outputs: [{ slot: 'A', text: 'You are welcome.' }] });
    lb.close();
  });

  it('takes the corpus pairs imported for evaluation, with a translated file\'s outputs', async () => {
    const lb = open();
    const none = await lb.call('review:create-queue', { from: { kind: 'corpus', srcLang: 'en', tgtLang: 'sw' } });
    expect(none.ok || none.error.message).toMatch(/no evaluation pairs for eng_Latn → swh_Latn/);
    await lb.invoke('corpus:import', { paths: [fixture('moses', 'Corpus.en-sw.en'), fixture('moses', 'Corpus.en-sw.sw')], role: 'eval' });
    const q = await lb.invoke('review:create-queue', { from: { kind: 'corpus', srcLang: 'en', tgtLang: 'sw', outputsPath: review('en-sw.tsv') }, name: 'Bible check' });
    expect(q).toMatchObject({ name: 'Bible check', kind: 'corpus', items: 3, systems: ['en-sw.tsv'], warnings: [] });
    const item = await lb.invoke('review:item', { queueId: q.id, reviewer: 'amina', ordinal: 2 });
    expect(item).toMatchObject({ source: 'I like reading books.', reference: 'Ninapenda kusoma vitabu.', outputs: [{ slot: 'A', text: 'Ninapenda kusoma kitabu.' }] });
    // The other way round, the reviewer writes the English.
    const back = await lb.invoke('review:create-queue', { from: { kind: 'corpus', srcLang: 'swh', tgtLang: 'eng' } });
    expect(back).toMatchObject({ items: 3, systems: [] });
    expect(await lb.invoke('review:item', { queueId: back.id, reviewer: 'amina' })).toMatchObject({ source: 'Habari ya asubuhi.', reference: 'Good morning.', outputs: [] });
    expect(await lb.invoke('review:delete-queue', { id: back.id })).toEqual({ deleted: true });
    expect((await lb.invoke('review:queues', {})).map((x) => x.id)).toEqual([q.id]);
    lb.close();
  });
});
