/**
 * Sentence splitting for documents, with the platform's Unicode sentence
 * rules (Intl.Segmenter, ICU's UAX #29) in the source language: it knows the
 * full stops of every script (。 ። । ؟ ...). It does not split Thai, Lao,
 * Khmer or Myanmar text, which mark sentences with spaces or not at all: a
 * line of those scripts is translated whole, which is the safer failure.
 */
import { pushPiece, type DocumentPlan, type Piece } from './document-plan';

// Scripts written without spaces between sentences: translations into them
// are joined with nothing, translations out of them get a space.
const NO_SPACE_SCRIPTS = new Set(['Hani', 'Hans', 'Hant', 'Jpan', 'Kore', 'Thai', 'Laoo', 'Khmr', 'Mymr', 'Tibt']);

function locale(lang: string): string {
  const iso = lang.split(/[_-]/)[0] ?? 'und';
  try {
    return Intl.Segmenter.supportedLocalesOf([iso]).length ? iso : 'und';
  } catch {
    return 'und';
  }
}

function scriptOf(lang: string): string | undefined {
  return /^[a-z]{2,3}[_-]([A-Z][a-z]{3})$/.exec(lang)?.[1];
}

/** Whether sentences in this language are separated by a space. */
export function spacesBetweenSentences(lang: string): boolean {
  const s = scriptOf(lang);
  return !(s && NO_SPACE_SCRIPTS.has(s));
}

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(lang: string): Intl.Segmenter {
  const l = locale(lang);
  let s = segmenters.get(l);
  if (!s) segmenters.set(l, (s = new Intl.Segmenter(l, { granularity: 'sentence' })));
  return s;
}

/** The sentences of one line of text (no line breaks inside), each with the whitespace that follows it. */
export function splitSentences(text: string, lang: string): Array<{ sentence: string; after: string }> {
  const out: Array<{ sentence: string; after: string }> = [];
  for (const { segment } of segmenter(lang).segment(text)) {
    const m = /^([\s\S]*?)(\s*)$/u.exec(segment)!;
    if (m[1] === '') {
      // Whitespace alone (only at the start of a line): kept before the next sentence.
      if (out.length) out[out.length - 1]!.after += m[2];
      else out.push({ sentence: '', after: m[2] ?? '' });
    } else out.push({ sentence: m[1]!, after: m[2] ?? '' });
  }
  return out;
}

/** Whether a run of text has anything to translate (a letter), rather than only numbers or punctuation. */
export function hasWords(text: string): boolean {
  return /\p{L}/u.test(text);
}

/**
 * Adds one run of text to a plan as sentences (translated) and the
 * whitespace between them (kept). Two sentences that touched in the source
 * (Chinese 。 then the next sentence) get a space between their translations
 * when the target language writes one.
 */
export function pushSentences(pieces: Piece[], text: string, srcLang: string, tgtLang: string): void {
  const lead = /^\s*/u.exec(text)![0];
  pushPiece(pieces, { kind: 'keep', text: lead });
  const body = text.slice(lead.length);
  const parts = splitSentences(body, srcLang).filter((p) => p.sentence !== '' || p.after !== '');
  parts.forEach((p, i) => {
    pushPiece(pieces, { kind: hasWords(p.sentence) ? 'translate' : 'keep', text: p.sentence });
    const between = p.after === '' && i < parts.length - 1 && spacesBetweenSentences(tgtLang) ? ' ' : p.after;
    pushPiece(pieces, { kind: 'keep', text: between });
  });
}

/**
 * A plain-text document: line by line (line breaks and empty lines kept as
 * they are, CRLF included), each line cut into sentences.
 */
export function planPlainText(text: string, srcLang: string, tgtLang: string): DocumentPlan {
  const pieces: Piece[] = [];
  for (const m of text.matchAll(/([^\r\n]*)(\r\n|\n|\r|$)/g)) {
    if (m[0] === '') break;
    pushSentences(pieces, m[1]!, srcLang, tgtLang);
    pushPiece(pieces, { kind: 'keep', text: m[2]! });
  }
  return { pieces };
}
