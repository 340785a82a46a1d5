/**
 * `langbridge review create|queues|aggregates|export`: thin wrappers over the
 * review:* calls. Judging happens in the app (Translate & Review page).
 */
import { resolve } from 'node:path';
import { Option as CommanderOption, type Command, type Option } from 'commander';
import { LangbridgeError } from '../api/errors';
import type { Aggregates, CreateQueueRequest, QueueInfo } from '../api/review-schemas';
import type { Langbridge } from '../services/langbridge';
import { table } from './format-table';

const fmt = (x: number | null, d = 1) => (x === null ? '—' : x.toFixed(d));

function int(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new LangbridgeError('bad-input', `"${value}" is not ${what} (a whole number).`);
  return n;
}

interface CreateOptions {
  fromFile?: string;
  fromEval?: string;
  fromDataset?: string;
  fromCorpus?: boolean;
  outputs?: string;
  src?: string;
  tgt?: string;
  system?: string;
  name?: string;
  limit?: string;
}

/** Exactly one --from-* option, turned into the call's `from`. */
export function queueFrom(o: CreateOptions): CreateQueueRequest['from'] {
  const given = [o.fromFile, o.fromEval, o.fromDataset, o.fromCorpus].filter((v) => v !== undefined && v !== false);
  if (given.length !== 1) throw new LangbridgeError('bad-input', 'give exactly one of --from-file F, --from-eval RUN[,RUN], --from-dataset ID, --from-corpus');
  const outputsPath = o.outputs ? resolve(o.outputs) : undefined;
  if (o.fromFile) {
    if (!o.src || !o.tgt) throw new LangbridgeError('bad-input', '--from-file needs --src and --tgt (the languages of the source and the output)');
    return { kind: 'file', path: resolve(o.fromFile), srcLang: o.src, tgtLang: o.tgt, ...(o.system ? { system: o.system } : {}) };
  }
  if (o.fromEval) {
    const runIds = o.fromEval.split(',').map((s) => int(s.trim(), 'an evaluation run id'));
    return { kind: 'eval', runIds, ...(o.src ? { srcLang: o.src } : {}), ...(o.tgt ? { tgtLang: o.tgt } : {}) };
  }
  if (o.fromDataset) {
    return { kind: 'dataset', datasetId: int(o.fromDataset, 'a dataset id'), ...(o.src ? { srcLang: o.src } : {}), ...(o.tgt ? { tgtLang: o.tgt } : {}), ...(outputsPath ? { outputsPath } : {}) };
  }
  if (!o.src || !o.tgt) throw new LangbridgeError('bad-input', '--from-corpus needs --src and --tgt');
  return { kind: 'corpus', srcLang: o.src, tgtLang: o.tgt, ...(outputsPath ? { outputsPath } : {}) };
}

function queueLine(q: QueueInfo): string[] {
  const dir = q.srcLang && q.tgtLang ? `${q.srcLang}→${q.tgtLang}` : 'several';
  return [String(q.id), q.name, q.kind, dir, String(q.systems.length), `${q.reviewed}/${q.items}`, q.createdAt.slice(0, 16).replace('T', ' ')];
}

export function aggregatesTable(a: Aggregates): string {
  const rows = a.rows.map((r) => [
    r.system,
    r.direction,
    String(r.scored),
    fmt(r.meanScore),
    r.ci ? `${fmt(r.ci.low)}–${fmt(r.ci.high)}` : '—',
    fmt(r.errorScore, 2),
    `${r.errors.minor}/${r.errors.major}/${r.errors.critical}`,
    String(r.postEdited),
    String(r.accepted),
  ]);
  const out = [table(['system', 'direction', 'scores', 'mean', '95% CI', 'MQM/item', 'min/maj/crit', 'post-edited', 'accepted'], rows, [false, false, true, true, true, true, true, true, true])];
  for (const c of a.comparisons) out.push(`${c.direction}: ${c.a} higher ${c.aWins}×, ${c.b} higher ${c.bWins}×, ties ${c.ties}`);
  out.push('', a.method);
  return out.join('\n');
}

