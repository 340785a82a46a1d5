import type {
  CorpusStats,
  DocumentDetail,
  DocumentRow,
  Language,
  PairRow,
  SearchHit,
  SearchRequest,
  SearchResult,
  Source,
} from '../../api/schemas';
import { LangbridgeError } from '../../api/errors';
import type { Db } from '../../../db/open';
import * as q from '../../../db/queries/corpus';
import { TOKENIZER_NAME } from './tokenizer-name';
import { resolveLanguage } from './languages';

/** Read side of the corpus: rows from db/queries shaped into the contract's types. */

export function sources(db: Db): Source[] {
  return q.listSources(db).map((s) => ({
    id: s.id,
    name: s.name,
    format: s.format as Source['format'],
    originalPath: s.original_path,
    sha256: s.sha256,
    sizeBytes: s.size_bytes,
    license: s.license,
    notes: s.notes,
    importedAt: s.imported_at,
    documents: s.documents,
    pairs: s.pairs,
    skipped: s.skipped,
    status: s.status,
    languages: s.languages ? s.languages.split(',').sort() : [],
  }));
}

export function languages(db: Db): Language[] {
  return q.listLanguages(db).map((l) => ({
    code: l.code,
    iso6393: l.iso639_3,
    script: l.script,
    name: l.name,
    direction: l.direction,
    known: l.known === 1,
  }));
}

export function stats(db: Db): CorpusStats {
  const rows = q.languageStats(db);
  const partners = new Map<string, Record<string, number>>();
  const add = (a: string, b: string, n: number) => {
    const m = partners.get(a) ?? {};
    m[b] = (m[b] ?? 0) + n;
    partners.set(a, m);
  };
  for (const p of q.pairStats(db)) {
    add(p.src_lang, p.tgt_lang, p.pairs);
    add(p.tgt_lang, p.src_lang, p.pairs);
  }
  const languagesOut = rows.map((r) => {
    const byPartner = partners.get(r.code) ?? {};
    return {
      code: r.code,
      name: r.name,
      script: r.script,
      direction: r.direction,
      documents: r.documents,
      evalDocuments: r.evalDocuments,
      pairs: Object.values(byPartner).reduce((a, b) => a + b, 0),
      pairsByPartner: byPartner,
      characters: r.characters,
      words: r.words,
      tokens: r.tokens,
      fertility: r.words > 0 ? Math.round((r.tokens / r.words) * 100) / 100 : null,
      tokensEstimated: r.tokenizedChars < r.characters,
    };
  });
  const all = sources(db);
  return {
    languages: languagesOut,
    totals: {
      sources: all.length,
      documents: all.reduce((n, s) => n + s.documents, 0),
      pairs: all.reduce((n, s) => n + s.pairs, 0),
      characters: languagesOut.reduce((n, l) => n + l.characters, 0),
      tokens: languagesOut.reduce((n, l) => n + l.tokens, 0),
    },
    tokenizer: TOKENIZER_NAME,
  };
}

/** Accepts a language filter in any form the user types (sw, swh, swh_Latn) when it matches a corpus language. */
export function normaliseLangFilter(db: Db, lang: string | undefined): string | undefined {
  if (!lang) return undefined;
  const known = q.listLanguages(db);
  if (known.some((l) => l.code === lang)) return lang;
  const r = resolveLanguage(lang);
  const match = known.find((l) => l.code === r.code) ?? known.find((l) => l.iso639_3 === r.iso6393);
  if (!match) throw new LangbridgeError('not-found', `The corpus has no language "${lang}". Languages present: ${known.map((l) => l.code).join(', ') || 'none yet'}.`);
  return match.code;
}

export function documents(db: Db, f: { lang?: string; role?: 'train' | 'eval'; sourceId?: number; offset: number; limit: number }): { total: number; rows: DocumentRow[] } {
  const lang = normaliseLangFilter(db, f.lang);
  const filter = { lang, role: f.role, sourceId: f.sourceId };
  return {
    total: q.countDocuments(db, filter),
    rows: q.listDocuments(db, filter, f.offset, f.limit).map(docRow),
  };
}

function docRow(r: q.DocumentDbRow): DocumentRow {
  return { id: r.id, sourceId: r.source_id, lang: r.lang, direction: r.direction, ordinal: r.ordinal, role: r.role, ref: r.ref, text: r.text };
}

