import { basename } from 'node:path';
import { parseError } from '../../../api/errors';
import type { Importer } from '../types';
import { firstLineKeys, jsonLines, stringField } from './json-objects';

/**
 * XCOPA (causal commonsense reasoning), one JSON object per line. The files
 * carry no language field: XCOPA names them `{split}.{lang}.jsonl`
 * (test.sw.jsonl, val.qu.jsonl), so the language and split come from the name
 * unless the user gave a language.
 */
export const xcopaImporter: Importer = {
  format: 'xcopa',
  sniff({ name, isDirectory, head }) {
    if (isDirectory || !/\.jsonl?$/.test(name)) return 0;
    const keys = firstLineKeys(head);
    if (!(keys.has('premise') && keys.has('choice1') && keys.has('choice2'))) return 0;
    return keys.has('question') && keys.has('label') ? 0.95 : 0.9;
  },
  async *read(ctx) {
    const path = ctx.paths[0];
    const file = basename(path);
    const fromName = xcopaFileName(file);
    const lang = ctx.lang ?? fromName.lang;
    for await (const { obj, line } of jsonLines(ctx, path)) {
      if (!obj) {
        yield { kind: 'skip', reason: 'blank line', line };
        continue;
      }
      const premise = stringField(obj, 'premise', file, line);
      stringField(obj, 'choice1', file, line);
      stringField(obj, 'choice2', file, line);
      const question = stringField(obj, 'question', file, line);
      if (question !== 'cause' && question !== 'effect') {
        throw parseError(file, line, `question should be "cause" or "effect", not "${question}".`);
      }
      const label = obj.label;
      // The published files use numbers; some re-exports stringify them.
      const labelNum = label === 0 || label === '0' ? 0 : label === 1 || label === '1' ? 1 : null;
      if (labelNum === null) {
        throw parseError(file, line, `label should be 0 or 1, not ${JSON.stringify(label) ?? 'missing'}.`);
      }
      // Every published item has idx; the line number keeps refs unique if one does not.
      const idx = obj.idx === undefined || obj.idx === null ? String(line) : stringField(obj, 'idx', file, line);
      const meta: Record<string, unknown> = { ...obj, label: labelNum, benchmark: 'xcopa' };
      if (fromName.split) meta.split = fromName.split;
      yield {
        kind: 'document',
        text: premise,
        lang,
        role: 'eval',
        ref: fromName.split ? `xcopa:${fromName.split}:${idx}` : `xcopa:${idx}`,
        meta,
        line,
      };
    }
  },
};

/** test.sw.jsonl → { split: 'test', lang: 'sw' }; either part may be missing. */
export function xcopaFileName(file: string): { split?: string; lang?: string } {
  const lang = /\.([a-z]{2,3})\.jsonl?$/i.exec(file)?.[1]?.toLowerCase();
  const split = /^(train|val|validation|dev|test)\./i.exec(file)?.[1]?.toLowerCase();
  return { split, lang };
}
