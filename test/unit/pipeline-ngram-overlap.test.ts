import { describe, expect, it } from 'vitest';
import { EvalNgramIndex, ngramHashes } from '../../main/services/pipeline/steps/ngram-overlap';

const flores = 'On Monday, scientists from the Stanford University School of Medicine announced the invention of a new diagnostic tool.';

describe('n-gram overlap with evaluation items', () => {
  it('finds a quoted evaluation sentence inside a longer text, whatever its case and punctuation', () => {
    const idx = new EvalNgramIndex(13);
    idx.add(0, 'A short item.', 'Latn', 'eng_Latn');
    idx.add(1, flores, 'Latn', 'eng_Latn');
    const article = `The weather was fine. ${flores.toUpperCase().replace(/,/g, '')} Then everyone went home for lunch.`;
    expect(idx.match(article, 'Latn', 'eng_Latn')).toBe(1);
    // Twelve words in a row are not enough.
    const twelve = flores.split(' ').slice(0, 12).join(' ');
    expect(idx.match(`Prefix words here ${twelve} and then something else entirely different.`, 'Latn', 'eng_Latn')).toBe(-1);
  });

  it('has no n-grams for texts shorter than n, and survives the trip to a worker', () => {
    expect(ngramHashes('one two three', 'Latn', 'eng_Latn', 13)).toEqual([]);
    const idx = new EvalNgramIndex(5);
    idx.add(7, 'alpha beta gamma delta epsilon zeta', 'Latn', 'eng_Latn');
    const copy = EvalNgramIndex.fromArray(5, idx.toArray());
    expect(copy.size).toBe(2);
    expect(copy.match('x alpha beta gamma delta epsilon y', 'Latn', 'eng_Latn')).toBe(7);
  });

  it('uses characters for scripts without spaces', () => {
    const idx = new EvalNgramIndex(13);
    const zh = '人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心。';
    idx.add(0, zh, 'Hans', 'cmn_Hans');
    expect(idx.match(`前言。${zh.slice(0, 15)}后记。`, 'Hans', 'cmn_Hans')).toBe(0);
  });
});
