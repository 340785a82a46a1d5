import { parseError, type LangbridgeError } from '../../../api/errors';
import {
  NOTE_ORIGIN_FIELDS,
  baseName,
  isBookCode,
  isNoteField,
  markerKind,
  parseAttributes,
} from './usfm-markers';

/** One verse, as the importer stores it. */
export interface UsfmVerse {
  book: string;
  chapter: number;
  /** As written: "3", "3-4" (a bridge) or "2a" (a part). */
  verse: string;
  /** "MAT 5:3": the same verse in two translations has the same ref. */
  ref: string;
  text: string;
  /** Line of the \v marker. */
  line: number;
  footnotes: string[];
  crossrefs: string[];
  /** \w attributes (lemma, strong ...) with the word they belong to. */
  words: Record<string, string>[];
}

export interface UsfmBook {
  code: string;
  /** The rest of the \id line ("Swahili Union Version"), where some projects say the language. */
  description: string;
}

interface Frame {
  kind: 'char' | 'drop' | 'note';
  marker: string;
  parts: string[];
  /** Notes: where the text goes, the current field, and whether the caller (+, -, a) is still to come. */
  target?: 'footnotes' | 'crossrefs';
  field?: string;
  caller?: boolean;
  /** Notes: whether the note hangs on the open verse (not on a heading). */
  attach?: boolean;
}

interface OpenVerse {
  chapter: number;
  verse: string;
  line: number;
  parts: string[];
  footnotes: string[];
  crossrefs: string[];
  words: Record<string, string>[];
}

// A marker (\p, \q1, \+w, \w*, \qt-s, \zaln-e) or the end of a milestone (\*).
const MARKER = /\\(\+?)([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)?)(\*?)|\\\*/g;

/**
 * A streaming USFM parser: lines go in, finished verses come out. A verse
 * runs from its \v to the next \v, \c or \id, across lines and paragraph
 * markers; headings inside it are left out, notes go to the verse's
 * footnotes/crossrefs, and character markers keep their text.
 */
export class UsfmParser {
  readonly books: UsfmBook[] = [];
  private book: string | null = null;
  private chapter: number | null = null;
  private verse: OpenVerse | null = null;
  private frames: Frame[] = [];
  private paraMode: 'para' | 'heading' = 'heading';
  private inSidebar = false;
  private inMilestone = false;
  private pending: 'id' | 'c' | 'v' | null = null;
  private lineNo = 0;
  private out: UsfmVerse[] = [];
  private warnedOutside = false;

  /**
   * @param file the file's name, for messages
   * @param warnOnce takes a key and a message; reports each key once per import
   */
  constructor(
    private readonly file: string,
    private readonly warnOnce: (key: string, message: string) => void,
  ) {}

  /** Feeds one line; returns the verses it finished. */
  push(text: string, lineNo: number): UsfmVerse[] {
    this.lineNo = lineNo;
    if (this.book !== null) this.text(' '); // a line break is a space between words
    let last = 0;
    let eatSpace = false;
    for (const m of text.matchAll(MARKER)) {
      if (m.index > last) this.text(text.slice(last, m.index), eatSpace);
      last = m.index + m[0].length;
      eatSpace = false;
      if (m[0] === '\\*') {
        this.inMilestone = false;
        continue;
      }
      // \+w (a span nested in another) closes and behaves as \w.
      const [, , name, star] = m;
      if (star) this.close(name);
      else {
        this.open(name);
        eatSpace = true;
      }
    }
    if (last < text.length) this.text(text.slice(last), eatSpace);
    return this.take();
  }

  /** Ends the file; returns the last verse. */
  end(): UsfmVerse[] {
    if (this.pending) throw this.error(`\\${this.pending} at the end of the file has no ${this.argName(this.pending)}.`);
    this.closeAll(null, false);
    this.closeVerse();
    return this.take();
  }

