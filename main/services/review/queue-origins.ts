import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LangbridgeError, parseError } from '../../api/errors';
import type { QueueFrom } from '../../api/review-schemas';
import type { Db } from '../../../db/open';
import type { NewItem } from '../../../db/queries/review';
import { evalPairs, evalRun, evalTranslationItems, tableExists, type EvalItemRow } from '../../../db/queries/review-origins';
import { getDataset } from '../../../db/queries/pipeline';
import { resolveLanguage, type ResolvedLanguage } from '../corpus/languages';
import { readTranslatedFile, type TranslatedFile } from './translated-file';

/** A queue before it is stored: the items in order, without their blind display order yet. */
export interface BuiltQueue {
  kind: QueueFrom['kind'];
  name: string;
  srcLang: string | null;
  tgtLang: string | null;
  systems: string[];
  origin: Record<string, unknown>;
  items: Omit<NewItem, 'order'>[];
  warnings: string[];
}

function language(raw: string, sample: string | undefined, warnings: string[]): ResolvedLanguage {
  const l = resolveLanguage(raw, sample);
  if (l.warning) warnings.push(l.warning);
  return l;
}

const arrow = (s: string, t: string) => `${s} → ${t}`;

/** (c) Any translated file: one system, named after the file unless told. */
export async function fromFile(from: Extract<QueueFrom, { kind: 'file' }>): Promise<BuiltQueue> {
  const file = await readTranslatedFile(from.path);
  const warnings: string[] = [];
  const first = file.lines[0]!;
  const src = language(from.srcLang, first.source, warnings);
  const tgt = language(from.tgtLang, first.output, warnings);
  const system = from.system ?? file.name;
  return {
    kind: 'file',
    name: file.name,
    srcLang: src.code,
    tgtLang: tgt.code,
    systems: [system],
    origin: { kind: 'file', file: file.name, format: file.format, lines: file.lines.length },
    items: file.lines.map((l) => ({
      srcLang: src.code,
      tgtLang: tgt.code,
      source: l.source,
      reference: l.reference,
      outputs: [{ system, text: l.output }],
      meta: { line: l.line, ...(l.meta ?? {}) },
    })),
    warnings,
  };
}

const itemKey = (r: EvalItemRow) => `${r.benchmark}\0${r.subset}\0${r.src_lang}\0${r.tgt_lang}\0${r.item_id}`;

/** (a) The translation items of one evaluation run, or of two runs on the same items. */
export function fromEval(db: Db, from: Extract<QueueFrom, { kind: 'eval' }>): BuiltQueue {
  if (!tableExists(db, 'eval_items')) {
    throw new LangbridgeError('not-found', 'This workspace holds no evaluation results yet: run an evaluation first (`langbridge eval`).');
  }
  if (new Set(from.runIds).size !== from.runIds.length) throw new LangbridgeError('bad-input', 'Choose two different evaluation runs to compare.');
  if ((from.srcLang === undefined) !== (from.tgtLang === undefined)) {
    throw new LangbridgeError('bad-input', 'Give both the source and the target language of the direction to review, or neither.');
  }
  const warnings: string[] = [];
  const dir =
    from.srcLang && from.tgtLang
      ? { src: language(from.srcLang, undefined, warnings).code, tgt: language(from.tgtLang, undefined, warnings).code }
      : undefined;
  const runs = from.runIds.map((id) => {
    const run = evalRun(db, id);
    if (!run) throw new LangbridgeError('not-found', `There is no evaluation run #${id}.`);
    return run;
  });
  // Two runs of the same model (a re-run) would be indistinguishable by label.
  const systems = runs.map((r) => (runs.filter((o) => o.model_label === r.model_label).length > 1 ? `${r.model_label} (run ${r.id})` : r.model_label));
  const [first, second] = runs.map((r) => evalTranslationItems(db, r.id, dir));
  const where = dir ? ` in ${arrow(dir.src, dir.tgt)}` : '';
  if (!first!.length) throw new LangbridgeError('not-found', `Evaluation run #${runs[0]!.id} has no translations to review${where} (multiple-choice and bits-per-character results have none).`);
  let items: BuiltQueue['items'];
  if (!second) {
    items = first!.map((r) => ({
      srcLang: r.src_lang,
      tgtLang: r.tgt_lang,
      source: r.source,
      reference: r.reference,
      outputs: [{ system: systems[0]!, text: r.hypothesis }],
      meta: { benchmark: r.benchmark, subset: r.subset, itemId: r.item_id, runIds: [runs[0]!.id], metricScores: [r.score] },
    }));
  } else {
    const other = new Map(second.map((r) => [itemKey(r), r]));
    items = [];
    for (const r of first!) {
      const o = other.get(itemKey(r));
      if (!o) continue;
      items.push({
        srcLang: r.src_lang,
        tgtLang: r.tgt_lang,
        source: r.source,
        reference: r.reference,
        outputs: [
          { system: systems[0]!, text: r.hypothesis },
          { system: systems[1]!, text: o.hypothesis },
        ],
        meta: { benchmark: r.benchmark, subset: r.subset, itemId: r.item_id, runIds: from.runIds, metricScores: [r.score, o.score] },
      });
    }
    if (!items.length) throw new LangbridgeError('not-found', `Evaluation runs #${runs[0]!.id} and #${runs[1]!.id} share no translated items${where}.`);
    const unmatched = first!.length - items.length;
    if (unmatched) warnings.push(`${unmatched} items of run #${runs[0]!.id} have no counterpart in run #${runs[1]!.id} and were left out.`);
  }
  const directions = new Set(items.map((i) => `${i.srcLang}\0${i.tgtLang}`));
  const single = directions.size === 1 ? items[0]! : null;
  return {
    kind: 'eval',
    name: runs.length === 1 ? `Evaluation run #${runs[0]!.id} (${systems[0]})` : `Evaluation runs #${runs[0]!.id} vs #${runs[1]!.id}`,
    srcLang: single?.srcLang ?? null,
    tgtLang: single?.tgtLang ?? null,
    systems,
    origin: { kind: 'eval', runIds: from.runIds, models: runs.map((r) => r.model_ref), ...(dir ? { direction: dir } : {}) },
    items,
    warnings,
  };
}

