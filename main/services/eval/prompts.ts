/**
 * The prompts every evaluation and translation uses (SPECS.md): Flores-style
 * few-shot translation, Belebele, XCOPA and MMMLU multiple choice. One module,
 * so the evaluation job, the Translate page and the model card agree.
 */
import { iso6393 } from 'iso-639-3';

const names = new Map(iso6393.map((l) => [l.iso6393, l.name]));

/** "swh_Latn" -> "Swahili (individual language)" is too much for a prompt: the name before any parenthesis. */
export function languageName(code: string): string {
  const iso = code.split(/[_-]/)[0]!;
  const name = names.get(iso);
  return name ? name.replace(/\s*\(.*\)\s*$/, '') : code;
}

export interface Shot {
  src: string;
  tgt: string;
}

/**
 * `{Src} sentence: {x}\n{Tgt} sentence:` after k solved examples, each on its
 * own pair of lines and separated by a blank line. The model's answer is
 * what it writes up to the end of the line.
 */
export function translationPrompt(srcLang: string, tgtLang: string, source: string, shots: readonly Shot[] = []): string {
  const src = languageName(srcLang);
  const tgt = languageName(tgtLang);
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
  const blocks = shots.map((s) => `${src} sentence: ${oneLine(s.src)}\n${tgt} sentence: ${oneLine(s.tgt)}`);
  blocks.push(`${src} sentence: ${oneLine(source)}\n${tgt} sentence:`);
  return blocks.join('\n\n');
}

/** Belebele: `P: …\nQ: …\nA: …\nB: …\nC: …\nD: …\nAnswer:`; choices are the letters, scored as " A"…" D". */
export function belebelePrompt(item: { passage: string; question: string; answers: readonly [string, string, string, string] }): string {
  const [a, b, c, d] = item.answers;
  return `P: ${item.passage}\nQ: ${item.question}\nA: ${a}\nB: ${b}\nC: ${c}\nD: ${d}\nAnswer:`;
}
export const BELEBELE_CHOICES = ['A', 'B', 'C', 'D'] as const;

/**
 * XCOPA "because" / "therefore" in each XCOPA language (lm-evaluation-harness's
 * xcopa task), English for any other.
 */
const XCOPA_CONNECTORS: Record<string, { cause: string; effect: string }> = {
  eng: { cause: 'because', effect: 'therefore' },
  est: { cause: 'sest', effect: 'seetõttu' },
  ekk: { cause: 'sest', effect: 'seetõttu' },
  hat: { cause: 'poukisa', effect: 'donk sa' },
  ind: { cause: 'karena', effect: 'maka' },
  ita: { cause: 'perché', effect: 'quindi' },
  quy: { cause: 'imataq', effect: 'chaymi' },
  swh: { cause: 'kwa sababu', effect: 'kwa hiyo' },
  swa: { cause: 'kwa sababu', effect: 'kwa hiyo' },
  tam: { cause: 'காரணமாக', effect: 'எனவே' },
  tha: { cause: 'เพราะ', effect: 'ดังนั้น' },
  tur: { cause: 'çünkü', effect: 'bu yüzden' },
  vie: { cause: 'bởi vì', effect: 'vì vậy' },
  zho: { cause: '因为', effect: '所以' },
  cmn: { cause: '因为', effect: '所以' },
};

/** XCOPA: the premise without its final period + " because"/" therefore"; choices with a lowercased first letter. */
export function xcopaPrompt(lang: string, item: { premise: string; question: 'cause' | 'effect'; choice1: string; choice2: string }): { context: string; choices: [string, string] } {
  const c = XCOPA_CONNECTORS[lang.split(/[_-]/)[0]!] ?? XCOPA_CONNECTORS.eng!;
  const premise = item.premise.trim().replace(/[.。]$/, '');
  const lower = (s: string) => (s ? s[0]!.toLowerCase() + s.slice(1) : s);
  return { context: `${premise} ${item.question === 'cause' ? c.cause : c.effect}`, choices: [lower(item.choice1), lower(item.choice2)] };
}

/** MMMLU (MMLU's prompt): question, the four options, "Answer:"; choices are the letters. */
export function mmmluPrompt(item: { question: string; options: readonly [string, string, string, string] }): string {
  const [a, b, c, d] = item.options;
  return `${item.question.trim()}\nA. ${a}\nB. ${b}\nC. ${c}\nD. ${d}\nAnswer:`;
}
