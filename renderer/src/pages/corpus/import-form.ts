import type { CallInput } from '../../../../main/api/contract';
import type { Format, Role } from '../../../../main/api/schemas';

export interface ImportForm {
  format: Format | 'auto';
  /** Once the user picks a format, detection no longer overrides it. */
  formatChosen: boolean;
  lang: string;
  srcLang: string;
  tgtLang: string;
  name: string;
  license: string;
  notes: string;
  role: Role | '';
  replaceInvalid: boolean;
  segment: 'line' | 'paragraph';
  textField: string;
  langField: string;
  textColumn: string;
  langColumn: string;
  header: boolean;
}

export const emptyForm: ImportForm = {
  format: 'auto',
  formatChosen: false,
  lang: '',
  srcLang: '',
  tgtLang: '',
  name: '',
  license: '',
  notes: '',
  role: '',
  replaceInvalid: false,
  segment: 'line',
  textField: '',
  langField: '',
  textColumn: '',
  langColumn: '',
  header: true,
};

export const FORMAT_LABELS: Record<Format, string> = {
  text: 'Plain text',
  jsonl: 'JSON Lines',
  csv: 'CSV',
  tsv: 'TSV',
  parquet: 'Parquet',
  moses: 'Moses / OPUS pair (two files)',
  tmx: 'TMX translation memory',
  flores: 'FLORES-200',
  belebele: 'Belebele',
  xcopa: 'XCOPA',
  mmmlu: 'MMMLU',
  usfm: 'USFM (scripture)',
  paratext: 'Paratext project',
  conllu: 'CoNLL-U',
};

/** Formats whose files name their own languages; a language typed by the user would only override them. */
const CARRIES_LANGUAGE: ReadonlySet<Format> = new Set(['tmx', 'flores', 'belebele', 'xcopa', 'mmmlu', 'moses']);

export function asksForLanguage(format: Format | null): boolean {
  return format === null || !CARRIES_LANGUAGE.has(format);
}

const trimmed = (s: string): string | undefined => (s.trim() ? s.trim() : undefined);

/** The corpus:import request for this form; `effective` is the chosen or detected format. */
export function buildRequest(
  form: ImportForm,
  effective: Format | null,
  paths: string[],
  jobId: string,
): CallInput<'corpus:import'> {
  const options: NonNullable<CallInput<'corpus:import'>['options']> = { replaceInvalid: form.replaceInvalid };
  if (effective === 'text') options.segment = form.segment;
  if (effective === 'jsonl') {
    if (trimmed(form.textField)) options.textField = form.textField.trim();
    if (trimmed(form.langField)) options.langField = form.langField.trim();
  }
  if (effective === 'csv' || effective === 'tsv' || effective === 'parquet') {
    if (trimmed(form.textColumn)) options.textColumn = form.textColumn.trim();
    if (trimmed(form.langColumn)) options.langColumn = form.langColumn.trim();
    if (effective !== 'parquet') options.header = form.header;
  }
  const request: CallInput<'corpus:import'> = {
    paths,
    format: form.format,
    jobId,
    name: trimmed(form.name),
    license: trimmed(form.license),
    notes: trimmed(form.notes),
    role: form.role || undefined,
    options,
  };
  if (effective === 'moses') {
    request.srcLang = trimmed(form.srcLang);
    request.tgtLang = trimmed(form.tgtLang);
  } else if (asksForLanguage(effective)) {
    request.lang = trimmed(form.lang);
  }
  return request;
}
