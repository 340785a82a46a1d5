import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Langbridge } from '../../main/services/langbridge';
import { preset } from '../../main/services/pipeline/presets';
import { Recipe, type RecipeInput } from '../../main/services/pipeline/recipe';
import { readShardAsync } from '../../main/services/pipeline/pipeline-service';
import { makeDoc, writeJsonl } from './helpers/pipeline-corpus';
import { tempDir } from './helpers/workspace';

/** A workspace with English, Swahili and Yoruba documents, a few planted duplicates and a Moses pair file. */
async function corpus(opts: { eval?: string[] } = {}): Promise<{ lb: Langbridge; dir: string }> {
  const dir = tempDir();
  const files = tempDir('lb-files-');
  const lb = new Langbridge(dir);
  const eng = Array.from({ length: 120 }, (_, i) => makeDoc('eng', i, 30 + (i % 50)));
  eng.push(eng[3]!, `  ${eng[5]!.replace(/ /g, '  ')}`); // an exact copy, and one that differs only in spacing
  eng.push(eng[7]!.replace(/\.$/, '') + ' and the harvest0.'); // a near-duplicate (one word added)
  eng.push('Too short to keep.');
  const swh = Array.from({ length: 60 }, (_, i) => makeDoc('swh', i, 30 + (i % 40)));
  const yor = Array.from({ length: 25 }, (_, i) => makeDoc('yor', i, 30 + (i % 30)));
  await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'eng.jsonl', eng)], lang: 'en', license: 'CC0' });
  await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'swh.jsonl', swh)], lang: 'sw', license: 'CC-BY 4.0' });
  await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'yor.jsonl', yor)], lang: 'yo' });
  const src = Array.from({ length: 40 }, (_, i) => `The river ${i} is near the village number ${i}.`);
  const tgt = Array.from({ length: 40 }, (_, i) => `Mto ${i} uko karibu na kijiji namba ${i}.`);
  tgt[1] = src[1]!; // identical source and target
  tgt[2] = 'Mto uko karibu na kijiji namba 99.'; // numbers differ
  writeFileSync(join(files, 'bible.en-sw.en'), src.join('\n') + '\n');
  writeFileSync(join(files, 'bible.en-sw.sw'), tgt.join('\n') + '\n');
  await lb.invoke('corpus:import', { paths: [join(files, 'bible.en-sw.en'), join(files, 'bible.en-sw.sw')], format: 'moses', srcLang: 'en', tgtLang: 'sw' });
  if (opts.eval) await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'eval.jsonl', opts.eval)], lang: 'en', role: 'eval', name: 'benchmark' });
  return { lb, dir };
}

function recipe(overrides: Partial<RecipeInput> = {}): Recipe {
  const base = preset('marco');
  return Recipe.parse({ ...base, ...overrides });
}

async function records(dir: string, folder: string) {
  const m = JSON.parse(readFileSync(join(dir, folder, 'manifest.json'), 'utf8'));
  const all: Array<{ text: string; lang: string; group: string; origin: { kind: string; id: number } }> = [];
  for (const s of m.stages) for (const sh of s.shards) all.push(...((await readShardAsync(join(dir, folder, sh.path), m.shardFormat)) as typeof all));
  return { manifest: m, records: all };
}

