import { iso6393, iso6393To1, iso6393To2B } from 'iso-639-3';
import { detectScript, scriptDirection } from './scripts';

export interface ResolvedLanguage {
  /** Flores-style code: ISO 639-3 + '_' + ISO 15924 script, e.g. swh_Latn. */
  code: string;
  iso6393: string;
  script: string;
  name: string;
  direction: 'ltr' | 'rtl';
  /** False when the language subtag is not in ISO 639-3: kept as given. */
  known: boolean;
  /** Set when the code could not be fully resolved; shown to the user. */
  warning?: string;
}

const byIso3 = new Map(iso6393.map((l) => [l.iso6393, l]));
const from1 = new Map(Object.entries(iso6393To1).map(([three, one]) => [one, three]));
const from2B = new Map(Object.entries(iso6393To2B).map(([three, two]) => [two, three]));

const FLORES = /^([a-z]{2,3})_([A-Za-z]{4})$/;
const BCP47 = /^([a-zA-Z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?(?:[-_].*)?$/;

function titleCase(script: string): string {
  return script[0].toUpperCase() + script.slice(1).toLowerCase();
}

/**
 * Two-letter codes that name a macrolanguage map, in ISO 639, to the
 * macrolanguage (sw -> swa); Flores-200, Belebele and NLLB use one individual
 * language for each (swh_Latn). A team that types "sw" means the language of
 * those benchmarks, so these map to Flores' choice; the three-letter
 * macrolanguage code (swa) is still kept as typed.
 */
const FLORES_INDIVIDUAL: Record<string, string> = {
  ar: 'arb', az: 'azj', et: 'ekk', fa: 'pes', lv: 'lvs', mg: 'plt', mn: 'khk', ms: 'zsm', ne: 'npi',
  no: 'nob', om: 'gaz', ps: 'pbt', qu: 'quy', sq: 'als', sw: 'swh', uz: 'uzn', yi: 'ydd', zh: 'zho',
};

const FLORES_TO_1 = new Map(Object.entries(FLORES_INDIVIDUAL).map(([one, three]) => [three, one]));

/** The tag ICU's likely-subtags data knows best for a language: its 639-1 code where it has one. */
function icuTag(lang: string): string {
  return iso6393To1[lang] ?? FLORES_TO_1.get(lang) ?? lang;
}

/** ISO 639-1, 639-2/B and 639-3 codes to ISO 639-3, or null when unknown. */
export function toIso6393(subtag: string): string | null {
  const s = subtag.toLowerCase();
  if (s.length === 2) return FLORES_INDIVIDUAL[s] ?? from1.get(s) ?? null;
  if (byIso3.has(s)) return s;
  return from2B.get(s) ?? null;
}

/** The script ICU's likely-subtags data gives a language (yo -> Latn, am -> Ethi). */
function likelyScript(lang: string, region?: string): string | null {
  try {
    return new Intl.Locale(region ? `${lang}-${region}` : lang).maximize().script ?? null;
  } catch {
    return null;
  }
}

/**
 * Normalises a language code given as ISO 639-1, ISO 639-3, BCP-47 or
 * xxx_Scrp to xxx_Scrp. The script comes from the code if it has one, else
 * from the text sample, else from ICU's likely subtags. An unknown language is
 * kept as given (with a warning), never silently replaced.
 */
export function resolveLanguage(input: string, sample?: string): ResolvedLanguage {
  const raw = input.trim();
  const m = FLORES.exec(raw) ?? BCP47.exec(raw);
  if (!m) {
    const code = raw.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) || 'und';
    return {
      code: `${code}_Zyyy`,
      iso6393: code,
      script: 'Zyyy',
      name: raw,
      direction: 'ltr',
      known: false,
      warning: `"${raw}" is not a language code Langbridge recognises; it is kept as "${code}_Zyyy".`,
    };
  }
  const subtag = m[1].toLowerCase();
  const givenScript = m[2] ? titleCase(m[2]) : undefined;
  const region = FLORES.test(raw) ? undefined : m[3];
  const iso = toIso6393(subtag);
  const known = iso !== null;
  const lang = iso ?? subtag;
  let script = givenScript;
  if (!script && sample) {
    const detected = detectScript(sample);
    if (detected === 'Hani') {
      // Han alone does not say Simplified or Traditional; the language (and region) does.
      const likely = likelyScript(icuTag(lang), region);
      script = likely === 'Hans' || likely === 'Hant' ? likely : 'Hani';
    } else if (detected) {
      script = detected;
    }
  }
  script ??= likelyScript(icuTag(lang), region) ?? 'Zyyy';
  const info = byIso3.get(lang);
  const res: ResolvedLanguage = {
    code: `${lang}_${script}`,
    iso6393: lang,
    script,
    name: info?.name ?? raw,
    direction: scriptDirection(script),
    known,
  };
  if (!known) {
    res.warning = `"${subtag}" is not an ISO 639 code; it is kept as given (${res.code}).`;
  } else if (script === 'Zyyy') {
    res.warning = `The script of ${res.code} could not be determined; give it explicitly, e.g. ${lang}_Latn.`;
  }
  return res;
}
