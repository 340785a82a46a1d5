import type { ReactNode } from 'react';

type Range = readonly [number, number];

/** Sorted, clamped, merged ranges: the server's ranges may touch or overlap. */
function normalise(matches: readonly Range[], length: number): Array<[number, number]> {
  const sorted = matches
    .map(([s, e]): [number, number] => [Math.max(0, Math.min(s, length)), Math.max(0, Math.min(e, length))])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Moves an offset off the middle of a surrogate pair (UTF-16 offsets split astral characters). */
function safeOffset(text: string, i: number): number {
  if (i <= 0 || i >= text.length) return Math.max(0, Math.min(i, text.length));
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff ? i - 1 : i;
}

interface HighlightedTextProps {
  text: string;
  matches: readonly Range[];
  /** Longer texts are cut to a window around the first match. */
  maxLength?: number;
}

/** Text with the matched ranges wrapped in <mark>. */
export function HighlightedText({ text, matches, maxLength = 360 }: HighlightedTextProps) {
  let ranges = normalise(matches, text.length);
  let start = 0;
  let end = text.length;
  if (text.length > maxLength) {
    const first = ranges[0]?.[0] ?? 0;
    start = safeOffset(text, Math.max(0, first - Math.floor(maxLength / 4)));
    end = safeOffset(text, Math.min(text.length, start + maxLength));
    ranges = ranges
      .filter(([s, e]) => e > start && s < end)
      .map(([s, e]): [number, number] => [Math.max(s, start), Math.min(e, end)]);
  }
  const parts: ReactNode[] = [];
  if (start > 0) parts.push('…');
  let at = start;
  ranges.forEach(([s, e], i) => {
    if (s > at) parts.push(text.slice(at, s));
    parts.push(<mark key={i}>{text.slice(s, e)}</mark>);
    at = e;
  });
  if (at < end) parts.push(text.slice(at, end));
  if (end < text.length) parts.push('…');
  return <>{parts}</>;
}
