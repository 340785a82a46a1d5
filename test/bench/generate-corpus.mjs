#!/usr/bin/env node
// Deterministic synthetic corpus for the import benchmark (`npm run bench:import`).
//
//   node test/bench/generate-corpus.mjs [--docs N] [--out FILE] [--seed S]
//
// Writes JSONL lines {"text": "...", "lang": "sw"} in seven languages and six
// scripts: Latin (Swahili; Yoruba with tone marks and dots below), Ethiopic
// (Amharic), Arabic, Thai (no spaces between words), Devanagari (Hindi) and
// Han (Chinese, no spaces). Sentences are drawn from small built-in word lists
// with a seeded PRNG, so the same --docs/--seed always gives byte-identical
// output. Each document's text length is drawn uniformly between 80 and 360
// UTF-8 bytes (a JSONL line averages ~250 bytes with the JSON wrapping), so
// 2,000,000 documents make ~500 MB. The file is stream-written in 512 KiB
// blocks with backpressure: memory stays constant whatever --docs is.
//
// Only the JSONL is written. The sqlite3-shell peer in import-bench.mjs reads
// this same file (see the comment there for why that is the fair choice).

import { createWriteStream } from 'node:fs';
import { parseGeneratorArgs } from './bench-utils.mjs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the output for a given --docs/--seed changes, so cached corpora are regenerated. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_DOCS = 2_000_000;
export const DEFAULT_SEED = 20240611;

/**
 * Per language: the raw code written in the "lang" field, the script, the
 * word separator ('' for scripts written without spaces), sentence
 * terminators, and a small word list. `weight` is the share of documents.
 */
