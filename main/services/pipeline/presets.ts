/**
 * The three shipped recipes. Each is plain recipe data, validated by the same
 * schema as a user's file, so a preset is also the best example of the format.
 */
import { Recipe, RECIPE_FORMAT_VERSION, type RecipeInput } from './recipe';

/**
 * Languages that Qwen2 already handles well and that Marco-LLM treats as
 * high-resource replay (its 29 languages minus the low-resource ones). A team
 * edits this list: whatever is not here, English or Chinese is "low-resource".
 */
export const MARCO_HIGH_RESOURCE = [
  'arb_Arab', 'deu_Latn', 'spa_Latn', 'fra_Latn', 'jpn_Jpan', 'kor_Hang', 'por_Latn', 'rus_Cyrl', 'ita_Latn',
  'nld_Latn', 'pol_Latn', 'tur_Latn', 'vie_Latn', 'ind_Latn', 'ces_Latn', 'ukr_Cyrl', 'heb_Hebr', 'ell_Grek',
  'ron_Latn', 'hun_Latn', 'tha_Thai', 'zsm_Latn',
];

/**
 * Gopher's mean word length of 3..10 characters assumes alphabetic words; a
 * segmented Chinese or Japanese word is one or two characters, each a
 * morpheme, so the lower bound is 1 there (the character-based equivalent).
 */
const HAN_WORD_LENGTH = Object.fromEntries(['zho', 'cmn', 'yue', 'wuu', 'jpn'].map((l) => [l, { minAvgWordLength: 1 }]));

const marco: RecipeInput = {
  version: RECIPE_FORMAT_VERSION,
  name: 'marco',
  description:
    'The Marco-LLM recipe (arXiv 2412.04003): cleaning, language identification, punctuation / special-symbol / length heuristics, ' +
    'deduplication, then two stages mixed by data type with replay of the big languages (Stage I 32/17/30/9/6/5/1 %, Stage II 28/15/26/15/8/6/2 %) ' +
    'and parallel pairs turned into text with Marco-style templates. The paper publishes no heuristic thresholds: the minimum length here is ' +
    'lowered to 20 words because low-resource corpora are often verse- or sentence-sized.',
  seed: 42,
  steps: [
    { kind: 'normalise' },
    { kind: 'identify', params: { action: 'flag' } },
    { kind: 'marco-heuristics' },
    // "document length" in the paper: Gopher's word-count and word-shape checks with a shorter minimum.
    { kind: 'gopher-quality', params: { minDocWords: 20 }, overrides: HAN_WORD_LENGTH },
    { kind: 'pii' },
    { kind: 'exact-dedup' },
    { kind: 'minhash-dedup' },
    { kind: 'parallel-filter' },
    { kind: 'decontaminate' },
  ],
  mixture: {
    groups: [
      { id: 'knowledge', label: 'High-quality knowledge', match: { kind: 'sources', sources: [] } },
      { id: 'synthetic', label: 'Synthetic', match: { kind: 'sources', sources: [] } },
      { id: 'parallel', label: 'Parallel', match: { kind: 'parallel' } },
      { id: 'english', label: 'English', match: { kind: 'languages', languages: ['eng'] } },
      { id: 'chinese', label: 'Chinese', match: { kind: 'languages', languages: ['zho', 'cmn', 'yue'] } },
      { id: 'high-resource', label: 'Other high-resource', match: { kind: 'languages', languages: MARCO_HIGH_RESOURCE } },
      { id: 'low-resource', label: 'Low-resource', match: { kind: 'rest' } },
    ],
    stages: [
      {
        name: 'Stage I',
        tokenBudget: 'auto',
        peakLr: 1e-5,
        proportions: { english: 32, chinese: 17, 'high-resource': 30, 'low-resource': 9, parallel: 6, knowledge: 5, synthetic: 1 },
      },
      {
        name: 'Stage II',
        tokenBudget: 'auto',
        peakLr: 6e-6,
        proportions: { english: 28, chinese: 15, 'high-resource': 26, 'low-resource': 15, parallel: 8, knowledge: 6, synthetic: 2 },
      },
    ],
    // Marco uses fixed proportions by data type; within a group, languages get their natural share.
    allocation: { method: 'proportional', maxEpochs: 4 },
  },
  split: { heldOutPercent: 1, minPerLanguage: 20, maxPerLanguage: 2000 },
};

const fineweb2: RecipeInput = {
  version: RECIPE_FORMAT_VERSION,
  name: 'fineweb2',
  description:
    "FineWeb-2's filter order with datatrove's default thresholds: language identification, Gopher repetition, Gopher quality, " +
    'FineWeb quality, MinHash deduplication, then PII anonymisation. Languages are mixed by temperature sampling (alpha 0.3).',
  seed: 42,
  steps: [
    { kind: 'normalise' },
    { kind: 'identify', params: { action: 'drop' } },
    { kind: 'gopher-repetition' },
    { kind: 'gopher-quality', overrides: HAN_WORD_LENGTH },
    { kind: 'fineweb-quality' },
    { kind: 'minhash-dedup' },
    { kind: 'pii' },
    { kind: 'parallel-filter' },
    { kind: 'decontaminate' },
  ],
  mixture: {
    groups: [
      { id: 'parallel', label: 'Parallel', match: { kind: 'parallel' } },
      { id: 'text', label: 'Monolingual text', match: { kind: 'rest' } },
    ],
    stages: [{ name: 'Main', tokenBudget: 'auto', proportions: { text: 95, parallel: 5 } }],
    allocation: { method: 'temperature', alpha: 0.3, maxEpochs: 4 },
  },
};

const minimal: RecipeInput = {
  version: RECIPE_FORMAT_VERSION,
  name: 'minimal',
  description: 'Normalise and drop exact duplicates, nothing else; every language at its natural share, one pass over the data.',
  seed: 42,
  steps: [{ kind: 'normalise' }, { kind: 'exact-dedup' }],
  mixture: {
    groups: [
      { id: 'parallel', label: 'Parallel', match: { kind: 'parallel' } },
      { id: 'text', label: 'Monolingual text', match: { kind: 'rest' } },
    ],
    stages: [{ name: 'Main', tokenBudget: 'auto' }],
    allocation: { method: 'proportional', maxEpochs: 1 },
  },
};

export const PRESET_NAMES = ['marco', 'fineweb2', 'minimal'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const PRESETS: Record<PresetName, RecipeInput> = { marco, fineweb2, minimal };

/** A fresh, validated copy of a preset (callers may edit it). */
export function preset(name: PresetName): Recipe {
  return Recipe.parse(structuredClone(PRESETS[name]));
}

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}
