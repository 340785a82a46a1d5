/**
 * Language and script identification for the `identify` step, with franc-all
 * (trigram profiles of 411 languages, most trained on the UDHR). Pure: no I/O,
 * safe in worker threads.
 *
 * Why franc-all: it covers the most languages of any maintained detector that
 * runs offline in Node without native code or a model download (cld3 ~107,
 * eld ~60; fastText lid.176/GlotLID need a 126 MB-1.6 GB model and native or
 * wasm fastText), and its profiles come from the UDHR, which is exactly the
 * kind of text low-resource teams hold. Its weakness (relative, uncalibrated
 * scores that confuse close relatives) is handled below by treating scores as
 * a ranking and never dropping a language it does not know.
 *
 * How a verdict is reached, in order:
 *   1. too-short        fewer than `minLength` code points, or no letters the
 *                       detector can read: trigram detectors guess on short
 *                       strings, so these are never judged (never dropped);
 *   2. script-mismatch  (checkScript) more than half of the letters are in
 *                       another script than the declared one. This needs no
 *                       language model, so it applies to every language,
 *                       including those the detector does not know: a
 *                       Cyrillic text filed as xyz_Latn is mislabelled
 *                       whatever xyz is;
 *   3. unknown-language the detector has no profile for the declared language
 *                       in the declared script: never dropped (most
 *                       low-resource languages are missing from detectors;
 *                       SPECS: "never drop a document only because the
 *                       detector does not know its language");
 *   4. disagree         `1 - declaredScore > flagThreshold`, else agree.
 *
 * Hazards:
 * - franc's scores are not probabilities: each is 1 - (distance - best) /
 *   (length * 300 - best), so the top language is always 1 and the others sit
 *   just below it (0.9 to 0.99 for close relatives). They are a ranking, and
 *   `flagThreshold` is a distance below the top, not a confidence (SPECS,
 *   Filters).
 * - franc first picks the text's dominant script and then only compares the
 *   languages it has for that script (329 for Latin, 1 for Han). So coverage
 *   is per script: Uzbek and Serbian have Latin and Cyrillic profiles, but
 *   Amharic only an Ethiopic one, and amh_Latn counts as unknown. A text in
 *   another script than its declared one gets a declared score of 0.
 * - franc's UDHR profiles confuse close relatives (Swahili text often comes
 *   out as Nyemba first, Swahili at 0.98), so agreement uses the declared
 *   language's score, never "top guess == declared".
 * - franc-all's own francAll() compares every trigram of the text with every
 *   profile of the script (329 object look-ups per trigram for Latin): about
 *   300 documents of 1 KB a second. rankLanguages() below computes the same
 *   numbers from franc-all's data through an inverted index, about ten times
 *   faster; a unit test checks it against francAll() on texts in many scripts.
 */
import { data as FRANC_DATA } from 'franc-all/data.js';
import { expressions as FRANC_EXPRESSIONS } from 'franc-all/expressions.js';
import { iso6393 } from 'iso-639-3';
import type { z } from 'zod';
import { toIso6393 } from '../../corpus/languages';
import { countScripts, dominantScript, type ScriptCount } from '../../corpus/scripts';
import type { IdentifyParams as IdentifyParamsSchema } from '../recipe';

export type IdentifyParams = z.output<typeof IdentifyParamsSchema>;

export type IdentifyVerdict = 'agree' | 'disagree' | 'unknown-language' | 'too-short' | 'script-mismatch';

export interface IdentifyResult {
  /** ISO 639-3 code of franc's top guess; null when not judged or undetermined. */
  detected: string | null;
  /** franc's relative score of its top guess (1 whenever it guessed, 0 when not judged). */
  score: number;
  /** franc's relative score of the declared language (best member of its macrolanguage); null if the detector does not know it. 0: known, but not among the languages franc compared for this text's script. */
  declaredScore: number | null;
  /** Dominant ISO 15924 script of the letters, as corpus/scripts detectScript names it (Han is 'Hani', Japanese 'Jpan'). */
  script: string | null;
  /** The detector has a profile for the declared language in the declared script. */
  known: boolean;
  verdict: IdentifyVerdict;
  drop: boolean;
  reason?: { code: string; message: string };
}

/**
 * franc itself reads only the first 2048 UTF-16 units; we cut at 2000 code
 * points first so the script count and franc see the same sample, and so a
 * 1 MB document costs the same as a 2 KB one.
 */
export const SAMPLE_CODE_POINTS = 2000;

// ------------------------------------------------------------ franc coverage