  private take(): UsfmVerse[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private error(what: string): LangbridgeError {
    return parseError(this.file, this.lineNo, what);
  }

  private argName(marker: 'id' | 'c' | 'v'): string {
    return marker === 'id' ? 'book code' : marker === 'c' ? 'chapter number' : 'verse number';
  }

  /** Handles an opening marker (the one space after it is part of it, and dropped by the caller). */
  private open(name: string): void {
    if (this.pending) throw this.error(`\\${this.pending} has no ${this.argName(this.pending)} before \\${name}.`);
    if (this.book === null && name !== 'id') {
      throw this.error(`\\${name} before \\id: a USFM file starts with "\\id" and a book code, such as "\\id MAT".`);
    }
    if (name === 'id' || name === 'c' || name === 'v') {
      // Spans still open run on into the next verse, not into the next chapter or book.
      this.closeAll(name, name === 'v');
      this.closeVerse();
      this.pending = name;
      return;
    }
    if (/-[se]$/.test(name)) {
      // A milestone (\qt-s |who="Pilate"\*): its attributes are not text.
      this.inMilestone = true;
      return;
    }
    const kind = markerKind(name, this.frames.some((f) => f.kind === 'note'));
    switch (kind) {
      case 'para':
      case 'heading':
        this.closeAll(name, true);
        this.text(' ');
        this.paraMode = kind;
        if (baseName(name) === 'esb') this.inSidebar = true;
        if (baseName(name) === 'esbe') this.inSidebar = false;
        break;
      case 'footnote':
      case 'crossref':
        this.frames.push({
          kind: 'note',
          marker: name,
          parts: [],
          target: kind === 'footnote' ? 'footnotes' : 'crossrefs',
          field: kind === 'footnote' ? 'ft' : 'xt',
          caller: true,
          attach: this.reachesVerse(),
        });
        break;
      case 'note-field': {
        const note = this.innermostNote()!;
        while (this.frames[this.frames.length - 1] !== note) this.closeTop();
        note.field = baseName(name);
        break;
      }
      case 'char':
      case 'char-drop':
        this.frames.push({ kind: kind === 'char' ? 'char' : 'drop', marker: name, parts: [] });
        break;
      case 'empty':
        break;
      case undefined:
        this.warnOnce(
          `marker:${name}`,
          `line ${this.lineNo} of ${this.file}: unknown USFM marker \\${name}; its text was kept as verse text.`,
        );
        break;
    }
  }

  private close(name: string): void {
    if (this.book === null) throw this.error(`\\${name}* before \\id.`);
    const i = this.frames.findLastIndex((f) => f.marker === name);
    if (i >= 0) {
      while (this.frames.length > i + 1) this.closeTop();
      this.closeTop();
      return;
    }
    const note = this.innermostNote();
    if (note && isNoteField(name)) {
      // \fq ...\fq*: back to the note's plain text.
      note.field = note.target === 'footnotes' ? 'ft' : 'xt';
      return;
    }
    if (markerKind(name, false) === undefined) {
      // Same key as the opening marker's warning, so one unknown span warns once.
      this.warnOnce(`marker:${name}`, `line ${this.lineNo} of ${this.file}: unknown USFM marker \\${name}*; ignored.`);
      return;
    }
    this.warnOnce(`close:${name}`, `line ${this.lineNo} of ${this.file}: \\${name}* closes nothing that is open; ignored.`);
  }

  /** Text between markers; `eatSpace` drops the one space that ends the marker before it. */
  private text(seg: string, eatSpace = false): void {
    let s = eatSpace ? seg.replace(/^[ \t]/, '') : seg;
    if (this.pending) {
      const m = /^\s*(\S+)[ \t]?/.exec(s);
      if (!m) return; // the number may follow on the next line
      s = s.slice(m[0].length);
      this.argument(this.pending, m[1], s);
      this.pending = null;
      if (this.paraMode === 'heading') return; // the rest of the \id line
    }
    if (this.book === null) {
      if (s.trim() !== '') throw this.error('text before \\id: a USFM file starts with "\\id" and a book code, such as "\\id MAT".');
      return;
    }
    this.append(s);
  }

  private argument(marker: 'id' | 'c' | 'v', arg: string, rest: string): void {
    if (marker === 'id') {
      const code = arg.toUpperCase();
      if (!isBookCode(code)) throw this.error(`unknown book code "${arg}" in \\id (expected a USFM code such as GEN, PSA or MAT).`);
      this.book = code;
      this.chapter = null;
      this.paraMode = 'heading';
      this.warnedOutside = false;
      this.books.push({ code, description: rest.trim() });
      return;
    }
    if (marker === 'c') {
      if (!/^\d+$/.test(arg)) throw this.error(`"${arg}" is not a chapter number.`);
      this.chapter = Number(arg);
      this.paraMode = 'para';
      return;
    }
    if (this.chapter === null) throw this.error(`\\v ${arg} comes before any \\c: ${this.book} has no chapter yet.`);
    if (!/^\d/.test(arg)) throw this.error(`"${arg}" is not a verse number.`);
    this.paraMode = 'para';
    this.verse = { chapter: this.chapter, verse: arg, line: this.lineNo, parts: [], footnotes: [], crossrefs: [], words: [] };
  }

  private append(s: string): void {
    if (this.inMilestone) return;
    const top = this.frames[this.frames.length - 1];
    if (!top) {
      if (this.paraMode !== 'para' || this.inSidebar) return;
      if (this.verse) this.verse.parts.push(s);
      else if (this.chapter !== null && s.trim() !== '' && !this.warnedOutside) {
        this.warnedOutside = true;
        this.warnOnce(
          `outside:${this.file}:${this.book}:${this.lineNo}`,
          `line ${this.lineNo} of ${this.file}: text in ${this.book} ${this.chapter} outside any verse was not imported.`,
        );
      }
      return;
    }
    if (top.kind === 'note') {
      if (top.caller && s.trim() !== '') {
        s = s.replace(/^\s*\S+[ \t]?/, ''); // the caller: +, -, or a letter
        top.caller = false;
      }
      if (!NOTE_ORIGIN_FIELDS.has(top.field!)) top.parts.push(s);
      return;
    }
    top.parts.push(s);
  }

  /** Whether text appended now would land in the open verse. */
  private reachesVerse(): boolean {
    return (
      this.verse !== null &&
      this.paraMode === 'para' &&
      !this.inSidebar &&
      !this.inMilestone &&
      this.frames.every((f) => f.kind === 'char')
    );
  }

  private innermostNote(): Frame | undefined {
    return this.frames.findLast((f) => f.kind === 'note');
  }

  private closeTop(): void {
    const f = this.frames.pop()!;
    const content = f.parts.join('');
    if (f.kind === 'drop') return;
    if (f.kind === 'note') {
      const text = clean(content);
      if (f.attach && this.verse && text) this.verse[f.target!].push(text);
      return;
    }
    // \w word|lemma="x" strong="H123"\w*: the word is text, the rest attributes.
    const bar = content.indexOf('|');
    const visible = bar >= 0 ? content.slice(0, bar) : content;
    if (bar >= 0 && baseName(f.marker) === 'w' && this.reachesVerse()) {
      const attrs = parseAttributes('w', content.slice(bar + 1));
      if (Object.keys(attrs).length > 0) this.verse!.words.push({ word: clean(visible), ...attrs });
    }
    this.append(visible);
  }

  /**
   * Closes every open span at a paragraph, verse, chapter or book marker, so
   * its text lands in the verse it was written in. Character spans that run
   * on (\wj across verses or poetry lines, common in USFM 2 files) are opened
   * again after a paragraph or verse marker; notes never run on.
   */
  private closeAll(next: string | null, reopen: boolean): void {
    const firstNonChar = this.frames.findIndex((f) => f.kind !== 'char');
    if (this.frames.some((f) => f.kind === 'note')) {
      this.warnOnce(
        `unclosed-note:${this.file}:${this.lineNo}`,
        `line ${this.lineNo} of ${this.file}: a note is still open at ${next ? `\\${next}` : 'the end of the file'}; it was closed there.`,
      );
    }
    const runOn = reopen ? this.frames.slice(0, firstNonChar >= 0 ? firstNonChar : undefined).map((f) => f.marker) : [];
    while (this.frames.length > 0) this.closeTop();
    this.inMilestone = false;
    // Empty accumulators: what they gather goes to whichever verse is open when they close.
    for (const marker of runOn) this.frames.push({ kind: 'char', marker, parts: [] });
  }

  private closeVerse(): void {
    const v = this.verse;
    if (!v || this.book === null) return;
    this.verse = null;
    this.out.push({
      book: this.book,
      chapter: v.chapter,
      verse: v.verse,
      ref: `${this.book} ${v.chapter}:${v.verse}`,
      text: clean(v.parts.join('')),
      line: v.line,
      footnotes: v.footnotes,
      crossrefs: v.crossrefs,
      words: v.words,
    });
  }
}

/**
 * Whitespace collapsed, `~` (USFM's no-break space) kept as U+00A0 and `//`
 * (an optional line break) removed.
 */
function clean(s: string): string {
  return s
    .replace(/\/\//g, '')
    .replace(/~/g, '\u00A0')
    .replace(/[^\S\u00A0]+/gu, ' ')
    .trim();
}
