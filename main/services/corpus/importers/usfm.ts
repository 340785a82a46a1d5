import { readdirSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LangbridgeError } from '../../../api/errors';
import type { ImportContext, Importer, ImportRecord, SniffInput } from '../types';
import { parseParatextSettings } from './paratext-settings';
import { bookOrder, isBookCode } from './usfm-markers';
import { UsfmParser, type UsfmBook, type UsfmVerse } from './usfm-parser';

const USFM_FILE = /\.(usfm|sfm)$/i;

/** One translation: a USFM file, a folder of them, or a Paratext project. */
interface Translation {
  /** What the user gave, for messages. */
  label: string;
  files: string[];
  /** From Settings.xml. */
  lang?: string;
  project?: string;
}

type ReadText = (path: string) => Promise<string>;

/**
 * USFM scripture: one document per verse, ref "MAT 5:3". Given two
 * translations (two files or folders, or a folder holding two Paratext
 * projects) it also yields a pair for every verse both have, which is how a
 * Bible becomes parallel data.
 */
export const usfmImporter: Importer = {
  format: 'usfm',
  sniff(input) {
    const { isDirectory, name, head, entries } = input;
    if (isDirectory) {
      if (entries.includes('settings.xml')) return 0; // a Paratext project
      return entries.some((e) => USFM_FILE.test(e)) ? 0.9 : 0;
    }
    const startsWithId = /^\uFEFF?\s*\\id\s+[A-Za-z0-9]{3}\b/.test(head);
    // Above Moses' 0.95 for any two files: two USFM files are two translations.
    if (USFM_FILE.test(name)) return startsWithId ? 0.98 : 0.9;
    return startsWithId ? 0.9 : 0;
  },
  size: (paths) => sizeOf(paths),
  read: (ctx) => readScripture(ctx),
};

/** A Paratext project folder (Settings.xml and book files such as 41MATSUV.SFM), or a folder of two. */
export const paratextImporter: Importer = {
  format: 'paratext',
  sniff(input: SniffInput) {
    const { isDirectory, path, entries } = input;
    if (!isDirectory) return 0;
    if (entries.includes('settings.xml')) return entries.some((e) => USFM_FILE.test(e)) ? 0.95 : 0.6;
    // A folder of projects: sniff() is synchronous, and a few listings are
    // cheap. `entries` are lower-cased, so list again for the real names.
    if (entries.length > 50) return 0;
    try {
      const dirs = readdirSync(path, { withFileTypes: true }).filter((d) => d.isDirectory());
      return dirs.some((d) => hasSettings(readdirSync(join(path, d.name)))) ? 0.9 : 0;
    } catch {
      return 0; // unreadable: we cannot tell
    }
  },
  size: (paths) => sizeOf(paths),
  read: (ctx) => readScripture(ctx),
};

async function sizeOf(paths: string[]): Promise<number> {
  let total = 0;
  for (const t of await findTranslations(paths, (p) => readFile(p, 'utf8'))) {
    for (const f of t.files) total += (await stat(f)).size;
  }
  return total;
}

