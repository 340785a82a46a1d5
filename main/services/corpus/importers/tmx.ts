import { basename } from 'node:path';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { LangbridgeError, parseError } from '../../../api/errors';
import type { Importer, ImportRecord, SniffInput } from '../types';

/**
 * TMX 1.4 (and the `lang` attribute of TMX 1.1), parsed as a stream with
 * saxes: memory stays flat however large the file.
 *
 * Security: a DOCTYPE is refused outright, before anything in it is read.
 * saxes never expands DTD entities, but refusing the declaration makes the
 * rule plain (no "billion laughs", no external entities), and any entity
 * reference other than the five XML ones and numeric character references
 * is an error, never silently kept as text.
 *
 * A <seg> keeps its text and the text of <hi> and <sub>; the content of
 * <bpt>, <ept>, <ph>, <it> and <ut> is native markup code (`<b>`, `{1}`) and
 * is dropped, except for a <sub> inside it, which is translatable text again.
 */
export const tmxImporter: Importer = {
  format: 'tmx',
  sniff(input) {
    if (input.isDirectory) return 0;
    const head = headText(input);
    const hasRoot = /<tmx[\s>]/.test(head);
    if (/\.tmx$/.test(input.name)) return hasRoot || head.trim() === '' ? 0.95 : 0.7;
    return hasRoot ? 0.85 : 0;
  },
  async *read(ctx) {
    const path = ctx.paths[0];
    const file = basename(path);
    const t = new TmxParser(file, (message) => ctx.warn(message));
    const reader = ctx.openLines(path);
    let batch = '';
    let batchFirstLine = 1;
    let lastLine = 0;
    for await (const { text, line } of reader.lines()) {
      lastLine = line;
      if (!t.sawRoot) {
        // The prolog goes to saxes a line at a time, so a DOCTYPE is refused
        // on the line where it starts, before its internal subset is read.
        if (text.includes('<!DOCTYPE')) throw refuseDoctype(file, line);
        t.write(text + '\n', line, text);
        continue;
      }
      if (batch === '') batchFirstLine = line;
      batch += text + '\n';
      if (batch.length >= 64 * 1024) {
        t.write(batch, batchFirstLine);
        batch = '';
        yield* t.drain();
      }
    }
    if (batch !== '') t.write(batch, batchFirstLine);
    yield* t.drain();
    t.end(lastLine);
    yield* t.drain();
  },
};

