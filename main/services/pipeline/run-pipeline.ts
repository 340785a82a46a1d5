/**
 * A pipeline run from recipe to dataset version, and its dry run (preview).
 *
 * A run writes into workspace/datasets/.building-<id>/ and renames that
 * folder into place only when every file is written; the database row turns
 * 'ready' (with its lineage) after the rename, in one transaction. A cancel
 * or crash therefore leaves either nothing or a 'building' row plus a
 * temporary folder, both removed by cleanupDatasets() at the next start.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LangbridgeError } from '../../api/errors';
import { DATASET_FORMAT_VERSION, type DatasetManifest, type DatasetSummary, type PipelineReport, type PreviewResult, type RunResult } from '../../api/pipeline-schemas';
import type { Db } from '../../../db/open';
import {
  deleteDatasetRow,
  documentIdsOfLanguage,
  evalTexts,
  finishDataset,
  firstTexts,
  insertBuildingDataset,
  listDatasets,
  nextDatasetName,
  pairIdsOfDirection,
  sourceNames,
  sourceRows,
  tokensPerChar,
  trainingExtent,
  trainingLanguages,
  trainingPairDirections,
  documentsByIds,
  pairsByIds,
} from '../../../db/queries/pipeline';
import { ScanLedger } from '../../../db/scan-ledger';
import { WorkStore } from '../../../db/work-store';
import { TOKENIZER_NAME } from '../corpus/tokenizer-name';
import { paramsFor, type Recipe } from './recipe';
import { createRng } from './rng';
import { scanCorpus } from './scan';
import { createScanner } from './scan-pool';
import { itemKey, scratchPath, type ScanTask } from './scan-task';
import { deriveStopWords } from './steps/stop-words';
import { EvalNgramIndex } from './steps/ngram-overlap';
import { planFor, RECORD_FIELDS, writeDataset } from './write-dataset';
import { pidAlive as alive } from '../pid-alive';

const CHUNK = 1000;
const STOP_WORD_SAMPLE = 1000;

export interface PipelineProgress {
  step: string;
  done: number;
  total: number;
  unit: string;
}

interface Common {
  db: Db;
  dbPath: string;
  recipe: Recipe;
  signal?: AbortSignal;
  onProgress?: (p: PipelineProgress) => void;
  workers?: number;
}

/** Stop words per language from the corpus itself, for Gopher's stop-word check outside English. */
function derivedStopWords(db: Db, recipe: Recipe, langs: string[]): Record<string, string[]> {
  const step = recipe.steps.find((s) => s.kind === 'gopher-quality');
  if (!step) return {};
  const out: Record<string, string[]> = {};
  for (const lang of langs) {
    const { enabled, params } = paramsFor(step, lang);
    if (!enabled || lang.startsWith('eng') || (params as { stopWords: string[] | null }).stopWords) continue;
    const [iso, script] = lang.split('_') as [string, string];
    out[lang] = deriveStopWords(firstTexts(db, lang, STOP_WORD_SAMPLE), script ?? 'Latn', iso);
  }
  return out;
}

/** The evaluation n-gram index the decontamination step's overlap check needs, or null. */
function evalNgramsFor(recipe: Recipe, evalItems: Array<{ lang: string; script: string; text: string }>): { n: number; hashes: Float64Array } | null {
  const step = recipe.steps.find((s) => s.kind === 'decontaminate' && s.enabled);
  const n = step ? (step.params as { ngramOverlap: number | null }).ngramOverlap : null;
  if (!n || evalItems.length === 0) return null;
  const index = new EvalNgramIndex(n);
  evalItems.forEach((it, i) => index.add(i, it.text, it.script, it.lang));
  return { n, hashes: index.toArray() };
}

function excerptLookup(db: Db) {
  return (kind: 'document' | 'pair', id: number): string => {
    const cut = (s: string) => (s.length > 400 ? `${s.slice(0, 400)}…` : s);
    if (kind === 'document') return cut(documentsByIds(db, [id])[0]?.text ?? '');
    const p = pairsByIds(db, [id])[0];
    return p ? cut(`${p.src_text} ⇄ ${p.tgt_text}`) : '';
  };
}

