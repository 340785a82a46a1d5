/**
 * Text normalisation, the first pipeline step. Pure: no I/O, same input, same
 * output. It runs over hundreds of megabytes, so each rule is one or two global
 * regex replaces per document (no per-character regex calls), and a rule whose
 * trigger character is absent is skipped outright.
 *
 * Order matters and is fixed:
 *   1. html          tags out (block tags become line breaks), then entities
 *                    decoded, so "&lt;b&gt;" becomes the text "<b>" and is
 *                    not stripped again;
 *   2. nfc / nfkc    after HTML, because a numeric entity can spell a
 *                    combining mark ("e&#769;");
 *   3. control       see CONTROL_RE;
 *   4. symbol-lines  before whitespace, so the blank lines it leaves collapse;
 *   5. whitespace    last, it tidies what the others left.
 */

export interface NormaliseOptions {
  form: 'NFC' | 'NFKC';
  stripControl: boolean;
  collapseWhitespace: boolean;
  cleanHtml: boolean;
  dropSymbolLines: boolean;
}

export const DEFAULT_NORMALISE_OPTIONS: Readonly<NormaliseOptions> = Object.freeze({
  form: 'NFC',
  stripControl: true,
  collapseWhitespace: true,
  cleanHtml: true,
  dropSymbolLines: true,
});

/** Why a document changed, in the order the steps ran; shown by the UI. */
export type NormaliseChange = 'html' | 'nfc' | 'nfkc' | 'control' | 'symbol-lines' | 'whitespace';

export function normalise(text: string, opts: NormaliseOptions = DEFAULT_NORMALISE_OPTIONS): { text: string; changes: NormaliseChange[] } {
  const changes: NormaliseChange[] = [];
  let t = text;
  const step = (change: NormaliseChange, next: string) => {
    if (next !== t) {
      changes.push(change);
      t = next;
    }
  };
  if (opts.cleanHtml && (t.includes('<') || t.includes('&'))) step('html', cleanHtml(t));
  step(opts.form === 'NFKC' ? 'nfkc' : 'nfc', t.normalize(opts.form));
  if (opts.stripControl) step('control', stripControl(t));
  if (opts.dropSymbolLines) step('symbol-lines', t.replace(SYMBOL_LINE_RE, ''));
  if (opts.collapseWhitespace) step('whitespace', collapseWhitespace(t));
  return { text: t, changes };
}

// ---------------------------------------------------------------- control

// Removed: C0 and C1 controls (Cc) except \t, \n and \r (\r is a line break;
// the whitespace rule turns it into \n), the byte-order mark U+FEFF (which also
// shows up mid-text where files were concatenated) and the noncharacters
// U+FFFE/U+FFFF (decoding debris).
// Kept on purpose, although they are invisible format characters (Cf):
// ZWNJ U+200C and ZWJ U+200D (they change spelling in Persian, Hindi, Sinhala
// and emoji sequences), LRM/RLM U+200E/U+200F and the bidi embeddings (they
// fix how mixed Arabic/Hebrew and Latin text is displayed), and ZWSP U+200B
// (a word-break hint in Thai, Khmer and Myanmar text).
const CONTROL_RE = /[\u0000-\u0008\u000e-\u001b\u001f\u007f-\u0084\u0086-\u009f\ufeff\ufffe\uffff]/g;
// \v, \f, the information separators U+001C..U+001E and NEL U+0085 end a line
// (Python's splitlines agrees), so they become \n rather than vanish and glue
// two words together.
const CONTROL_BREAK_RE = /[\u000b\u000c\u001c-\u001e\u0085]/g;

function stripControl(t: string): string {
  return t.replace(CONTROL_BREAK_RE, '\n').replace(CONTROL_RE, '');
}

// ---------------------------------------------------------------- whitespace

// Horizontal whitespace (Zs plus tab). The Ethiopic wordspace U+1361 is
// punctuation, not a space, and is kept: it is how Amharic separates words.
const HSPACE = '\\t\\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000';
// Only runs that would change: two or more spaces, or any non-ASCII space.
const HSPACE_RE = new RegExp(`[ ${HSPACE}]{2,}|[${HSPACE}]`, 'g');
const LINE_BREAK_RE = /\r\n?|[\u2028\u2029]/g;

/**
 * \r\n, \r and U+2028/U+2029 become \n; runs of spaces become one ASCII space;
 * lines are trimmed at both ends (indentation does not survive the collapse
 * anyway); two or more blank lines become one, so paragraph breaks survive;
 * the document is trimmed.
 */
