import { francAll } from 'franc-all';
import { describe, expect, it } from 'vitest';
import { IdentifyParams } from '../../main/services/pipeline/recipe';
import {
  DETECTOR_LANGUAGE_COUNT,
  DETECTOR_LANGUAGES,
  detectorKnows,
  identify,
  languageFamily,
  rankLanguages,
} from '../../main/services/pipeline/steps/identify';
import { detectScript } from '../../main/services/corpus/scripts';

const FLAG = IdentifyParams.parse({});
const DROP = IdentifyParams.parse({ action: 'drop' });

// One short story (a market town) in several languages, written for these tests.
const EN =
  'The farmers brought maize to the market and sold it for salt, cloth and tools. A small school opened near the church, and the children learned to read from borrowed books.';
const SW =
  'Wakulima walileta mahindi sokoni na kuyauza kwa chumvi, nguo na vifaa vya kazi. Shule ndogo ilifunguliwa karibu na kanisa, na watoto walijifunza kusoma kwa vitabu vya kuazima.';
const ES =
  'Los agricultores llevaron maíz al mercado y lo vendieron a cambio de sal, tela y herramientas. Una pequeña escuela abrió cerca de la iglesia y los niños aprendieron a leer.';
const ZH = '农民把玉米带到市场上，换取盐、布和工具。教堂附近开了一所小学校，孩子们用借来的书学习读书。铁路修到这里以后，商人们在新车站附近建起了仓库。';
const JA = '農民はトウモロコシを市場に持って行き、塩や布や道具と交換しました。教会の近くに小さな学校が開かれ、子どもたちは借りた本で読み方を学びました。';
const KO = '농부들은 옥수수를 시장에 가져와 소금과 천과 도구로 바꾸었습니다. 교회 근처에 작은 학교가 문을 열었고 아이들은 빌린 책으로 읽기를 배웠습니다.';
const AR = 'جلب المزارعون الذرة إلى السوق وباعوها مقابل الملح والقماش والأدوات. وافتتحت مدرسة صغيرة بالقرب من الكنيسة، وتعلم الأطفال القراءة من كتب مستعارة.';
const FA = 'کشاورزان ذرت را به بازار آوردند و آن را در ازای نمک، پارچه و ابزار فروختند. یک مدرسه کوچک در نزدیکی کلیسا باز شد و کودکان با کتاب‌های قرضی خواندن را یاد گرفتند.';
const MS =
  'Petani-petani membawa jagung ke pasar dan menjualnya untuk mendapatkan garam, kain dan peralatan. Sebuah sekolah kecil telah dibuka berhampiran gereja, dan kanak-kanak belajar membaca daripada buku yang dipinjam.';
const RU = 'Крестьяне привозили кукурузу на рынок и продавали её за соль, ткань и инструменты. Возле церкви открылась небольшая школа, и дети учились читать по чужим книгам.';
const AM = 'ገበሬዎቹ በቆሎ ወደ ገበያ አምጥተው በጨው፣ በጨርቅ እና በመሳሪያዎች ሸጡት። በቤተ ክርስቲያኑ አቅራቢያ ትንሽ ትምህርት ቤት ተከፈተ። ልጆቹም በተዋሱ መጻሕፍት ማንበብ ተማሩ።';
const YO = 'Àwọn àgbẹ̀ mú àgbàdo wá sí ọjà, wọ́n sì tà á fún iyọ̀, aṣọ àti irinṣẹ́. Ilé ẹ̀kọ́ kékeré kan ṣí sílẹ̀ nítòsí ṣọ́ọ̀ṣì, àwọn ọmọdé sì kọ́ láti kà láti inú ìwé tí wọ́n yá.';

