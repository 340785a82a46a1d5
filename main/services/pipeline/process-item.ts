/**
 * What the per-item steps do to one document or one pair: the recipe's steps
 * in order, until one removes the item. Corpus-wide steps (exact and MinHash
 * dedup, decontamination) only compute the item's keys here, from its text as
 * it is at that step's position; the coordinator compares the keys. Pure
 * apart from the MinHasher cache: the same item and recipe give the same
 * outcome in any worker, which is what makes dataset versions reproducible.
 */
import { MinHasher, type MinhashSignature } from './minhash';
import { paramsFor, type Recipe, type Step } from './recipe';
import { textKey, pairKey } from './steps/dedup-keys';
import { identify } from './steps/identify';
import { normalise } from './steps/normalise';
import { filterPair } from './steps/parallel';
import { redactPii } from './steps/pii';
import { finewebQuality, gopherQuality, gopherRepetition, marcoHeuristics, type FilterResult } from './steps/quality';
import { stopWordsFor } from './steps/stop-words';
import type { EvalNgramIndex } from './steps/ngram-overlap';
import { countCodePoints } from '../corpus/text-stats';

export interface StepEvent {
  stepIndex: number;
  action: 'removed' | 'changed' | 'flagged';
  code: string;
  message: string;
}

/** Keys a corpus-wide step compares, computed at that step's position. */
export interface ItemKeys {
  exact?: { stepIndex: number; key: string };
  /** One 53-bit number per MinHash band; null when the text is too short to shingle. */
  minhash?: { stepIndex: number; bands: number[] | null };
  /** Decontamination: the exact key and bands of each text (a pair has two). */
  contamination?: { stepIndex: number; texts: Array<{ key: string; bands: number[] | null; ngramItem: number }> };
  pair?: { stepIndex: number; key: string };
}

export interface ItemOutcome {
  kind: 'document' | 'pair';
  id: number;
  sourceId: number;
  /** Language code; a pair's is "src-tgt". */
  lang: string;
  /** Code points before any step. */
  chars: number;
  /** Code points after the last step that ran. */
  finalChars: number;
  events: StepEvent[];
  removed: StepEvent | null;
  keys: ItemKeys;
  /** Per-step counters (PII kinds, identification verdicts). */
  counts: Array<{ stepIndex: number; key: string; n: number }>;
  /** The final text(s) of a kept item: [text] or [src, tgt]; null once stored in a worker's scratch store. */
  texts: string[] | null;
  /** Which worker's scratch store holds the texts (-1: not stored). */
  store: number;
  /** Excerpt of the text as it was when first changed, flagged or removed (for examples); '' otherwise. */
  excerpt: string;
}

export interface ItemContext {
  recipe: Recipe;
  /** Stop words derived from the corpus per language (Gopher quality, non-English). */
  stopWords: Record<string, string[]>;
  hashers: HasherCache;
  /** False when the corpus has no evaluation items: decontamination then has nothing to compare with. */
  hasEvalItems: boolean;
  /** N-grams of the evaluation items, for the overlap check (null: off or no items). */
  evalNgrams: EvalNgramIndex | null;
}

const EXCERPT = 400;
const PII_NAMES = { email: 'e-mail address(es)', phone: 'phone number(s)', ip: 'IP address(es)' } as const;
const excerptOf = (s: string) => (s.length > EXCERPT ? `${s.slice(0, EXCERPT)}…` : s);
const iso = (lang: string) => lang.split('_')[0] ?? lang;

/** One MinHasher per (parameters, language): English gets contraction splits, others do not. */
export class HasherCache {
  private readonly hashers = new Map<string, MinHasher>();
  private constructor(private readonly proto: MinHasher) {}
  static async create(): Promise<HasherCache> {
    return new HasherCache(await MinHasher.create());
  }
  get(step: Extract<Step, { kind: 'minhash-dedup' }>['params'] | null, lang: string): MinHasher {
    const p = step ?? { nGrams: 5, numBuckets: 14, hashesPerBucket: 8, seed: 1 };
    const english = lang.startsWith('eng');
    const key = `${p.nGrams}/${p.numBuckets}/${p.hashesPerBucket}/${p.seed}/${english}`;
    let h = this.hashers.get(key);
    if (!h) {
      h = this.proto.withConfig({ ...p, language: english ? 'eng_Latn' : lang });
      this.hashers.set(key, h);
    }
    return h;
  }
}

