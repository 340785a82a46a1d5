import { z } from 'zod';
import { STEP_PARAMS, type StepKind } from '../../../../main/services/pipeline/recipe';

interface Base {
  key: string;
  label: string;
  /** `null` is allowed and means the check is off. */
  nullable: boolean;
  /** What the field takes when switched back on from "off": the schema's default, else its minimum. */
  fallback: unknown;
}

export type FieldSpec =
  | (Base & { type: 'number'; int: boolean; min?: number; max?: number })
  | (Base & { type: 'boolean' })
  | (Base & { type: 'enum'; options: string[] })
  | (Base & { type: 'strings' })
  | (Base & { type: 'tuples' })
  /** A shape this editor does not know: edited in the JSON view. */
  | (Base & { type: 'other' });

/** Labels where the parameter's own name is too terse to read. */
const LABELS: Record<string, string> = {
  form: 'Unicode form',
  flagThreshold: 'Flag threshold',
  minLength: 'Minimum length',
  dupLineFrac: 'Duplicate lines (fraction)',
  dupParaFrac: 'Duplicate paragraphs (fraction)',
  dupLineCharFrac: 'Characters in duplicate lines (fraction)',
  dupParaCharFrac: 'Characters in duplicate paragraphs (fraction)',
  topNGrams: 'Top n-grams',
  dupNGrams: 'Duplicate n-grams',
  linePunctThr: 'Lines ending in punctuation (minimum)',
  linePunctExcludeZero: 'Exclude documents without punctuation',
  shortLineThr: 'Short lines (maximum fraction)',
  charDuplicatesRatio: 'Duplicated characters (maximum fraction)',
  newLineRatio: 'New lines per word (maximum)',
  nGrams: 'Shingle size (words)',
  ip: 'IP addresses',
  ngramOverlap: 'Shared words in a row with an evaluation item (maximum)',
};

/** "minDocWords" -> "Min doc words". */
export function humanise(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function finite(n: number | null | undefined): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;
}

/** Strips default/optional/nullable wrappers, noting whether null is allowed. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; nullable: boolean } {
  let s: z.ZodType = schema;
  let nullable = false;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodNullable) {
      nullable = true;
      s = s.unwrap() as z.ZodType;
    } else return { inner: s, nullable };
  }
}

function defaultOf(schema: z.ZodType): unknown {
  return schema instanceof z.ZodDefault ? (schema.def.defaultValue as unknown) : undefined;
}

function fieldFor(key: string, schema: z.ZodType): FieldSpec {
  const { inner, nullable } = unwrap(schema);
  const given = defaultOf(schema);
  const base = { key, label: humanise(key), nullable, fallback: given ?? null };
  if (inner instanceof z.ZodNumber) {
    const min = finite(inner.minValue);
    return { ...base, fallback: given ?? min ?? 0, type: 'number', int: inner.isInt, min, max: finite(inner.maxValue) };
  }
  if (inner instanceof z.ZodBoolean) return { ...base, type: 'boolean' };
  if (inner instanceof z.ZodEnum) return { ...base, type: 'enum', options: inner.options.map(String) };
  if (inner instanceof z.ZodArray) {
    const element = unwrap(inner.element as z.ZodType).inner;
    if (element instanceof z.ZodString) return { ...base, fallback: given ?? [], type: 'strings' };
    if (element instanceof z.ZodTuple) return { ...base, type: 'tuples' };
  }
  return { ...base, type: 'other' };
}

const cache = new Map<StepKind, FieldSpec[]>();

/** The editable parameters of a step kind, read from its zod schema (the one definition the runner uses). */
export function paramFields(kind: StepKind): FieldSpec[] {
  let fields = cache.get(kind);
  if (!fields) {
    const shape = STEP_PARAMS[kind].shape as Record<string, z.ZodType>;
    fields = Object.entries(shape).map(([key, schema]) => fieldFor(key, schema));
    cache.set(kind, fields);
  }
  return fields;
}

/** "2:0.2, 3:0.18" <-> [[2, 0.2], [3, 0.18]]. Returns null when the text does not parse. */
export function parseTuples(text: string): Array<[number, number]> | null {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const out: Array<[number, number]> = [];
  for (const part of parts) {
    const m = /^(-?\d+(?:\.\d+)?)\s*:\s*(-?\d*(?:\.\d+)?)$/.exec(part);
    if (!m || m[2] === '' || m[2] === '-') return null;
    out.push([Number(m[1]), Number(m[2])]);
  }
  return out;
}

export function formatTuples(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value.map((t) => (Array.isArray(t) ? `${String(t[0])}:${String(t[1])}` : String(t))).join(', ');
}

/** "the, and , of" -> ["the", "and", "of"]. */
export function parseStrings(text: string): string[] {
  return text.split(',').map((p) => p.trim()).filter(Boolean);
}
