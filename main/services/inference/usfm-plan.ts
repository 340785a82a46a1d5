/**
 * A USFM file as a translation plan: every marker, with its arguments and
 * attributes, is kept exactly where it was; only the text between markers is
 * translated. What is not prose is kept too: book codes, chapter and verse
 * numbers, note callers, origin references (\fr, \xo) and cross-reference
 * targets (\xt in a note), \w attributes after "|", milestones, and the
 * header lines that are not text (\usfm, \ide, \rem, \r, \toc3 ...).
 *
 * Text runs are cut at markers, so a verse with a footnote in the middle is
 * translated as two pieces, and a word in \w ...\w* is translated alone: the
 * price of keeping every marker without guessing where it goes in the output.
 */
import { pushPiece, type DocumentPlan, type Piece } from './document-plan';
import { pushSentences } from './sentences';
import { baseName, markerKind } from '../corpus/importers/usfm-markers';

// A marker (\p, \q1, \+w, \w*, \qt-s) or the end of a milestone (\*): the usfm-parser's pattern.
// A nested span (\+w) behaves as its plain form.
const MARKER = /\\(\+?)([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)?)(\*?)|\\\*/g;

/** Paragraph-level markers whose text is metadata or references, not prose. */
const KEEP_PARA = new Set(['usfm', 'ide', 'rem', 'sts', 'r', 'cp', 'toc3', 'toca3', 'periph', 'restore']);
/** Note fields that hold references or numbers, not prose. */
const KEEP_NOTE_FIELDS = new Set(['fr', 'fv', 'fm', 'xo', 'xt', 'xop', 'xot', 'xnt']);

interface Span {
  marker: string;
  /** Text in this span is translated (true), or kept. */
  translate: boolean;
  /** A note: the caller (+, -, a letter) still to come. */
  caller?: boolean;
  /** A note: the current field's mode. */
  note?: 'footnote' | 'crossref';
  /** A character span after its "|": attributes, kept. */
  attrs?: boolean;
}

class UsfmPlanner {
  readonly pieces: Piece[] = [];
  private spans: Span[] = [];
  /** The paragraph's mode: prose is translated, metadata lines kept. */
  private paraTranslate = false;
  /** \id, \c, \v: the next word is an argument; \id keeps its whole line. */
  private pending: 'id' | 'c' | 'v' | null = null;
  private milestone = false;

  constructor(
    private readonly srcLang: string,
    private readonly tgtLang: string,
  ) {}

  private keep(text: string): void {
    pushPiece(this.pieces, { kind: 'keep', text });
  }

  private get translating(): boolean {
    if (this.milestone) return false;
    const top = this.spans[this.spans.length - 1];
    return top ? top.translate && !top.attrs : this.paraTranslate;
  }

  marker(token: string, name: string, star: string): void {
    this.keep(token);
    if (token === '\\*') {
      this.milestone = false;
      return;
    }
    if (star) return this.close(name);
    if (name === 'id' || name === 'c' || name === 'v') {
      this.spans = [];
      this.pending = name;
      if (name === 'id') this.paraTranslate = false;
      return;
    }
    if (/-[se]$/.test(name)) {
      this.milestone = true;
      return;
    }
    const inNote = this.spans.some((s) => s.note);
    const kind = markerKind(name, inNote);
    const base = baseName(name);
    switch (kind) {
      case 'para':
      case 'heading':
        this.spans = [];
        this.paraTranslate = !KEEP_PARA.has(name) && !KEEP_PARA.has(base);
        break;
      case 'footnote':
        this.spans.push({ marker: name, translate: true, caller: true, note: 'footnote' });
        break;
      case 'crossref':
        // A cross-reference's bare text is its target list: kept until a prose field (\xk, \xq, \xta).
        this.spans.push({ marker: name, translate: false, caller: true, note: 'crossref' });
        break;
      case 'note-field': {
        const i = this.spans.findLastIndex((s) => s.note);
        this.spans.length = i + 1;
        this.spans[i]!.translate = !KEEP_NOTE_FIELDS.has(base);
        break;
      }
      case 'char':
        this.spans.push({ marker: name, translate: this.translating || (inNote && base !== 'xt') });
        break;
      case 'char-drop':
        this.spans.push({ marker: name, translate: false });
        break;
      case 'empty':
      case undefined:
        // An unknown marker's text is translated as the paragraph's (the importer keeps it as verse text too).
        break;
    }
  }