describe('pipeline runs', () => {
  it('writes a dataset version with its manifest, stages, held-out split and lineage', async () => {
    const { lb, dir } = await corpus();
    const r = await lb.invoke('pipeline:run', { recipe: recipe() });
    const step = (k: string) => r.report.steps.find((s) => s.kind === k)!;
    expect(step('exact-dedup').totals.removed).toBe(2);
    expect(step('exact-dedup').reasons).toEqual({ exact_duplicate: 2 });
    expect(step('minhash-dedup').totals.removed).toBe(1);
    expect(step('minhash-dedup').examples[0]!.message).toMatch(/near-duplicate of document #\d+ .*kept: the lowest id/);
    expect(step('minhash-dedup').note).toMatch(/lowest id/);
    expect(step('gopher-quality').reasons.gopher_short_doc).toBeGreaterThanOrEqual(1);
    expect(step('parallel-filter').reasons).toMatchObject({ pair_identical: 1, pair_number_mismatch: 1 });
    expect(r.report.documentsIn).toBe(209);

    const { manifest, records: recs } = await records(dir, r.dataset.folder);
    expect(manifest.stages.map((s: { name: string }) => s.name)).toEqual(['Stage I', 'Stage II']);
    expect(manifest.sources.map((s: { name: string }) => s.name).sort()).toEqual(['bible.en-sw.en + bible.en-sw.sw', 'eng.jsonl', 'swh.jsonl', 'yor.jsonl'].sort());
    expect(manifest.sources.find((s: { name: string }) => s.name === 'swh.jsonl').license).toBe('CC-BY 4.0');
    // Every shard's checksum is the sha256 of its bytes.
    const { createHash } = await import('node:crypto');
    for (const s of manifest.stages)
      for (const sh of s.shards) expect(createHash('sha256').update(readFileSync(join(dir, r.dataset.folder, sh.path))).digest('hex')).toBe(sh.sha256);
    // Parallel pairs are templated in both directions.
    const pairTexts = recs.filter((x) => x.origin.kind === 'pair');
    expect(pairTexts.length).toBeGreaterThan(0);
    expect(pairTexts.some((x) => x.lang === 'eng_Latn-swh_Latn') && pairTexts.some((x) => x.lang === 'swh_Latn-eng_Latn')).toBe(true);
    expect(pairTexts.every((x) => /English|Swahili/.test(x.text))).toBe(true);
    // Held-out documents never appear in a stage.
    const held = new Set<number>();
    for (const h of manifest.heldOut) {
      const lines = gunzipSync(readFileSync(join(dir, r.dataset.folder, h.path))).toString('utf8').trim().split('\n');
      for (const l of lines) held.add(JSON.parse(l).origin.id);
      expect(lines.length).toBe(h.documents);
    }
    expect(held.size).toBeGreaterThan(0);
    expect(recs.filter((x) => x.origin.kind === 'document' && held.has(x.origin.id))).toEqual([]);

    // Lineage: every removal is recorded with its step and reason.
    const lin = await lb.invoke('datasets:lineage', { id: r.dataset.id, step: 'exact-dedup' });
    expect(lin.total).toBe(2);
    expect(lin.rows[0]).toMatchObject({ itemKind: 'document', action: 'removed', code: 'exact_duplicate', lang: 'eng_Latn' });
    expect(lin.rows[0]!.ordinal).not.toBeNull();
    const removedTotal = r.report.steps.reduce((a, s) => a + s.totals.removed, 0);
    const allRemoved = await lb.invoke('datasets:lineage', { id: r.dataset.id, action: 'removed', limit: 10000 });
    expect(allRemoved.total).toBe(removedTotal);

    const list = await lb.invoke('datasets:list', {});
    expect(list.map((d) => d.name)).toEqual(['marco-1']);
    const shown = await lb.invoke('datasets:show', { id: r.dataset.id });
    expect(shown.manifest.recipe.name).toBe('marco');
    lb.close();
  });

  it('realises the planned group proportions within 1 percentage point', async () => {
    const { lb, dir } = await corpus();
    // Three groups with data in both stages: English replay, the rest (low-resource) and parallel.
    const r = await lb.invoke('pipeline:run', { recipe: recipe() });
    const { manifest } = await records(dir, r.dataset.folder);
    for (const stage of manifest.stages) {
      const withData = stage.groups.filter((g: { plannedShare: number }) => g.plannedShare > 0);
      expect(withData.length).toBeGreaterThanOrEqual(3);
      for (const g of stage.groups) expect(Math.abs(g.share - g.plannedShare)).toBeLessThan(0.01);
    }
    lb.close();
  });

  it('gives byte-identical shards for the same corpus, recipe and seed, and different ones for another seed', async () => {
    const { lb, dir } = await corpus();
    const a = await lb.invoke('pipeline:run', { recipe: recipe() });
    const b = await lb.invoke('pipeline:run', { recipe: recipe() });
    const c = await lb.invoke('pipeline:run', { recipe: recipe({ seed: 7 }) });
    const sums = async (folder: string) => {
      const { manifest } = await records(dir, folder);
      return [...manifest.stages.flatMap((s: { shards: Array<{ sha256: string }> }) => s.shards.map((x) => x.sha256)), ...manifest.heldOut.map((h: { sha256: string }) => h.sha256)];
    };
    expect(await sums(a.dataset.folder)).toEqual(await sums(b.dataset.folder));
    expect(await sums(c.dataset.folder)).not.toEqual(await sums(a.dataset.folder));
    expect(a.dataset.name).not.toBe(b.dataset.name);
    lb.close();
  });

  it('removes training documents that copy or nearly copy an evaluation item, and never ships evaluation data', async () => {
    const benchmark = [makeDoc('eng', 3, 33), makeDoc('eng', 900, 60)];
    const { lb, dir } = await corpus({ eval: benchmark });
    // Training document #3 of eng is exactly benchmark[0]; plant a near copy of benchmark[1] too.
    const files = tempDir('lb-files-');
    // A near copy of benchmark[1], and a long article quoting 15 words of it in the middle.
    const quote = benchmark[1]!.split(' ').slice(20, 35).join(' ');
    const article = `${makeDoc('eng', 5000, 60)} ${quote} ${makeDoc('eng', 5001, 60)}`;
    await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'web.jsonl', [benchmark[1]!.replace(/\.$/, ' and the river1.'), article])], lang: 'en' });
    const r = await lb.invoke('pipeline:run', { recipe: recipe() });
    const d = r.report.steps.find((s) => s.kind === 'decontaminate')!;
    expect(r.report.evalItems).toBe(2);
    expect(d.reasons.contaminated_near).toBe(1);
    expect(d.reasons.contaminated_ngram).toBe(1);
    expect(d.examples.find((e) => e.code === 'contaminated_ngram')!.message).toMatch(/shares 13 words in a row with evaluation item benchmark/);
    // With the overlap check off, the quoting article stays.
    const off = structuredClone(recipe());
    (off.steps.find((s) => s.kind === 'decontaminate')!.params as { ngramOverlap: number | null }).ngramOverlap = null;
    const r2 = await lb.invoke('pipeline:run', { recipe: off });
    expect(r2.report.steps.find((s) => s.kind === 'decontaminate')!.reasons.contaminated_ngram).toBeUndefined();
    // The exact copy of benchmark[0] and its duplicate were removed by exact-dedup or decontamination, never shipped.
    const { records: recs } = await records(dir, r.dataset.folder);
    const texts = new Set(recs.map((x) => x.text));
    for (const b of benchmark) expect(texts.has(b)).toBe(false);
    expect(d.totals.removed + (d.reasons.contaminated_exact ?? 0)).toBeGreaterThanOrEqual(2);
    lb.close();
  });

  it('leaves no dataset version behind when cancelled mid-run', async () => {
    const { lb, dir } = await corpus();
    const jobId = 'cancel-me';
    const off = lb.on('jobs:progress', (p) => {
      if (p.jobId === jobId && p.state === 'running' && p.step !== 'queued') lb.invoke('pipeline:cancel', { jobId });
    });
    const r = await lb.call('pipeline:run', { recipe: recipe(), jobId });
    off();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('cancelled');
    expect(await lb.invoke('datasets:list', {})).toEqual([]);
    // Neither the dataset folder nor the scratch stores (ledger, texts, units, picks) are left.
    expect(readdirSync(join(dir, 'datasets'))).toEqual([]);
    expect(lb.db.prepare('SELECT COUNT(*) AS n FROM datasets').get()).toEqual({ n: 0 });
    lb.close();
  });

  it('removes what a crashed run left at the next start', async () => {
    const { lb, dir } = await corpus();
    // A 'building' row of a process that no longer exists, with its temporary folder.
    lb.db.prepare("INSERT INTO datasets (id, name, recipe_name, recipe, seed, status, pid, folder) VALUES (9, 'x', 'marco', '{}', 1, 'building', 2147483646, 'datasets/9-x')").run();
    mkdirSync(join(dir, 'datasets', '.building-9'), { recursive: true });
    writeFileSync(join(dir, 'datasets', '.building-9', 'half.jsonl.gz'), 'partial');
    mkdirSync(join(dir, 'datasets', '.scratch-9'), { recursive: true });
    writeFileSync(join(dir, 'datasets', '.scratch-9', 'ledger.sqlite'), 'partial');
    lb.close();
    const again = new Langbridge(dir);
    expect(existsSync(join(dir, 'datasets', '.building-9'))).toBe(false);
    expect(existsSync(join(dir, 'datasets', '.scratch-9'))).toBe(false);
    expect(again.db.prepare('SELECT COUNT(*) AS n FROM datasets').get()).toEqual({ n: 0 });
    again.close();
  });

  it('exports a dataset as JSONL or Parquet with a dataset card, and deletes it', async () => {
    const { lb, dir } = await corpus();
    const r = await lb.invoke('pipeline:run', { recipe: recipe() });
    const out = join(tempDir('lb-export-'), 'ds');
    const j = await lb.invoke('datasets:export', { id: r.dataset.id, format: 'jsonl', out });
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    expect(card).toMatch(/^---\npretty_name: "marco-1"/);
    expect(card).toContain('| Stage I');
    expect(card).toContain('CC-BY 4.0');
    const firstJsonl = j.files.find((f) => f.path.endsWith('.jsonl'))!;
    expect(readFileSync(join(out, firstJsonl.path), 'utf8').trim().split('\n')).toHaveLength(firstJsonl.records);
    const pq = join(tempDir('lb-export-'), 'pq');
    const p = await lb.invoke('datasets:export', { id: r.dataset.id, format: 'parquet', out: pq });
    const firstPq = p.files.find((f) => f.path.endsWith('.parquet'))!;
    const rows = await readShardAsync(join(pq, firstPq.path), 'parquet');
    expect(rows).toHaveLength(firstPq.records);
    expect(rows[0]).toMatchObject({ lang: expect.any(String), text: expect.any(String) });

    await lb.invoke('datasets:delete', { id: r.dataset.id });
    expect(existsSync(join(dir, r.dataset.folder))).toBe(false);
    expect(await lb.invoke('datasets:list', {})).toEqual([]);
    lb.close();
  });

  it('writes Parquet shards when the recipe asks for them', async () => {
    const { lb, dir } = await corpus();
    const r = await lb.invoke('pipeline:run', { recipe: recipe({ output: { format: 'parquet', shardSize: 50 } }) });
    const { manifest, records: recs } = await records(dir, r.dataset.folder);
    expect(manifest.shardFormat).toBe('parquet');
    expect(manifest.stages[0].shards.length).toBeGreaterThan(1);
    expect(recs.length).toBe(manifest.stages.reduce((a: number, s: { records: number }) => a + s.records, 0));
    lb.close();
  });
});