function rangeTasks(kind: 'documents' | 'pairs', lo: number, hi: number): ScanTask[] {
  const tasks: ScanTask[] = [];
  for (let a = lo; a <= hi; a += CHUNK) tasks.push({ kind, lo: a, hi: Math.min(a + CHUNK, hi + 1) });
  return tasks;
}

/** A dry run on a sample: counts and examples per step, and the mixture plan scaled by what the sample kept. */
export async function previewPipeline(o: Common & { sample: { size: number; mode: 'first' | 'random' } }): Promise<PreviewResult> {
  const started = performance.now();
  const { db, recipe } = o;
  const phases: Record<string, number> = {};
  const sampled: Record<string, number> = {};
  const pick = (ids: number[], key: string) => {
    if (ids.length <= o.sample.size) return ids;
    if (o.sample.mode === 'first') return ids.slice(0, o.sample.size);
    return createRng(recipe.seed, 'preview', key).shuffle([...ids]).slice(0, o.sample.size).sort((a, b) => a - b);
  };
  const tasks: ScanTask[] = [];
  let total = 0;
  const langs = trainingLanguages(db);
  const docIds: number[] = [];
  for (const lang of langs) {
    const ids = pick(documentIdsOfLanguage(db, lang), lang);
    sampled[lang] = ids.length;
    docIds.push(...ids);
  }
  // One id order across languages, as in a full run (dedup keeps the lowest id).
  docIds.sort((a, b) => a - b);
  for (let i = 0; i < docIds.length; i += 200) tasks.push({ kind: 'document-ids', ids: docIds.slice(i, i + 200) });
  total += docIds.length;
  const pairIds: number[] = [];
  for (const d of trainingPairDirections(db)) {
    const key = `${d.src_lang}-${d.tgt_lang}`;
    const ids = pick(pairIdsOfDirection(db, d.src_lang, d.tgt_lang), key);
    sampled[key] = ids.length;
    pairIds.push(...ids);
  }
  pairIds.sort((a, b) => a - b);
  for (let i = 0; i < pairIds.length; i += 200) tasks.push({ kind: 'pair-ids', ids: pairIds.slice(i, i + 200) });
  total += pairIds.length;

  let t = performance.now();
  const stopWords = derivedStopWords(db, recipe, langs);
  phases['stop words'] = performance.now() - t;
  t = performance.now();
  const evalItems = recipe.steps.some((s) => s.kind === 'decontaminate' && s.enabled) ? evalTexts(db) : [];
  const scanner = await createScanner({ dbPath: o.dbPath, recipe, stopWords, hasEvalItems: evalItems.length > 0, evalNgrams: evalNgramsFor(recipe, evalItems), scratchDir: null }, Math.min(o.workers ?? 2, Math.max(1, Math.ceil(tasks.length / 2))));
  // A sample is small: its ledger can live in memory.
  const ledger = new ScanLedger(':memory:');
  try {
    const scan = await scanCorpus({
      recipe,
      scanner,
      ledger,
      tasks,
      totalItems: total,
      evalItems,
      signal: o.signal,
      onProgress: (done, tot) => o.onProgress?.({ step: 'previewing', done, total: tot, unit: 'items' }),
      excerptOf: excerptLookup(db),
    });
    phases.scan = performance.now() - t;
    // Scale each language's corpus-wide availability by the share of characters the sample kept.
    const plan = planFor(recipe, scan.kept, sourceNames(db), tokensPerChar(db), corpusScale(db, sampled));
    const report: PipelineReport = { ...scan.report, elapsedMs: performance.now() - started, phases, workers: scanner.workers, warnings: [] };
    return { report, plan, sampled };
  } finally {
    await scanner.close();
    ledger.close();
  }
}

/**
 * The preview's kept items stand for the whole corpus: each kept item's
 * characters are scaled by (items of its language in the corpus / items
 * sampled), so the plan shows about the tokens a full run would have.
 */
