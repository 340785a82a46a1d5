/**
 * Python's string primitives that sacrebleu leans on, reproduced exactly.
 *
 * Hazards (SPECS.md, "Pitfalls when porting from Python"):
 * - `str.split()` and `str.strip()` split on Python's whitespace, which is not
 *   JS's `\s`: Python counts U+001C..U+001F and U+0085 as whitespace and does
 *   not count U+FEFF (the byte-order mark); JS does the opposite. Every
 *   whitespace code point is in the BMP, so a UTF-16 code-unit scan is exact.
 * - `f"{x:.2f}"` rounds exact ties half-to-even; `Number.prototype.toFixed`
 *   rounds them up.
 */

/** The code points for which Python 3's `str.isspace()` is true. */
const PY_SPACES = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
  0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

const SPACE_TABLE = new Uint8Array(0x3001);
for (const c of PY_SPACES) SPACE_TABLE[c] = 1;

/** Python's `str.isspace()` for one UTF-16 code unit (no whitespace lies outside the BMP). */
export function isPySpace(code: number): boolean {
  return code <= 0x3000 && SPACE_TABLE[code] === 1;
}

/** Python's `s.split()`: runs of Python whitespace separate the fields; no empty fields. */
export function pySplit(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x3000 && SPACE_TABLE[c] === 1) {
      if (start >= 0) {
        out.push(s.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

/** Python's `s.rstrip()` with no argument. */
export function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Python's `s.strip()` with no argument. */
export function pyStrip(s: string): string {
  let start = 0;
  while (start < s.length && isPySpace(s.charCodeAt(start))) start++;
  return pyRstrip(s.slice(start));
}

/** Python's `s.lower()` (full case mapping, final sigma); JS implements the same Unicode rules. */
export function pyLower(s: string): string {
  return s.toLowerCase();
}

/** Number of code points, Python's `len(s)`. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Python's `f"{x:.{digits}f}"`: like toFixed, but an exact tie rounds half to even. */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  // x is exactly halfway between two d-digit decimals iff x * 2^(d+1) is an odd
  // integer (a tie needs 5^d to divide the numerator); multiplying by a power
  // of two is exact, so this test has no rounding error of its own.
  const scaled2 = x * 2 ** (digits + 1);
  if (Number.isInteger(scaled2) && Math.abs(scaled2 % 2) === 1) {
    const scaled = x * 10 ** digits; // exact: x * 10^d = k + 1/2 is representable here
    let k = Math.floor(scaled);
    if (k % 2 !== 0) k += 1;
    const r = (k / 10 ** digits).toFixed(digits);
    return x < 0 && k === 0 ? `-${r}` : r;
  }
  return x.toFixed(digits);
}