describe('pipeline preview and recipes', () => {
  it('previews on a sample, and a threshold change changes the counts', async () => {
    const { lb } = await corpus();
    const base = recipe();
    const p1 = await lb.invoke('pipeline:preview', { recipe: base, sample: { size: 30, mode: 'first' } });
    expect(p1.sampled).toMatchObject({ eng_Latn: 30, swh_Latn: 30, yor_Latn: 25 });
    const gq = (p: typeof p1) => p.report.steps.find((s) => s.kind === 'gopher-quality')!.totals.removed;
    const stricter = structuredClone(base);
    const step = stricter.steps.find((s) => s.kind === 'gopher-quality')!;
    (step.params as { minDocWords: number }).minDocWords = 60;
    const p2 = await lb.invoke('pipeline:preview', { recipe: stricter, sample: { size: 30, mode: 'first' } });
    expect(gq(p2)).toBeGreaterThan(gq(p1));
    const ex = p2.report.steps.find((s) => s.kind === 'gopher-quality')!.examples;
    expect(ex[0]).toMatchObject({ action: 'removed', code: 'gopher_short_doc', message: expect.stringMatching(/minimum 60/) });
    expect(p2.plan.stages).toHaveLength(2);
    // A per-language override applies to that language only.
    const override = structuredClone(base);
    override.steps.find((s) => s.kind === 'gopher-quality')!.overrides = { swh_Latn: { enabled: false } };
    const p3 = await lb.invoke('pipeline:preview', { recipe: override, sample: { size: 30, mode: 'first' } });
    const sw = (p: typeof p1) => p.report.steps.find((s) => s.kind === 'gopher-quality')!.languages.find((l) => l.lang === 'swh_Latn');
    expect(sw(p3)).toBeUndefined();
    lb.close();
  });

  it('rejects an invalid recipe with the path of the offending field, and stores edited recipes', async () => {
    const lb = new Langbridge(tempDir());
    const bad = structuredClone(preset('marco')) as unknown as { steps: Array<{ params: Record<string, unknown> }> };
    bad.steps[3]!.params.minDocWords = -5;
    const r = await lb.call('pipeline:run', { recipe: bad });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('recipe.steps.3.params.minDocWords');
    const check = await lb.invoke('pipeline:check-recipe', { recipe: { ...preset('minimal'), mixture: { ...preset('minimal').mixture, stages: [{ name: 'x', proportions: { nope: 1 } }] } } });
    expect(check.issues).toContainEqual({ path: 'mixture.stages.0.proportions.nope', message: 'there is no group "nope"' });

    const mine = { ...preset('minimal'), name: 'ours', description: 'tuned' };
    await lb.invoke('pipeline:save-recipe', { recipe: mine });
    const saved = await lb.invoke('pipeline:save-recipe', { recipe: { ...mine, seed: 3 } });
    expect(saved.revision).toBe(2);
    const names = (await lb.invoke('pipeline:recipes', {})).map((x) => `${x.kind}:${x.name}`);
    expect(names).toEqual(['preset:marco', 'preset:fineweb2', 'preset:minimal', 'saved:ours']);
    expect((await lb.invoke('pipeline:recipe', { name: 'ours' })).seed).toBe(3);
    lb.close();
  });
});

describe('recipe overrides', () => {
  it('change only the params they name for their language', async () => {
    const { paramsFor } = await import('../../main/services/pipeline/recipe');
    const r = preset('marco');
    const gq = r.steps.find((s) => s.kind === 'gopher-quality')!;
    expect(gq.overrides.cmn).toEqual({ minAvgWordLength: 1 });
    expect(paramsFor(gq, 'cmn_Hans').params).toMatchObject({ minAvgWordLength: 1, minDocWords: 20 });
    expect(paramsFor(gq, 'eng_Latn').params).toMatchObject({ minAvgWordLength: 3, minDocWords: 20 });
  });
});