/** A band of 8 MinHash values folded into one 53-bit number (collisions only ever add candidates, at ~1e-9). */
export function bandNumbers(hasher: MinHasher, sig: MinhashSignature): number[] {
  const rows = hasher.config.hashesPerBucket;
  const out: number[] = [];
  for (let band = 0; band < hasher.config.numBuckets; band++) {
    let h1 = 0x811c9dc5 ^ band;
    let h2 = 0x9e3779b9 + band;
    for (let k = band * rows * 2; k < (band + 1) * rows * 2; k++) {
      h1 = Math.imul(h1 ^ sig[k], 0x01000193);
      h2 = Math.imul(h2 ^ sig[k], 0x85ebca6b) ^ (h2 >>> 13);
    }
    out.push((h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff));
  }
  return out;
}

// The last signature computed: decontamination usually hashes the very text MinHash dedup just hashed.
let lastBands: { hasher: MinHasher; text: string; script: string; bands: number[] | null } | null = null;

function signatureBands(ctx: ItemContext, step: Extract<Step, { kind: 'minhash-dedup' }>['params'] | null, text: string, lang: string, script: string): number[] | null {
  const hasher = ctx.hashers.get(step, lang);
  if (lastBands && lastBands.hasher === hasher && lastBands.text === text && lastBands.script === script) return lastBands.bands;
  const sig = hasher.signature(text, script);
  const bands = sig ? bandNumbers(hasher, sig) : null;
  lastBands = { hasher, text, script, bands };
  return bands;
}

/** The MinHash parameters decontamination uses: the recipe's MinHash step's, else datatrove's defaults. */
export function contaminationHashParams(recipe: Recipe): Extract<Step, { kind: 'minhash-dedup' }>['params'] | null {
  const m = recipe.steps.find((s): s is Extract<Step, { kind: 'minhash-dedup' }> => s.kind === 'minhash-dedup');
  return m ? m.params : null;
}

function qualityCheck(step: Step, lang: string, script: string, text: string, ctx: ItemContext): FilterResult | null {
  const { params } = paramsFor(step, lang);
  const words = { script, locale: iso(lang) };
  switch (step.kind) {
    case 'gopher-repetition':
      return gopherRepetition(text, { ...(params as Extract<Step, { kind: 'gopher-repetition' }>['params']), ...words });
    case 'gopher-quality': {
      const p = params as Extract<Step, { kind: 'gopher-quality' }>['params'];
      return gopherQuality(text, { ...p, ...words, stopWords: p.stopWords ?? stopWordsFor(lang, ctx.stopWords[lang]) });
    }
    case 'fineweb-quality':
      return finewebQuality(text, { ...(params as Extract<Step, { kind: 'fineweb-quality' }>['params']), ...words });
    case 'marco-heuristics':
      return marcoHeuristics(text, params as Extract<Step, { kind: 'marco-heuristics' }>['params']);
    default:
      return null;
  }
}

