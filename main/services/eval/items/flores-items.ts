/**
 * Flores-200 translation items, any-to-any among the chosen languages: the
 * imported sentences (documents with role 'eval', meta.benchmark
 * 'flores200', ref `flores:{split}:{line}`) are line-aligned across
 * languages, so line N of devtest in two languages is one item per direction.
 * The k shots are the first k dev lines both languages have, the same for
 * every item of a direction (a fixed prompt prefix, as in the Marco setup).
 */
import type { Db } from '../../../../db/open';
import { translationPrompt, type Shot } from '../prompts';
import { firstN, type EvalItemSpec, type ItemOptions } from './types';

interface Line {
  split: string;
  line: number;
  byLang: Map<string, string>;
}

export function floresLanguages(db: Db): string[] {
  return (db.prepare(`SELECT DISTINCT lang FROM documents WHERE role = 'eval' AND json_extract(meta, '$.benchmark') = 'flores200' ORDER BY lang`).all() as Array<{ lang: string }>).map((r) => r.lang);
}

function lines(db: Db, split: string, langs: string[]): Line[] {
  const rows = db
    .prepare(
      `SELECT lang, text, json_extract(meta, '$.line') AS line FROM documents
       WHERE role = 'eval' AND json_extract(meta, '$.benchmark') = 'flores200' AND json_extract(meta, '$.split') = ?
         AND lang IN (${langs.map(() => '?').join(',')})`,
    )
    .all(split, ...langs) as Array<{ lang: string; text: string; line: number }>;
  const byLine = new Map<number, Line>();
  for (const r of rows) {
    let l = byLine.get(r.line);
    if (!l) byLine.set(r.line, (l = { split, line: r.line, byLang: new Map() }));
    l.byLang.set(r.lang, r.text);
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

export function floresItems(db: Db, o: ItemOptions): EvalItemSpec[] {
  const langs = o.langs.length ? o.langs.filter((l) => floresLanguages(db).includes(l)) : floresLanguages(db);
  if (langs.length < 2) return [];
  const test = lines(db, 'devtest', langs);
  const dev = o.shots.flores > 0 ? lines(db, 'dev', langs) : [];
  const out: EvalItemSpec[] = [];
  for (const src of langs) {
    for (const tgt of langs) {
      if (src === tgt) continue;
      const both = (l: Line) => l.byLang.has(src) && l.byLang.has(tgt);
      const shots: Shot[] = dev.filter(both).slice(0, o.shots.flores).map((l) => ({ src: l.byLang.get(src)!, tgt: l.byLang.get(tgt)! }));
      const subset = `${src}-${tgt}`;
      for (const l of firstN(test.filter(both), o.maxItems)) {
        const source = l.byLang.get(src)!;
        const id = `flores:${l.split}:${l.line}:${subset}`;
        out.push({
          item: { id, type: 'generate', prompt: translationPrompt(src, tgt, source, shots), maxNewTokens: o.maxNewTokens, stop: ['\n'] },
          benchmark: 'flores',
          subset,
          srcLang: src,
          tgtLang: tgt,
          source,
          reference: l.byLang.get(tgt)!,
          meta: { ref: `flores:${l.split}:${l.line}`, shots: shots.length },
        });
      }
    }
  }
  return out;
}
