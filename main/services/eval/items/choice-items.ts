/**
 * Multiple-choice items (Belebele, XCOPA, MMMLU) from the imported benchmark
 * documents (role 'eval', meta.benchmark, the original fields in meta; see
 * main/services/corpus/importers). Each choice is scored by the trainer as
 * the log-likelihood of " " + choice after the context (SPECS.md), and the
 * app takes the argmax (acc) and the length-normalised argmax (acc_norm).
 * Shots come before the item, separated by a blank line, and are never
 * scored themselves.
 */
import type { Db } from '../../../../db/open';
import { BELEBELE_CHOICES, belebelePrompt, mmmluPrompt, xcopaPrompt } from '../prompts';
import { compareRefs, firstN, type EvalItemSpec, type ItemOptions } from './types';

interface Doc {
  lang: string;
  ref: string;
  text: string;
  meta: Record<string, unknown>;
}

function docs(db: Db, benchmark: string, langs: string[]): Doc[] {
  const rows = db
    .prepare(
      `SELECT lang, ref, text, meta FROM documents WHERE role = 'eval' AND json_extract(meta, '$.benchmark') = ?
       ${langs.length ? `AND lang IN (${langs.map(() => '?').join(',')})` : ''}`,
    )
    .all(benchmark, ...langs) as Array<{ lang: string; ref: string | null; text: string; meta: string }>;
  return rows
    .map((r) => ({ lang: r.lang, ref: r.ref ?? '', text: r.text, meta: JSON.parse(r.meta) as Record<string, unknown> }))
    .sort((a, b) => a.lang.localeCompare(b.lang) || compareRefs(a.ref, b.ref));
}

function byLang(list: Doc[]): Map<string, Doc[]> {
  const m = new Map<string, Doc[]>();
  for (const d of list) (m.get(d.lang) ?? m.set(d.lang, []).get(d.lang)!).push(d);
  return m;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const LETTERS = BELEBELE_CHOICES.map((c) => ` ${c}`);

export function belebeleItems(db: Db, o: ItemOptions): EvalItemSpec[] {
  const out: EvalItemSpec[] = [];
  for (const [lang, list] of byLang(docs(db, 'belebele', o.langs))) {
    const parse = (d: Doc) => {
      const answers = [1, 2, 3, 4].map((i) => str(d.meta[`mc_answer${i}`])) as [string, string, string, string];
      return { prompt: belebelePrompt({ passage: str(d.meta.flores_passage), question: str(d.meta.question), answers }), answers, gold: Number(d.meta.correct_answer_num) - 1 };
    };
    const shots = list.slice(0, o.shots.belebele).map((d) => {
      const p = parse(d);
      return `${p.prompt}${LETTERS[p.gold]}`;
    });
    for (const d of firstN(list.slice(shots.length), o.maxItems)) {
      const p = parse(d);
      out.push({
        item: { id: `${d.ref}|${lang}`, type: 'choices', context: [...shots, p.prompt].join('\n\n'), continuations: LETTERS },
        benchmark: 'belebele',
        subset: lang,
        srcLang: lang,
        tgtLang: null,
        source: p.prompt,
        reference: p.answers[p.gold] ?? null,
        meta: { ref: d.ref, gold: p.gold, choices: p.answers, shots: shots.length },
      });
    }
  }
  return out;
}

const XCOPA_SHOT_SPLITS = new Set(['val', 'validation', 'dev', 'train']);

export function xcopaItems(db: Db, o: ItemOptions): EvalItemSpec[] {
  const out: EvalItemSpec[] = [];
  for (const [lang, list] of byLang(docs(db, 'xcopa', o.langs))) {
    const parse = (d: Doc) => {
      const question = d.meta.question === 'cause' ? 'cause' : 'effect';
      const p = xcopaPrompt(lang, { premise: str(d.meta.premise), question, choice1: str(d.meta.choice1), choice2: str(d.meta.choice2) });
      return { ...p, gold: Number(d.meta.label) };
    };
    // Shots from the validation split when it was imported, else the first items of the language.
    const shotPool = list.filter((d) => XCOPA_SHOT_SPLITS.has(str(d.meta.split)));
    const pool = shotPool.length ? shotPool : list;
    const shotDocs = pool.slice(0, o.shots.xcopa);
    const shots = shotDocs.map((d) => {
      const p = parse(d);
      return `${p.context} ${p.choices[p.gold]}`;
    });
    const scored = shotPool.length ? list.filter((d) => !XCOPA_SHOT_SPLITS.has(str(d.meta.split))) : list.slice(shotDocs.length);
    for (const d of firstN(scored, o.maxItems)) {
      const p = parse(d);
      out.push({
        item: { id: `${d.ref}|${lang}`, type: 'choices', context: [...shots, p.context].join('\n\n'), continuations: p.choices.map((c) => ` ${c}`) },
        benchmark: 'xcopa',
        subset: lang,
        srcLang: lang,
        tgtLang: null,
        source: p.context,
        reference: p.choices[p.gold] ?? null,
        meta: { ref: d.ref, gold: p.gold, choices: p.choices, shots: shots.length },
      });
    }
  }
  return out;
}

export function mmmluItems(db: Db, o: ItemOptions): EvalItemSpec[] {
  const out: EvalItemSpec[] = [];
  for (const [lang, list] of byLang(docs(db, 'mmmlu', o.langs))) {
    const parse = (d: Doc) => {
      const options = (['A', 'B', 'C', 'D'] as const).map((k) => str(d.meta[k])) as [string, string, string, string];
      return { prompt: mmmluPrompt({ question: str(d.meta.Question), options }), options, gold: 'ABCD'.indexOf(str(d.meta.Answer).trim()) };
    };
    // MMLU's shots are of the item's own subject: the first k of each subject are shots, the rest scored.
    const bySubject = new Map<string, Doc[]>();
    for (const d of list) (bySubject.get(str(d.meta.Subject)) ?? bySubject.set(str(d.meta.Subject), []).get(str(d.meta.Subject))!).push(d);
    const scored: Array<{ d: Doc; shots: string[] }> = [];
    for (const group of bySubject.values()) {
      const shots = group.slice(0, o.shots.mmmlu).map((d) => {
        const p = parse(d);
        return `${p.prompt}${LETTERS[p.gold]}`;
      });
      for (const d of group.slice(shots.length)) scored.push({ d, shots });
    }
    scored.sort((a, b) => compareRefs(a.d.ref, b.d.ref));
    for (const { d, shots } of firstN(scored, o.maxItems)) {
      const p = parse(d);
      out.push({
        item: { id: `${d.ref}|${lang}`, type: 'choices', context: [...shots, p.prompt].join('\n\n'), continuations: LETTERS },
        benchmark: 'mmmlu',
        subset: lang,
        srcLang: lang,
        tgtLang: null,
        source: p.prompt,
        reference: p.options[p.gold] ?? null,
        meta: { ref: d.ref, gold: p.gold, choices: p.options, subject: str(d.meta.Subject), shots: shots.length },
      });
    }
  }
  return out;
}