describe('agreement', () => {
  it.each([
    ['eng_Latn', EN],
    ['swh_Latn', SW],
    ['spa_Latn', ES],
    ['yor_Latn', YO],
    ['rus_Cyrl', RU],
    ['jpn_Jpan', JA],
    ['kor_Hang', KO],
  ])('%s text agrees with its declared language', (lang, text) => {
    const r = identify(text, lang, DROP);
    expect(r).toMatchObject({ verdict: 'agree', drop: false, known: true });
    expect(r.declaredScore).toBeGreaterThan(0.8);
    // The top guess may be a close relative (Swahili comes out as Nyemba, Spanish as Asturian): agreement uses the declared score.
    expect(r.detected).not.toBeNull();
    expect(r.score).toBe(1);
    expect(r.reason).toBeUndefined();
  });

  it('treats a macrolanguage and its members as one language', () => {
    // Chinese: the corpus says zho_Hans, franc says cmn.
    const zh = identify(ZH, 'zho_Hans', DROP);
    expect(zh).toMatchObject({ detected: 'cmn', declaredScore: 1, script: 'Hani', verdict: 'agree', known: true });
    expect(identify(ZH, 'cmn_Hans', DROP).verdict).toBe('agree');
    // Swahili: swh (Flores) and swa (the macrolanguage, as ISO 639-1 "sw" maps).
    expect(identify(SW, 'swa_Latn', DROP).verdict).toBe('agree');
    expect(identify(SW, 'sw', DROP).verdict).toBe('agree');
    // Arabic: ara and arb; Persian: fas and pes (franc's top guess is Dari, prs).
    expect(identify(AR, 'arb_Arab', DROP)).toMatchObject({ detected: 'arb', verdict: 'agree' });
    expect(identify(AR, 'ara_Arab', DROP).verdict).toBe('agree');
    expect(identify(FA, 'pes_Arab', DROP).verdict).toBe('agree');
    expect(identify(FA, 'fas_Arab', DROP).verdict).toBe('agree');
    // Malay: Flores' zsm is not in franc, whose Malay is zlm (and Indonesian often wins): same macrolanguage msa.
    const ms = identify(MS, 'zsm_Latn', DROP);
    expect(ms).toMatchObject({ known: true, verdict: 'agree' });
    expect(['ind', 'zlm']).toContain(ms.detected);
    expect(languageFamily('zsm')).toBe('msa');
    expect(languageFamily('quy')).toBe('que');
  });
});

describe('disagreement and the threshold', () => {
  it('flags Spanish text declared as Swahili, and drops it only with action drop', () => {
    const flagged = identify(ES, 'swh_Latn', FLAG);
    expect(flagged).toMatchObject({ verdict: 'disagree', drop: false, known: true, reason: { code: 'lang_disagree' } });
    expect(flagged.declaredScore!).toBeLessThan(0.8);
    expect(flagged.reason!.message).toMatch(/^declared Swahili \(swh\) but the detector ranks it 0\.\d\d of its top guess .+ \([a-z]{3}\)$/);
    expect(identify(ES, 'swh_Latn', DROP)).toMatchObject({ verdict: 'disagree', drop: true });
  });

  it('disagrees when 1 - declaredScore exceeds flagThreshold, agrees at or below it', () => {
    // Spanish text declared as Catalan: known to franc, ranked close to the top but not at it.
    const probe = identify(ES, 'cat_Latn', DROP);
    const gap = 1 - probe.declaredScore!;
    expect(gap).toBeGreaterThan(0.02);
    expect(gap).toBeLessThan(0.5);
    expect(identify(ES, 'cat_Latn', { ...DROP, flagThreshold: gap - 0.01 })).toMatchObject({ verdict: 'disagree', drop: true });
    expect(identify(ES, 'cat_Latn', { ...DROP, flagThreshold: gap + 0.01 })).toMatchObject({ verdict: 'agree', drop: false });
    expect(identify(ES, 'cat_Latn', { ...DROP, flagThreshold: 1 }).verdict).toBe('agree');
  });

  it('Quechua is known to franc, so Spanish text declared as Quechua is judged', () => {
    expect(detectorKnows('quy_Latn')).toBe(true);
    expect(identify(ES, 'quy_Latn', DROP)).toMatchObject({ verdict: 'disagree', drop: true });
  });
});