async function* readScripture(ctx: ImportContext): AsyncGenerator<ImportRecord> {
  const translations = await findTranslations(ctx.paths, (p) => ctx.readSmallText(p), ctx.warn.bind(ctx));
  const seen = new Set<string>();
  const warnOnce = (key: string, message: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    ctx.warn(message);
  };

  if (translations.length === 1) {
    yield* readTranslation(ctx, translations[0], ctx.lang ?? translations[0].lang, undefined, warnOnce, null);
    return;
  }

  // Two translations: the first is held as ref → text (a whole Bible is a
  // few MB) so the second can be streamed against it. A pair's languages
  // come from srcLang/tgtLang or the projects, never from ctx.lang: given
  // only --lang, both sides would be one language, and the runner stops at
  // the first pair for want of a target language.
  const [a, b] = translations;
  let srcLang: string | undefined;
  const first = new Map<string, string>();
  yield* readTranslation(ctx, a, ctx.srcLang ?? a.lang, ctx.lang, warnOnce, (v, lang) => {
    srcLang = lang;
    if (!first.has(v.ref)) first.set(v.ref, v.text);
    return null;
  });
  let paired = 0;
  let unmatched = 0;
  const matched = new Set<string>();
  yield* readTranslation(ctx, b, ctx.tgtLang ?? b.lang, ctx.lang, warnOnce, (v, tgtLang) => {
    const src = first.get(v.ref);
    if (src === undefined || matched.has(v.ref)) {
      if (src === undefined) unmatched++;
      return null;
    }
    matched.add(v.ref);
    paired++;
    return {
      kind: 'pair',
      srcText: src,
      tgtText: v.text,
      srcLang,
      tgtLang,
      ref: v.ref,
      meta: { book: v.book, chapter: v.chapter, verse: v.verse },
      line: v.line,
    };
  });
  const missing = first.size - matched.size;
  if (missing > 0 || unmatched > 0) {
    // Usually verse bridges (\v 6-7 against \v 6 and \v 7) or books only one side has.
    ctx.warn(
      `${verses(paired)} paired; ${verses(missing)} of ${a.label} and ${verses(unmatched)} of ${b.label} have no verse with the same reference on the other side (a different verse bridge, or a book only one side has), so they were imported as documents only.`,
    );
  }
}

function verses(n: number): string {
  return n === 1 ? '1 verse' : `${n} verses`;
}

/**
 * Yields a translation's verses as documents, in language `own` (the user's
 * or the project's), else the one its \id line names, else `fallback`.
 * `onVerse` sees each verse that has text, with the language it can vouch
 * for (not the fallback), and may add a record after it (the aligned pair).
 */
async function* readTranslation(
  ctx: ImportContext,
  t: Translation,
  own: string | undefined,
  fallback: string | undefined,
  warnOnce: (key: string, message: string) => void,
  onVerse: ((v: UsfmVerse, lang: string | undefined) => ImportRecord | null) | null,
): AsyncGenerator<ImportRecord> {
  const refs = new Set<string>();
  for (const path of t.files) {
    const file = basename(path);
    const parser = new UsfmParser(file, warnOnce);
    const emit = function* (verses: UsfmVerse[]): Generator<ImportRecord> {
      for (const v of verses) {
        // USFM rarely says its language; unfoldingWord's \id lines do (en_English_ltr).
        own ??= langFromId(parser.books);
        if (refs.has(v.ref)) warnOnce(`dup:${t.label}:${v.ref}`, `line ${v.line} of ${file}: ${v.ref} appears twice in ${t.label}.`);
        refs.add(v.ref);
        if (v.text === '') {
          yield { kind: 'skip', reason: `${v.ref} has no text`, line: v.line };
          continue;
        }
        const meta: Record<string, unknown> = { book: v.book, chapter: v.chapter, verse: v.verse };
        if (v.footnotes.length > 0) meta.footnotes = v.footnotes;
        if (v.crossrefs.length > 0) meta.crossrefs = v.crossrefs;
        if (v.words.length > 0) meta.words = v.words;
        if (t.project) meta.project = t.project;
        yield { kind: 'document', text: v.text, lang: own ?? fallback, ref: v.ref, meta, line: v.line };
        const extra = onVerse?.(v, own);
        if (extra) yield extra;
      }
    };
    for await (const { text, line } of ctx.openLines(path).lines()) yield* emit(parser.push(text, line));
    yield* emit(parser.end());
  }
}

