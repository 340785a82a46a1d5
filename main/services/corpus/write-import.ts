import type { ImportSummary, Role } from '../../api/schemas';
import { LangbridgeError } from '../../api/errors';
import type { Db } from '../../../db/open';
import { ImportWriter, upsertLanguage, type LanguageTally, type NewSource } from '../../../db/queries/corpus';
import { resolveLanguage, type ResolvedLanguage } from './languages';
import { countCodePoints, countWords } from './text-stats';
import { countTokens } from './tokenizer';
import { UNSPACED_SCRIPTS } from './scripts';
import type { ImportRecord } from './types';

export interface ProgressReport {
  step: 'checking' | 'importing' | 'indexing';
  done: number;
  total: number;
  unit: 'bytes' | 'steps';
}

/**
 * Per language and import, at most this many characters go through the Qwen
 * tokenizer (and, for scripts without spaces, the word segmenter); beyond it,
 * tokens are extrapolated from the sample's tokens per character. The
 * pure-JS tokenizer runs at 0.2-0.8 M characters/s, which would otherwise
 * dominate large imports. A language with fewer characters in the import is
 * counted exactly (unless its text is bunched at the start of a long file).
 */
export const TOKEN_SAMPLE_CHARS = 100_000;
/**
 * The sample follows the reading position: by the time a fraction p of the
 * input has been read, a language may have had TOKEN_SAMPLE_START +
 * p * TOKEN_SAMPLE_CHARS characters tokenised, so the sample spreads evenly
 * over the whole file instead of describing only its beginning.
 */
export const TOKEN_SAMPLE_START = 10_000;
const MAX_SAMPLE_PIECE = 20_000;

/** Turns raw language codes into xxx_Scrp once per import, inserting the language rows. */
class LanguageCache {
  private readonly byRaw = new Map<string, ResolvedLanguage>();
  constructor(
    private readonly db: Db,
    private readonly warn: (m: string) => void,
  ) {}

  resolve(raw: string, sample: string): ResolvedLanguage {
    let l = this.byRaw.get(raw);
    if (!l) {
      l = resolveLanguage(raw, sample);
      if (l.warning) this.warn(l.warning);
      upsertLanguage(this.db, { code: l.code, iso639_3: l.iso6393, script: l.script, name: l.name, direction: l.direction, known: l.known });
      this.byRaw.set(raw, l);
    }
    return l;
  }
}

class Tally {
  readonly languages = new Map<string, LanguageTally>();
  readonly pairs = new Map<string, { src: string; tgt: string; n: number }>();

  /** @param progress how far through the input the import is, 0..1 */
  constructor(private readonly progress: () => number) {}

  private get(lang: string): LanguageTally {
    let t = this.languages.get(lang);
    if (!t) {
      t = { documents: 0, evalDocuments: 0, pairSides: 0, characters: 0, words: 0, tokens: 0, tokenizedChars: 0 };
      this.languages.set(lang, t);
    }
    return t;
  }

  text(l: ResolvedLanguage, text: string): LanguageTally {
    const t = this.get(l.code);
    const chars = countCodePoints(text);
    t.characters += chars;
    const unspaced = UNSPACED_SCRIPTS.has(l.script);
    if (!unspaced) t.words += countWords(text, l.script);
    const allowance = TOKEN_SAMPLE_START + this.progress() * TOKEN_SAMPLE_CHARS;
    if (t.tokenizedChars < allowance) {
      // Whole texts, so the sample's tokens per character is not skewed by cut
      // words; only a very long text (a 5 MB line) is cut, to keep this cheap.
      const piece = chars > MAX_SAMPLE_PIECE ? text.slice(0, MAX_SAMPLE_PIECE) : text;
      const pieceChars = piece === text ? chars : countCodePoints(piece);
      t.tokens += countTokens(piece);
      if (unspaced) t.words += countWords(piece, l.script, l.iso6393);
      t.tokenizedChars += pieceChars;
    }
    return t;
  }

  document(l: ResolvedLanguage, text: string, role: Role): void {
    const t = this.text(l, text);
    t.documents++;
    if (role === 'eval') t.evalDocuments++;
  }

  pair(src: ResolvedLanguage, tgt: ResolvedLanguage, srcText: string, tgtText: string): void {
    this.text(src, srcText).pairSides++;
    this.text(tgt, tgtText).pairSides++;
    const key = `${src.code}\0${tgt.code}`;
    const p = this.pairs.get(key);
    if (p) p.n++;
    else this.pairs.set(key, { src: src.code, tgt: tgt.code, n: 1 });
  }

  /** Scales sampled counts up to the whole import. */
  extrapolate(): void {
    for (const [, t] of this.languages) {
      if (t.tokenizedChars > 0 && t.characters > t.tokenizedChars) {
        const f = t.characters / t.tokenizedChars;
        t.tokens = Math.round(t.tokens * f);
      }
    }
  }