/** The sniffer's head is '' for a UTF-16 file (it holds NUL bytes), and TMX from CAT tools often is UTF-16. */
function headText({ head, headBytes }: SniffInput): string {
  if (head !== '') return head;
  if (headBytes[0] === 0xff && headBytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(headBytes);
  if (headBytes[0] === 0xfe && headBytes[1] === 0xff) return new TextDecoder('utf-16be').decode(headBytes);
  return '';
}

function refuseDoctype(file: string, line: number): LangbridgeError {
  return parseError(
    file,
    line,
    'the file declares a DOCTYPE; Langbridge refuses DTDs and entity declarations in TMX files ' +
      '(they can expand to gigabytes or read other files). Remove the <!DOCTYPE ...> declaration and import again.',
  );
}

interface Tuv {
  lang: string;
  seg: string | null;
  line: number;
}

interface Tu {
  index: number;
  line: number;
  tuid?: string;
  srclang?: string;
  tuvs: Tuv[];
  props: Record<string, string | string[]>;
  notes: string[];
}

/** Inline elements whose content is markup code, not text. */
const CODE_ELEMENTS = new Set(['bpt', 'ept', 'ph', 'it', 'ut']);
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** The TMX structure on top of saxes' events; finished units wait in `out` until drained. */
class TmxParser {
  sawRoot = false;
  private readonly sax = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private out: ImportRecord[] = [];
  private headerSrcLang?: string;
  private tuCount = 0;
  private tu: Tu | null = null;
  private tuv: Tuv | null = null;
  private seg: string | null = null;
  /** One flag per open inline element in the <seg>: whether its text is kept. */
  private inline: boolean[] = [];
  /** Text of the <prop> or <note> being read, and which. */
  private capture: { kind: 'prop' | 'note'; type: string; text: string } | null = null;
  private warnedSameLang = false;
  private sawContent = false;

  constructor(
    private readonly file: string,
    private readonly warn: (message: string) => void,
  ) {
    this.sax.on('doctype', () => {
      // Normally refused before saxes sees it; this covers a DOCTYPE the line check missed.
      throw refuseDoctype(this.file, this.sax.line);
    });
    this.sax.on('opentag', (tag) => this.open(tag));
    this.sax.on('closetag', (tag) => this.close(tag));
    this.sax.on('text', (text) => this.text(text));
    this.sax.on('cdata', (text) => this.text(text));
  }

  /** Feeds text that starts on line `firstLine`; `lineText` is the text itself when it is one line. */
  write(chunk: string, firstLine: number, lineText?: string): void {
    if (!this.sawContent && chunk.trim() !== '') this.sawContent = true;
    try {
      this.sax.write(chunk);
    } catch (err) {
      throw this.toParseError(err, chunk, firstLine, lineText);
    }
  }

  /** At the end of the file: anything still open means the file was cut short. */
  end(lastLine: number): void {
    // An empty file holds no units; the runner reports "nothing imported".
    if (!this.sawContent) return;
    if (this.tu) {
      throw parseError(
        this.file,
        lastLine,
        `the file ends inside <tu> (opened at line ${this.tu.line}): it looks truncated`,
      );
    }
    try {
      this.sax.close();
    } catch (err) {
      const what = messageOf(err);
      const unclosed = /unclosed tag: (\S+)/.exec(what);
      if (unclosed) {
        throw parseError(this.file, lastLine, `the file ends inside <${unclosed[1]}>: it looks truncated`);
      }
      throw parseError(this.file, lastLine, what);
    }
  }

  *drain(): Generator<ImportRecord> {
    const out = this.out;
    this.out = [];
    yield* out;
  }

  private open(tag: SaxesTagPlain): void {
    const line = this.sax.line;
    const name = tag.name;
    if (!this.sawRoot) {
      this.sawRoot = true;
      if (name !== 'tmx') throw parseError(this.file, line, `not a TMX file: the root element is <${name}>, not <tmx>`);
    }
    if (this.seg !== null) {
      // Inside a segment only inline elements occur; anything unknown is treated like <hi>.
      const parentKeeps = this.inline.length === 0 || this.inline[this.inline.length - 1];
      this.inline.push(name === 'sub' ? true : CODE_ELEMENTS.has(name) ? false : parentKeeps);
      return;
    }
    const attr = tag.attributes;
    switch (name) {
      case 'header': {
        const src = attr.srclang;
        if (src && src !== '*all*') this.headerSrcLang = src;
        break;
      }
      case 'tu':
        if (this.tu) throw parseError(this.file, line, `<tu> inside another <tu> (opened at line ${this.tu.line})`);
        this.tu = {
          index: ++this.tuCount,
          line,
          tuid: attr.tuid || undefined,
          srclang: attr.srclang && attr.srclang !== '*all*' ? attr.srclang : undefined,
          tuvs: [],
          props: {},
          notes: [],
        };
        break;
      case 'tuv': {
        if (!this.tu) throw parseError(this.file, line, '<tuv> without a <tu> parent');
        const lang = attr['xml:lang'] || attr.lang;
        if (!lang) throw parseError(this.file, line, '<tuv> without an xml:lang attribute');
        this.tuv = { lang, seg: null, line };
        break;
      }
      case 'seg':
        if (!this.tuv) throw parseError(this.file, line, '<seg> without a <tuv> parent');
        this.seg = '';
        this.inline = [];
        break;
      case 'prop':
      case 'note':
        // Only a unit's own props and notes are kept; those of <header> and <tuv> are not.
        if (this.tu && !this.tuv) this.capture = { kind: name, type: attr.type || 'prop', text: '' };
        break;
    }
  }

  private text(text: string): void {
    if (this.seg !== null) {
      if (this.inline.length === 0 || this.inline[this.inline.length - 1]) this.seg += text;
    } else if (this.capture) {
      this.capture.text += text;
    }
  }

  private close(tag: SaxesTagPlain): void {
    const name = tag.name;
    if (this.seg !== null && name !== 'seg') {
      this.inline.pop();
      return;
    }
    switch (name) {
      case 'seg':
        if (this.tuv) this.tuv.seg = (this.tuv.seg ?? '') + this.seg;
        this.seg = null;
        break;
      case 'tuv':
        if (this.tu && this.tuv) this.tu.tuvs.push(this.tuv);
        this.tuv = null;
        break;
      case 'prop':
      case 'note':
        if (this.capture && this.tu) {
          const c = this.capture;
          if (c.kind === 'note') this.tu.notes.push(c.text);
          else {
            const prev = this.tu.props[c.type];
            this.tu.props[c.type] = prev === undefined ? c.text : Array.isArray(prev) ? [...prev, c.text] : [prev, c.text];
          }
        }
        this.capture = null;
        break;
      case 'tu':
        if (this.tu) this.emit(this.tu);
        this.tu = null;
        break;
    }
  }

  /** One pair for every two languages of the unit. */
  private emit(tu: Tu): void {
    const ref = tu.tuid ?? `tu ${tu.index}`;
    const tuvs = tu.tuvs.filter((t) => t.seg !== null && t.seg.trim() !== '');
    if (tuvs.length < 2) {
      const reason =
        tu.tuvs.length < 2 ? `<tu> with ${tu.tuvs.length === 0 ? 'no' : 'one'} <tuv>` : '<tu> with empty <seg> elements';
      this.out.push({ kind: 'skip', reason, line: tu.line });
      return;
    }
    const meta: Record<string, unknown> = {};
    if (Object.keys(tu.props).length > 0) meta.props = tu.props;
    if (tu.notes.length > 0) meta.notes = tu.notes;
    const srclang = (tu.srclang ?? this.headerSrcLang)?.toLowerCase();
    for (let i = 0; i < tuvs.length; i++) {
      for (let j = i + 1; j < tuvs.length; j++) {
        let [src, tgt] = [tuvs[i], tuvs[j]];
        if (src.lang.toLowerCase() === tgt.lang.toLowerCase()) {
          // Two variants in one language are not a translation pair.
          if (!this.warnedSameLang) {
            this.warnedSameLang = true;
            this.warn(`${this.file}: <tu> at line ${tu.line} has two <tuv> in ${src.lang}; such pairs are not imported.`);
          }
          continue;
        }
        // The unit's source language (or the header's) goes first when it is in the pair.
        if (tgt.lang.toLowerCase() === srclang) [src, tgt] = [tgt, src];
        this.out.push({
          kind: 'pair',
          srcText: src.seg as string,
          tgtText: tgt.seg as string,
          srcLang: src.lang,
          tgtLang: tgt.lang,
          ref,
          line: tu.line,
          ...(Object.keys(meta).length > 0 ? { meta } : {}),
        });
      }
    }
  }

  private toParseError(err: unknown, chunk: string, firstLine: number, lineText?: string): LangbridgeError {
    if (err instanceof LangbridgeError) return err;
    const line = this.sax.line;
    let what = messageOf(err);
    if (/undefined entity/.test(what)) {
      const text = lineText ?? chunk.split('\n')[line - firstLine] ?? '';
      const name = [...text.matchAll(/&([^\s&;#]+);/g)].map((m) => m[1]).find((n) => !XML_ENTITIES.has(n));
      what =
        `undefined entity${name ? ` &${name};` : ''}: TMX allows only &amp; &lt; &gt; &quot; &apos; ` +
        'and numeric character references such as &#233;';
    }
    return parseError(this.file, line, `malformed XML: ${what}`);
  }
}

/** saxes prefixes its messages with "line:column: "; the line goes in our own prefix. */
function messageOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
}
