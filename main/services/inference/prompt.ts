/**
 * The prompt for one sentence: the evaluation's few-shot translation
 * template (eval/prompts.ts, so a translation here and a Flores score there
 * ask the model the same way) with the retrieved examples as the shots.
 */
import { LangbridgeError } from '../../api/errors';
import { translationPrompt } from '../eval/prompts';

export interface PromptExample {
  src: string;
  tgt: string;
}

export interface BuiltPrompt<E extends PromptExample> {
  text: string;
  ids: number[];
  /** The examples the prompt holds, most similar first (as retrieved). */
  examples: E[];
}

/**
 * `examples` come most similar first; in the prompt the most similar goes
 * last, right before the sentence, where it weighs most. When the prompt and
 * the answer would not fit the model's context, the least similar examples
 * are dropped first.
 */
export function buildPrompt<E extends PromptExample>(
  from: string,
  to: string,
  sentence: string,
  examples: readonly E[],
  encode: (text: string) => number[],
  room: { maxPositions: number; maxNewTokens: number },
): BuiltPrompt<E> {
  let kept = [...examples];
  for (;;) {
    const text = translationPrompt(from, to, sentence, [...kept].reverse());
    const ids = encode(text);
    if (ids.length + room.maxNewTokens <= room.maxPositions) return { text, ids, examples: kept };
    if (kept.length === 0) {
      throw new LangbridgeError(
        'bad-input',
        `A sentence is too long for the model: ${ids.length} prompt tokens and up to ${room.maxNewTokens} new ones, where the model reads ${room.maxPositions} at most ("${sentence.slice(0, 60)}…").`,
      );
    }
    kept = kept.slice(0, -1);
  }
}