export function document(db: Db, id: number): DocumentDetail {
  const d = q.getDocument(db, id);
  if (!d) throw new LangbridgeError('not-found', `There is no document #${id} in the corpus (it may have been deleted with its source).`);
  let meta: Record<string, unknown> | null = null;
  if (d.meta) meta = JSON.parse(d.meta) as Record<string, unknown>;
  return {
    ...docRow(d),
    sourceName: d.source_name,
    meta,
    aligned: d.ref ? q.alignedTexts(db, d.lang, d.ref) : [],
  };
}

function pairRow(r: q.PairDbRow): PairRow {
  return {
    id: r.id,
    sourceId: r.source_id,
    srcLang: r.src_lang,
    tgtLang: r.tgt_lang,
    srcDirection: r.src_direction,
    tgtDirection: r.tgt_direction,
    srcText: r.src_text,
    tgtText: r.tgt_text,
    ref: r.ref,
    role: r.role,
  };
}

export function pairs(db: Db, f: { lang?: string; sourceId?: number; offset: number; limit: number }): { total: number; rows: PairRow[] } {
  const lang = normaliseLangFilter(db, f.lang);
  const r = q.listPairs(db, { lang, sourceId: f.sourceId }, f.offset, f.limit);
  return { total: r.total, rows: r.rows.map(pairRow) };
}

const SNIPPET = 320;

/**
 * Match ranges of the query in a text (case-insensitive where lower-casing
 * keeps lengths, exact otherwise), cut to a snippet around the first match.
 */
export function highlight(text: string, query: string): { text: string; matches: [number, number][] } {
  const lowerText = text.toLowerCase();
  const lowerQuery = query.toLowerCase();
  const caseless = lowerText.length === text.length && lowerQuery.length === query.length;
  const hay = caseless ? lowerText : text;
  const needle = caseless ? lowerQuery : query;
  const all: [number, number][] = [];
  for (let i = hay.indexOf(needle); i >= 0 && all.length < 50; i = hay.indexOf(needle, i + needle.length)) {
    all.push([i, i + needle.length]);
  }
  if (text.length <= SNIPPET) return { text, matches: all };
  const first = all[0]?.[0] ?? 0;
  const start = Math.max(0, first - 100);
  const end = Math.min(text.length, start + SNIPPET);
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const shift = prefix.length - start;
  return {
    text: prefix + text.slice(start, end) + suffix,
    matches: all.filter(([a, b]) => a >= start && b <= end).map(([a, b]) => [a + shift, b + shift]),
  };
}

export function search(db: Db, req: Required<Pick<SearchRequest, 'query' | 'kind' | 'limit' | 'offset'>> & SearchRequest): SearchResult {
  const t0 = performance.now();
  const query = req.query.trim();
  if (!query) throw new LangbridgeError('bad-input', 'Type something to search for.');
  const lang = normaliseLangFilter(db, req.lang);
  // Trigrams need 3 characters (code points); shorter queries (a two-character
  // Chinese word) fall back to a scan.
  const method = [...query].length >= 3 ? 'trigram' : 'scan';
  const hits: SearchHit[] = [];
  let more = false;
  if (req.kind === 'pairs') {
    const rows = q.searchPairs(db, query, { lang, role: req.role }, req.offset, req.limit + 1, method);
    more = rows.length > req.limit;
    for (const r of rows.slice(0, req.limit)) {
      hits.push({
        id: r.id,
        kind: 'pair',
        sourceId: r.source_id,
        lang: r.src_lang,
        direction: r.src_direction,
        role: r.role,
        ref: r.ref,
        text: highlight(r.src_text, query),
        partner: { lang: r.tgt_lang, direction: r.tgt_direction, text: highlight(r.tgt_text, query) },
      });
    }
  } else {
    const rows = q.searchDocuments(db, query, { lang, role: req.role }, req.offset, req.limit + 1, method);
    more = rows.length > req.limit;
    for (const r of rows.slice(0, req.limit)) {
      hits.push({ id: r.id, kind: 'document', sourceId: r.source_id, lang: r.lang, direction: r.direction, role: r.role, ref: r.ref, text: highlight(r.text, query) });
    }
  }
  return { hits, more, method, ms: Math.round((performance.now() - t0) * 10) / 10 };
}