// franc-all's script tables, in ISO 15924. Han is franc's 'cmn' expression;
// its 'jpn' expression matches kana, and Korean is Hangul.
const FRANC_SCRIPT_ISO: Record<string, string> = {
  Latin: 'Latn', Cyrillic: 'Cyrl', Arabic: 'Arab', Devanagari: 'Deva', Myanmar: 'Mymr', Ethiopic: 'Ethi',
  Tibetan: 'Tibt', Hebrew: 'Hebr', Canadian_Aboriginal: 'Cans',
  cmn: 'Hani', ben: 'Beng', jpn: 'Jpan', jav: 'Java', kor: 'Hang', tel: 'Telu', tam: 'Taml', guj: 'Gujr',
  kan: 'Knda', mal: 'Mlym', pan: 'Guru', tha: 'Thai', sin: 'Sinh', ell: 'Grek', khm: 'Khmr', hye: 'Armn',
  sat: 'Olck', kat: 'Geor', lao: 'Laoo', zgh: 'Tfng', iii: 'Yiii', aii: 'Syrc', div: 'Thaa', vai: 'Vaii',
  chr: 'Cher', kkh: 'Lana', blt: 'Tavt',
};

/**
 * Script codes that name the same writing for coverage purposes: Simplified
 * and Traditional are both franc's Han profile, Japanese is kana(+Han), Korean
 * Hangul, and ISO 15924 variants (Nastaliq, Fraktur, Syriac styles) are their
 * base script.
 */
const SCRIPT_FAMILY: Record<string, string> = {
  Hans: 'Hani', Hant: 'Hani', Hira: 'Jpan', Kana: 'Jpan', Hrkt: 'Jpan', Kore: 'Hang',
  Aran: 'Arab', Latf: 'Latn', Latg: 'Latn', Syre: 'Syrc', Syrj: 'Syrc', Syrn: 'Syrc', Cyrs: 'Cyrl',
};
const scriptFamily = (script: string): string => SCRIPT_FAMILY[script] ?? script;

/**
 * ISO 639-3 macrolanguages and their members, limited to those with a member
 * franc knows or a Flores-200 code (SIL's macrolanguage mappings). Agreement
 * is decided at the macrolanguage level: two codes agree when they are equal
 * or belong to the same macrolanguage. Siblings agree too (zsm and zlm, ind
 * and zsm, pbt and pbu, arz and arb, hrv and srp, nob and nno, quy and quz)
 * because Flores and franc often pick different members for the same
 * language (Flores' Standard Malay is zsm, franc's is zlm) and franc's UDHR
 * profiles cannot tell siblings apart reliably; the filter errs toward keeping.
 */
const MACROLANGUAGES: Record<string, string> = {
  aka: 'fat twi',
  ara: 'arb arz ary aeb acm acq ajp apc ars afb ayl ayh ayn ayp acw acx acy adf aec auz avl abh abv aao pga shu ssh arq',
  aym: 'ayr ayc',
  aze: 'azj azb',
  bik: 'bcl bln bto cts fbl lbl rbl ubl',
  cre: 'csw crj crk crl crm cwd',
  din: 'dip dik dib diw dks',
  est: 'ekk vro',
  fas: 'pes prs',
  ful: 'fuf fuv fuc ffm fue fuh fui fuq',
  grn: 'gug gui gun gnw nhd',
  hbs: 'hrv srp bos cnr',
  hmn: 'cqd hea hms hnj hrm mww',
  iku: 'ike ikt',
  kau: 'knc kby krt',
  kln: 'oki enb eyo niq pko sgc spy tec tuy',
  kom: 'koi kpv',
  kon: 'kng kwy ldi',
  kpe: 'gkp xpe',
  kur: 'ckb kmr sdh',
  lah: 'pnb skr hno jat phr xhe',
  lav: 'lvs ltg',
  man: 'emk mku mlq mnk msc mwk',
  mlg: 'plt bhr bmm bzc msh skg tdx tkg txy xmv xmw',
  mon: 'khk mvf',
  msa: 'zsm zlm ind min bjn jax meo mfa max mui xmm kxd pse tmw bve btj coa hji jak kvb kvr lce lcf liw mfb mqg msi orn ors pel urk vkk vkt zmi dup',
  nep: 'npi dty',
  nor: 'nob nno',
  oji: 'ojb ojc ojg ojs ojw otw',
  ori: 'ory spv',
  orm: 'gaz gax hae orc',
  pus: 'pbu pbt pst',
  que: 'qub qud quf qug quh quk qul qup qur qus quw qux quy quz qva qvc qve qvh qvi qvj qvl qvm qvn qvo qvp qvs qvw qvz qwa qwh qws qxa qxc qxh qxl qxn qxo qxp qxr qxt qxu qxw',
  rom: 'rmn rmc rmf rml rmo rmw rmy',
  sqi: 'als aln aae aat',
  srd: 'src sro sdc sdn',
  swa: 'swh swc',
  syr: 'aii cld',
  tmh: 'taq thv thz ttq',
  uzb: 'uzn uzs',
  yid: 'ydd yih',
  zap: 'zam ztu',
  zha: 'zyb zch zeh zgb zgm zgn zhd zhn zlj zln zlq zqe zyg zyj zyn zzj',
  zho: 'cmn yue wuu hak nan hsn gan cdo cjy cpx czh czo mnp lzh cnp csp',
  zza: 'diq kiu',
};

