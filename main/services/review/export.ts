import type { JudgementFull, SpanRow } from '../../../db/queries/review';
import { sliceCodePoints } from './code-points';

/** One exported judgement: the item, every output, and what the reviewer said about one of them. */
export interface ExportRow {
  queueId: number;
  queue: string;
  item: number;
  srcLang: string;
  tgtLang: string;
  source: string;
  reference: string | null;
  outputs: { system: string; text: string }[];
  system: string;
  output: string | null;
  score: number | null;
  spans: { start: number; end: number; text: string; category: string; severity: string }[];
  postEdit: string | null;
  accepted: boolean;
  reviewer: string;
  time: string;
}

export function exportRows(judgements: JudgementFull[], spans: SpanRow[]): ExportRow[] {
  const spansOf = new Map<number, SpanRow[]>();
  for (const s of spans) (spansOf.get(s.judgement_id) ?? spansOf.set(s.judgement_id, []).get(s.judgement_id)!).push(s);
  return judgements.map((j) => {
    const outputs = JSON.parse(j.outputs) as { system: string; text: string }[];
    const output = outputs.find((o) => o.system === j.system)?.text ?? null;
    return {
      queueId: j.queue_id,
      queue: j.queue_name,
      item: j.ordinal,
      srcLang: j.src_lang,
      tgtLang: j.tgt_lang,
      source: j.source,
      reference: j.reference,
      outputs,
      system: j.system,
      output,
      score: j.score,
      spans: (spansOf.get(j.id) ?? []).map((s) => ({
        start: s.start,
        end: s.end,
        text: output === null ? '' : sliceCodePoints(output, s.start, s.end),
        category: s.category,
        severity: s.severity,
      })),
      postEdit: j.post_edit,
      accepted: j.accepted === 1,
      reviewer: j.reviewer,
      time: j.updated_at,
    };
  });
}

export function toJsonl(rows: ExportRow[]): string {
  return rows.map((r) => JSON.stringify(r) + '\n').join('');
}

/** Tabs, newlines and backslashes inside a field are written as \t, \n, \r and \\, so a row stays one line. */
function cell(v: string | number | boolean | null): string {
  if (v === null) return '';
  return String(v).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
}

export const TSV_COLUMNS = [
  'queue_id', 'queue', 'item', 'src_lang', 'tgt_lang', 'system', 'reviewer', 'time', 'score', 'accepted',
  'source', 'output', 'reference', 'post_edit', 'spans',
] as const;

export function toTsv(rows: ExportRow[]): string {
  const lines = [TSV_COLUMNS.join('\t')];
  for (const r of rows) {
    // Spans as start-end:category:severity, separated by '; ' (offsets in code points of the output).
    const spans = r.spans.map((s) => `${s.start}-${s.end}:${s.category}:${s.severity}`).join('; ');
    lines.push(
      [r.queueId, r.queue, r.item, r.srcLang, r.tgtLang, r.system, r.reviewer, r.time, r.score, r.accepted ? 1 : 0, r.source, r.output, r.reference, r.postEdit, spans]
        .map(cell)
        .join('\t'),
    );
  }
  return lines.join('\n') + '\n';
}
