/**
 * PII redaction: e-mail addresses, public IPv4 addresses and phone numbers.
 *
 * E-mail and IPv4 mirror datatrove's PIIFormatter (datatrove 0.10,
 * pipeline/formatters/pii.py): the same regexes, the same validator
 * (`ipaddress.ip_address(ip).is_global`) and the same replacement strings.
 * datatrove does not insert tags like `<EMAIL>`: it substitutes realistic but
 * harmless values (example.com/org addresses, IPs that answered no ping), used
 * in turn, so a model trained on the output never learns a made-up token.
 *
 * One deliberate difference: datatrove's turn counter lives on the formatter
 * and carries over from one document to the next; here it restarts with every
 * document, so the function stays pure and a document's output does not depend
 * on what ran before it. A single document matches datatrove's output from a
 * fresh formatter.
 *
 * Phones are not in datatrove; the rule here is ours and deliberately
 * conservative (see isPhoneLike).
 */

export const EMAIL_REPLACEMENTS = ['email@example.com', 'firstname.lastname@example.org'] as const;
export const IP_REPLACEMENTS = [
  '22.214.171.124',
  '126.96.36.199',
  '188.8.131.52',
  '184.108.40.206',
  '220.127.116.11',
  '18.104.22.168',
] as const;
/** No reference tool redacts phones; a tag makes the redaction obvious to reviewers. */
export const PHONE_REPLACEMENT = '<PHONE>';

export interface PiiCounts {
  email: number;
  phone: number;
  ip: number;
}

// Python's `\b` is Unicode-aware (its `\w` is letters, digits and '_' of any
// script) while JavaScript's `\b` is ASCII-only even with the `u` flag, so
// "имяjohn@x.org" would be cut at "john" in JS but not in Python. This
// lookaround pair is Python's `\b`, spelled out.
const PY_W = String.raw`[\p{L}\p{N}_]`;
const PY_B = `(?:(?<!${PY_W})(?=${PY_W})|(?<=${PY_W})(?!${PY_W}))`;

// datatrove's e-mail regex verbatim, except the final `]`, which must be
// escaped under the `u` flag (as would a backtick, hence the interpolation).
const EMAIL_RE = new RegExp(
  PY_B +
    String.raw`[A-Za-z0-9!#$%&'*+/=?^_${'`'}{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_${'`'}{|}~-]+)*@(?:(?:[A-Za-z0-9](?:[` +
    String.raw`A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?|\[(?:(?:25[0-5]|2[0-4][0-9]|[` +
    String.raw`01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?|[A-Za-z0-9-]*[A-Za-z0-9]:)\])`,
  'gu',
);

// datatrove's IPv4 regex verbatim. Hazard, kept for agreement: it has no
// boundaries, so "1.2.3.4.5" matches "1.2.3.4" and "11.22.33.444" matches
// "11.22.33.44".
const IPV4_RE = /(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)/g;

// [base, prefix length] of the ranges Python's ipaddress calls private
// (IANA special-purpose registry), plus 100.64.0.0/10 (shared address space),
// which is_global also excludes.
const NON_GLOBAL_V4: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10.0.0.0/8
  [0x64400000, 10], // 100.64.0.0/10 carrier-grade NAT
  [0x7f000000, 8], // 127.0.0.0/8 loopback
  [0xa9fe0000, 16], // 169.254.0.0/16 link-local
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0000000, 29], // 192.0.0.0/29
  [0xc00000aa, 31], // 192.0.0.170/31
  [0xc0000200, 24], // 192.0.2.0/24 TEST-NET-1
  [0xc0a80000, 16], // 192.168.0.0/16
  [0xc6120000, 15], // 198.18.0.0/15 benchmarking
  [0xc6336400, 24], // 198.51.100.0/24 TEST-NET-2
  [0xcb007100, 24], // 203.0.113.0/24 TEST-NET-3
  [0xf0000000, 4], // 240.0.0.0/4 reserved (includes 255.255.255.255)
];
// Python >= 3.12.4 / 3.13 treat these two as global despite 192.0.0.0/29.
const GLOBAL_EXCEPTIONS = new Set([0xc0000009, 0xc000000a]);

/**
 * Python's `ipaddress.ip_address(s).is_global` for a dotted quad the regex
 * matched. Octets with a leading zero ("01") make ip_address raise since
 * Python 3.9.5, and datatrove then keeps the text, so they are not global here.
 * Multicast (224.0.0.0/4) is not in the private list and so counts as global,
 * as in Python.
 */
export function isGlobalIpv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  let n = 0;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || (p.length > 1 && p[0] === '0')) return false;
    const v = Number(p);
    if (!Number.isInteger(v) || v > 255) return false;
    n = n * 256 + v;
  }
  if (GLOBAL_EXCEPTIONS.has(n)) return true;
  for (const [base, len] of NON_GLOBAL_V4) {
    // Unsigned shift keeps the comparison in 0..2^32 (plain >> would go negative).
    if (n >>> (32 - len) === base >>> (32 - len)) return false;
  }
  return true;
}

