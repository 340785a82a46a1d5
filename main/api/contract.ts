import { z } from 'zod';
import {
  CorpusStats,
  DetectedFormat,
  DocumentDetail,
  DocumentFilter,
  DocumentRow,
  Format,
  ImportRequest,
  ImportSummary,
  Language,
  Page,
  PairRow,
  Progress,
  SampleImportRequest,
  SampleImportSummary,
  SearchRequest,
  SearchResult,
  Source,
  WorkspaceInfo,
} from './schemas';

/**
 * THE contract. Every front door (Electron IPC, HTTP server, CLI) reaches the
 * services through these names, validating input with these schemas.
 */
export const calls = {
  'workspace:info': { input: z.object({}).strict(), output: WorkspaceInfo },
  'corpus:detect-format': {
    input: z.object({ path: z.string().min(1) }).strict(),
    output: DetectedFormat,
  },
  'corpus:import': { input: ImportRequest, output: ImportSummary },
  'corpus:import-sample': { input: SampleImportRequest, output: SampleImportSummary },
  'corpus:cancel': {
    input: z.object({ jobId: z.string().min(1) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  'corpus:jobs': { input: z.object({}).strict(), output: z.array(Progress) },
  'corpus:sources': { input: z.object({}).strict(), output: z.array(Source) },
  'corpus:delete-source': {
    input: z.object({ sourceId: z.number().int() }).strict(),
    output: z.object({ documents: z.number().int(), pairs: z.number().int() }),
  },
  'corpus:stats': { input: z.object({}).strict(), output: CorpusStats },
  'corpus:languages': { input: z.object({}).strict(), output: z.array(Language) },
  'corpus:documents': {
    input: DocumentFilter.extend(Page.shape).strict(),
    output: z.object({ total: z.number().int(), rows: z.array(DocumentRow) }),
  },
  'corpus:document': {
    input: z.object({ id: z.number().int() }).strict(),
    output: DocumentDetail,
  },
  'corpus:pairs': {
    input: z
      .object({ lang: z.string().min(1).optional(), sourceId: z.number().int().optional() })
      .extend(Page.shape)
      .strict(),
    output: z.object({ total: z.number().int(), rows: z.array(PairRow) }),
  },
  'corpus:search': { input: SearchRequest, output: SearchResult },
  'corpus:formats': { input: z.object({}).strict(), output: z.array(Format) },
} as const;

export const events = {
  'jobs:progress': Progress,
  'corpus:changed': z.object({ reason: z.string() }),
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
export type CallInput<K extends CallName> = z.input<(typeof calls)[K]['input']>;
export type CallOutput<K extends CallName> = z.output<(typeof calls)[K]['output']>;
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}