export function addReviewCommands(program: Command, open: (o: { workspace?: string }) => Langbridge, workspaceOption: () => Option): void {
  const review = program.command('review').description('human review of translations: queues, aggregates, exports (judge them on the Translate & Review page)');

  review
    .command('create')
    .description('create a review queue from a translated file, evaluation run(s), a dataset\'s held-out pairs or the corpus evaluation pairs')
    .addOption(workspaceOption())
    .option('--from-file <file>', 'TSV (source<TAB>output[<TAB>reference]) or the JSONL `langbridge translate --json` writes')
    .option('--from-eval <runs>', 'one evaluation run id, or two (RUN,RUN) to compare blind side by side')
    .option('--from-dataset <id>', 'the held-out pairs of a dataset version')
    .option('--from-corpus', 'the corpus pairs imported with the role "eval"')
    .option('--outputs <file>', 'with --from-dataset/--from-corpus: a translated file whose outputs are matched to the pairs by source text (without it, the reviewer translates)')
    .option('--src <code>', 'source language')
    .option('--tgt <code>', 'target language')
    .option('--system <name>', 'with --from-file: the name of the system that translated (default: the file name)')
    .option('--name <name>', 'name of the queue')
    .option('--limit <n>', 'at most this many items')
    .option('--json', 'print JSON')
    .action(async (o: CreateOptions & { workspace?: string; json?: boolean }) => {
      const lb = open(o);
      try {
        const q = await lb.invoke('review:create-queue', {
          from: queueFrom(o),
          ...(o.name ? { name: o.name } : {}),
          ...(o.limit ? { limit: int(o.limit, 'a number of items') } : {}),
        });
        if (o.json) console.log(JSON.stringify(q, null, 2));
        else {
          console.log(`created review queue #${q.id} "${q.name}": ${q.items} items, ${q.systems.length} system${q.systems.length === 1 ? '' : 's'}${q.systems.length > 1 ? ' (shown blind, shuffled per item)' : ''}`);
          for (const w of q.warnings) console.error(`warning: ${w}`);
        }
      } finally {
        lb.close();
      }
    });

  review
    .command('queues')
    .description('list the review queues and how far each is reviewed')
    .addOption(workspaceOption())
    .option('--json', 'print JSON')
    .action(async (o: { workspace?: string; json?: boolean }) => {
      const lb = open(o);
      try {
        const qs = await lb.invoke('review:queues', {});
        if (o.json) console.log(JSON.stringify(qs, null, 2));
        else console.log(qs.length ? table(['id', 'name', 'from', 'direction', 'systems', 'reviewed', 'created'], qs.map(queueLine), [true]) : 'No review queues yet: create one with `langbridge review create`.');
      } finally {
        lb.close();
      }
    });

  review
    .command('aggregates')
    .description('mean scores with 95% intervals, MQM-lite error scores and error counts per system and direction')
    .addOption(workspaceOption())
    .option('--queue <id>', 'one queue (default: all)')
    .option('--json', 'print JSON')
    .action(async (o: { workspace?: string; json?: boolean; queue?: string }) => {
      const lb = open(o);
      try {
        const a = await lb.invoke('review:aggregates', o.queue ? { queueId: int(o.queue, 'a queue id') } : {});
        console.log(o.json ? JSON.stringify(a, null, 2) : a.rows.length ? aggregatesTable(a) : 'Nothing has been judged yet.');
      } finally {
        lb.close();
      }
    });

  review
    .command('export')
    .description('the judgements (source, outputs, scores, error spans, post-edits, reviewer, time) as TSV or JSONL')
    .addOption(workspaceOption())
    .addOption(new CommanderOption('--format <format>', 'tsv or jsonl').choices(['tsv', 'jsonl']).default('jsonl'))
    .option('--queue <id>', 'one queue (default: all)')
    .option('--out <file>', 'write to this file (default: standard output)')
    .action(async (o: { workspace?: string; format: 'tsv' | 'jsonl'; queue?: string; out?: string }) => {
      const lb = open(o);
      try {
        const r = await lb.invoke('review:export', {
          format: o.format,
          ...(o.queue ? { queueId: int(o.queue, 'a queue id') } : {}),
          ...(o.out ? { out: resolve(o.out) } : {}),
        });
        if (r.content !== null) process.stdout.write(r.content);
        else console.error(`wrote ${r.rows} judgements to ${r.path}`);
      } finally {
        lb.close();
      }
    });
}
