/**
 * Word tokens for the quality filters: the list that datatrove's
 * `split_into_words` returns, punctuation tokens included (its Gopher and
 * FineWeb filters count them: '#' per token, n-grams over tokens).
 *
 * For English datatrove uses spaCy's blank tokenizer; this is a port of the
 * rules of it that matter for the filters (prefix/suffix punctuation, "n't",
 * "'s", abbreviations with inner dots, hyphen/comma/slash infixes, URLs and
 * e-mail addresses kept whole). It is not a full spaCy clone: unit suffixes
 * after numbers ("10km") and its hand-written exception table are left out.
 *
 * Scripts written without spaces go through Intl.Segmenter (ICU's
 * dictionaries), keeping punctuation segments as tokens like spaCy does.
 * countWords in corpus/text-stats.ts counts words but does not expose them,
 * through the shared segmenter cache of corpus/text-stats.
 */
import { UNSPACED_SCRIPTS } from '../../corpus/scripts';
import { segmenterFor } from '../../corpus/text-stats';

const URL_OR_EMAIL = /^(?:(?:https?|ftp):\/\/\S+|www\.\S+\.\S+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,})$/u;
// "U.S.", "e.g.", "a.m.": letters each followed by a dot stay one token.
const DOTTED_ABBREVIATION = /^(?:\p{L}\.){2,}$/u;
const TITLES = new Set(['Mr.', 'Mrs.', 'Ms.', 'Dr.', 'Prof.', 'St.', 'Jr.', 'Sr.', 'vs.', 'etc.', 'Inc.', 'Ltd.', 'Co.', 'Corp.', 'Mt.', 'No.']);

const PREFIX = /^(?:\.\.+|…|[\p{Ps}\p{Pi}\p{Pf}"'`´!?¿¡,:;#*&_<>§%=—–$£€¥₹·。？！，、；：～])/u;
const SUFFIX = /(?:\.\.+|…|'s|'S|’s|’S|[\p{Pe}\p{Pi}\p{Pf}"'`´!?,:;#*&_<>%—–·。？！，、；：～])$/u;
// spaCy splits a final dot only after a lower-case letter, a digit, '%', '-',
// '+', punctuation or a quote, or after two capitals ("USA."), so "A." and
// "U.S." keep theirs.
const SUFFIX_DOT = /(?:(?<=[\p{Ll}\p{Lo}\p{M}\p{N}%²\-+…)\]}"'”’»\p{P}])|(?<=\p{Lu}\p{Lu}))\.$/u;
const INFIX = /\.\.+|…|(?<=[0-9])[+\-*^](?=[0-9-])|(?<=\p{Ll})\.(?=\p{Lu})|(?<=\p{L}),(?=\p{L})|(?<=[\p{L}0-9])(?:---|--|——|-|–|—|~)(?=\p{L})|(?<=[\p{L}0-9])[:<>=/](?=\p{L})/gu;
const CLITIC = /^(.+?)(n't|N'T|n’t|'ll|'re|'ve|'m|'d|’ll|’re|’ve|’m|’d)$/u;

function isSpecial(s: string): boolean {
  return URL_OR_EMAIL.test(s) || DOTTED_ABBREVIATION.test(s) || TITLES.has(s);
}

function splitInfixes(s: string, out: string[]): void {
  if (isSpecial(s)) {
    out.push(s);
    return;
  }
  const clitic = CLITIC.exec(s);
  if (clitic && /\p{L}$/u.test(clitic[1]!)) {
    out.push(clitic[1]!, clitic[2]!);
    return;
  }
  let last = 0;
  for (const m of s.matchAll(INFIX)) {
    if (m.index === 0) continue;
    if (m.index > last) out.push(s.slice(last, m.index));
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
}

function tokenizeChunk(chunk: string, out: string[]): void {
  let s = chunk;
  const suffixes: string[] = [];
  while (s.length > 0) {
    if (isSpecial(s)) break;
    const p = s.length > 1 ? PREFIX.exec(s) : null;
    if (p) {
      out.push(p[0]);
      s = s.slice(p[0].length);
      continue;
    }
    const q = s.length > 1 ? (SUFFIX.exec(s) ?? SUFFIX_DOT.exec(s)) : null;
    if (q && q[0].length < s.length) {
      suffixes.push(q[0]);
      s = s.slice(0, s.length - q[0].length);
      continue;
    }
    break;
  }
  if (s.length > 0) splitInfixes(s, out);
  for (let i = suffixes.length - 1; i >= 0; i--) out.push(suffixes[i]!);
}

/**
 * The tokens of a text, as datatrove's English word tokenizer would give them
 * (spaced scripts) or as Intl.Segmenter gives them (unspaced scripts).
 * Whitespace never makes a token.
 */
export function wordTokens(text: string, script = 'Latn', locale = 'und'): string[] {
  const out: string[] = [];
  if (UNSPACED_SCRIPTS.has(script)) {
    for (const seg of segmenterFor(locale).segment(text)) {
      const t = seg.segment.trim();
      if (t) out.push(t);
    }
    return out;
  }
  // The Ethiopic wordspace (U+1361) separates words in traditional Amharic and
  // Tigrinya text, as the corpus word counts already treat it.
  for (const chunk of text.split(/[\s\u1361]+/u)) if (chunk) tokenizeChunk(chunk, out);
  return out;
}