export const LANGUAGES = [
  {
    lang: 'sw',
    script: 'Latn',
    sep: ' ',
    end: ['.', '.', '.', '?', '!'],
    weight: 3,
    words: [
      'habari', 'asubuhi', 'mwalimu', 'shule', 'watoto', 'kitabu', 'nyumba', 'chakula', 'maji', 'safari',
      'rafiki', 'jamii', 'lugha', 'kusoma', 'kuandika', 'kesho', 'jana', 'leo', 'mvua', 'jua', 'mji',
      'kijiji', 'soko', 'barabara', 'ndege', 'samaki', 'mti', 'shamba', 'kazi', 'serikali', 'hospitali',
      'daktari', 'mama', 'baba', 'ndugu', 'wanafunzi', 'mkutano', 'habari', 'kiswahili', 'furaha', 'upendo',
      'amani', 'uhuru', 'mazingira', 'mkulima', 'mahindi', 'ndizi', 'chai', 'kahawa', 'mlima', 'bahari',
      'ziwa', 'mto', 'gari', 'treni', 'wiki', 'mwaka', 'usiku', 'mchana', 'na', 'ya', 'wa', 'kwa', 'katika',
      'lakini', 'sana', 'pia', 'hii', 'huu', 'wote', 'tena', 'bado', 'anasoma', 'wanakula', 'alikwenda',
      'tutaonana', 'nimefika', 'tunafanya', 'wanacheza', 'anapika',
    ],
  },
  {
    lang: 'yo',
    script: 'Latn',
    sep: ' ',
    end: ['.', '.', '?', '!'],
    weight: 2,
    words: [
      'ọmọ', 'ilé', 'ẹ̀kọ́', 'oúnjẹ', 'omi', 'ọjà', 'àgbẹ̀', 'ìwé', 'olùkọ́', 'ọ̀rẹ́', 'ìlú', 'ọ̀nà', 'ọkọ̀',
      'bàbá', 'màmá', 'àbúrò', 'ẹ̀gbọ́n', 'òjò', 'oòrùn', 'òṣùpá', 'ìràwọ̀', 'igi', 'odò', 'òkè', 'ẹja',
      'ewúrẹ́', 'adìẹ', 'iṣẹ́', 'owó', 'ìjọba', 'ilé-ìwòsàn', 'dókítà', 'akẹ́kọ̀ọ́', 'ìpàdé', 'èdè',
      'Yorùbá', 'ayọ̀', 'ìfẹ́', 'àlàáfíà', 'òmìnira', 'àgbàdo', 'ọ̀gẹ̀dẹ̀', 'iṣu', 'ẹ̀wà', 'aṣọ', 'orin',
      'ijó', 'ọjọ́', 'alẹ́', 'òwúrọ̀', 'ọ̀sẹ̀', 'ọdún', 'àti', 'ni', 'sí', 'fún', 'pẹ̀lú', 'ṣùgbọ́n', 'gan-an',
      'pàápàá', 'yìí', 'gbogbo', 'tún', 'ṣì', 'ń', 'kà', 'jẹun', 'lọ', 'wá', 'ṣe', 'ṣeré', 'dáadáa',
    ],
  },
  {
    lang: 'am',
    script: 'Ethi',
    sep: ' ',
    end: ['።', '።', '።', '?'],
    weight: 2,
    words: [
      'ሰላም', 'ጠዋት', 'አስተማሪ', 'ትምህርት', 'ቤት', 'ልጆች', 'መጽሐፍ', 'ቤተሰብ', 'ምግብ', 'ውሃ', 'ጉዞ',
      'ጓደኛ', 'ማህበረሰብ', 'ቋንቋ', 'ማንበብ', 'መጻፍ', 'ነገ', 'ትናንት', 'ዛሬ', 'ዝናብ', 'ፀሐይ', 'ከተማ',
      'መንደር', 'ገበያ', 'መንገድ', 'ወፍ', 'ዓሣ', 'ዛፍ', 'እርሻ', 'ሥራ', 'መንግሥት', 'ሆስፒታል', 'ሐኪም',
      'እናት', 'አባት', 'ወንድም', 'እህት', 'ተማሪዎች', 'ስብሰባ', 'አማርኛ', 'ደስታ', 'ፍቅር', 'ሰላምታ', 'ነፃነት',
      'አካባቢ', 'ገበሬ', 'በቆሎ', 'ሙዝ', 'ሻይ', 'ቡና', 'ተራራ', 'ባሕር', 'ሐይቅ', 'ወንዝ', 'መኪና', 'ባቡር',
      'ሳምንት', 'ዓመት', 'ሌሊት', 'ቀን', 'እና', 'ግን', 'በጣም', 'ደግሞ', 'ይህ', 'ሁሉም', 'እንደገና', 'ገና',
      'ያነባል', 'ይበላሉ', 'ሄደ', 'እንገናኛለን', 'ደረስኩ', 'እንሠራለን', 'ይጫወታሉ', 'ታበስላለች',
    ],
  },
  {
    lang: 'ar',
    script: 'Arab',
    sep: ' ',
    end: ['.', '.', '؟', '!'],
    weight: 2,
    words: [
      'مرحبا', 'صباح', 'المعلم', 'المدرسة', 'الأطفال', 'كتاب', 'البيت', 'الطعام', 'الماء', 'رحلة',
      'صديق', 'المجتمع', 'اللغة', 'القراءة', 'الكتابة', 'غدا', 'أمس', 'اليوم', 'المطر', 'الشمس',
      'المدينة', 'القرية', 'السوق', 'الطريق', 'طائر', 'سمك', 'شجرة', 'المزرعة', 'العمل', 'الحكومة',
      'المستشفى', 'الطبيب', 'الأم', 'الأب', 'الأخ', 'الطلاب', 'الاجتماع', 'العربية', 'الفرح', 'الحب',
      'السلام', 'الحرية', 'البيئة', 'الفلاح', 'الذرة', 'الموز', 'الشاي', 'القهوة', 'الجبل', 'البحر',
      'البحيرة', 'النهر', 'السيارة', 'القطار', 'الأسبوع', 'السنة', 'الليل', 'النهار', 'و', 'في', 'من',
      'إلى', 'على', 'لكن', 'جدا', 'أيضا', 'هذا', 'هذه', 'كل', 'مرة', 'يقرأ', 'يأكلون', 'ذهب', 'نلتقي',
      'وصلت', 'نعمل', 'يلعبون', 'تطبخ',
    ],
  },
  {
    lang: 'th',
    script: 'Thai',
    sep: '',
    end: [' ', ' ', ' ', '? '],
    weight: 2,
    words: [
      'สวัสดี', 'ตอนเช้า', 'ครู', 'โรงเรียน', 'เด็กๆ', 'หนังสือ', 'บ้าน', 'อาหาร', 'น้ำ', 'การเดินทาง',
      'เพื่อน', 'ชุมชน', 'ภาษา', 'อ่าน', 'เขียน', 'พรุ่งนี้', 'เมื่อวาน', 'วันนี้', 'ฝน', 'ดวงอาทิตย์',
      'เมือง', 'หมู่บ้าน', 'ตลาด', 'ถนน', 'นก', 'ปลา', 'ต้นไม้', 'ไร่', 'งาน', 'รัฐบาล', 'โรงพยาบาล',
      'หมอ', 'แม่', 'พ่อ', 'พี่ชาย', 'นักเรียน', 'การประชุม', 'ภาษาไทย', 'ความสุข', 'ความรัก', 'สันติภาพ',
      'อิสรภาพ', 'สิ่งแวดล้อม', 'ชาวนา', 'ข้าวโพด', 'กล้วย', 'ชา', 'กาแฟ', 'ภูเขา', 'ทะเล', 'ทะเลสาบ',
      'แม่น้ำ', 'รถยนต์', 'รถไฟ', 'สัปดาห์', 'ปี', 'กลางคืน', 'กลางวัน', 'และ', 'ใน', 'จาก', 'ไปยัง',
      'แต่', 'มาก', 'ด้วย', 'นี้', 'ทุก', 'อีกครั้ง', 'ยัง', 'กำลังอ่าน', 'กินข้าว', 'ไปแล้ว', 'แล้วพบกัน',
      'มาถึง', 'ทำงาน', 'เล่น', 'ทำอาหาร',
    ],
  },
  {
    lang: 'hi',
    script: 'Deva',
    sep: ' ',
    end: ['।', '।', '।', '?'],
    weight: 2,
    words: [
      'नमस्ते', 'सुबह', 'शिक्षक', 'विद्यालय', 'बच्चे', 'किताब', 'घर', 'खाना', 'पानी', 'यात्रा', 'दोस्त',
      'समाज', 'भाषा', 'पढ़ना', 'लिखना', 'कल', 'आज', 'बारिश', 'सूरज', 'शहर', 'गाँव', 'बाज़ार', 'सड़क',
      'चिड़िया', 'मछली', 'पेड़', 'खेत', 'काम', 'सरकार', 'अस्पताल', 'डॉक्टर', 'माँ', 'पिता', 'भाई', 'बहन',
      'छात्र', 'बैठक', 'हिंदी', 'खुशी', 'प्यार', 'शांति', 'आज़ादी', 'पर्यावरण', 'किसान', 'मक्का', 'केला',
      'चाय', 'कॉफ़ी', 'पहाड़', 'समुद्र', 'झील', 'नदी', 'गाड़ी', 'रेलगाड़ी', 'हफ़्ता', 'साल', 'रात', 'दिन',
      'और', 'में', 'से', 'को', 'पर', 'लेकिन', 'बहुत', 'भी', 'यह', 'सब', 'फिर', 'अभी', 'पढ़ता', 'खाते',
      'गया', 'मिलेंगे', 'पहुँचा', 'करते', 'खेलते', 'पकाती',
    ],
  },
  {
    lang: 'zh',
    script: 'Hans',
    sep: '',
    end: ['。', '。', '。', '？', '！'],
    weight: 2,
    words: [
      '你好', '早上', '老师', '学校', '孩子们', '书', '家', '食物', '水', '旅行', '朋友', '社区', '语言',
      '阅读', '写作', '明天', '昨天', '今天', '下雨', '太阳', '城市', '村庄', '市场', '道路', '鸟', '鱼',
      '树', '农场', '工作', '政府', '医院', '医生', '母亲', '父亲', '哥哥', '姐姐', '学生', '会议', '中文',
      '快乐', '爱', '和平', '自由', '环境', '农民', '玉米', '香蕉', '茶', '咖啡', '山', '大海', '湖', '河',
      '汽车', '火车', '星期', '年', '晚上', '白天', '和', '在', '从', '到', '但是', '非常', '也', '这个',
      '所有', '再', '还', '正在读', '吃饭', '去了', '再见', '到达', '我们', '玩', '做饭',
    ],
  },
];