  extrapolateUnspacedWords(scripts: Map<string, string>): void {
    for (const [code, t] of this.languages) {
      const script = scripts.get(code);
      if (script && UNSPACED_SCRIPTS.has(script) && t.tokenizedChars > 0 && t.characters > t.tokenizedChars) {
        t.words = Math.round((t.words * t.characters) / t.tokenizedChars);
      }
    }
  }
}

function missingLanguage(file: string, which: string): LangbridgeError {
  return new LangbridgeError(
    'bad-input',
    which === 'document'
      ? `${file}: the language is not given and the file does not say it. Choose the language (for example --lang sw or swh_Latn).`
      : `${file}: the ${which} language of the pairs is not given and the file does not say it. Choose both languages (for example --src-lang en --tgt-lang sw).`,
    file,
  );
}

export interface WriteSpec {
  source: NewSource;
  displayName: string;
  /** Bytes the records come from, for progress. */
  total: number;
  /** Languages for records that do not carry one. */
  lang?: string;
  srcLang?: string;
  tgtLang?: string;
  role?: Role;
}

/** What writeImport needs from the reading side: progress bytes, warnings, replacements. */
export interface ReadState {
  bytesDone: number;
  warnings: string[];
  replacedBytes: number;
  warn(message: string): void;
}

/**
 * Writes a stream of records as one new source, in one transaction, with its
 * statistics; rolls back on any error or cancel. Shared by file imports and
 * the embedded sample.
 */
export async function writeImport(
  db: Db,
  spec: WriteSpec,
  records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>,
  state: ReadState,
  signal: AbortSignal,
  emit: (p: ProgressReport, force?: boolean) => void = () => {},
): Promise<ImportSummary> {
  const started = performance.now();
  const { displayName, total } = spec;
  const writer = new ImportWriter(db);
  const langs = new LanguageCache(db, (m) => state.warn(m));
  const tally = new Tally(() => (total > 0 ? Math.min(1, state.bytesDone / total) : 1));
  const scripts = new Map<string, string>();
  let documents = 0;
  let pairs = 0;
  let skipped = 0;
  let ordinal = 0;
  const cancelled = () =>
    new LangbridgeError('cancelled', `The import of ${displayName} was cancelled; nothing was added.`);

  const lang = (raw: string | undefined, fallback: string | undefined, which: string, sample: string): ResolvedLanguage => {
    const code = raw ?? fallback;
    if (!code) throw missingLanguage(displayName, which);
    const l = langs.resolve(code, sample);
    scripts.set(l.code, l.script);
    return l;
  };
  const metaJson = (m: Record<string, unknown> | undefined) => (m && Object.keys(m).length ? JSON.stringify(m) : null);

  try {
    writer.begin(spec.source);
    let n = 0;
    for await (const rec of records) {
      if ((++n & 1023) === 0) {
        if (signal.aborted) throw cancelled();
        emit({ step: 'importing', done: Math.min(state.bytesDone, total), total, unit: 'bytes' });
      }
      if (rec.kind === 'skip') {
        skipped++;
        continue;
      }
      ordinal++;
      const role = rec.role ?? spec.role ?? 'train';
      if (rec.kind === 'document') {
        const l = lang(rec.lang, spec.lang, 'document', rec.text);
        writer.document(l.code, ordinal, rec.text, metaJson(rec.meta), role, rec.ref ?? null);
        tally.document(l, rec.text, role);
        documents++;
      } else {
        const s = lang(rec.srcLang, spec.srcLang, 'source', rec.srcText);
        const t = lang(rec.tgtLang, spec.tgtLang, 'target', rec.tgtText);
        writer.pair(ordinal, s.code, t.code, rec.srcText, rec.tgtText, rec.ref ?? null, metaJson(rec.meta), role);
        tally.pair(s, t, rec.srcText, rec.tgtText);
        pairs++;
      }
    }
    if (signal.aborted) throw cancelled();
    if (documents + pairs === 0) {
      throw new LangbridgeError(
        'parse-error',
        `${displayName} holds no text to import${skipped ? ` (${skipped} empty rows)` : ' (the file is empty)'}.`,
        displayName,
      );
    }
    tally.extrapolateUnspacedWords(scripts);
    tally.extrapolate();
    emit({ step: 'indexing', done: total, total, unit: 'bytes' }, true);
    writer.finish({ documents, pairs, skipped, replacedBytes: state.replacedBytes, warnings: state.warnings }, tally.languages, tally.pairs);
    writer.commit();
  } catch (err) {
    writer.rollback();
    throw err;
  }
  return {
    sourceId: writer.sourceId,
    name: spec.source.name,
    format: spec.source.format as ImportSummary['format'],
    documents,
    pairs,
    skipped,
    replacedBytes: state.replacedBytes,
    languages: [...tally.languages.keys()].sort(),
    warnings: state.warnings,
    seconds: Math.round(performance.now() - started) / 1000,
  };
}
