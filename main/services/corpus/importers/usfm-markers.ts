/**
 * What the USFM parser needs to know about each marker (USFM 3.0). Markers
 * are looked up by their base name: digits that number a level (q1, s2, mt1,
 * toc3, imt2, tc1, th2-3) are stripped first.
 */

/** Book identifiers in Paratext's canonical order; \id must name one of these. */
export const BOOK_CODES: readonly string[] = [
  // Old Testament
  'GEN', 'EXO', 'LEV', 'NUM', 'DEU', 'JOS', 'JDG', 'RUT', '1SA', '2SA', '1KI', '2KI', '1CH', '2CH', 'EZR', 'NEH',
  'EST', 'JOB', 'PSA', 'PRO', 'ECC', 'SNG', 'ISA', 'JER', 'LAM', 'EZK', 'DAN', 'HOS', 'JOL', 'AMO', 'OBA', 'JON',
  'MIC', 'NAM', 'HAB', 'ZEP', 'HAG', 'ZEC', 'MAL',
  // New Testament
  'MAT', 'MRK', 'LUK', 'JHN', 'ACT', 'ROM', '1CO', '2CO', 'GAL', 'EPH', 'PHP', 'COL', '1TH', '2TH', '1TI', '2TI',
  'TIT', 'PHM', 'HEB', 'JAS', '1PE', '2PE', '1JN', '2JN', '3JN', 'JUD', 'REV',
  // Deuterocanon and other books
  'TOB', 'JDT', 'ESG', 'WIS', 'SIR', 'BAR', 'LJE', 'S3Y', 'SUS', 'BEL', '1MA', '2MA', '3MA', '4MA', '1ES', '2ES',
  'MAN', 'PS2', 'ODA', 'PSS', 'JSA', 'JDB', 'TBS', 'SST', 'DNT', 'BLT', 'EZA', '5EZ', '6EZ', 'DAG', 'PS3', '2BA',
  'LBA', 'JUB', 'ENO', '1MQ', '2MQ', '3MQ', 'REP', '4BA', 'LAO',
  // Peripheral books
  'FRT', 'BAK', 'OTH', 'INT', 'CNC', 'GLO', 'TDX', 'NDX', 'XXA', 'XXB', 'XXC', 'XXD', 'XXE', 'XXF', 'XXG',
];
const BOOK_INDEX = new Map(BOOK_CODES.map((c, i) => [c, i]));

export function isBookCode(code: string): boolean {
  return BOOK_INDEX.has(code);
}

/** Canonical position of a book, for reading a project's files in order. */
export function bookOrder(code: string): number {
  return BOOK_INDEX.get(code) ?? BOOK_CODES.length;
}

export type MarkerKind =
  /** Starts a paragraph of Scripture text (\p, \q1, \m, \li1, \tr ...). */
  | 'para'
  /** Starts a paragraph that is not verse text: titles, headings, intros (\mt1, \s1, \r, \d, \ip ...). */
  | 'heading'
  /** A note whose text goes to meta.footnotes (\f, \fe, \ef). */
  | 'footnote'
  /** A note whose text goes to meta.crossrefs (\x, \ex). */
  | 'crossref'
  /** A field inside a note (\fr, \ft, \xo, \xt ...): no closing marker needed. */
  | 'note-field'
  /** A character span whose text is part of the verse (\w, \add, \nd, \wj ...). */
  | 'char'
  /** A character span whose text is not (\va, \vp, \fig, \rq ...). */
  | 'char-drop'
  /** A marker with no text of its own (\pb, \ts). */
  | 'empty';