describe('languages the detector does not know are never dropped', () => {
  it.each(['xyz_Latn', 'kab_Latn', 'tum_Latn', 'szl_Latn'])('%s with Spanish-looking text', (lang) => {
    expect(detectorKnows(lang)).toBe(false);
    const r = identify(ES, lang, { ...DROP, flagThreshold: 0 });
    expect(r).toMatchObject({ verdict: 'unknown-language', drop: false, known: false, declaredScore: null, reason: { code: 'lang_unknown' } });
    // What the detector thinks is still reported, for the UI.
    expect(r.detected).not.toBeNull();
  });

  it('a language franc knows only in another script counts as unknown in this one', () => {
    // franc's Amharic profile is Ethiopic; Amharic in Latin transliteration is not judged by language.
    expect(detectorKnows('amh_Ethi')).toBe(true);
    expect(detectorKnows('amh_Latn')).toBe(false);
    const r = identify('Gebarewochu bekolo wede gebeya amtitew bechew, becherq ena bemesariyawoch shetut. Tinish timhirt bet tekefete.', 'amh_Latn', DROP);
    expect(r).toMatchObject({ verdict: 'unknown-language', drop: false });
  });
});

describe('script', () => {
  it('declared Amharic (Ethiopic) but written in Latin letters is a script mismatch', () => {
    const r = identify(EN, 'amh_Ethi', DROP);
    expect(r).toMatchObject({ verdict: 'script-mismatch', drop: true, script: 'Latn', reason: { code: 'lang_script_mismatch' } });
    expect(r.reason!.message).toBe('declared Amharic (amh) in Ethiopic script but 100% of the letters are in other scripts, mostly Latin');
    expect(identify(EN, 'amh_Ethi', FLAG)).toMatchObject({ verdict: 'script-mismatch', drop: false });
    expect(identify(AM, 'amh_Ethi', DROP).script).toBe('Ethi');
  });

  it('without checkScript the same text is a plain disagreement (franc does not rank Amharic among Latin-script languages)', () => {
    const r = identify(EN, 'amh_Ethi', { ...DROP, checkScript: false });
    expect(r).toMatchObject({ verdict: 'disagree', declaredScore: 0, drop: true });
    expect(r.reason!.message).toMatch(/did not consider it/);
  });

  it('applies to languages the detector does not know: the script needs no language model', () => {
    expect(identify(RU, 'xyz_Latn', DROP)).toMatchObject({ verdict: 'script-mismatch', known: false, drop: true, script: 'Cyrl' });
  });

  it('mismatch needs more than half of the letters in other scripts', () => {
    // 60 Latin letters and 40 Cyrillic ones declared Latin: kept; the reverse: mismatch.
    const mixed = (lat: number, cyr: number) => `${'abcde '.repeat(lat / 5)}${'абвгд '.repeat(cyr / 5)}`;
    expect(identify(mixed(60, 40), 'xyz_Latn', DROP).verdict).not.toBe('script-mismatch');
    expect(identify(mixed(40, 60), 'xyz_Latn', DROP).verdict).toBe('script-mismatch');
    expect(identify(mixed(50, 50), 'xyz_Latn', DROP).verdict).not.toBe('script-mismatch');
  });

  it('knows Hans/Hant/Jpan/Kore are written with Han, kana and Hangul', () => {
    expect(identify(ZH, 'zho_Hant', DROP).verdict).toBe('agree');
    expect(identify(JA, 'jpn_Jpan', DROP).script).toBe('Jpan');
    // Korean with some Hanja stays Korean.
    expect(identify(`${KO} 學校 敎會 市場`, 'kor_Kore', DROP).verdict).toBe('agree');
    expect(identify(ZH, 'jpn_Jpan', { ...DROP, checkScript: true }).verdict).not.toBe('script-mismatch');
    expect(identify(KO, 'zho_Hans', DROP).verdict).toBe('script-mismatch');
  });

  it('reports the same dominant script as corpus/scripts detectScript', () => {
    for (const t of [EN, ZH, JA, KO, AR, RU, AM, YO, `${EN} ${RU}`, `${ZH}${JA}`]) expect(identify(t, 'xyz', FLAG).script).toBe(detectScript(t));
  });

  it('skips the check for a code without a script or with an undetermined one', () => {
    expect(identify(RU, 'xyz', DROP).verdict).toBe('unknown-language');
    expect(identify(RU, 'xyz_Zyyy', DROP).verdict).toBe('unknown-language');
  });
});