export function processDocument(doc: { id: number; sourceId: number; lang: string; script: string; text: string }, ctx: ItemContext): ItemOutcome {
  const out: ItemOutcome = {
    kind: 'document',
    id: doc.id,
    sourceId: doc.sourceId,
    lang: doc.lang,
    chars: countCodePoints(doc.text),
    finalChars: 0,
    events: [],
    removed: null,
    keys: {},
    counts: [],
    texts: null,
    store: -1,
    // Filled only when a step acts on the item: most items travel back to the coordinator without one.
    excerpt: '',
  };
  let text = doc.text;
  const remove = (stepIndex: number, code: string, message: string) => {
    out.removed = { stepIndex, action: 'removed', code, message };
    out.excerpt = excerptOf(text);
  };
  // A change or flag, with the text as it was before the step (called before the step replaces it).
  const note = (e: StepEvent) => {
    out.events.push(e);
    if (!out.excerpt) out.excerpt = excerptOf(text);
  };
  const steps = ctx.recipe.steps;
  for (let i = 0; i < steps.length && !out.removed; i++) {
    const step = steps[i]!;
    const { enabled, params } = paramsFor(step, doc.lang);
    if (!enabled) continue;
    switch (step.kind) {
      case 'normalise': {
        const r = normalise(text, params as Extract<Step, { kind: 'normalise' }>['params']);
        if (r.changes.length) {
          note({ stepIndex: i, action: 'changed', code: 'normalised', message: `normalised: ${r.changes.join(', ')}` });
        }
        text = r.text;
        if (text.trim().length === 0) remove(i, 'empty', 'nothing is left after normalisation');
        break;
      }
      case 'identify': {
        const r = identify(text, doc.lang, params as Extract<Step, { kind: 'identify' }>['params']);
        out.counts.push({ stepIndex: i, key: r.verdict, n: 1 });
        if (r.drop && r.reason) remove(i, r.reason.code, r.reason.message);
        else if (r.reason && (r.verdict === 'disagree' || r.verdict === 'script-mismatch'))
          note({ stepIndex: i, action: 'flagged', code: r.reason.code, message: r.reason.message });
        break;
      }
      case 'gopher-repetition':
      case 'gopher-quality':
      case 'fineweb-quality':
      case 'marco-heuristics': {
        const r = qualityCheck(step, doc.lang, doc.script, text, ctx);
        if (r && !r.keep) remove(i, r.reason?.code ?? step.kind, r.reason?.message ?? `removed by ${step.kind}`);
        break;
      }
      case 'pii': {
        const r = redactPii(text, params as Extract<Step, { kind: 'pii' }>['params']);
        const n = r.counts.email + r.counts.phone + r.counts.ip;
        if (n > 0) {
          for (const k of ['email', 'phone', 'ip'] as const) if (r.counts[k]) out.counts.push({ stepIndex: i, key: k, n: r.counts[k] });
          const parts = (['email', 'phone', 'ip'] as const).filter((k) => r.counts[k]).map((k) => `${r.counts[k]} ${PII_NAMES[k]}`);
          note({ stepIndex: i, action: 'changed', code: 'pii', message: `replaced ${parts.join(', ')}` });
          text = r.text;
        }
        break;
      }
      case 'exact-dedup':
        out.keys.exact = { stepIndex: i, key: textKey(text) };
        break;
      case 'minhash-dedup':
        out.keys.minhash = { stepIndex: i, bands: signatureBands(ctx, params as Extract<Step, { kind: 'minhash-dedup' }>['params'], text, doc.lang, doc.script) };
        break;
      case 'decontaminate': {
        if (!ctx.hasEvalItems) break;
        const p = params as Extract<Step, { kind: 'decontaminate' }>['params'];
        out.keys.contamination = {
          stepIndex: i,
          texts: [
            {
              key: p.exact ? textKey(text) : '',
              bands: p.nearDuplicate ? signatureBands(ctx, contaminationHashParams(ctx.recipe), text, doc.lang, doc.script) : null,
              ngramItem: ctx.evalNgrams ? ctx.evalNgrams.match(text, doc.script, doc.lang) : -1,
            },
          ],
        };
        break;
      }
      case 'parallel-filter':
        break; // pairs only
    }
  }
  out.finalChars = countCodePoints(text);
  if (!out.removed) out.texts = [text];
  return out;
}

