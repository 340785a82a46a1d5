/**
 * The pipeline's first pass: every training item (or a sample) goes through
 * the per-item steps in the worker pool; the corpus-wide steps are decided
 * here from the keys the workers computed.
 *
 * Order semantics, as in a streaming pipeline: a corpus-wide step only sees
 * items that earlier steps kept. Exact dedup, pair dedup and decontamination
 * are decided as results stream in (in id order, so the first copy = the
 * lowest id is kept); MinHash after the scan, by banding and union-find, also
 * keeping the lowest id of each cluster.
 */
import type { LineageExample, PipelineReport, StepReport } from '../../api/pipeline-schemas';
import type { LineageInsert } from '../../../db/queries/pipeline';
import type { KeptRow, ScanLedger } from '../../../db/scan-ledger';
import type { StepEvent } from './process-item';
import { paramsFor, type Recipe, type StepKind } from './recipe';
import type { Scanner } from './scan-pool';
import type { ScanTask } from './scan-task';

export const EXAMPLES_PER_LANGUAGE = 5;
/** Items per (step, language) whose excerpt is kept while scanning; examples are picked from these. */
const EXCERPT_CANDIDATES = 20;

/** What the second pass needs of a kept item (the texts themselves are in the workers' stores; store -1 in a preview). */
export type KeptItem = KeptRow;

export interface ScanOutput {
  report: Omit<PipelineReport, 'elapsedMs' | 'phases' | 'workers' | 'warnings'>;
  /** The kept items, streamed from the ledger (drain before the next ledger write). */
  kept: () => Iterable<KeptItem>;
  /** Every removal and change, streamed from the ledger. */
  lineage: () => Iterable<LineageInsert>;
}

export interface ScanOptions {
  recipe: Recipe;
  scanner: Scanner;
  /** Where per-item state goes (a scratch file for a run, ':memory:' for a preview); the caller closes it. */
  ledger: ScanLedger;
  tasks: ScanTask[];
  totalItems: number;
  evalItems: Array<{ lang: string; script: string; text: string; ref: string }>;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Looks up an excerpt for an item removed by MinHash (its text was not kept in memory). */
  excerptOf: (kind: 'document' | 'pair', id: number) => string;
}

const SCOPE: Record<StepKind, StepReport['scope']> = {
  normalise: 'documents and pairs',
  identify: 'documents',
  'gopher-repetition': 'documents',
  'gopher-quality': 'documents',
  'fineweb-quality': 'documents',
  'marco-heuristics': 'documents',
  pii: 'documents and pairs',
  'exact-dedup': 'documents',
  'minhash-dedup': 'documents',
  'parallel-filter': 'pairs',
  decontaminate: 'documents and pairs',
};

const NOTES: Partial<Record<StepKind, string>> = {
  'exact-dedup': 'Documents with the same normalised text (case, spacing and Unicode form ignored): the copy with the lowest id — the earliest imported — is kept.',
  'minhash-dedup':
    'Near-duplicates by MinHash (datatrove parameters; about 0.72 Jaccard of 5-word shingles), within and across sources: in each cluster the document with the lowest id — the earliest imported — is kept.',
  'parallel-filter': 'Also drops repeated pairs (same source and target after normalisation): the pair with the lowest id is kept.',
  decontaminate: 'Training items equal to, or MinHash near-duplicates of, an evaluation item (role = eval) are removed. Evaluation items themselves never enter a training set.',
  identify: 'Documents in languages the detector does not cover are never removed by this step.',
};

/**
 * Union-find over the items that share a MinHash band with another item (a
 * map, so its size follows the near-duplicates, not the corpus), the root
 * being the lowest index (= lowest id: items arrive in id order).
 */