/** mulberry32: small, fast, good enough for test data, and identical on every platform. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enc = new TextEncoder();
const prepared = LANGUAGES.map((l) => ({
  ...l,
  wordBytes: l.words.map((w) => enc.encode(w).length),
  sepBytes: enc.encode(l.sep).length,
}));
const cumulative = [];
{
  let sum = 0;
  for (const l of prepared) cumulative.push((sum += l.weight));
}
const totalWeight = cumulative.at(-1);

/** One document: { text, lang }. `rand` is the PRNG. */
export function makeDocument(rand) {
  const w = rand() * totalWeight;
  let li = 0;
  while (cumulative[li] <= w) li++;
  const l = prepared[li];
  const target = 80 + Math.floor(rand() * 280); // bytes of text: 80..359
  let text = '';
  let bytes = 0;
  let inSentence = 0;
  let sentenceLen = 5 + Math.floor(rand() * 10);
  while (bytes < target) {
    const wi = Math.floor(rand() * l.words.length);
    let word = l.words[wi];
    let wb = l.wordBytes[wi];
    if (inSentence === 0 && l.script === 'Latn') {
      // Capitalise the first word of a sentence (Latin script only).
      word = word[0].toUpperCase() + word.slice(1);
    }
    if (rand() < 0.03) {
      // An occasional number makes near-duplicates rarer and is realistic.
      const n = String(Math.floor(rand() * 2100));
      word = l.sep === '' ? word + n : `${word} ${n}`;
      wb += n.length + (l.sep === '' ? 0 : 1);
    }
    if (inSentence > 0) {
      text += l.sep;
      bytes += l.sepBytes;
    }
    text += word;
    bytes += wb;
    inSentence++;
    if (inSentence >= sentenceLen) {
      const e = l.end[Math.floor(rand() * l.end.length)];
      text += e;
      bytes += enc.encode(e).length;
      if (l.sep !== '' && bytes < target) {
        text += ' ';
        bytes++;
      }
      inSentence = 0;
      sentenceLen = 5 + Math.floor(rand() * 10);
    }
  }
  text = text.trimEnd();
  if (inSentence > 0) text += l.end[0].trim(); // Thai: no terminator, just the end
  return { text, lang: l.lang };
}