const PARA = [
  'p', 'm', 'po', 'pr', 'cls', 'pmo', 'pm', 'pmc', 'pmr', 'pi', 'mi', 'nb', 'pc', 'ph', 'b', 'q', 'qr', 'qc', 'qm',
  'lh', 'li', 'lf', 'lim', 'tr', 'th', 'thr', 'tc', 'tcr', 'esbe',
];
// \d (a psalm's title) and \qd (its closing note) are headings here, not
// verse text, although some traditions count \d as verse 1.
const HEADING = [
  'mt', 'mte', 'ms', 'mr', 's', 'sr', 'r', 'd', 'sp', 'sd', 'cl', 'cd', 'cp', 'h', 'toc', 'toca', 'ide', 'sts',
  'rem', 'usfm', 'is', 'ip', 'ipi', 'im', 'imi', 'ipq', 'imq', 'ipr', 'iq', 'ib', 'ili', 'iot', 'io', 'iex', 'imt',
  'imte', 'ie', 'qa', 'qd', 'lit', 'restore', 'periph', 'esb',
];
const NOTE_FIELD = [
  'fr', 'fq', 'fqa', 'fk', 'ft', 'fl', 'fw', 'fp', 'fm', 'xo', 'xk', 'xq', 'xt', 'xta', 'xop', 'xot', 'xnt', 'xdc',
];
const CHAR = [
  'w', 'add', 'bk', 'dc', 'k', 'nd', 'ord', 'pn', 'png', 'addpn', 'qt', 'sig', 'sls', 'tl', 'wj', 'em', 'bd', 'it',
  'bdit', 'no', 'sc', 'sup', 'wg', 'wh', 'wa', 'rb', 'jmp', 'lik', 'liv', 'litl', 'qac', 'qs', 'ndx', 'iqt', 'ior', 'fv',
  'fdc', 'xt', 'ref',
];
// \pro (pronunciation) and \rq (an inline reference) annotate the text rather than being part of it.
const CHAR_DROP = ['va', 'vp', 'ca', 'fig', 'rq', 'cat', 'pro'];
const EMPTY = ['pb', 'ts'];

const KINDS = new Map<string, MarkerKind>();
for (const [names, kind] of [
  [PARA, 'para'],
  [HEADING, 'heading'],
  [CHAR, 'char'],
  [CHAR_DROP, 'char-drop'],
  [EMPTY, 'empty'],
] as const) {
  for (const n of names) KINDS.set(n, kind);
}
for (const n of ['f', 'fe', 'ef']) KINDS.set(n, 'footnote');
for (const n of ['x', 'ex']) KINDS.set(n, 'crossref');

/** q1 → q, imt2 → imt, tc1-2 → tc. */
export function baseName(marker: string): string {
  return marker.replace(/\d+(?:-\d+)?$/, '');
}

/**
 * The kind of an opening marker, or undefined for one we do not know. Inside
 * a note, \xt and friends are note fields; outside, \xt is a character span.
 */
export function markerKind(marker: string, inNote: boolean): MarkerKind | undefined {
  const base = baseName(marker);
  if (inNote && NOTE_FIELD.includes(base)) return 'note-field';
  return KINDS.get(base);
}

export function isNoteField(marker: string): boolean {
  return NOTE_FIELD.includes(baseName(marker));
}

/** Note fields whose text repeats where the note is (the verse it hangs on): left out of the note's text. */
export const NOTE_ORIGIN_FIELDS = new Set(['fr', 'xo', 'fm', 'xop']);

/**
 * Parses `lemma="x" strong="H123"`; a bare value is the marker's default
 * attribute (lemma for \w, gloss for \rb, link-href for \xt and \jmp).
 */
export function parseAttributes(marker: string, text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const trimmed = text.trim();
  if (trimmed === '') return attrs;
  let found = false;
  for (const m of trimmed.matchAll(/([A-Za-z][\w-]*)\s*=\s*"([^"]*)"/g)) {
    attrs[m[1]] = m[2];
    found = true;
  }
  if (!found) {
    const defaults: Record<string, string> = { w: 'lemma', rb: 'gloss', xt: 'link-href', jmp: 'link-href', fig: 'src' };
    attrs[defaults[marker] ?? 'default'] = trimmed;
  }
  return attrs;
}