class UnionFind {
  readonly parent = new Map<number, number>();
  find(i: number): number {
    let root = i;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    // Path compression.
    while (i !== root) {
      const p = this.parent.get(i)!;
      this.parent.set(i, root);
      i = p;
    }
    return root;
  }
  union(a: number, b: number): void {
    if (!this.parent.has(a)) this.parent.set(a, a);
    if (!this.parent.has(b)) this.parent.set(b, b);
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
}

export async function scanCorpus(o: ScanOptions): Promise<ScanOutput> {
  const { recipe } = o;
  const steps = recipe.steps;
  const stepIndex = (kind: StepKind) => steps.findIndex((s) => s.kind === kind && s.enabled);

  // Evaluation keys for decontamination.
  const evalExact = new Map<string, string>();
  const evalBands: Array<Map<number, string>> = [];
  const decontamIndex = stepIndex('decontaminate');
  if (decontamIndex >= 0 && o.evalItems.length) {
    for (let i = 0; i < o.evalItems.length; i += 500) {
      const slice = o.evalItems.slice(i, i + 500);
      const r = await o.scanner.run({ kind: 'eval', items: slice.map(({ lang, script, text }) => ({ lang, script, text })) });
      if (r.kind !== 'eval') continue;
      r.keys.forEach((k, j) => {
        const ref = slice[j]!.ref;
        if (!evalExact.has(k.key)) evalExact.set(k.key, ref);
        k.bands?.forEach((b, band) => {
          evalBands[band] ??= new Map();
          if (!evalBands[band]!.has(b)) evalBands[band]!.set(b, ref);
        });
      });
    }
  }

  const ledger = o.ledger;
  // (Kept items' texts stay in the workers' scratch stores; only references come here.)
  const counts = new Map<number, Map<string, number>>();
  const minhashIndex = stepIndex('minhash-dedup');
  let hasBands = false;

  const excerptCandidates = new Map<string, number>();
  const window = Math.max(2, o.scanner.workers * 2);
  const inFlight: Array<Promise<import('./scan-task').ScanResult>> = [];
  let next = 0;
  let done = 0;
  const submit = () => {
    while (inFlight.length < window && next < o.tasks.length) inFlight.push(o.scanner.run(o.tasks[next++]!));
  };
  submit();
  while (inFlight.length) {
    const result = await inFlight.shift()!;
    if (o.signal?.aborted) throw o.signal.reason ?? new Error('cancelled');
    submit();
    if (result.kind !== 'items') continue;
    for (const it of result.items) {
      const index = ledger.length;
      let removed = it.removed;
      const removeAt = (e: StepEvent) => {
        if (!removed || e.stepIndex < removed.stepIndex) removed = e;
      };
      for (const c of it.counts) {
        const m = counts.get(c.stepIndex) ?? new Map<string, number>();
        m.set(c.key, (m.get(c.key) ?? 0) + c.n);
        counts.set(c.stepIndex, m);
      }
      // Online corpus-wide decisions, in step order.
      const online: Array<{ at: number; decide: () => void }> = [];
      const k = it.keys;
      if (k.exact) {
        const { key, stepIndex: at } = k.exact;
        online.push({
          at,
          decide: () => {
            const first = ledger.firstWithText(key, it.id);
            if (first !== undefined) removeAt({ stepIndex: at, action: 'removed', code: 'exact_duplicate', message: `same text as document #${first} (kept: the lowest id)` });
          },
        });
      }
      if (k.pair) {
        const { key, stepIndex: at } = k.pair;
        online.push({
          at,
          decide: () => {
            const first = ledger.firstWithPair(key, it.id);
            if (first !== undefined) removeAt({ stepIndex: at, action: 'removed', code: 'pair_duplicate', message: `same pair as pair #${first} (kept: the lowest id)` });
          },
        });
      }
      if (k.contamination) {
        const { texts, stepIndex: at } = k.contamination;
        online.push({
          at,
          decide: () => {
            for (const t of texts) {
              const exactRef = t.key ? evalExact.get(t.key) : undefined;
              if (exactRef) return removeAt({ stepIndex: at, action: 'removed', code: 'contaminated_exact', message: `same text as evaluation item ${exactRef}` });
              const band = t.bands?.findIndex((b, i) => evalBands[i]?.has(b)) ?? -1;
              if (band >= 0) {
                const ref = evalBands[band]!.get(t.bands![band]!)!;
                return removeAt({ stepIndex: at, action: 'removed', code: 'contaminated_near', message: `near-duplicate (MinHash) of evaluation item ${ref}` });
              }
              if (t.ngramItem >= 0) {
                const n = (steps[at]!.params as { ngramOverlap: number | null }).ngramOverlap;
                return removeAt({ stepIndex: at, action: 'removed', code: 'contaminated_ngram', message: `shares ${n} words in a row with evaluation item ${o.evalItems[t.ngramItem]?.ref ?? '#' + t.ngramItem}` });
              }
            }
          },
        });
      }
      if (k.minhash)
        online.push({
          at: k.minhash.stepIndex,
          decide: () => {
            const bands = k.minhash!.bands;
            if (!bands) return;
            ledger.addBands(index, bands);
            hasBands = true;
          },
        });
      online.sort((a, b) => a.at - b.at);
      for (const d of online) if (!removed || d.at < removed.stepIndex) d.decide();

      // Excerpts only for the first few candidates of each (step, language): memory stays small on big corpora.
      let excerpt = '';
      for (const e of removed ? [...it.events, removed] : it.events) {
        const key = `${e.stepIndex}\u0000${it.lang}`;
        const n = excerptCandidates.get(key) ?? 0;
        if (n < EXCERPT_CANDIDATES) {
          excerptCandidates.set(key, n + 1);
          excerpt = it.excerpt;
        }
      }
      ledger.add({ kind: it.kind, id: it.id, sourceId: it.sourceId, lang: it.lang, chars: it.chars, finalChars: it.finalChars, events: it.events, itemRemoved: it.removed !== null, decision: removed, excerpt, store: it.store });
      done++;
    }
    o.onProgress?.(done, o.totalItems);
  }

  // MinHash: a band match links two items; each cluster keeps its lowest index (= lowest id).
  if (minhashIndex >= 0 && hasBands) {
    const uf = new UnionFind();
    for (const [a, b] of ledger.bandLinks()) uf.union(a, b);
    const clusterSize = new Map<number, number>();
    for (const i of uf.parent.keys()) {
      const r = uf.find(i);
      clusterSize.set(r, (clusterSize.get(r) ?? 0) + 1);
    }
    const rootIds = new Map<number, number>();
    for (const r of clusterSize.keys()) rootIds.set(r, ledger.idOf(r));
    for (const i of uf.parent.keys()) {
      const root = uf.find(i);
      if (root === i) continue;
      ledger.decide(i, {
        stepIndex: minhashIndex,
        code: 'near_duplicate',
        message: `near-duplicate of document #${rootIds.get(root)} (cluster of ${clusterSize.get(root)}; kept: the lowest id)`,
      });
    }
  }

  const report = buildReport(recipe, ledger, counts, o.excerptOf, o.evalItems.length);
  const lineage = function* (): Generator<LineageInsert> {
    for (const it of ledger.items()) {
      const r = it.decision;
      for (const e of it.events)
        if (!r || e.stepIndex < r.stepIndex)
          yield { itemKind: it.kind, itemId: it.id, lang: it.lang, stepIndex: e.stepIndex, step: steps[e.stepIndex]!.kind, action: e.action, code: e.code, message: e.message };
      if (r) yield { itemKind: it.kind, itemId: it.id, lang: it.lang, stepIndex: r.stepIndex, step: steps[r.stepIndex]!.kind, action: 'removed', code: r.code, message: r.message };
    }
  };
  return { report, kept: () => ledger.kept(), lineage };
}

function buildReport(
  recipe: Recipe,
  ledger: ScanLedger,
  counts: Map<number, Map<string, number>>,
  excerptOf: ScanOptions['excerptOf'],
  evalItems: number,
): ScanOutput['report'] {
  const steps: StepReport[] = recipe.steps.map((s, index) => ({
    index,
    kind: s.kind,
    enabled: s.enabled,
    scope: SCOPE[s.kind],
    totals: { input: 0, removed: 0, removedChars: 0, changed: 0, flagged: 0 },
    languages: [],
    reasons: {},
    counts: Object.fromEntries(counts.get(index) ?? []),
    examples: [],
    ...(NOTES[s.kind] ? { note: NOTES[s.kind] } : {}),
  }));
  const perLang = steps.map(() => new Map<string, StepReport['languages'][number]>());
  const examplesPerLang = steps.map(() => new Map<string, number>());
  const lc = (i: number, lang: string) => {
    let c = perLang[i]!.get(lang);
    if (!c) perLang[i]!.set(lang, (c = { lang, input: 0, removed: 0, removedChars: 0, changed: 0, flagged: 0 }));
    return c;
  };
  const applies = (kind: StepKind, item: 'document' | 'pair') => {
    const scope = SCOPE[kind];
    return scope === 'documents and pairs' || (item === 'document' ? scope === 'documents' : scope === 'pairs');
  };
  const addExample = (i: number, ex: LineageExample) => {
    const n = examplesPerLang[i]!.get(ex.lang) ?? 0;
    if (n >= EXAMPLES_PER_LANGUAGE) return;
    examplesPerLang[i]!.set(ex.lang, n + 1);
    steps[i]!.examples.push(ex);
  };
  let docsIn = 0;
  let docsOut = 0;
  let pairsIn = 0;
  let pairsOut = 0;
  for (const it of ledger.items()) {
    if (it.kind === 'document') docsIn++;
    else pairsIn++;
    const r = it.decision;
    const last = r ? r.stepIndex : steps.length - 1;
    if (!r) {
      if (it.kind === 'document') docsOut++;
      else pairsOut++;
    }
    for (let i = 0; i <= last; i++) {
      const s = recipe.steps[i]!;
      if (!paramsFor(s, it.lang).enabled || !applies(s.kind, it.kind)) continue;
      lc(i, it.lang).input++;
    }
    for (const e of it.events) {
      if (r && e.stepIndex >= r.stepIndex) continue;
      const c = lc(e.stepIndex, it.lang);
      if (e.action === 'changed') c.changed++;
      else if (e.action === 'flagged') c.flagged++;
      if (it.excerpt) addExample(e.stepIndex, { itemKind: it.kind, id: it.id, lang: it.lang, action: e.action, code: e.code, message: e.message, excerpt: it.excerpt });
    }
    if (r) {
      const c = lc(r.stepIndex, it.lang);
      c.removed++;
      c.removedChars += it.chars;
      steps[r.stepIndex]!.reasons[r.code] = (steps[r.stepIndex]!.reasons[r.code] ?? 0) + 1;
      const n = examplesPerLang[r.stepIndex]!.get(it.lang) ?? 0;
      if (n < EXAMPLES_PER_LANGUAGE) {
        // Per-item removals carry their excerpt; corpus-wide ones look theirs up.
        // (excerptOf reads the corpus database, not the ledger, so it may run while the ledger is iterated.)
        const excerpt = it.itemRemoved && it.excerpt ? it.excerpt : excerptOf(it.kind, it.id);
        addExample(r.stepIndex, { itemKind: it.kind, id: it.id, lang: it.lang, action: 'removed', code: r.code, message: r.message, excerpt });
      }
    }
  }
  steps.forEach((s, i) => {
    s.languages = [...perLang[i]!.values()].sort((a, b) => a.lang.localeCompare(b.lang));
    for (const l of s.languages) {
      s.totals.input += l.input;
      s.totals.removed += l.removed;
      s.totals.removedChars += l.removedChars;
      s.totals.changed += l.changed;
      s.totals.flagged += l.flagged;
    }
    // Removed examples first: they are what the linguist checks a threshold against.
    s.examples.sort((a, b) => Number(b.action === 'removed') - Number(a.action === 'removed'));
  });
  return { documentsIn: docsIn, documentsOut: docsOut, pairsIn, pairsOut, evalItems, steps };
}
