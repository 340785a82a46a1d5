/**
 * Sentence splitting for documents (Intl.Segmenter in the source language)
 * and the plain-text plan: line breaks, empty lines and spacing come out as
 * they went in; only sentences are handed to the model.
 */
import { describe, expect, it } from 'vitest';
import { assemble, planSentences } from '../../main/services/inference/document-plan';
import { planPlainText, splitSentences } from '../../main/services/inference/sentences';

const sentences = (text: string, lang: string) => splitSentences(text, lang).map((s) => s.sentence);

describe('splitSentences', () => {
  it.each([
    ['eng_Latn', 'Good morning. How are you? I am fine!', ['Good morning.', 'How are you?', 'I am fine!']],
    ['swh_Latn', 'Habari yako? Mimi ni mzima. Asante!', ['Habari yako?', 'Mimi ni mzima.', 'Asante!']],
    ['cmn_Hans', '我爱你。你好吗？很好！', ['我爱你。', '你好吗？', '很好！']],
    ['amh_Ethi', 'ሰላም ነው። እንዴት ነህ? ደህና ነኝ።', ['ሰላም ነው።', 'እንዴት ነህ?', 'ደህና ነኝ።']],
    ['arb_Arab', 'مرحبا. كيف حالك؟ أنا بخير.', ['مرحبا.', 'كيف حالك؟', 'أنا بخير.']],
    ['hin_Deva', 'नमस्ते। आप कैसे हैं? मैं ठीक हूँ।', ['नमस्ते।', 'आप कैसे हैं?', 'मैं ठीक हूँ।']],
  ])('%s: at the full stops of its script', (lang, text, expected) => {
    expect(sentences(text, lang)).toEqual(expected);
  });

  it('keeps a Thai line whole (Thai marks sentences with spaces, which the Unicode rules do not split on)', () => {
    const thai = 'มนุษย์ทั้งหลายเกิดมามีอิสระ ทุกคนมีสิทธิในการดำรงชีวิต';
    expect(sentences(thai, 'tha_Thai')).toEqual([thai]);
  });

  it('keeps the whitespace after each sentence', () => {
    expect(splitSentences('One.  Two.', 'eng_Latn')).toEqual([
      { sentence: 'One.', after: '  ' },
      { sentence: 'Two.', after: '' },
    ]);
  });
});

describe('planPlainText', () => {
  it('translates line by line, keeping empty lines, indentation and CRLF', () => {
    const text = 'Hello there. How are you?\n\n  Fine!\r\nLast line';
    const plan = planPlainText(text, 'eng_Latn', 'swh_Latn');
    expect(planSentences(plan)).toEqual(['Hello there.', 'How are you?', 'Fine!', 'Last line']);
    expect(assemble(plan, planSentences(plan))).toBe(text);
    expect(assemble(plan, ['A', 'B', 'C', 'D'])).toBe('A B\n\n  C\r\nD');
  });

  it('puts a space between sentences that touched in a script without spaces, when the target writes one', () => {
    const plan = planPlainText('我爱你。你好吗？', 'cmn_Hans', 'eng_Latn');
    expect(assemble(plan, ['I love you.', 'How are you?'])).toBe('I love you. How are you?');
    const back = planPlainText('我爱你。你好吗？', 'cmn_Hans', 'jpn_Jpan');
    expect(assemble(back, ['あ。', 'い。'])).toBe('あ。い。');
  });

  it('keeps lines without words (numbers, punctuation) as they are', () => {
    const plan = planPlainText('1.\n---\nWords here.\n', 'eng_Latn', 'swh_Latn');
    expect(planSentences(plan)).toEqual(['Words here.']);
    expect(assemble(plan, ['Maneno hapa.'])).toBe('1.\n---\nManeno hapa.\n');
  });
});
