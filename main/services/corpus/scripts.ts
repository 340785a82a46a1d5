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

/**
 * The dominant script of a text sample (letters only), or null when it has no
 * letters. Japanese (Han mixed with kana) is 'Jpan'; Han alone is 'Hani', which
 * the caller refines to Hans/Hant from the language.
 */
export function detectScript(sample: string): string | null {
  const counts = new Map<string, number>();
  let n = 0;
  for (const ch of sample) {
    if (n >= 4000) break;
    const cp = ch.codePointAt(0)!;
    // Fast path for ASCII: letters are Latin, the rest carries no script.
    if (cp < 0x80) {
      if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
        counts.set('Latn', (counts.get('Latn') ?? 0) + 1);
        n++;
      }
      continue;
    }
    for (const m of matchers) {
      if (m.re.test(ch)) {
        counts.set(m.code, (counts.get(m.code) ?? 0) + 1);
        n++;
        break;
      }
    }
  }
  if (counts.size === 0) return null;
  const kana = (counts.get('Hira') ?? 0) + (counts.get('Kana') ?? 0);
  if (kana > 0 && (counts.get('Hani') ?? 0) + kana >= n / 2) return 'Jpan';
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