export function processPair(
  pair: { id: number; sourceId: number; srcLang: string; tgtLang: string; srcScript: string; tgtScript: string; srcText: string; tgtText: string },
  ctx: ItemContext,
): ItemOutcome {
  const lang = `${pair.srcLang}-${pair.tgtLang}`;
  let src = pair.srcText;
  let tgt = pair.tgtText;
  const show = () => excerptOf(`${src} ⇄ ${tgt}`);
  const out: ItemOutcome = {
    kind: 'pair',
    id: pair.id,
    sourceId: pair.sourceId,
    lang,
    chars: countCodePoints(src) + countCodePoints(tgt),
    finalChars: 0,
    events: [],
    removed: null,
    keys: {},
    counts: [],
    texts: null,
    store: -1,
    excerpt: '',
  };
  const steps = ctx.recipe.steps;
  const remove = (stepIndex: number, code: string, message: string) => {
    out.removed = { stepIndex, action: 'removed', code, message };
    out.excerpt = show();
  };
  const note = (e: StepEvent) => {
    out.events.push(e);
    if (!out.excerpt) out.excerpt = show();
  };
  for (let i = 0; i < steps.length && !out.removed; i++) {
    const step = steps[i]!;
    // A pair's overrides are looked up by its direction ("eng_Latn-swh_Latn").
    const { enabled, params } = paramsFor(step, lang);
    if (!enabled) continue;
    switch (step.kind) {
      case 'normalise': {
        const p = params as Extract<Step, { kind: 'normalise' }>['params'];
        const a = normalise(src, p);
        const b = normalise(tgt, p);
        const changes = [...new Set([...a.changes, ...b.changes])];
        if (changes.length) note({ stepIndex: i, action: 'changed', code: 'normalised', message: `normalised: ${changes.join(', ')}` });
        src = a.text;
        tgt = b.text;
        if (!src.trim() || !tgt.trim()) remove(i, 'empty', 'a side is empty after normalisation');
        break;
      }
      case 'pii': {
        const p = params as Extract<Step, { kind: 'pii' }>['params'];
        const a = redactPii(src, p);
        const b = redactPii(tgt, p);
        let n = 0;
        for (const k of ['email', 'phone', 'ip'] as const) {
          const c = a.counts[k] + b.counts[k];
          if (c) out.counts.push({ stepIndex: i, key: k, n: c });
          n += c;
        }
        if (n) note({ stepIndex: i, action: 'changed', code: 'pii', message: `replaced ${n} PII item${n > 1 ? 's' : ''}` });
        src = a.text;
        tgt = b.text;
        break;
      }
      case 'parallel-filter': {
        const p = params as Extract<Step, { kind: 'parallel-filter' }>['params'];
        const identifyStep = steps.find((s): s is Extract<Step, { kind: 'identify' }> => s.kind === 'identify');
        const r = filterPair({ srcText: src, tgtText: tgt, srcLang: pair.srcLang, tgtLang: pair.tgtLang }, p, identifyStep?.params);
        if (!r.keep) remove(i, r.reason?.code ?? 'pair', r.reason?.message ?? 'removed by the pair filter');
        else if (p.dedup) out.keys.pair = { stepIndex: i, key: pairKey(src, tgt) };
        break;
      }
      case 'decontaminate': {
        if (!ctx.hasEvalItems) break;
        const p = params as Extract<Step, { kind: 'decontaminate' }>['params'];
        const hp = contaminationHashParams(ctx.recipe);
        out.keys.contamination = {
          stepIndex: i,
          texts: [
            {
              key: p.exact ? textKey(src) : '',
              bands: p.nearDuplicate ? signatureBands(ctx, hp, src, pair.srcLang, pair.srcScript) : null,
              ngramItem: ctx.evalNgrams ? ctx.evalNgrams.match(src, pair.srcScript, pair.srcLang) : -1,
            },
            {
              key: p.exact ? textKey(tgt) : '',
              bands: p.nearDuplicate ? signatureBands(ctx, hp, tgt, pair.tgtLang, pair.tgtScript) : null,
              ngramItem: ctx.evalNgrams ? ctx.evalNgrams.match(tgt, pair.tgtScript, pair.tgtLang) : -1,
            },
          ],
        };
        break;
      }
      default:
        // Document-quality filters and document dedup do not apply to sentence pairs.
        break;
    }
  }
  out.finalChars = countCodePoints(src) + countCodePoints(tgt);
  if (!out.removed) out.texts = [src, tgt];
  return out;
}

/** An evaluation text's keys, computed as a training text's would be at the decontamination step. */
export function evalKeys(item: { lang: string; script: string; text: string }, ctx: ItemContext): { key: string; bands: number[] | null } {
  let text = item.text;
  for (const step of ctx.recipe.steps) {
    if (step.kind === 'decontaminate') break;
    const { enabled, params } = paramsFor(step, item.lang);
    if (!enabled) continue;
    if (step.kind === 'normalise') text = normalise(text, params as Extract<Step, { kind: 'normalise' }>['params']).text;
    if (step.kind === 'pii') text = redactPii(text, params as Extract<Step, { kind: 'pii' }>['params']).text;
  }
  return { key: textKey(text), bands: signatureBands(ctx, contaminationHashParams(ctx.recipe), text, item.lang, item.script) };
}
