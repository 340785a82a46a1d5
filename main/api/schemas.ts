import { z } from 'zod';

/** Formats the importers understand; 'auto' detects from extension and content. */
export const Format = z.enum([
  'text',
  'jsonl',
  'csv',
  'tsv',
  'parquet',
  'moses',
  'tmx',
  'flores',
  'belebele',
  'xcopa',
  'mmmlu',
  'usfm',
  'paratext',
  'conllu',
]);
export type Format = z.infer<typeof Format>;

/** What a source was imported as: a file format, the embedded UDHR sample, or the reviewed translations (main/services/review). */
export const SourceFormat = z.union([Format, z.literal('udhr'), z.literal('review')]);
export type SourceFormat = z.infer<typeof SourceFormat>;

export const Role = z.enum(['train', 'eval']);
export type Role = z.infer<typeof Role>;

export const ImportOptions = z
  .object({
    /** text: one document per line, or per blank-line-separated paragraph. */
    segment: z.enum(['line', 'paragraph']).default('line'),
    /** JSONL: the field holding the text, and an optional field holding the language. */
    textField: z.string().min(1).default('text'),
    langField: z.string().min(1).optional(),
    /** CSV/TSV/Parquet: column holding the text (name or 0-based index), optional language column. */
    textColumn: z.string().min(1).optional(),
    langColumn: z.string().min(1).optional(),
    /** CSV/TSV: whether the first row is a header (default true). */
    header: z.boolean().default(true),
    /** Replace invalid UTF-8 bytes with U+FFFD instead of refusing the file. */
    replaceInvalid: z.boolean().default(false),
    /** Flores: which splits to import. */
    splits: z.array(z.enum(['dev', 'devtest'])).optional(),
  })
  .strict();
export type ImportOptions = z.infer<typeof ImportOptions>;

export const ImportRequest = z
  .object({
    /** One file or folder; two files for a Moses/OPUS pair. Absolute or relative to the current directory. */
    paths: z.array(z.string().min(1)).min(1).max(2),
    format: z.union([Format, z.literal('auto')]).default('auto'),
    /** Language of the documents, for formats that do not carry it (ISO 639-1/3, BCP-47 or xxx_Scrp). */
    lang: z.string().min(1).optional(),
    srcLang: z.string().min(1).optional(),
    tgtLang: z.string().min(1).optional(),
    role: Role.optional(),
    name: z.string().min(1).optional(),
    license: z.string().optional(),
    notes: z.string().optional(),
    options: ImportOptions.default(ImportOptions.parse({})),
    /** Chosen by the caller so it can follow progress events and cancel. */
    jobId: z.string().min(1).max(100).optional(),
  })
  .strict();
export type ImportRequest = z.input<typeof ImportRequest>;
export type ImportRequestParsed = z.output<typeof ImportRequest>;