interface HeldOutEntry {
  srcLang: string;
  tgtLang: string;
  path: string;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** A held-out pair line as the dataset writer stores it: {src, tgt, src_lang, tgt_lang, pair_id}. */
function heldOutLine(file: string, n: number, raw: string): { src: string; tgt: string; pairId: number | null } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    throw parseError(file, n, `not valid JSON (${(err as Error).message}).`);
  }
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const src = str(o.src);
  const tgt = str(o.tgt);
  if (!src || !tgt) throw parseError(file, n, 'expected a pair like {"src": "...", "tgt": "..."}.');
  return { src, tgt, pairId: typeof o.pair_id === 'number' ? o.pair_id : null };
}

/** Attaches a translated file's outputs to reference pairs, matching on the source text. */
async function withOutputs(
  pairs: { source: string; reference: string; meta: Record<string, unknown> }[],
  outputsPath: string | undefined,
  warnings: string[],
): Promise<{ system: string | null; rows: { source: string; reference: string; output: string | null; meta: Record<string, unknown> }[] }> {
  if (!outputsPath) return { system: null, rows: pairs.map((p) => ({ ...p, output: null })) };
  const file: TranslatedFile = await readTranslatedFile(outputsPath);
  const bySource = new Map(file.lines.map((l) => [l.source, l.output]));
  const rows = pairs.filter((p) => bySource.has(p.source)).map((p) => ({ ...p, output: bySource.get(p.source)! }));
  if (!rows.length) throw new LangbridgeError('bad-input', `None of the ${pairs.length} sources has a translation in ${file.name} (its sources must match the pairs' source texts).`, file.name);
  if (rows.length < pairs.length) warnings.push(`${pairs.length - rows.length} of ${pairs.length} pairs have no translation in ${file.name} and were left out.`);
  return { system: file.name, rows };
}

function pairsQueue(
  kind: 'dataset' | 'corpus',
  name: string,
  src: string,
  tgt: string,
  origin: Record<string, unknown>,
  built: Awaited<ReturnType<typeof withOutputs>>,
  warnings: string[],
): BuiltQueue {
  const systems = built.system ? [built.system] : [];
  return {
    kind,
    name,
    srcLang: src,
    tgtLang: tgt,
    systems,
    origin,
    items: built.rows.map((r) => ({
      srcLang: src,
      tgtLang: tgt,
      source: r.source,
      reference: r.reference,
      outputs: built.system && r.output !== null ? [{ system: built.system, text: r.output }] : [],
      meta: r.meta,
    })),
    warnings,
  };
}

