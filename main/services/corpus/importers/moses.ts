import { basename } from 'node:path';
import { LangbridgeError } from '../../../api/errors';
import type { TextLine } from '../line-reader';
import type { Importer, ImportRecord } from '../types';

/**
 * Moses/OPUS parallel text: two files, line N of one is the translation of
 * line N of the other (`Corpus.en-sw.en` + `Corpus.en-sw.sw`). The first path
 * is the source side.
 */
export const mosesImporter: Importer = {
  format: 'moses',
  sniff({ pathCount, isDirectory }) {
    // Two files is the one thing only Moses asks for.
    if (pathCount === 2 && !isDirectory) return 0.95;
    return 0;
  },
  async *read(ctx) {
    if (ctx.paths.length !== 2) {
      throw new LangbridgeError(
        'bad-input',
        `A Moses/OPUS corpus is two line-aligned files (such as Corpus.en-sw.en and Corpus.en-sw.sw); ${ctx.paths.length} given.`,
      );
    }
    const [srcPath, tgtPath] = ctx.paths;
    const srcFile = basename(srcPath);
    const tgtFile = basename(tgtPath);
    const srcLang = ctx.srcLang ?? langFromName(srcFile);
    const tgtLang = ctx.tgtLang ?? langFromName(tgtFile);
    const src = ctx.openLines(srcPath).lines();
    const tgt = ctx.openLines(tgtPath).lines();
    try {
      let count = 0;
      for (;;) {
        // In lockstep: reading both at once keeps memory flat and overlaps the two reads.
        const [a, b] = await Promise.all([src.next(), tgt.next()]);
        if (a.done || b.done) {
          if (a.done && b.done) return;
          // Count the rest of the longer file so the message gives both totals.
          const longer = a.done ? tgt : src;
          const rest = await countRest(longer);
          const srcLines = a.done ? count : count + 1 + rest;
          const tgtLines = b.done ? count : count + 1 + rest;
          const shorter = a.done ? srcFile : tgtFile;
          throw new LangbridgeError(
            'parse-error',
            `${srcFile} has ${srcLines} lines but ${tgtFile} has ${tgtLines}; Moses files must be line-aligned`,
            shorter,
            count + 1,
          );
        }
        count++;
        yield toRecord(a.value, b.value);
      }
    } finally {
      // Close both files when the caller stops early or one side fails.
      await Promise.allSettled([src.return(undefined), tgt.return(undefined)]);
    }

    function toRecord(a: TextLine, b: TextLine): ImportRecord {
      const line = a.line;
      const srcEmpty = a.text.trim().length === 0;
      const tgtEmpty = b.text.trim().length === 0;
      if (srcEmpty && tgtEmpty) return { kind: 'skip', reason: 'empty on both sides', line };
      if (srcEmpty || tgtEmpty) return { kind: 'skip', reason: `empty in ${srcEmpty ? srcFile : tgtFile}`, line };
      return { kind: 'pair', srcText: a.text, tgtText: b.text, srcLang, tgtLang, ref: `line ${line}`, line };
    }
  },
};

async function countRest(it: AsyncGenerator<TextLine>): Promise<number> {
  let n = 0;
  for (let r = await it.next(); !r.done; r = await it.next()) n++;
  return n;
}

/**
 * Extensions that look like language codes but mark something else. "src" and
 * "tgt" are real ISO 639-3 codes, but in a file name they mean source and target.
 */
const NOT_LANGUAGES = new Set([
  'txt', 'text', 'tok', 'raw', 'src', 'tgt', 'ref', 'hyp', 'out', 'dat', 'bpe', 'spm', 'sgm', 'xml', 'tsv', 'csv', 'tmx', 'gz', 'xz', 'bz2', 'zst',
]);

/** The language in `Corpus.en-sw.sw`: the last dotted part, when it looks like a code (sw, eng, zh_Hans, pt-BR, amh_Ethi). */
export function langFromName(file: string): string | undefined {
  const dot = file.lastIndexOf('.');
  if (dot < 0) return undefined;
  const ext = file.slice(dot + 1);
  if (NOT_LANGUAGES.has(ext.toLowerCase())) return undefined;
  return /^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/i.test(ext) ? ext : undefined;
}
