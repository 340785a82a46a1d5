import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../../main/services/pipeline/rng';

// Small vocabularies with each language's frequent function words, so that
// generated documents pass Gopher's stop-word and word-length checks.
const VOCAB: Record<string, { stop: string[]; words: string[] }> = {
  eng: {
    stop: ['the', 'and', 'of', 'to', 'that', 'with', 'have', 'be'],
    words: 'village river harvest market teacher morning language family garden mountain story water children season letter history bridge forest kitchen festival council'.split(' '),
  },
  swh: {
    stop: ['na', 'ya', 'wa', 'kwa', 'katika', 'za', 'ni', 'cha'],
    words: 'kijiji mto mavuno soko mwalimu asubuhi lugha familia bustani mlima hadithi maji watoto msimu barua historia daraja msitu jikoni tamasha baraza'.split(' '),
  },
  yor: {
    stop: ['ni', 'ti', 'si', 'won', 'fun', 'ati', 'pe', 'lati'],
    words: 'abule odo ikore oja oluko owuro ede ebi ogba oke itan omi omode akoko leta itan-akọọlẹ afara igbo idana ajodun igbimo'.split(' '),
  },
};

/** A document of `words` words in `lang` (eng, swh, yor), different for each `n`. */
export function makeDoc(lang: keyof typeof VOCAB, n: number, words = 40): string {
  const v = VOCAB[lang]!;
  const rng = createRng(7, lang, n);
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(i % 3 === 1 ? rng.pick(v.stop) : `${rng.pick(v.words)}${rng.int(50)}`);
  // Sentences of ten words, each ending with a full stop (FineWeb's punctuation check).
  const sentences: string[] = [];
  for (let i = 0; i < out.length; i += 10) sentences.push(out.slice(i, i + 10).join(' ') + '.');
  return sentences.join(' ');
}

/** Writes a JSONL file of documents and returns its path. */
export function writeJsonl(dir: string, name: string, texts: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  return path;
}