export const ImportSummary = z.object({
  sourceId: z.number().int(),
  name: z.string(),
  format: SourceFormat,
  documents: z.number().int(),
  pairs: z.number().int(),
  skipped: z.number().int(),
  replacedBytes: z.number().int(),
  languages: z.array(z.string()),
  warnings: z.array(z.string()),
  seconds: z.number(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const SampleImportRequest = z
  .object({
    sample: z.literal('udhr'),
    langs: z.array(z.string().min(1)).min(1).max(600),
    jobId: z.string().min(1).max(100).optional(),
  })
  .strict();
export type SampleImportRequest = z.input<typeof SampleImportRequest>;

export const SampleImportSummary = z.object({
  imported: z.array(ImportSummary),
  alreadyPresent: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type SampleImportSummary = z.infer<typeof SampleImportSummary>;

export const Source = z.object({
  id: z.number().int(),
  name: z.string(),
  format: SourceFormat,
  originalPath: z.string(),
  sha256: z.string(),
  sizeBytes: z.number().int(),
  license: z.string().nullable(),
  notes: z.string().nullable(),
  importedAt: z.string(),
  documents: z.number().int(),
  pairs: z.number().int(),
  skipped: z.number().int(),
  status: z.string(),
  languages: z.array(z.string()),
});
export type Source = z.infer<typeof Source>;

export const Language = z.object({
  code: z.string(),
  iso6393: z.string(),
  script: z.string(),
  name: z.string(),
  direction: z.enum(['ltr', 'rtl']),
  known: z.boolean(),
});
export type Language = z.infer<typeof Language>;

export const LanguageStats = z.object({
  code: z.string(),
  name: z.string(),
  script: z.string(),
  direction: z.enum(['ltr', 'rtl']),
  documents: z.number().int(),
  evalDocuments: z.number().int(),
  pairs: z.number().int(),
  pairsByPartner: z.record(z.string(), z.number().int()),
  characters: z.number().int(),
  words: z.number().int(),
  tokens: z.number().int(),
  /** Tokens per word under the Qwen tokenizer: how badly it fragments the language. */
  fertility: z.number().nullable(),
  /** True when tokens were extrapolated from a tokenised sample of a large import. */
  tokensEstimated: z.boolean(),
});
export type LanguageStats = z.infer<typeof LanguageStats>;

export const CorpusStats = z.object({
  languages: z.array(LanguageStats),
  totals: z.object({
    sources: z.number().int(),
    documents: z.number().int(),
    pairs: z.number().int(),
    characters: z.number().int(),
    tokens: z.number().int(),
  }),
  tokenizer: z.string(),
});
export type CorpusStats = z.infer<typeof CorpusStats>;

export const Page = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
});

export const DocumentFilter = z
  .object({
    lang: z.string().min(1).optional(),
    role: Role.optional(),
    sourceId: z.number().int().optional(),
  })
  .strict();

export const DocumentRow = z.object({
  id: z.number().int(),
  sourceId: z.number().int(),
  lang: z.string(),
  direction: z.enum(['ltr', 'rtl']),
  ordinal: z.number().int(),
  role: Role,
  ref: z.string().nullable(),
  text: z.string(),
});
export type DocumentRow = z.infer<typeof DocumentRow>;

export const DocumentDetail = DocumentRow.extend({
  sourceName: z.string(),
  meta: z.record(z.string(), z.unknown()).nullable(),
  /** Pairs from the same source sharing this document's reference (verse, line, article). */
  aligned: z.array(z.object({ lang: z.string(), direction: z.enum(['ltr', 'rtl']), text: z.string() })),
});
export type DocumentDetail = z.infer<typeof DocumentDetail>;

export const PairRow = z.object({
  id: z.number().int(),
  sourceId: z.number().int(),
  srcLang: z.string(),
  tgtLang: z.string(),
  srcDirection: z.enum(['ltr', 'rtl']),
  tgtDirection: z.enum(['ltr', 'rtl']),
  srcText: z.string(),
  tgtText: z.string(),
  ref: z.string().nullable(),
  role: Role,
});
export type PairRow = z.infer<typeof PairRow>;

export const SearchRequest = z
  .object({
    query: z.string().min(1).max(500),
    lang: z.string().min(1).optional(),
    role: Role.optional(),
    kind: z.enum(['documents', 'pairs']).default('documents'),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type SearchRequest = z.input<typeof SearchRequest>;

/** A hit's text with the matched ranges (UTF-16 offsets) to highlight. */
export const Highlighted = z.object({
  text: z.string(),
  matches: z.array(z.tuple([z.number().int(), z.number().int()])),
});

export const SearchHit = z.object({
  id: z.number().int(),
  kind: z.enum(['document', 'pair']),
  sourceId: z.number().int(),
  lang: z.string(),
  direction: z.enum(['ltr', 'rtl']),
  role: Role,
  ref: z.string().nullable(),
  text: Highlighted,
  /** For pairs: the other side. */
  partner: z
    .object({ lang: z.string(), direction: z.enum(['ltr', 'rtl']), text: Highlighted })
    .optional(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResult = z.object({
  hits: z.array(SearchHit),
  /** Whether more hits exist after this page. */
  more: z.boolean(),
  /** How the query ran: trigram index, or a scan for queries shorter than 3 characters. */
  method: z.enum(['trigram', 'scan']),
  ms: z.number(),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const DetectedFormat = z.object({
  format: Format.nullable(),
  reason: z.string(),
  preview: z.array(z.string()),
  /** Column names or JSON fields seen in the first rows, for the mapping choice. */
  fields: z.array(z.string()),
  sizeBytes: z.number().int(),
});
export type DetectedFormat = z.infer<typeof DetectedFormat>;

export const Progress = z.object({
  jobId: z.string(),
  /** Which service runs the job (and so which cancel call stops it). */
  kind: z.enum(['import', 'pipeline', 'python', 'download', 'export']).optional(),
  step: z.string(),
  done: z.number(),
  total: z.number(),
  unit: z.string(),
  /** Set once, on the last event of a job. */
  state: z.enum(['running', 'finished', 'failed', 'cancelled']),
  message: z.string().optional(),
});
export type Progress = z.infer<typeof Progress>;

export const WorkspaceInfo = z.object({
  path: z.string(),
  dbPath: z.string(),
  schemaVersion: z.number().int(),
  version: z.string(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;