/** "\id GEN EN_ULT en_English_ltr unfoldingWord Literal Text" → "en". */
function langFromId(books: UsfmBook[]): string | undefined {
  for (const b of books) {
    const m = /(?:^|\s)([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)_[^\s_]+_(?:ltr|rtl)(?:\s|$)/.exec(b.description);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * The translations the paths hold: one per path (a file, a folder of USFM
 * files, or a Paratext project), or, for a single folder that is none of
 * these but holds Paratext projects, those projects (at most two).
 */
async function findTranslations(paths: string[], readText: ReadText, warn?: (m: string) => void): Promise<Translation[]> {
  if (paths.length === 1 && (await stat(paths[0])).isDirectory()) {
    const names = await readdir(paths[0]);
    if (!hasSettings(names) && !names.some((n) => USFM_FILE.test(n))) {
      const projects: string[] = [];
      for (const n of names.sort()) {
        const dir = join(paths[0], n);
        if ((await stat(dir)).isDirectory() && hasSettings(await readdir(dir))) projects.push(dir);
      }
      if (projects.length === 0) {
        throw new LangbridgeError('not-found', `${paths[0]} holds no USFM files and no Paratext project.`, basename(paths[0]));
      }
      if (projects.length > 2) {
        throw new LangbridgeError(
          'bad-input',
          `${paths[0]} holds ${projects.length} Paratext projects (${projects.map((p) => basename(p)).join(', ')}); import one, or two to pair their verses.`,
          basename(paths[0]),
        );
      }
      paths = projects;
    }
  }
  const out: Translation[] = [];
  for (const p of paths) out.push(await findTranslation(p, readText, warn));
  return out;
}

function hasSettings(names: string[]): boolean {
  return names.some((n) => n.toLowerCase() === 'settings.xml');
}

async function findTranslation(path: string, readText: ReadText, warn?: (m: string) => void): Promise<Translation> {
  const label = basename(path);
  if (!(await stat(path)).isDirectory()) return { label, files: [path] };
  const names = await readdir(path);
  const settingsName = names.find((n) => n.toLowerCase() === 'settings.xml');
  if (!settingsName) {
    const files = sortBooks(names.filter((n) => USFM_FILE.test(n)), (n) => n);
    if (files.length === 0) throw new LangbridgeError('not-found', `${path} holds no .usfm or .sfm files.`, label);
    return { label, files: files.map((n) => join(path, n)) };
  }
  const settings = parseParatextSettings(await readText(join(path, settingsName)));
  if (settings.encoding && settings.encoding !== '65001') {
    warn?.(`${label}/Settings.xml gives encoding ${settings.encoding}, not UTF-8 (65001); the books are read as UTF-8.`);
  }
  const pre = settings.fileNamePrePart.toUpperCase();
  const post = settings.fileNamePostPart.toUpperCase();
  const books = names.filter((n) => {
    const u = n.toUpperCase();
    if (!pre && !post) return USFM_FILE.test(n);
    if (u.length <= pre.length + post.length || !u.startsWith(pre) || !u.endsWith(post)) return false;
    // 41MAT, MAT or 41 between the parts; anything else is another file that happens to match.
    return /^(?:[0-9A-Z]{2}[0-9A-Z]{3}|[0-9A-Z]{3}|[0-9A-Z]{2})$/.test(u.slice(pre.length, u.length - post.length));
  });
  if (books.length === 0) {
    throw new LangbridgeError(
      'not-found',
      `the Paratext project ${label} has no book files named ${settings.fileNamePrePart}<book>${settings.fileNamePostPart}.`,
      label,
    );
  }
  const files = sortBooks(books, (n) => n.slice(pre.length, n.length - post.length));
  return { label: settings.name ?? label, files: files.map((n) => join(path, n)), lang: settings.lang, project: settings.name };
}

/** Canonical book order when a name shows its book (41MAT, 01-GEN), else by name. */
function sortBooks(names: string[], bookPart: (n: string) => string): string[] {
  const key = (n: string): number => {
    const m = /^(?:[0-9A-Z]{2}[-_ ]?)?([0-9A-Z]{3})/.exec(bookPart(n).toUpperCase());
    return m && isBookCode(m[1]) ? bookOrder(m[1]) : Number.MAX_SAFE_INTEGER;
  };
  return [...names].sort((x, y) => key(x) - key(y) || x.localeCompare(y, undefined, { numeric: true }));
}
