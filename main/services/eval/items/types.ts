/**
 * An evaluation item: what the trainer is asked (one line of items.jsonl,
 * the protocol of `python -m langbridge_trainer eval`), and what the app
 * keeps to score its answer (reference, gold choice) and to show it.
 */
import type { Benchmark } from '../../../api/eval-schemas';

export type TrainerItem =
  | { id: string; type: 'generate'; prompt: string; maxNewTokens: number; stop: string[] }
  | { id: string; type: 'choices'; context: string; continuations: string[] }
  | { id: string; type: 'loglik-text'; lang: string; text: string };

export interface EvalItemSpec {
  item: TrainerItem;
  benchmark: Benchmark;
  /** A language, or a direction `src-tgt`. */
  subset: string;
  srcLang: string | null;
  tgtLang: string | null;
  /** What a person reads: the source sentence, the question, the held-out text. */
  source: string;
  /** The reference translation, or the gold answer's text. */
  reference: string | null;
  /** Choices: { gold, choices }; translation: { ref, line }; always JSON-safe. */
  meta: Record<string, unknown>;
}

export interface ItemOptions {
  langs: string[];
  maxItems: number | null;
  shots: { flores: number; belebele: number; xcopa: number; mmmlu: number };
  maxNewTokens: number;
}

/** The first n of a list, or all of it when n is null. */
export function firstN<T>(list: T[], n: number | null): T[] {
  return n === null ? list : list.slice(0, n);
}

/** Natural order of refs that end in numbers (`x:2` before `x:10`). */
export function compareRefs(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
