import { basename } from 'node:path';
import { parseError } from '../../../api/errors';
import type { Importer } from '../types';
import { firstLineKeys, jsonLines, stringField } from './json-objects';

const REQUIRED = [
  'link',
  'question_number',
  'flores_passage',
  'question',
  'mc_answer1',
  'mc_answer2',
  'mc_answer3',
  'mc_answer4',
  'correct_answer_num',
] as const;

/**
 * Belebele (multiple-choice reading comprehension over Flores passages), one
 * JSON object per line. Each item becomes one eval document whose text is the
 * passage and the question, so a search finds it by either; the choices and
 * the answer stay in meta for the evaluator.
 */
export const belebeleImporter: Importer = {
  format: 'belebele',
  sniff({ name, isDirectory, head }) {
    if (isDirectory || !/\.jsonl?$/.test(name)) return 0;
    const keys = firstLineKeys(head);
    // Above the generic JSONL importer, which would take any .jsonl.
    return keys.has('flores_passage') && keys.has('mc_answer1') ? 0.95 : 0;
  },
  async *read(ctx) {
    const path = ctx.paths[0];
    const file = basename(path);
    for await (const { obj, line } of jsonLines(ctx, path)) {
      if (!obj) {
        yield { kind: 'skip', reason: 'blank line', line };
        continue;
      }
      const f = Object.fromEntries(REQUIRED.map((k) => [k, stringField(obj, k, file, line)])) as Record<
        (typeof REQUIRED)[number],
        string
      >;
      if (!/^[1-4]$/.test(f.correct_answer_num.trim())) {
        throw parseError(file, line, `correct_answer_num should be 1, 2, 3 or 4, not "${f.correct_answer_num}".`);
      }
      // The item's own dialect wins: a Belebele file is one dialect, but a
      // merged file can hold several, and the user's language is only a fallback.
      const dialect = typeof obj.dialect === 'string' && obj.dialect.trim() ? obj.dialect.trim() : undefined;
      yield {
        kind: 'document',
        text: `${f.flores_passage}\n${f.question}`,
        lang: dialect ?? ctx.lang,
        role: 'eval',
        ref: `belebele:${f.link}:${f.question_number}`,
        meta: { ...obj, benchmark: 'belebele' },
        line,
      };
    }
  },
};
