/**
 * The prompt for one sentence: the evaluation's Flores-style few-shot
 * template with the retrieved examples as shots, the most similar right
 * before the sentence, and the least similar dropped first when the prompt
 * would not fit the model's context.
 */
import { describe, expect, it } from 'vitest';
import { buildPrompt } from '../../main/services/inference/prompt';

/** One "token" per word: enough to count and to make room run out. */
const encode = (text: string) => text.split(/\s+/).filter(Boolean).map((_, i) => i);

const examples = [
  { src: 'The children are going to school.', tgt: 'Watoto wanaenda shuleni.', score: 80 },
  { src: 'The children went\nto the market.', tgt: 'Watoto walienda sokoni.', score: 50 },
];

describe('buildPrompt', () => {
  it('writes the shots in the evaluation template, most similar last, then the sentence', () => {
    const p = buildPrompt('eng_Latn', 'swh_Latn', 'The children are going home.', examples, encode, { maxPositions: 1000, maxNewTokens: 10 });
    expect(p.text).toBe(
      'English sentence: The children went to the market.\nSwahili sentence: Watoto walienda sokoni.\n\n' +
        'English sentence: The children are going to school.\nSwahili sentence: Watoto wanaenda shuleni.\n\n' +
        'English sentence: The children are going home.\nSwahili sentence:',
    );
    expect(p.ids).toHaveLength(encode(p.text).length);
    expect(p.examples).toEqual(examples);
  });

  it('without examples is the zero-shot prompt', () => {
    expect(buildPrompt('swh_Latn', 'eng_Latn', 'Habari.', [], encode, { maxPositions: 100, maxNewTokens: 10 }).text).toBe('Swahili sentence: Habari.\nEnglish sentence:');
  });

  it('drops the least similar examples first when the prompt and answer would not fit', () => {
    const room = { maxPositions: 40, maxNewTokens: 10 };
    const p = buildPrompt('eng_Latn', 'swh_Latn', 'The children are going home.', examples, encode, room);
    expect(p.examples).toEqual([examples[0]]);
    expect(p.ids.length + room.maxNewTokens).toBeLessThanOrEqual(room.maxPositions);
  });

  it('says plainly when the sentence alone is too long', () => {
    expect(() => buildPrompt('eng_Latn', 'swh_Latn', 'word '.repeat(50), examples, encode, { maxPositions: 30, maxNewTokens: 10 })).toThrow(/too long for the model/);
  });
});
