/**
 * Translation and multiple-choice metrics, equal to sacrebleu 2.6.0 and
 * lm-evaluation-harness (see each file). Pure functions: no I/O, safe in
 * worker threads.
 */

export type { BleuTokenizer } from './tokenizers';
export { BLEU_TOKENIZERS, getTokenizer } from './tokenizers';
export type { BleuOptions, BleuResult, Smoothing } from './bleu';
export { BLEU_STATS_WIDTH, bleuFromStats, bleuSegmentStats, bleuStatsMatrix, corpusBleu, sentenceBleu } from './bleu';
export type { ChrfOptions, ChrfResult } from './chrf';
export { chrfFromStats, chrfSegmentStats, chrfStatsMatrix, chrfStatsWidth, corpusChrf, sentenceChrf } from './chrf';
export { sumStats } from './streams';
export { bleuSignature, chrfName, chrfSignature, SACREBLEU_VERSION } from './signature';
export type { BootstrapMetric, BootstrapOptions, BootstrapResult, BootstrapSystem } from './bootstrap';
export { pairedBootstrap } from './bootstrap';
export type { ChoiceItem, MultipleChoiceResult } from './multiple-choice';
export { multipleChoice } from './multiple-choice';
export { pyFixed } from './python-strings';
