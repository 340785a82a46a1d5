/**
 * The pipeline's second pass: held-out split, mixture plan, realisation of the
 * plan into records, and the shard files. Everything is decided from the
 * recipe's seed and the items' ids, and records are written in a fixed order
 * with fixed gzip settings, so the same corpus, recipe and seed give
 * byte-identical shards.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { DatasetManifest } from '../../api/pipeline-schemas';
import { compileGroups } from './groups';
import { PickStore, UnitStore } from '../../../db/mix-store';
import { planMixture, realisePasses, type GroupAvailability, type MixturePlan } from './mixture';
import type { Recipe } from './recipe';
import { createRng, orderKey } from './rng';
import type { KeptItem } from './scan';
import { HeldOutPicker } from './split';
import { renderPair } from './templates';

/** Tokens of text in a language whose tokens-per-character the corpus never measured (≈ Qwen on Latin script). */
const FALLBACK_TOKENS_PER_CHAR = 0.3;
/** Template words around a pair, in tokens (measured on the four Marco templates with the Qwen tokenizer: 8-17). */
const TEMPLATE_TOKENS = 12;

export interface DatasetRecord {
  text: string;
  lang: string;
  group: string;
  origin: { kind: 'document' | 'pair'; id: number; source: number; direction?: string; template?: number; epoch?: number };
}

export const RECORD_FIELDS = ['text', 'lang', 'group', 'origin'];