const MACRO_OF = new Map<string, string>();
for (const [macro, members] of Object.entries(MACROLANGUAGES)) for (const m of members.split(' ')) MACRO_OF.set(m, macro);

/** The code agreement is decided on: the macrolanguage for a member, the code itself otherwise. */
export function languageFamily(iso: string): string {
  return MACRO_OF.get(iso) ?? iso;
}

interface Profile {
  code: string;
  /** Script family of franc's profile; null when this build's script table is new to us (then any script matches). */
  family: string | null;
}

const PROFILES = new Map<string, Profile[]>(); // language family -> franc profiles
const FRANC_CODES = new Set<string>();
function addProfile(code: string, francScript: string): void {
  const iso = FRANC_SCRIPT_ISO[francScript];
  const fam = languageFamily(code);
  const list = PROFILES.get(fam) ?? [];
  list.push({ code, family: iso ? scriptFamily(iso) : null });
  PROFILES.set(fam, list);
  FRANC_CODES.add(code);
}
for (const [script, languages] of Object.entries(FRANC_DATA)) for (const code of Object.keys(languages)) addProfile(code, script);
// Expressions named by a language code are scripts franc maps to that one language.
for (const key of Object.keys(FRANC_EXPRESSIONS)) if (/^[a-z]{3}$/.test(key)) addProfile(key, key);

/** The ISO 639-3 codes franc-all has a profile for (411 in franc-all 7.2), sorted; for the UI. */
export const DETECTOR_LANGUAGES: readonly string[] = Object.freeze([...FRANC_CODES].sort());
export const DETECTOR_LANGUAGE_COUNT = DETECTOR_LANGUAGES.length;

interface Declared {
  iso: string;
  script: string | null;
}

const CODE = /^([A-Za-z]{2,3})(?:[_-]([A-Za-z]{4}))?(?:[_-].*)?$/;

function parseDeclared(lang: string): Declared {
  const m = CODE.exec(lang.trim());
  if (!m) return { iso: lang.trim().toLowerCase(), script: null };
  const sub = m[1]!.toLowerCase();
  const script = m[2] ? m[2][0]!.toUpperCase() + m[2].slice(1).toLowerCase() : null;
  return { iso: toIso6393(sub) ?? sub, script };
}

/** franc profiles that count as the declared language (its macrolanguage family, in the declared script when one is given). */
function profilesFor(d: Declared): Profile[] {
  const all = PROFILES.get(languageFamily(d.iso)) ?? [];
  if (!d.script) return all;
  const fam = scriptFamily(d.script);
  return all.filter((p) => p.family === null || p.family === fam);
}

/**
 * Whether the detector can judge documents declared as `lang` (a Flores-style
 * code such as swh_Latn, or a bare language code, which matches any script).
 * Macrolanguages count as known through their members (zho_Hans via cmn).
 */
export function detectorKnows(lang: string): boolean {
  return profilesFor(parseDeclared(lang)).length > 0;
}

// ------------------------------------------------------------------- names

const NAMES = new Map(iso6393.map((l) => [l.iso6393, l.name.replace(/ \(individual language\)$/, '')]));
/** "Swahili (swh)"; a code ISO 639-3 does not list is shown alone. */
const label = (iso: string): string => {
  const name = NAMES.get(iso);
  return name ? `${name} (${iso})` : iso;
};