// Phone candidates: "+" and 8..15 digits (E.164 written solid), or optional
// "+country", optional "(area)", then up to six digit groups joined by ONE
// separator each (space, no-break space, dot, dash); groups of up to 8 digits,
// as in Ethiopian "0911 234567". "Tel:0911..." may follow a
// colon, "3:16" may not.
// The lookarounds keep it from starting or ending inside a word, a number, a
// decimal, a date, a verse reference ("3:16") or a path; the lookahead also
// refuses to stop before " 123", so a longer number is never cut into a phone.
const PHONE_RE =
  /(?<![\p{L}\p{N}_+\-.\/])(?<![0-9]:)(?:\+[0-9]{8,15}|(?:\+[0-9]{1,3}[ \u00a0.\-]?)?(?:\([0-9]{1,5}\)[ \u00a0.\-]?)?[0-9]{1,8}(?:[ \u00a0.\-][0-9]{1,8}){0,5})(?![\p{L}\p{N}_]|[ \u00a0\-.\/:,][0-9])/gu;

/**
 * Whether a candidate is phone-shaped enough to redact. False positives destroy
 * training text (years, dates, prices, statistics), false negatives only leave
 * a number in, so anything ambiguous is kept:
 * - 7..15 digits (E.164 allows at most 15);
 * - "+" or "(area)" forms pass with any grouping, or ungrouped with 9+ digits;
 * - otherwise at least three groups with one consistent separator, or two
 *   groups when the first starts with the national trunk 0 ("0911 234567");
 * - groups after the first have 2+ digits ("1-2-3-4-5-6-7" is a list);
 * - not a date (2024-11-21, 21.11.2024), a dotted quad (192.168.1.20),
 *   a thousands-grouped number (12 345 678, 1.234.567) or an ISBN.
 */
function isPhoneLike(match: string, before: string): boolean {
  const digits = match.replace(/[^0-9]/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  const hasPlus = match.startsWith('+');
  const hasParen = match.includes('(');
  const core = match.replace(/^\+[0-9]{1,3}[ \u00a0.\-]?/, '').replace(/^\([0-9]{1,5}\)[ \u00a0.\-]?/, '');
  const groups = core.split(/[ \u00a0.\-]/);
  const seps = new Set(core.match(/[ \u00a0.\-]/g) ?? []);
  for (let i = 1; i < groups.length; i++) if (groups[i]!.length < 2) return false;
  if (/ISBN/i.test(before)) return false;
  if (hasPlus || hasParen) return groups.length >= 2 || digits.length >= 9;
  if (groups.length === 1) return false;
  if (seps.size !== 1) return false;
  if (groups.length === 2 && !groups[0]!.startsWith('0')) return false;
  const lens = groups.map((g) => g.length);
  if (groups.length === 3 && isDateShape(groups)) return false;
  // Four or more dotted groups are an IP (a private one datatrove keeps, or a
  // replaced one glued to the digits the IP regex left: "126.96.36.1994") or a
  // version number, unless they start with the trunk 0 ("01.23.45.67.89").
  if (seps.has('.') && groups.length >= 4 && groups[0]![0] !== '0') return false;
  if (groups[0]![0] !== '0' && lens[0]! <= 3 && lens.slice(1).every((l) => l === 3) && !seps.has('-')) return false;
  if ((digits.length === 13 || digits.length === 10) && /^97[89]/.test(digits) && seps.has('-')) return false;
  return true;
}

function isDateShape(groups: string[]): boolean {
  const [a, b, c] = groups.map(Number) as [number, number, number];
  const la = groups[0]!.length;
  const lc = groups[2]!.length;
  const year = (y: number) => y >= 1000 && y <= 2199;
  const dayOrMonth = (x: number) => x >= 1 && x <= 31;
  if (la === 4 && year(a) && groups[1]!.length <= 2 && lc <= 2) return dayOrMonth(b) && dayOrMonth(c);
  if (lc === 4 && year(c) && la <= 2 && groups[1]!.length <= 2) return dayOrMonth(a) && dayOrMonth(b);
  return false;
}

/**
 * Replaces e-mail addresses, then public IPv4 addresses (datatrove's order),
 * then phone numbers, and counts each. Pure: same input, same output.
 */
export function redactPii(
  text: string,
  kinds: { email: boolean; phone: boolean; ip: boolean } = { email: true, phone: true, ip: true },
): { text: string; counts: PiiCounts } {
  const counts: PiiCounts = { email: 0, phone: 0, ip: 0 };
  // Cheap pre-checks skip the regexes for the many documents that cannot match.
  if (kinds.email && text.includes('@')) {
    text = text.replace(EMAIL_RE, () => EMAIL_REPLACEMENTS[counts.email++ % EMAIL_REPLACEMENTS.length]!);
  }
  if (kinds.ip && text.includes('.')) {
    text = text.replace(IPV4_RE, (m) => {
      if (!isGlobalIpv4(m)) return m;
      return IP_REPLACEMENTS[counts.ip++ % IP_REPLACEMENTS.length]!;
    });
  }
  if (kinds.phone && /[0-9]/.test(text)) {
    text = text.replace(PHONE_RE, (m: string, offset: number, whole: string) => {
      if (!isPhoneLike(m, whole.slice(Math.max(0, offset - 16), offset))) return m;
      counts.phone++;
      return PHONE_REPLACEMENT;
    });
  }
  return { text, counts };
}
