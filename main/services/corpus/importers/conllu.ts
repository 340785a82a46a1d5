import { basename } from 'node:path';
import { parseError } from '../../../api/errors';
import type { Importer, ImportRecord } from '../types';

/** A word (1), a multiword token (1-2) or an empty node (1.1). */
const TOKEN_ID = /^(?:(\d+)|(\d+)-(\d+)|\d+\.\d+)$/;

interface Sentence {
  firstLine: number;
  comments: Map<string, string>;
  /** The surface text rebuilt from FORM and MISC, for sentences without `# text`. */
  surface: string;
  /** Surface tokens: a multiword token counts once, its words not at all. */
  tokens: number;
  /** Syntactic words (integer ids). */
  words: number;
  /** Words up to this id are inside the last multiword token and already in `surface`. */
  mwtEnd: number;
}

/**
 * CoNLL-U (Universal Dependencies): one document per sentence. The sentence's
 * `# text` is the text; treebanks that lack it get the surface rebuilt from
 * the tokens, honouring SpaceAfter=No so "kitabu." does not become "kitabu .".
 */
export const conlluImporter: Importer = {
  format: 'conllu',
  sniff({ name, isDirectory, head }) {
    if (isDirectory) return 0;
    if (/\.conllu?$/.test(name)) return 0.95;
    // No extension to go on: a first token line of ten tab-separated columns.
    const first = head.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#'));
    return first && first.split('\t').length === 10 && TOKEN_ID.test(first.split('\t')[0]) ? 0.7 : 0;
  },
  async *read(ctx) {
    const path = ctx.paths[0];
    const file = basename(path);
    const fromName = /^([a-z]{2,3})_/i.exec(file)?.[1]?.toLowerCase();
    let commentLang: string | undefined;
    let n = 0;
    let s: Sentence | null = null;

    const finish = (): ImportRecord | null => {
      const done = s;
      s = null;
      if (!done || done.words + done.tokens === 0) return null; // comments only
      n++;
      const sentId = done.comments.get('sent_id');
      const text = (done.comments.get('text') ?? done.surface).trim();
      const ref = sentId ?? `sentence ${n}`;
      if (text.length === 0) return { kind: 'skip', reason: `${ref} has no text`, line: done.firstLine };
      const meta: Record<string, unknown> = { tokens: done.tokens, words: done.words };
      if (sentId !== undefined) meta.sent_id = sentId;
      return { kind: 'document', text, lang: ctx.lang ?? commentLang ?? fromName, ref, meta, line: done.firstLine };
    };

    for await (const { text, line } of ctx.openLines(path).lines()) {
      if (text.trim().length === 0) {
        const rec = finish();
        if (rec) yield rec;
        continue;
      }
      s ??= { firstLine: line, comments: new Map(), surface: '', tokens: 0, words: 0, mwtEnd: 0 };
      if (text.startsWith('#')) {
        const m = /^#\s*([^=]+?)\s*=\s?(.*)$/.exec(text);
        if (m) {
          s.comments.set(m[1], m[2]);
          // A file-level `# lang` applies to the sentences after it too.
          if (m[1] === 'lang' && m[2].trim()) commentLang = m[2].trim();
        }
        continue;
      }
      const cols = text.split('\t');
      if (cols.length !== 10) {
        const hint = cols.length === 1 && / /.test(text) ? ' (columns must be separated by tabs, not spaces)' : '';
        throw parseError(file, line, `expected 10 tab-separated columns, found ${cols.length}${hint}.`);
      }
      const id = TOKEN_ID.exec(cols[0]);
      if (!id) throw parseError(file, line, `"${cols[0]}" is not a token id (1, 1-2 or 1.1).`);
      const form = cols[1];
      const spaceAfter = !cols[9].split('|').includes('SpaceAfter=No');
      if (id[2] !== undefined) {
        // Multiword token: its form is the surface ("del"), its words ("de", "el") are not.
        s.surface += form + (spaceAfter ? ' ' : '');
        s.tokens++;
        s.mwtEnd = Number(id[3]);
      } else if (id[1] !== undefined) {
        s.words++;
        const wordId = Number(id[1]);
        if (wordId > s.mwtEnd) {
          s.surface += form + (spaceAfter ? ' ' : '');
          s.tokens++;
        }
      }
      // Empty nodes (1.1) are not in the surface text.
    }
    const rec = finish();
    if (rec) yield rec;
  },
};