function collapseWhitespace(t: string): string {
  return t
    .replace(LINE_BREAK_RE, '\n')
    .replace(HSPACE_RE, ' ')
    .replace(/ \n ?|\n /g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---------------------------------------------------------------- symbol lines

// A line with no letter and no digit in any script but at least one visible
// character ("-----", "* * *", "|||", "•••", "፨፨፨", an emoji-only line) goes,
// with its line break. Blank lines stay: they mark paragraphs. Lines with a
// digit ("2019", "3:16") stay. Written without the `m` flag, whose ^ and $ also
// break at \r and would leave half of a \r\n behind, and with an unambiguous
// shape (leading spaces, first visible character, rest) so it never backtracks
// quadratically on a long line.
const SYMBOL_LINE_RE = /(?<![^\n])[^\S\n]*[^\p{L}\p{N}\s][^\p{L}\p{N}\n]*(?:\n|$)/gu;

// ---------------------------------------------------------------- html

// A tag is "<", an optional "/", a letter-led name and then ">" or a space or
// "/" before the attributes, so "a < b" and "x <= 3" are text. Hazard: "a<b and
// c>d" still looks like a tag and is removed, as a browser would.
const TAG_RE = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)(?:[\s/][^<>]*)?>/g;
// Script and style bodies are code, not text; comments are not text either.
const SKIP_RE = /<(script|style)\b[^<>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'div', 'dl', 'dt', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav',
  'ol', 'p', 'pre', 'section', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
]);
// Table cells sit side by side: a space keeps their words apart.
const CELL_TAGS = new Set(['td', 'th']);
const ENTITY_RE = /&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

function cleanHtml(t: string): string {
  if (t.includes('<')) {
    t = t.replace(SKIP_RE, '').replace(TAG_RE, (_m, _slash: string, name: string) => {
      const n = name.toLowerCase();
      if (BLOCK_TAGS.has(n)) return '\n';
      return CELL_TAGS.has(n) ? ' ' : '';
    });
  }
  if (t.includes('&')) t = t.replace(ENTITY_RE, decodeEntity);
  return t;
}

// No HTML entity package is a dependency, so the common named entities are
// listed here: all of Latin-1 (U+00A0..U+00FF, in order) plus the punctuation,
// typography and bidi marks that web text actually uses. Unknown names, and
// names without the final ";" ("AT&T", "&copy 2020"), are left as they are.
const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const NAMED_ENTITIES = new Map<string, string>([
  ['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"],
  ['OElig', '\u0152'], ['oelig', '\u0153'], ['Scaron', '\u0160'], ['scaron', '\u0161'], ['Yuml', '\u0178'],
  ['fnof', '\u0192'], ['circ', '\u02c6'], ['tilde', '\u02dc'],
  ['ensp', '\u2002'], ['emsp', '\u2003'], ['thinsp', '\u2009'],
  ['zwnj', '\u200c'], ['zwj', '\u200d'], ['lrm', '\u200e'], ['rlm', '\u200f'],
  ['ndash', '\u2013'], ['mdash', '\u2014'], ['lsquo', '\u2018'], ['rsquo', '\u2019'], ['sbquo', '\u201a'],
  ['ldquo', '\u201c'], ['rdquo', '\u201d'], ['bdquo', '\u201e'], ['dagger', '\u2020'], ['Dagger', '\u2021'],
  ['bull', '\u2022'], ['hellip', '\u2026'], ['permil', '\u2030'], ['prime', '\u2032'], ['Prime', '\u2033'],
  ['lsaquo', '\u2039'], ['rsaquo', '\u203a'], ['euro', '\u20ac'], ['trade', '\u2122'],
  ['larr', '\u2190'], ['uarr', '\u2191'], ['rarr', '\u2192'], ['darr', '\u2193'], ['harr', '\u2194'],
  ...LATIN1_NAMES.split(' ').map((name, i): [string, string] => [name, String.fromCharCode(0xa0 + i)]),
]);

// HTML5 maps numeric references in 0x80..0x9F to Windows-1252, because that is
// what pages declaring Latin-1 really meant ("&#150;" is an en dash).
const WINDOWS_1252: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc,
  0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

function decodeEntity(m: string, dec: string | undefined, hex: string | undefined, name: string | undefined): string {
  if (name !== undefined) return NAMED_ENTITIES.get(name) ?? m;
  let cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
  cp = WINDOWS_1252[cp] ?? cp;
  // As in HTML5: NUL, surrogates and out-of-range values become U+FFFD.
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(cp);
}