/**
 * Writes `docs` JSONL lines to `out`. Returns { docs, bytes, perLang }.
 * Stream-written with backpressure: constant memory.
 */
export async function generateCorpus({ docs = DEFAULT_DOCS, out, seed = DEFAULT_SEED, onProgress } = {}) {
  if (!out) throw new Error('generateCorpus: out is required');
  await mkdir(dirname(resolve(out)), { recursive: true });
  const rand = prng(seed);
  const stream = createWriteStream(out);
  const perLang = Object.fromEntries(LANGUAGES.map((l) => [l.lang, 0]));
  let block = '';
  let bytes = 0;
  const write = (s) =>
    new Promise((res, rej) => {
      const ok = stream.write(s, (err) => (err ? rej(err) : undefined));
      if (ok) res();
      else stream.once('drain', res);
    });
  for (let i = 0; i < docs; i++) {
    const d = makeDocument(rand);
    perLang[d.lang]++;
    block += JSON.stringify(d) + '\n';
    if (block.length >= 512 * 1024) {
      bytes += Buffer.byteLength(block);
      await write(block);
      block = '';
      onProgress?.(i + 1, bytes);
    }
  }
  if (block) {
    bytes += Buffer.byteLength(block);
    await write(block);
  }
  await new Promise((res, rej) => stream.end((err) => (err ? rej(err) : res())));
  return { docs, bytes, perLang, seed, version: GENERATOR_VERSION };
}


if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseGeneratorArgs(process.argv.slice(2), { defaultDocs: DEFAULT_DOCS, defaultSeed: DEFAULT_SEED, defaultOut: () => 'bench-data/corpus.jsonl', script: 'test/bench/generate-corpus.mjs' });
  const t0 = performance.now();
  let last = 0;
  const res = await generateCorpus({
    ...opts,
    onProgress: (n, b) => {
      if (n - last >= 200_000) {
        last = n;
        process.stderr.write(`  ${n.toLocaleString('en')} documents, ${(b / 1e6).toFixed(0)} MB\r`);
      }
    },
  });
  const s = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  console.log(
    `wrote ${res.docs.toLocaleString('en')} documents, ${(res.bytes / 1e6).toFixed(1)} MB (${(res.bytes / res.docs).toFixed(0)} bytes/doc) to ${opts.out} in ${s.toFixed(1)} s`,
  );
  console.log('per language:', JSON.stringify(res.perLang));
}