/** (b) The held-out pairs a dataset version set aside, in one direction. */
export async function fromDataset(
  db: Db,
  workspaceDir: string,
  from: Extract<QueueFrom, { kind: 'dataset' }>,
): Promise<BuiltQueue> {
  const ds = getDataset(db, from.datasetId);
  if (!ds || ds.status !== 'ready') throw new LangbridgeError('not-found', `There is no dataset version #${from.datasetId}.`);
  const warnings: string[] = [];
  let manifest: { heldOutPairs?: HeldOutEntry[] };
  try {
    manifest = JSON.parse(readFileSync(join(workspaceDir, ds.folder, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    throw new LangbridgeError('not-found', `The manifest of dataset ${ds.name} cannot be read; rebuild the dataset.`);
  }
  const entries = manifest.heldOutPairs ?? [];
  if (!entries.length) throw new LangbridgeError('not-found', `Dataset ${ds.name} set no pairs aside for evaluation (it has no held-out pairs).`);
  const want =
    from.srcLang && from.tgtLang ? { src: language(from.srcLang, undefined, warnings).code, tgt: language(from.tgtLang, undefined, warnings).code } : null;
  const list = entries.map((e) => arrow(e.srcLang, e.tgtLang)).join(', ');
  let entry: HeldOutEntry | undefined;
  let swap = false;
  if (want) {
    entry = entries.find((e) => e.srcLang === want.src && e.tgtLang === want.tgt);
    if (!entry) {
      entry = entries.find((e) => e.srcLang === want.tgt && e.tgtLang === want.src);
      swap = Boolean(entry);
    }
    if (!entry) throw new LangbridgeError('not-found', `Dataset ${ds.name} holds no held-out pairs for ${arrow(want.src, want.tgt)}; it has ${list}.`);
  } else if (entries.length === 1) {
    entry = entries[0]!;
  } else {
    throw new LangbridgeError('bad-input', `Dataset ${ds.name} holds held-out pairs in several directions (${list}): choose the source and target language.`);
  }
  const file = join(workspaceDir, ds.folder, entry.path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new LangbridgeError('not-found', `The held-out pairs file ${entry.path} of dataset ${ds.name} is missing.`, entry.path);
  }
  const pairs = text
    .split('\n')
    .map((raw, i) => ({ raw, n: i + 1 }))
    .filter((l) => l.raw.trim())
    .map(({ raw, n }) => {
      const p = heldOutLine(entry.path, n, raw);
      return { source: swap ? p.tgt : p.src, reference: swap ? p.src : p.tgt, meta: { datasetId: ds.id, line: n, ...(p.pairId !== null ? { pairId: p.pairId } : {}) } };
    });
  const src = swap ? entry.tgtLang : entry.srcLang;
  const tgt = swap ? entry.srcLang : entry.tgtLang;
  const built = await withOutputs(pairs, from.outputsPath, warnings);
  return pairsQueue('dataset', `${ds.name} held-out ${arrow(src, tgt)}`, src, tgt, { kind: 'dataset', datasetId: ds.id, dataset: ds.name, file: entry.path, outputs: built.system }, built, warnings);
}

/** (b) The corpus pairs marked 'eval' in one direction. */
export async function fromCorpus(db: Db, from: Extract<QueueFrom, { kind: 'corpus' }>): Promise<BuiltQueue> {
  const warnings: string[] = [];
  const src = language(from.srcLang, undefined, warnings).code;
  const tgt = language(from.tgtLang, undefined, warnings).code;
  const rows = evalPairs(db, src, tgt);
  if (!rows.length) throw new LangbridgeError('not-found', `The corpus holds no evaluation pairs for ${arrow(src, tgt)} (import pairs with the role "eval").`);
  const pairs = rows.map((r) => ({ source: r.src_text, reference: r.tgt_text, meta: { pairId: r.id, sourceId: r.source_id, ...(r.ref ? { ref: r.ref } : {}) } }));
  const built = await withOutputs(pairs, from.outputsPath, warnings);
  return pairsQueue('corpus', `Evaluation pairs ${arrow(src, tgt)}`, src, tgt, { kind: 'corpus', outputs: built.system }, built, warnings);
}
