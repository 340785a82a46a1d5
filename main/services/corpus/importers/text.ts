import type { Importer, ImportRecord } from '../types';

/**
 * Plain text: one document per line, or one per blank-line-separated
 * paragraph (options.segment). Blank lines are not documents.
 */
export const textImporter: Importer = {
  format: 'text',
  sniff({ name, isDirectory, headBytes }) {
    if (isDirectory) return 0;
    if (/\.(txt|text)$/.test(name)) return 0.6;
    // Any file without NUL bytes could be text: the weakest claim.
    return headBytes.includes(0) ? 0 : 0.1;
  },
  async *read(ctx) {
    const reader = ctx.openLines(ctx.paths[0]);
    const byParagraph = ctx.options.segment === 'paragraph';
    let para: string[] = [];
    let paraLine = 0;
    const flush = (): ImportRecord | null => {
      if (para.length === 0) return null;
      const rec: ImportRecord = { kind: 'document', text: para.join('\n'), line: paraLine, ref: `line ${paraLine}` };
      para = [];
      return rec;
    };
    for await (const { text, line } of reader.lines()) {
      const blank = text.trim().length === 0;
      if (!byParagraph) {
        if (!blank) yield { kind: 'document', text, line, ref: `line ${line}` };
        continue;
      }
      if (blank) {
        const rec = flush();
        if (rec) yield rec;
      } else {
        if (para.length === 0) paraLine = line;
        para.push(text);
      }
    }
    const rec = flush();
    if (rec) yield rec;
  },
};