let scriptNames: Intl.DisplayNames | null | undefined;
function scriptName(code: string): string {
  if (scriptNames === undefined) {
    try {
      scriptNames = new Intl.DisplayNames(['en'], { type: 'script' });
    } catch {
      scriptNames = null; // a Node built without ICU data: fall back to the codes
    }
  }
  try {
    return scriptNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

// ----------------------------------------------------------------- scripts

/** Letters of these scripts count as written in the declared script (Japanese mixes Han and kana; Korean may use Hanja). */
const SCRIPT_MEMBERS: Record<string, readonly string[]> = {
  Hans: ['Hani'], Hant: ['Hani', 'Bopo'], Jpan: ['Hani', 'Hira', 'Kana'], Hrkt: ['Hira', 'Kana'], Kore: ['Hang', 'Hani'],
  Aran: ['Arab'], Latf: ['Latn'], Latg: ['Latn'], Syre: ['Syrc'], Syrj: ['Syrc'], Syrn: ['Syrc'], Cyrs: ['Cyrl'],
};
// Codes that name no writing system a letter can be checked against.
const UNCHECKABLE = /^(?:Zyyy|Zinh|Zzzz|Zxxx|Zmth|Zsym|Zsye|Q[a-z]{3})$/;

/** Share of the letters outside the declared script, or null when the script cannot be checked. */
function otherScriptShare(sc: ScriptCount, declaredScript: string): number | null {
  if (UNCHECKABLE.test(declaredScript) || sc.letters === 0) return null;
  const members = SCRIPT_MEMBERS[declaredScript] ?? [declaredScript];
  let inScript = 0;
  for (const m of members) inScript += sc.counts.get(m) ?? 0;
  return (sc.letters - inScript) / sc.letters;
}

// ----------------------------------------------- franc, through an inverted index

// franc-all 7.2 constants (index.js): samples are cut at 2048 UTF-16 units, a
// trigram missing from a profile costs 300.
const FRANC_MAX_LENGTH = 2048;
const FRANC_MAX_DIFFERENCE = 300;

interface ScriptIndex {
  /** Profiles of the script, in franc's order (which decides ties, as its sort is stable). */
  languages: string[];
  /** Trigram -> (language index, rank in that language's profile) pairs. */
  postings: Map<string, Int32Array>;
}

const scriptIndexes = new Map<string, ScriptIndex>();

/** Built on first use per script (about 100 000 postings for Latin), then kept for the life of the worker. */
function scriptIndex(script: string): ScriptIndex {
  let ix = scriptIndexes.get(script);
  if (ix) return ix;
  const profiles = FRANC_DATA[script]!;
  const languages = Object.keys(profiles);
  const lists = new Map<string, number[]>();
  languages.forEach((lang, li) => {
    const model = profiles[lang]!.split('|');
    // franc assigns ranks from the end, so a repeated trigram keeps its lowest rank.
    const ranks = new Map<string, number>();
    for (let r = model.length - 1; r >= 0; r--) ranks.set(model[r]!, r);
    for (const [t, r] of ranks) {
      let l = lists.get(t);
      if (!l) lists.set(t, (l = []));
      l.push(li, r);
    }
  });
  const postings = new Map<string, Int32Array>();
  for (const [t, l] of lists) postings.set(t, Int32Array.from(l));
  ix = { languages, postings };
  scriptIndexes.set(script, ix);
  return ix;
}

const FRANC_SCRIPTS = Object.keys(FRANC_EXPRESSIONS);

/**
 * franc-all's francAll(text, { minLength: 0 }), computed the fast way: same
 * script choice, same trigram cleaning (trigram-utils: ASCII punctuation and
 * digits to spaces, whitespace collapsed, trimmed, lower-cased, padded), same
 * integer distances and the same normalisation, so the same numbers in the
 * same order. [['und', 1]] when there is nothing to judge.
 */
export function rankLanguages(text: string): [string, number][] {
  if (!text) return [['und', 1]];
  const value = text.slice(0, FRANC_MAX_LENGTH);
  let script: string | undefined;
  let share = -1;
  for (const s of FRANC_SCRIPTS) {
    const m = value.match(FRANC_EXPRESSIONS[s]!);
    const r = (m ? m.length : 0) / value.length || 0;
    if (r > share) {
      share = r;
      script = s;
    }
  }
  if (!script || !(script in FRANC_DATA)) return [[script && share > 0 ? script : 'und', 1]];

  const cleaned = ` ${value.replace(/[\u0021-\u0040]+/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase()} `;
  const counts = new Map<string, number>();
  // UTF-16 slices, as n-gram does: an astral character spans two units.
  for (let i = 0; i + 3 <= cleaned.length; i++) {
    const t = cleaned.slice(i, i + 3);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const ix = scriptIndex(script);
  // Every trigram starts as missing from every profile; each posting then replaces 300 by |count - rank - 1|.
  const dist = new Float64Array(ix.languages.length).fill(counts.size * FRANC_MAX_DIFFERENCE);
  for (const [t, c] of counts) {
    const p = ix.postings.get(t);
    if (!p) continue;
    for (let k = 0; k < p.length; k += 2) {
      let d = c - p[k + 1]! - 1;
      if (d < 0) d = -d;
      dist[p[k]!] += d - FRANC_MAX_DIFFERENCE;
    }
  }
  const out: [string, number][] = ix.languages.map((lang, i) => [lang, dist[i]!]);
  out.sort((a, b) => a[1] - b[1]);
  const min = out[0]![1];
  const max = value.length * FRANC_MAX_DIFFERENCE - min;
  for (const o of out) o[1] = 1 - (o[1] - min) / max || 0;
  return out;
}

// ---------------------------------------------------------------- identify

/** The first `n` code points of `text` (never splits a surrogate pair). */
function headCodePoints(text: string, n: number): string {
  if (text.length <= n) return text;
  let i = 0;
  for (let k = 0; k < n && i < text.length; k++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return text.slice(0, i);
}

function shorterThan(text: string, n: number): boolean {
  if (text.length < n) return true; // UTF-16 units >= code points
  if (text.length >= 2 * n) return false; // at most 2 units per code point
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) count++; // a low surrogate is the second half of one code point
  }
  return count < n;
}

/**
 * Checks a document against its declared language (Flores-style code, e.g.
 * swh_Latn, zho_Hans; a code without a script skips the script check).
 */
export function identify(text: string, declaredLang: string, params: IdentifyParams): IdentifyResult {
  const d = parseDeclared(declaredLang);
  const profiles = profilesFor(d);
  const known = profiles.length > 0;
  const declared = label(d.iso);
  const sample = headCodePoints(text, SAMPLE_CODE_POINTS);
  const sc = countScripts(sample);
  const script = dominantScript(sc);
  const base = { script, known, drop: false };

  if (shorterThan(text, params.minLength))
    return {
      ...base, detected: null, score: 0, declaredScore: null, verdict: 'too-short',
      reason: { code: 'lang_too_short', message: `the text has fewer than ${params.minLength} characters, too few for the detector to judge` },
    };

  const guesses = rankLanguages(sample);
  const top = guesses[0]!;
  const detected = top[0] === 'und' ? null : top[0];
  const score = detected ? top[1] : 0;
  let declaredScore: number | null = null;
  if (known && detected) {
    const codes = new Set(profiles.map((p) => p.code));
    declaredScore = 0;
    for (const [code, s] of guesses) if (codes.has(code) && s > declaredScore) declaredScore = s;
  }
  const found = { ...base, detected, score, declaredScore };

  if (params.checkScript && d.script) {
    const other = otherScriptShare(sc, d.script);
    if (other !== null && other > 0.5) {
      const mostly = script && script !== d.script ? `, mostly ${scriptName(script)}` : '';
      return {
        ...found, verdict: 'script-mismatch', drop: params.action === 'drop',
        reason: {
          code: 'lang_script_mismatch',
          message: `declared ${declared} in ${scriptName(d.script)} script but ${Math.round(other * 100)}% of the letters are in other scripts${mostly}`,
        },
      };
    }
  }

  // franc read no letters of any script it knows (digits, symbols): nothing to judge.
  if (!detected)
    return {
      ...found, verdict: 'too-short',
      reason: { code: 'lang_too_short', message: 'the text has no letters the detector can read' },
    };

  if (!known) {
    const where = d.script ? ` in ${scriptName(d.script)} script` : '';
    return {
      ...found, verdict: 'unknown-language',
      reason: { code: 'lang_unknown', message: `the detector does not know ${declared}${where}, so the text was not judged` },
    };
  }

  // declaredScore is set: known && detected.
  const ds = declaredScore!;
  if (1 - ds > params.flagThreshold) {
    const message =
      ds === 0
        ? `declared ${declared} but the detector did not consider it for this text; its top guess is ${label(detected)}`
        : `declared ${declared} but the detector ranks it ${ds.toFixed(2)} of its top guess ${label(detected)}`;
    return { ...found, verdict: 'disagree', drop: params.action === 'drop', reason: { code: 'lang_disagree', message } };
  }
  return { ...found, verdict: 'agree' };
}
