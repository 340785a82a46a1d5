/**
 * Writing systems: which ISO 15924 script a text is written in, which scripts
 * run right to left, and which are written without spaces between words.
 * Detection uses the JavaScript regex engine's Unicode Script property
 * (maintained with each ICU/V8 release), which accepts ISO 15924 codes as aliases.
 */

// Scripts worth telling apart in a corpus. Order does not matter.
const CANDIDATES = [
  'Latn', 'Cyrl', 'Grek', 'Armn', 'Geor', 'Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Tfng',
  'Ethi', 'Deva', 'Beng', 'Guru', 'Gujr', 'Orya', 'Taml', 'Telu', 'Knda', 'Mlym', 'Sinh', 'Thai',
  'Laoo', 'Tibt', 'Mymr', 'Khmr', 'Hang', 'Hani', 'Hira', 'Kana', 'Bopo', 'Yiii', 'Mong', 'Cher',
  'Cans', 'Vaii', 'Olck', 'Bali', 'Java', 'Sund', 'Copt', 'Samr', 'Mand', 'Rohg', 'Yezi', 'Lisu',
  'Bamu', 'Tale', 'Talu', 'Lana', 'Cakm', 'Mtei', 'Limb', 'Bugi', 'Batk', 'Osge', 'Wcho', 'Hmnp',
] as const;

const matchers = CANDIDATES.map((code) => ({ code, re: new RegExp(`\\p{Script=${code}}`, 'u') }));

export const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Samr', 'Mand', 'Rohg', 'Yezi']);

/** Scripts whose words are not separated by spaces: word counts need a segmenter. */
export const UNSPACED_SCRIPTS = new Set(['Thai', 'Laoo', 'Khmr', 'Mymr', 'Hani', 'Hans', 'Hant', 'Jpan', 'Hira', 'Kana', 'Tale', 'Talu', 'Lana', 'Bali', 'Java']);

export function scriptDirection(script: string): 'ltr' | 'rtl' {
  return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
}

// One code point's script, memoised: a corpus uses a few hundred distinct
// letters per script, and the lookup tries up to 60 Unicode-property regexes.
const letterCache = new Map<number, string | null>();

/** The script of one character if it is a letter of a known script, else null. */
export function letterScript(ch: string): string | null {
  const cp = ch.codePointAt(0)!;
  // Fast path for ASCII: letters are Latin, the rest carries no script.
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ? 'Latn' : null;
  let s = letterCache.get(cp);
  if (s === undefined) {
    s = matchers.find((m) => m.re.test(ch))?.code ?? null;
    letterCache.set(cp, s);
  }
  return s;
}

export interface ScriptCount {
  /** Letters per script. */
  counts: Map<string, number>;
  letters: number;
}

/** Letters per script in a sample, up to maxLetters letters. */
export function countScripts(sample: string, maxLetters = Infinity): ScriptCount {
  const counts = new Map<string, number>();
  let letters = 0;
  for (const ch of sample) {
    if (letters >= maxLetters) break;
    const s = letterScript(ch);
    if (s === null) continue;
    counts.set(s, (counts.get(s) ?? 0) + 1);
    letters++;
  }
  return { counts, letters };
}

/** Japanese when kana and Han make half the letters, else the most frequent script; null without letters. */
export function dominantScript({ counts, letters }: ScriptCount): string | null {
  if (letters === 0) return null;
  const kana = (counts.get('Hira') ?? 0) + (counts.get('Kana') ?? 0);
  if (kana > 0 && (counts.get('Hani') ?? 0) + kana >= letters / 2) return 'Jpan';
  let best: string | null = null;
  let bestCount = 0;
  for (const [code, c] of counts) {
    if (c > bestCount) {
      best = code;
      bestCount = c;
    }
  }
  return best;
}

/**
 * The dominant script of a text sample (letters only, the first 4000), or
 * null when it has no letters. Japanese (Han mixed with kana) is 'Jpan'; Han
 * alone is 'Hani', which the caller refines to Hans/Hant from the language.
 */
export function detectScript(sample: string): string | null {
  return dominantScript(countScripts(sample, 4000));
}