function corpusScale(db: Db, sampled: Record<string, number>): (lang: string) => number {
  const counts = new Map<string, number>([
    ...(db.prepare(`SELECT lang AS k, COUNT(*) AS n FROM documents WHERE role = 'train' GROUP BY lang`).all() as Array<{ k: string; n: number }>).map((r) => [r.k, r.n] as const),
    ...(db.prepare(`SELECT src_lang || '-' || tgt_lang AS k, COUNT(*) AS n FROM pairs WHERE role = 'train' GROUP BY k`).all() as Array<{ k: string; n: number }>).map((r) => [r.k, r.n] as const),
  ]);
  return (lang) => Math.max(1, (counts.get(lang) ?? 0) / Math.max(1, sampled[lang] ?? 1));
}

export interface RunOptions extends Common {
  workspaceDir: string;
  appVersion: string;
  name?: string;
}

export async function runPipeline(o: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const { db, recipe } = o;
  const phases: Record<string, number> = {};
  const name = o.name ?? nextDatasetName(db, recipe.name);
  const id = insertBuildingDataset(db, {
    name,
    recipeName: recipe.name,
    recipe: JSON.stringify(recipe),
    seed: recipe.seed,
    pid: process.pid,
    folder: (i) => `datasets/${i}-${safeName(name)}`,
  });
  const row = db.prepare(`SELECT folder FROM datasets WHERE id = ?`).get(id) as { folder: string };
  const finalDir = join(o.workspaceDir, row.folder);
  const tmpDir = join(o.workspaceDir, 'datasets', `.building-${id}`);
  mkdirSync(tmpDir, { recursive: true });
  // Scratch stores (ledger, texts, units, picks) sit beside the dataset folder, not in it, so the folder can be
  // renamed into place while the ledger is still open for the lineage.
  const scratchDir = scratchDirOf(o.workspaceDir, id);
  mkdirSync(scratchDir, { recursive: true });
  const stores = new Map<number, WorkStore>();
  const closeStores = () => {
    for (const s of stores.values()) s.close();
    stores.clear();
  };
  let scanner: Awaited<ReturnType<typeof createScanner>> | null = null;
  // Per-item state on disk, beside the workers' stores: memory stays flat however large the corpus.
  let ledger: ScanLedger | null = null;
  try {
    let t = performance.now();
    const langs = trainingLanguages(db);
    const stopWords = derivedStopWords(db, recipe, langs);
    phases['stop words'] = performance.now() - t;

    const extent = trainingExtent(db);
    const tasks = [...rangeTasks('documents', extent.docMin, extent.docMax), ...rangeTasks('pairs', extent.pairMin, extent.pairMax)];
    const evalItems = recipe.steps.some((s) => s.kind === 'decontaminate' && s.enabled) ? evalTexts(db) : [];
    scanner = await createScanner({ dbPath: o.dbPath, recipe, stopWords, hasEvalItems: evalItems.length > 0, evalNgrams: evalNgramsFor(recipe, evalItems), scratchDir }, o.workers);
    t = performance.now();
    ledger = new ScanLedger(join(scratchDir, 'ledger.sqlite'));
    const scan = await scanCorpus({
      recipe,
      scanner,
      ledger,
      tasks,
      totalItems: extent.docs + extent.pairs,
      evalItems,
      signal: o.signal,
      onProgress: (done, total) => o.onProgress?.({ step: 'cleaning and deduplicating', done, total, unit: 'items' }),
      excerptOf: excerptLookup(db),
    });
    phases.scan = performance.now() - t;
    const workerCount = scanner.workers;
    await scanner.close();
    scanner = null;

    t = performance.now();
    const written = await writeDataset({
      recipe,
      kept: scan.kept,
      sourceNames: sourceNames(db),
      tokensPerChar: tokensPerChar(db),
      texts: (item) => {
        let s = stores.get(item.store);
        if (!s) stores.set(item.store, (s = new WorkStore(scratchPath(scratchDir, item.store))));
        const body = s.get(itemKey(item.kind, item.id));
        if (body === undefined) throw new LangbridgeError('internal', `The cleaned text of ${item.kind} #${item.id} is missing from the run's scratch store.`);
        return JSON.parse(body) as string[];
      },
      dir: tmpDir,
      scratchDir,
      signal: o.signal,
      onProgress: (step, done, total) => o.onProgress?.({ step, done, total, unit: 'records' }),
    });
    phases.write = performance.now() - t;
    closeStores();
    const usedSources = ledger.keptSources();
    const report: PipelineReport = {
      ...scan.report,
      elapsedMs: performance.now() - started,
      phases,
      workers: workerCount,
      warnings: [...written.warnings, ...written.plan.warnings, ...written.plan.stages.flatMap((s) => s.warnings)],
    };
    const manifest: DatasetManifest = {
      formatVersion: DATASET_FORMAT_VERSION,
      id,
      name,
      createdAt: new Date().toISOString(),
      appVersion: o.appVersion,
      recipe,
      seed: recipe.seed,
      recordFields: RECORD_FIELDS,
      shardFormat: recipe.output.format,
      tokenizer: { name: TOKENIZER_NAME, estimated: true },
      stages: written.stages,
      heldOut: written.heldOut,
      heldOutPairs: written.heldOutPairs,
      sources: sourceRows(db).filter((s) => usedSources.has(s.id)),
      pipeline: {
        documentsIn: report.documentsIn,
        documentsOut: report.documentsOut,
        pairsIn: report.pairsIn,
        pairsOut: report.pairsOut,
        evalItems: report.evalItems,
        steps: report.steps.map((s) => ({ index: s.index, kind: s.kind, removed: s.totals.removed, changed: s.totals.changed, flagged: s.totals.flagged })),
      },
      plan: written.plan,
      warnings: report.warnings,
    };
    writeFileSync(join(tmpDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    if (o.signal?.aborted) throw o.signal.reason;
    renameSync(tmpDir, finalDir);
    const summary = summarise(id, name, recipe.name, manifest, row.folder);
    // The lineage streams from the ledger into the database, in the transaction that marks the dataset ready.
    finishDataset(db, id, JSON.stringify(summary), JSON.stringify(report), scan.lineage());
    ledger.close();
    ledger = null;
    rmSync(scratchDir, { recursive: true, force: true });
    return { dataset: summary, report, plan: written.plan };
  } catch (err) {
    await scanner?.close();
    closeStores();
    ledger?.close();
    rmSync(scratchDir, { recursive: true, force: true });
    rmSync(tmpDir, { recursive: true, force: true });
    rmSync(finalDir, { recursive: true, force: true });
    deleteDatasetRow(db, id);
    if (o.signal?.aborted) throw new LangbridgeError('cancelled', 'The pipeline run was cancelled; no dataset version was written.');
    throw err;
  }
}

export function summarise(id: number, name: string, recipeName: string, m: DatasetManifest, folder: string): DatasetSummary {
  return {
    id,
    name,
    recipeName,
    createdAt: m.createdAt,
    folder,
    stages: m.stages.map((s) => ({ name: s.name, records: s.records, tokens: s.tokens })),
    records: m.stages.reduce((a, s) => a + s.records, 0),
    tokens: m.stages.reduce((a, s) => a + s.tokens, 0),
    heldOutDocuments: m.heldOut.reduce((a, h) => a + h.documents, 0),
    bytes: m.stages.reduce((a, s) => a + s.shards.reduce((b, x) => b + x.bytes, 0), 0) + m.heldOut.reduce((a, h) => a + h.bytes, 0) + (m.heldOutPairs ?? []).reduce((a, h) => a + h.bytes, 0),
    sources: m.sources.map((s) => s.name),
  };
}

const scratchDirOf = (workspaceDir: string, id: number) => join(workspaceDir, 'datasets', `.scratch-${id}`);

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'dataset';
}

/** Removes what crashed or killed runs left: 'building' rows whose process is gone, and stray temporary folders. */
export function cleanupDatasets(db: Db, workspaceDir: string): number {
  let removed = 0;
  for (const row of listDatasets(db, 'building')) {
    if (row.pid && row.pid !== process.pid && alive(row.pid)) continue;
    if (row.pid === process.pid) continue;
    rmSync(join(workspaceDir, 'datasets', `.building-${row.id}`), { recursive: true, force: true });
    rmSync(scratchDirOf(workspaceDir, row.id), { recursive: true, force: true });
    if (row.folder) rmSync(join(workspaceDir, row.folder), { recursive: true, force: true });
    deleteDatasetRow(db, row.id);
    removed++;
  }
  return removed;
}