  private close(name: string): void {
    const i = this.spans.findLastIndex((s) => s.marker === name);
    if (i >= 0) {
      this.spans.length = i;
      return;
    }
    // \fq ...\fq*: back to the note's own text.
    const note = this.spans.findLast((s) => s.note);
    if (note) note.translate = note.note === 'footnote';
  }

  text(raw: string, afterOpening: boolean): void {
    let s = raw;
    if (afterOpening) {
      // The one space that ends an opening marker belongs to the marker.
      const sp = /^[ \t]/.exec(s)?.[0] ?? '';
      this.keep(sp);
      s = s.slice(sp.length);
    }
    if (this.pending) {
      if (this.pending === 'id') {
        const eol = s.search(/\r?\n|\r/);
        this.keep(eol < 0 ? s : s.slice(0, eol));
        if (eol < 0) return; // the whole rest is the \id line
        s = s.slice(eol);
        this.pending = null;
      } else {
        const m = /^\s*\S+/.exec(s);
        if (!m) return this.keep(s); // the number may follow on the next line
        this.keep(m[0]);
        s = s.slice(m[0].length);
        // Text after a chapter or verse number is Scripture text.
        this.paraTranslate = true;
        this.pending = null;
      }
    }
    const top = this.spans[this.spans.length - 1];
    if (top?.caller) {
      const m = /^\s*\S+/.exec(s);
      if (!m) return this.keep(s);
      this.keep(m[0]);
      s = s.slice(m[0].length);
      top.caller = false;
    }
    if (top && !top.note && !top.attrs) {
      // \w word|lemma="..."\w*: the word is text, what follows "|" attributes.
      const bar = s.indexOf('|');
      if (bar >= 0) {
        this.prose(s.slice(0, bar));
        top.attrs = true;
        return this.keep(s.slice(bar));
      }
    }
    this.prose(s);
  }

  private prose(s: string): void {
    if (!this.translating) return this.keep(s);
    const lead = /^\s*/u.exec(s)![0];
    const trail = /\s*$/u.exec(s.slice(lead.length))![0];
    const body = s.slice(lead.length, s.length - trail.length);
    this.keep(lead);
    // Line breaks inside a run are whitespace in USFM: one sentence may run over several lines.
    if (body) pushSentences(this.pieces, body.replace(/\s*(?:\r\n|\n|\r)\s*/g, ' '), this.srcLang, this.tgtLang);
    this.keep(trail);
  }
}

export function planUsfm(text: string, srcLang: string, tgtLang: string): DocumentPlan {
  const p = new UsfmPlanner(srcLang, tgtLang);
  let last = 0;
  let afterOpening = false;
  for (const m of text.matchAll(MARKER)) {
    if (m.index > last || afterOpening) p.text(text.slice(last, m.index), afterOpening);
    p.marker(m[0], m[2] ?? '', m[3] ?? '');
    afterOpening = m[0] !== '\\*' && !m[3];
    last = m.index + m[0].length;
  }
  p.text(text.slice(last), afterOpening);
  return { pieces: p.pieces };
}

/** Whether a file is USFM: by its extension, or by an \id line at its start. */
export function looksLikeUsfm(path: string, head: string): boolean {
  return /\.(usfm|sfm)$/i.test(path) || /^\uFEFF?\s*\\id\s+[0-9A-Z]{3}\b/.test(head);
}
