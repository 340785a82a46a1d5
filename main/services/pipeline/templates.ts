/**
 * Translation pairs become training text through templates (Marco-LLM):
 * "{src_lang} phrase: {src}\n{tgt_lang} phrase: {tgt}", one template drawn
 * at random per pair and direction. Language placeholders get English names
 * ("Swahili"), as in the paper's examples. Pure; runs in worker threads.
 */
import { iso6393 } from 'iso-639-3';
import type { Rng } from './rng';

export interface TextPair {
  src: string;
  tgt: string;
  /** Flores-style codes, e.g. swh_Latn. */
  srcLang: string;
  tgtLang: string;
}

const ISO_NAMES = new Map(iso6393.map((l) => [l.iso6393, l.name]));

/**
 * Where ISO 639-3's reference name is not what a reader calls the language in
 * a sentence. Flores (and so Langbridge) stores the individual language that
 * stands for a macrolanguage (swh for Swahili, arb for Arabic), whose ISO
 * names are "Swahili (individual language)", "Standard Arabic": a prompt
 * says "Swahili", "Arabic". Other ISO names are used as they are, with a
 * trailing "(individual language)" / "(macrolanguage)" dropped.
 */
const NAMES: Record<string, string> = {
  als: 'Albanian',
  arb: 'Arabic',
  azj: 'Azerbaijani',
  ekk: 'Estonian',
  ell: 'Greek',
  gaz: 'Oromo',
  hat: 'Haitian Creole',
  khk: 'Mongolian',
  lvs: 'Latvian',
  npi: 'Nepali',
  pbt: 'Pashto',
  pes: 'Persian',
  plt: 'Malagasy',
  pus: 'Pashto',
  swh: 'Swahili',
  uzn: 'Uzbek',
  ydd: 'Yiddish',
  yue: 'Cantonese',
  zsm: 'Malay',
};

const nameCache = new Map<string, string>();

/** The English name of a Flores-style (or bare ISO 639-3) code; an unknown code is returned as given. */
export function languageName(code: string): string {
  const cached = nameCache.get(code);
  if (cached !== undefined) return cached;
  const iso = code.split('_')[0].toLowerCase();
  const isoName = ISO_NAMES.get(iso);
  const name = NAMES[iso] ?? (isoName ? isoName.replace(/ \((individual language|macrolanguage)\)$/, '') : code);
  nameCache.set(code, name);
  return name;
}

const PLACEHOLDER = /\{(src|tgt|src_lang|tgt_lang)\}/g;

/**
 * Fills {src}, {tgt}, {src_lang} and {tgt_lang} in one pass: inserted text is
 * never scanned again, so a sentence that itself contains "{tgt}" stays as
 * written, and "$&"-style replacement patterns in it mean nothing.
 */
export function renderPair(template: string, pair: TextPair): string {
  const values: Record<string, string> = {
    src: pair.src,
    tgt: pair.tgt,
    src_lang: languageName(pair.srcLang),
    tgt_lang: languageName(pair.tgtLang),
  };
  return template.replace(PLACEHOLDER, (_, key: string) => values[key]);
}

/**
 * The training texts of one pair: src→tgt, then (with bothDirections) tgt→src,
 * each with its own randomly drawn template. Always two draws per pair with
 * bothDirections, one without, in that order, so the rng stream stays aligned.
 */
export function templatedPairs(pair: TextPair, templates: readonly string[], bothDirections: boolean, rng: Rng): string[] {
  if (templates.length === 0) throw new RangeError('templatedPairs needs at least one template');
  const out = [renderPair(rng.pick(templates), pair)];
  if (bothDirections) {
    const reverse: TextPair = { src: pair.tgt, tgt: pair.src, srcLang: pair.tgtLang, tgtLang: pair.srcLang };
    out.push(renderPair(rng.pick(templates), reverse));
  }
  return out;
}
