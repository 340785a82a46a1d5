/**
 * Span offsets are code points (what Python's len and the export's readers
 * count), while JS strings index UTF-16 units: these convert between them.
 */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function sliceCodePoints(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}

/** The code-point offset of a UTF-16 index. */
export function toCodePointOffset(text: string, utf16Index: number): number {
  return codePointLength(text.slice(0, utf16Index));
}
