import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { LangbridgeError, parseError } from '../../api/errors';

/** One line of a translated file: the source, a system's output and perhaps the reference. */
export interface TranslatedLine {
  line: number;
  source: string;
  output: string;
  reference: string | null;
  meta: Record<string, unknown> | null;
}

export interface TranslatedFile {
  name: string;
  format: 'tsv' | 'jsonl';
  lines: TranslatedLine[];
}

const TSV_HEADER = /^(source|src)$/i;

function decode(bytes: Buffer, name: string): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new LangbridgeError('encoding-error', `${name} is not valid UTF-8 text. Save it as UTF-8 and try again.`, name);
  }
}

function tsvLine(name: string, n: number, raw: string): TranslatedLine | null {
  const cols = raw.split('\t');
  if (n === 1 && TSV_HEADER.test(cols[0]!.trim())) return null; // a header row
  if (cols.length < 2 || cols.length > 3) {
    throw parseError(name, n, `expected 2 or 3 tab-separated columns (source, output, and optionally the reference), found ${cols.length}.`);
  }
  const [source, output, reference] = cols.map((c) => c.trim());
  if (!source) throw parseError(name, n, 'the source column is empty.');
  if (!output) throw parseError(name, n, 'the output column is empty.');
  return { line: n, source, output, reference: reference ? reference : null, meta: null };
}

function text(v: unknown): string | null {
  return typeof v === 'string' ? v.trim() : null;
}

function jsonlLine(name: string, n: number, raw: string): TranslatedLine {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw parseError(name, n, `not valid JSON (${(err as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw parseError(name, n, 'expected a JSON object like {"source": "...", "output": "..."}.');
  }
  const rec = value as Record<string, unknown>;
  const source = text(rec.source);
  // `output` is what `langbridge translate --json` writes; `hypothesis` is the evaluation's word for it.
  const output = text(rec.output ?? rec.hypothesis);
  if (!source) throw parseError(name, n, 'the object has no "source" text.');
  if (!output) throw parseError(name, n, 'the object has no "output" text.');
  const refValue = rec.reference;
  if (refValue !== undefined && refValue !== null && typeof refValue !== 'string') throw parseError(name, n, '"reference" must be text.');
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) if (!['source', 'output', 'hypothesis', 'reference'].includes(k)) meta[k] = v;
  return { line: n, source, output, reference: text(refValue) || null, meta: Object.keys(meta).length ? meta : null };
}

/** The format from the extension, else from the first non-blank character. */
function formatOf(path: string, content: string): 'tsv' | 'jsonl' {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.json' || ext === '.ndjson') return 'jsonl';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  return content.trimStart().startsWith('{') ? 'jsonl' : 'tsv';
}

/**
 * Reads a translated file: TSV (source TAB output [TAB reference]) or the
 * JSONL that `langbridge translate` writes ({source, output, confidence, ...}).
 * Blank lines are skipped; a malformed line stops the read with its number.
 */
export async function readTranslatedFile(path: string, displayName = basename(path)): Promise<TranslatedFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new LangbridgeError('not-found', `Cannot read ${displayName}: the file does not exist or is not readable.`, displayName);
  }
  const content = decode(bytes, displayName);
  const format = formatOf(path, content);
  const lines: TranslatedLine[] = [];
  const raw = content.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!.replace(/\r$/, '');
    if (!line.trim()) continue;
    const parsed = format === 'tsv' ? tsvLine(displayName, i + 1, line) : jsonlLine(displayName, i + 1, line);
    if (parsed) lines.push(parsed);
  }
  if (lines.length === 0) throw new LangbridgeError('parse-error', `${displayName} holds no translations (the file is empty).`, displayName);
  return { name: displayName, format, lines };
}
