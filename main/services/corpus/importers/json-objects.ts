import { basename } from 'node:path';
import { parseError } from '../../../api/errors';
import type { ImportContext } from '../types';

export type JsonObject = Record<string, unknown>;

/** One line of a JSON Lines file: the object, or null for a blank line. */
export interface JsonLine {
  obj: JsonObject | null;
  line: number;
}

/**
 * Streams a JSON Lines file one object per line. Blank lines come back as
 * null so the caller can count them as skipped; anything else that is not a
 * JSON object is a parse error naming the line.
 */
export async function* jsonLines(ctx: ImportContext, path: string): AsyncGenerator<JsonLine> {
  const file = basename(path);
  for await (const { text, line } of ctx.openLines(path).lines()) {
    if (text.trim().length === 0) {
      yield { obj: null, line };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw parseError(file, line, `not valid JSON (${(err as Error).message}).`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw parseError(file, line, 'expected a JSON object on each line.');
    }
    yield { obj: value as JsonObject, line };
  }
}

/**
 * The keys of the first object in a sniffed head. The head may stop in the
 * middle of a long first line, so when that line does not parse we fall back
 * to the quoted keys we can see.
 */
export function firstLineKeys(head: string): Set<string> {
  const first = head.split('\n', 1)[0].trim();
  if (!first.startsWith('{')) return new Set();
  try {
    const value: unknown = JSON.parse(first);
    if (value && typeof value === 'object' && !Array.isArray(value)) return new Set(Object.keys(value));
  } catch {
    // Truncated line: scan for "key": below.
  }
  const keys = new Set<string>();
  for (const m of first.matchAll(/"([^"\\]{1,64})"\s*:/g)) keys.add(m[1]);
  return keys;
}

/** A required string field; numbers are accepted and turned into strings (ids, question numbers). */
export function stringField(obj: JsonObject, key: string, file: string, line: number): string {
  const v = obj[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (v === undefined || v === null) throw parseError(file, line, `missing required field "${key}".`);
  throw parseError(file, line, `field "${key}" should be a string, not ${Array.isArray(v) ? 'an array' : typeof v}.`);
}