export interface WriteOptions {
  recipe: Recipe;
  /** The kept items, streamed (the scan ledger's kept()); called once per pass. */
  kept: () => Iterable<KeptItem>;
  sourceNames: Map<number, string>;
  tokensPerChar: Map<string, number>;
  /** The texts of a kept item (from the workers' scratch stores). */
  texts: (item: Pick<KeptItem, 'kind' | 'id' | 'store'>) => string[];
  dir: string;
  /** Where the write phase keeps its scratch stores (units, picks). */
  scratchDir: string;
  signal?: AbortSignal;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface WriteResult {
  plan: MixturePlan;
  stages: DatasetManifest['stages'];
  heldOut: DatasetManifest['heldOut'];
  heldOutPairs: NonNullable<DatasetManifest['heldOutPairs']>;
  warnings: string[];
}

type PlanItem = Pick<KeptItem, 'kind' | 'id' | 'sourceId' | 'lang' | 'chars'>;

/**
 * Plan only (preview): what the kept items would give. `scale(lang)`
 * multiplies a language's characters (a sample standing for the corpus).
 */
export function planFor(recipe: Recipe, kept: () => Iterable<PlanItem>, sourceNames: Map<number, string>, tokensPerChar: Map<string, number>, scale?: (lang: string) => number) {
  return survey(recipe, kept, sourceNames, tokensPerChar, { scale }).plan;
}

/** A training (group, language) and what it holds. */
interface Slot {
  key: number;
  group: string;
  lang: string;
  documents: number;
  tokens: number;
  characters: number;
}

/**
 * Two streaming passes over the kept items: the held-out split (bounded by
 * maxPerLanguage per language), then each training unit's group and tokens,
 * summed per (group, language) and handed to `onUnit` (the run stores them
 * on disk); then the mixture plan over those sums.
 */
function survey<T extends PlanItem>(
  recipe: Recipe,
  kept: () => Iterable<T>,
  sourceNames: Map<number, string>,
  tokensPerChar: Map<string, number>,
  o: { scale?: (lang: string) => number; onUnit?: (slot: Slot, item: T, tokens: number) => void },
) {
  const { mixture, split, seed } = recipe;
  const groupOf = compileGroups(mixture.groups);
  const tpc = (lang: string) => tokensPerChar.get(lang) ?? FALLBACK_TOKENS_PER_CHAR;
  const charsOf = (it: PlanItem) => (o.scale ? Math.round(it.chars * o.scale(it.lang)) : it.chars);
  const warnings: string[] = [];

  // Held-out documents per language, chosen by a stable hash of the id.
  const pickers = new Map<string, HeldOutPicker>();
  for (const it of kept()) {
    if (it.kind !== 'document') continue;
    let p = pickers.get(it.lang);
    if (!p) pickers.set(it.lang, (p = new HeldOutPicker(split, seed, it.lang)));
    p.offer(it.id);
  }
  const heldOutIds = new Map([...pickers].map(([lang, p]) => [lang, p.ids()]));
  const heldOutByLang = new Map<string, Array<{ item: T; tokens: number }>>();

  // Held-out pairs per language pair (as stored: `src-tgt`), the same way, so translation is
  // scored on pairs the model never trained on, in either direction.
  const pairSplit = { heldOutPercent: split.heldOutPairsPercent, minPerLanguage: split.minPairsPerLanguagePair, maxPerLanguage: split.maxPairsPerLanguagePair };
  const pairPickers = new Map<string, HeldOutPicker>();
  for (const it of kept()) {
    if (it.kind !== 'pair') continue;
    let p = pairPickers.get(it.lang);
    if (!p) pairPickers.set(it.lang, (p = new HeldOutPicker({ ...split, ...pairSplit }, seed, it.lang)));
    p.offer(it.id);
  }
  const heldOutPairIds = new Map([...pairPickers].map(([lang, p]) => [lang, p.ids()]));
  const heldOutPairsByLang = new Map<string, T[]>();

  const slots = new Map<string, Slot>();
  let ungrouped = 0;
  for (const it of kept()) {
    const chars = charsOf(it);
    if (it.kind === 'document' && heldOutIds.get(it.lang)?.has(it.id)) {
      const list = heldOutByLang.get(it.lang) ?? heldOutByLang.set(it.lang, []).get(it.lang)!;
      list.push({ item: it, tokens: Math.round(chars * tpc(it.lang)) });
      continue;
    }
    if (it.kind === 'pair' && heldOutPairIds.get(it.lang)?.has(it.id)) {
      (heldOutPairsByLang.get(it.lang) ?? heldOutPairsByLang.set(it.lang, []).get(it.lang)!).push(it);
      continue;
    }
    const group = groupOf({ kind: it.kind, lang: it.kind === 'document' ? it.lang : undefined, sourceName: sourceNames.get(it.sourceId) ?? '' });
    if (!group) {
      ungrouped++;
      continue;
    }
    let tokens: number;
    if (it.kind === 'pair') {
      const [src, tgt] = it.lang.split('-') as [string, string];
      // chars holds both sides; split it by the two languages' average cost.
      const perSide = (chars / 2) * (tpc(src) + tpc(tgt)) + TEMPLATE_TOKENS;
      tokens = Math.round(perSide * (mixture.bothDirections ? 2 : 1));
    } else tokens = Math.round(chars * tpc(it.lang));
    tokens = Math.max(1, tokens);
    const k = `${group}\u0000${it.lang}`;
    let slot = slots.get(k);
    if (!slot) slots.set(k, (slot = { key: slots.size, group, lang: it.lang, documents: 0, tokens: 0, characters: 0 }));
    slot.documents++;
    slot.tokens += tokens;
    slot.characters += chars;
    o.onUnit?.(slot, it, tokens);
  }
  if (ungrouped) warnings.push(`${ungrouped} kept item(s) match no mixture group and are left out; add a "rest" group to take them.`);
  const availability: GroupAvailability[] = [...slots.values()].map((u) => ({ group: u.group, lang: u.lang, documents: u.documents, tokens: u.tokens, characters: u.characters }));
  const plan = planMixture(mixture, availability);
  for (const stage of plan.stages) {
    if (!stage.budgetAuto) continue;
    // Say which language sets an automatic budget: it is the one to grow (or to give a smaller share).
    const binding = [...stage.languages].filter((l) => l.availableTokens > 0).sort((a, b) => b.epochs - a.epochs)[0];
    if (binding && binding.epochs > 0)
      stage.warnings.push(
        `${stage.name}'s automatic budget is set by ${binding.lang} (group ${binding.group}): its ${binding.availableTokens.toLocaleString('en-US')} tokens are used ${binding.epochs.toFixed(1)} times. ` +
          `Add more ${binding.lang} text, lower the ${binding.group} share, or give the stage an explicit budget to use more of the other languages.`,
      );
  }
  return { plan, slots, heldOutByLang, heldOutPairsByLang, warnings };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Records as file bytes: a shard (jsonl.gz, parquet) or an export (plain jsonl). */
export function encodeRecords(records: Array<Pick<DatasetRecord, 'text' | 'lang' | 'group'> & { origin: unknown }>, format: Recipe['output']['format'] | 'jsonl'): Buffer {
  if (format === 'parquet') {
    const ab = parquetWriteBuffer({
      columnData: [
        { name: 'text', data: records.map((r) => r.text), type: 'STRING' },
        { name: 'lang', data: records.map((r) => r.lang), type: 'STRING' },
        { name: 'group', data: records.map((r) => r.group), type: 'STRING' },
        { name: 'origin', data: records.map((r) => JSON.stringify(r.origin)), type: 'STRING' },
      ],
    });
    return Buffer.from(ab);
  }
  const lines = Buffer.from(records.map((r) => JSON.stringify(r) + '\n').join(''), 'utf8');
  // Fixed level and no file name or time in the header: the same records give the same bytes.
  return format === 'jsonl' ? lines : gzipSync(lines, { level: 6 });
}

export async function writeDataset(o: WriteOptions): Promise<WriteResult> {
  const { recipe } = o;
  const units = new UnitStore(join(o.scratchDir, 'units.sqlite'), orderKey);
  const picks = new PickStore(join(o.scratchDir, 'picks.sqlite'));
  try {
    return await write(o, units, picks);
  } finally {
    units.close();
    picks.close();
  }
}

async function write(o: WriteOptions, units: UnitStore, picks: PickStore): Promise<WriteResult> {
  const { recipe } = o;
  const { plan, slots, heldOutByLang, heldOutPairsByLang, warnings } = survey(recipe, o.kept, o.sourceNames, o.tokensPerChar, {
    onUnit: (slot, it, tokens) => units.add(slot.key, { index: it.index, kind: it.kind, id: it.id, sourceId: it.sourceId, chars: it.chars, store: it.store, tokens }),
  });
  const slotByKey = new Map([...slots.values()].map((s) => [s.key, s]));
  const ext = recipe.output.format === 'parquet' ? 'parquet' : 'jsonl.gz';
  const stages: WriteResult['stages'] = [];
  const check = () => {
    if (o.signal?.aborted) throw o.signal.reason ?? new Error('cancelled');
  };
  const yieldNow = () => new Promise((r) => setImmediate(r));
  const both = recipe.mixture.bothDirections;

  for (let s = 0; s < plan.stages.length; s++) {
    const stagePlan = plan.stages[s]!;
    const stageRecipe = recipe.mixture.stages[s]!;
    const directory = `stage-${s + 1}`;
    mkdirSync(join(o.dir, directory), { recursive: true });
    // Realise the plan per language (passes over its units in seeded orders, streamed from disk),
    // into the stage's picks, which come back in one seeded shuffle of the whole stage.
    const shuffleSalt = createRng(recipe.seed, 'shuffle', s).uint32();
    const pickKey = (seq: number) => orderKey(shuffleSalt, seq);
    const langStats: DatasetManifest['stages'][number]['languages'] = [];
    for (const line of stagePlan.languages) {
      const slot = slots.get(`${line.group}\u0000${line.lang}`);
      if (!slot || line.plannedTokens <= 0) continue;
      const rng = createRng(recipe.seed, 'stage', s, 'lang', line.group, line.lang);
      let tokens = 0;
      let chars = 0;
      let records = 0;
      let documents = 0;
      realisePasses(
        line.plannedTokens,
        slot.tokens,
        () => units.ordered(slot.key, rng.uint32()),
        (u) => u.tokens,
        (unit, epoch) => {
          picks.add(s, pickKey, { unit, ukey: slot.key, epoch });
          const copies = unit.kind === 'pair' && both ? 2 : 1;
          tokens += unit.tokens;
          chars += unit.chars * copies;
          records += copies;
          if (epoch === 0) documents++;
        },
      );
      langStats.push({ lang: line.lang, group: line.group, records, documents, characters: chars, tokens, epochs: line.availableTokens ? tokens / line.availableTokens : 0 });
    }
    check();

    const shards: DatasetManifest['stages'][number]['shards'] = [];
    const templateRng = createRng(recipe.seed, 'templates', s);
    let batch: DatasetRecord[] = [];
    let records = 0;
    const flush = async () => {
      if (!batch.length) return;
      const path = `${directory}/shard-${String(shards.length).padStart(5, '0')}.${ext}`;
      const bytes = encodeRecords(batch, recipe.output.format);
      writeFileSync(join(o.dir, path), bytes);
      shards.push({ path, records: batch.length, bytes: bytes.length, sha256: sha256(bytes) });
      batch = [];
      check();
      await yieldNow();
    };
    const total = picks.count(s);
    let done = 0;
    // The iterator stays open across the awaits in flush(): nothing else uses the picks store meanwhile.
    for (const { unit: it, ukey, epoch } of picks.shuffled(s)) {
      done++;
      const { group, lang } = slotByKey.get(ukey)!;
      const texts = o.texts(it);
      if (it.kind === 'document') {
        batch.push({ text: texts[0]!, lang, group, origin: { kind: 'document', id: it.id, source: it.sourceId, ...(epoch ? { epoch } : {}) } });
      } else {
        const [srcLang, tgtLang] = lang.split('-') as [string, string];
        const dirs: Array<[string, string, string, string, string]> = [[texts[0]!, texts[1]!, srcLang, tgtLang, 'forward']];
        if (both) dirs.push([texts[1]!, texts[0]!, tgtLang, srcLang, 'backward']);
        for (const [src, tgt, sl, tl, direction] of dirs) {
          const template = templateRng.int(recipe.mixture.templates.length);
          batch.push({
            text: renderPair(recipe.mixture.templates[template]!, { src, tgt, srcLang: sl, tgtLang: tl }),
            lang: `${sl}-${tl}`,
            group,
            origin: { kind: 'pair', id: it.id, source: it.sourceId, direction, template, ...(epoch ? { epoch } : {}) },
          });
        }
      }
      if (batch.length >= recipe.output.shardSize) {
        records += batch.length;
        await flush();
        o.onProgress?.(`writing ${stageRecipe.name}`, done, total);
      }
    }
    records += batch.length;
    await flush();
    o.onProgress?.(`writing ${stageRecipe.name}`, total, total);
    const totalTokens = langStats.reduce((a, b) => a + b.tokens, 0);
    stages.push({
      name: stageRecipe.name,
      directory,
      ...(stageRecipe.peakLr !== undefined ? { peakLr: stageRecipe.peakLr } : {}),
      budget: stagePlan.budget,
      records,
      characters: langStats.reduce((a, b) => a + b.characters, 0),
      tokens: totalTokens,
      groups: stagePlan.groups.map((g) => {
        const t = langStats.filter((l) => l.group === g.id).reduce((a, b) => a + b.tokens, 0);
        return { id: g.id, tokens: t, share: totalTokens ? t / totalTokens : 0, plannedShare: g.plannedShare };
      }),
      languages: langStats,
      shards,
    });
  }

  // Held-out files: one per language, in id order, never in any stage (at most maxPerLanguage each).
  const heldOut: WriteResult['heldOut'] = [];
  mkdirSync(join(o.dir, 'heldout'), { recursive: true });
  for (const lang of [...heldOutByLang.keys()].sort()) {
    const list = heldOutByLang.get(lang)!.sort((a, b) => a.item.id - b.item.id);
    const recs: DatasetRecord[] = list.map((u) => ({
      text: o.texts(u.item)[0]!,
      lang,
      group: 'held-out',
      origin: { kind: 'document', id: u.item.id, source: u.item.sourceId },
    }));
    const path = `heldout/${lang}.${ext}`;
    const bytes = encodeRecords(recs, recipe.output.format);
    writeFileSync(join(o.dir, path), bytes);
    heldOut.push({
      lang,
      path,
      documents: recs.length,
      characters: list.reduce((a, b) => a + b.item.chars, 0),
      tokens: list.reduce((a, b) => a + b.tokens, 0),
      sha256: sha256(bytes),
      bytes: bytes.length,
    });
  }
  // Held-out pairs: one plain JSONL file per language pair, in id order (the evaluation reads them).
  const heldOutPairs: WriteResult['heldOutPairs'] = [];
  for (const key of [...heldOutPairsByLang.keys()].sort()) {
    const [srcLang, tgtLang] = key.split('-') as [string, string];
    const list = heldOutPairsByLang.get(key)!.sort((a, b) => a.id - b.id);
    const lines = list.map((it) => {
      const [src, tgt] = o.texts(it);
      return JSON.stringify({ src, tgt, src_lang: srcLang, tgt_lang: tgtLang, pair_id: it.id }) + '\n';
    });
    const path = `heldout/pairs.${key}.jsonl`;
    const bytes = Buffer.from(lines.join(''), 'utf8');
    writeFileSync(join(o.dir, path), bytes);
    heldOutPairs.push({ srcLang, tgtLang, path, pairs: list.length, sha256: sha256(bytes), bytes: bytes.length });
  }
  return { plan, stages, heldOut, heldOutPairs, warnings };
}