describe('length', () => {
  it('does not judge texts shorter than minLength (code points), and never drops them', () => {
    const short = ES.slice(0, 49);
    const r = identify(short, 'swh_Latn', { ...DROP, flagThreshold: 0 });
    expect(r).toMatchObject({ verdict: 'too-short', drop: false, detected: null, declaredScore: null, reason: { code: 'lang_too_short' } });
    // Exactly minLength is judged.
    expect(identify(ES.slice(0, 50), 'swh_Latn', { ...DROP, flagThreshold: 0 }).verdict).not.toBe('too-short');
    // A script mismatch on a short text is not judged either.
    expect(identify('Short English text.', 'amh_Ethi', DROP).verdict).toBe('too-short');
  });

  it('counts code points, not UTF-16 units', () => {
    // An emoji is one character but two UTF-16 units: 30 characters, 40 units.
    const text = 'ab😀'.repeat(10);
    expect(text.length).toBe(40);
    expect(identify(text, 'xyz_Latn', { ...DROP, minLength: 31 }).verdict).toBe('too-short');
    expect(identify(text, 'xyz_Latn', { ...DROP, minLength: 30 }).verdict).toBe('unknown-language');
  });

  it('does not judge a long text without letters', () => {
    const digits = '2019 2020 2021 — 45 % / 17.5 (12) [3] 2022 2023 2024 2025 2026 2027 2028 2029 2030';
    expect(identify(digits, 'eng_Latn', DROP)).toMatchObject({ verdict: 'too-short', drop: false, detected: null, score: 0, script: null });
  });

  it('reads only the first 2000 code points of a long document', () => {
    const long = `${SW} `.repeat(40) + ES.repeat(100);
    expect(identify(long, 'swh_Latn', DROP)).toMatchObject(identify(`${SW} `.repeat(40), 'swh_Latn', DROP));
  });
});

describe('the detector', () => {
  it('lists franc-all languages for the UI', () => {
    expect(DETECTOR_LANGUAGE_COUNT).toBe(DETECTOR_LANGUAGES.length);
    expect(DETECTOR_LANGUAGE_COUNT).toBeGreaterThan(400);
    expect(DETECTOR_LANGUAGE_COUNT).toBeLessThan(420);
    expect(DETECTOR_LANGUAGES).toContain('cmn');
    expect(DETECTOR_LANGUAGES).toContain('swh');
    expect(DETECTOR_LANGUAGES).not.toContain('zsm');
  });

  it.each([
    ['eng_Latn', true], ['zho_Hans', true], ['zho_Hant', true], ['yue_Hant', true], ['swh_Latn', true], ['swa', true],
    ['zsm_Latn', true], ['pbt_Arab', true], ['uzn_Latn', true], ['uzn_Cyrl', true], ['kor_Kore', true], ['jpn_Jpan', true],
    ['xyz_Latn', false], ['kab_Latn', false], ['amh_Latn', false], ['rus_Latn', false],
  ])('detectorKnows(%s) is %s', (lang, known) => {
    expect(detectorKnows(lang)).toBe(known);
  });

  it('rankLanguages gives exactly what francAll gives', () => {
    const texts = [EN, SW, ES, ZH, JA, KO, AR, FA, MS, RU, AM, YO, '', '   ', '12345 678', 'a', 'Ok.', `${EN} ${RU}`, `${AR} ${EN}`];
    // Many lengths and offsets, so cut trigrams and surrogate halves are covered too.
    for (const base of [EN, SW, RU, ZH, AM, YO, '𐌰𐌱 😀 Emoji ‘quotes’ and ÉCOLE Straße İstanbul'])
      for (let i = 0; i < 40; i++) texts.push(base.repeat(30).slice(i * 3, i * 3 + 5 + i * 61));
    for (const t of texts) expect(rankLanguages(t)).toEqual(francAll(t, { minLength: 0 }));
  });
});
