import { Command, Option } from 'commander';
import { LangbridgeError } from '../api/errors';
import type { Progress } from '../api/schemas';
import { Langbridge, VERSION } from '../services/langbridge';
import { defaultWorkspaceDir } from '../services/workspace/workspace';
import { sourcesTable, statsTable, table } from './format-table';
import { serve } from '../server/server';
import { addPipelineCommands } from './pipeline-commands';
import { addTrainCommands } from './train-commands';
import { addTranslateCommand } from './translate-command';
import { addScoreCommand } from './score-command';
import { addReviewCommands } from './review-commands';
import { addModelCommands } from './model-commands';
import { addEvalCommands } from './eval-commands';

/**
 * The terminal front door: parses arguments, calls the services through the
 * contract, prints. Read commands take --json and print one JSON document.
 */

function open(opts: { workspace?: string }): Langbridge {
  return new Langbridge(opts.workspace ?? defaultWorkspaceDir());
}

function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`langbridge: ${message.split('\n')[0]}\n`);
  process.exit(1);
}

function progressPrinter(json: boolean): (p: Progress) => void {
  if (json) return () => {};
  const tty = process.stderr.isTTY;
  // Without a terminal, a line every 2 s (tests shorten it to watch an import closely).
  const every = Number(process.env.LANGBRIDGE_PROGRESS_INTERVAL_MS ?? (tty ? 100 : 2000));
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.step === 'queued' || (p.state === 'running' && now - last < every)) return;
    last = now;
    const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0;
    const size = p.unit === 'bytes' && p.total > 0 ? ` ${(p.done / 1e6).toFixed(1)}/${(p.total / 1e6).toFixed(1)} MB` : '';
    const line = `${p.step} ${pct}%${size}`;
    if (tty) process.stderr.write(`\r${line.padEnd(60)}${p.state === 'running' ? '' : '\n'}`);
    else if (p.state === 'running') process.stderr.write(`${line}\n`);
  };
}

const workspaceOption = () => new Option('--workspace <dir>', 'workspace folder (default: $LANGBRIDGE_HOME or the XDG data folder)');

export function buildCli(): Command {
  const program = new Command('langbridge')
    .description('Langbridge: build a corpus for your language and continually pretrain a Qwen2-family model on it.')
    .version(VERSION)
    .showHelpAfterError();

  program
    .command('import')
    .description('import a file, a folder (Flores, Paratext), two files of a Moses pair, or the embedded UDHR sample')
    .argument('[paths...]', 'one file or folder, or two files for a Moses/OPUS pair')
    .addOption(workspaceOption())
    .option('--format <format>', 'text, jsonl, csv, tsv, parquet, moses, tmx, flores, belebele, xcopa, mmmlu, usfm, paratext, conllu (default: detected)')
    .option('--lang <code>', 'language of the text (ISO 639-1/3, BCP-47 or xxx_Scrp)')
    .option('--src-lang <code>', 'source language of a pair')
    .option('--tgt-lang <code>', 'target language of a pair')
    .addOption(new Option('--role <role>', 'train or eval').choices(['train', 'eval']))
    .option('--name <name>', 'name of the source (default: the file name)')
    .option('--license <license>', 'license of the text, as you know it')
    .option('--notes <notes>', 'notes about the source')
    .option('--text-field <field>', 'JSONL: field holding the text', 'text')
    .option('--lang-field <field>', 'JSONL: field holding the language')
    .option('--text-column <column>', 'CSV/TSV/Parquet: column holding the text (name or 0-based index)')
    .option('--lang-column <column>', 'CSV/TSV/Parquet: column holding the language')
    .option('--no-header', 'CSV/TSV: the first row is data, not column names')
    .addOption(new Option('--segment <unit>', 'plain text: one document per line or per paragraph').choices(['line', 'paragraph']).default('line'))
    .option('--replace-invalid', 'replace invalid UTF-8 bytes instead of refusing the file')
    .addOption(new Option('--sample <name>', 'import an embedded sample instead of files').choices(['udhr']))
    .option('--langs <codes>', 'with --sample: comma-separated languages', 'eng,swh,yor,quy,amh,arb,tha,khm,cmn')
    .option('--json', 'print the summary as JSON')
    .action(async (paths: string[], o) => {
      const lb = open(o);
      const off = lb.on('jobs:progress', progressPrinter(Boolean(o.json)));
      try {
        if (o.sample) {
          const langs = String(o.langs).split(',').map((s) => s.trim()).filter(Boolean);
          const r = await lb.invoke('corpus:import-sample', { sample: o.sample, langs });
          if (o.json) {
            const sum = (k: 'documents' | 'pairs' | 'skipped') => r.imported.reduce((n, s) => n + s[k], 0);
            console.log(JSON.stringify({ sourceId: r.imported[0]?.sourceId ?? null, sourceIds: r.imported.map((s) => s.sourceId), documents: sum('documents'), pairs: sum('pairs'), skipped: sum('skipped'), ...r }, null, 2));
          } else {
            for (const s of r.imported) console.log(`imported ${s.name}: ${s.documents} documents, ${s.pairs} pairs`);
            for (const n of r.alreadyPresent) console.log(`already in the corpus: ${n}`);
            for (const w of r.warnings) console.error(`warning: ${w}`);
          }
          return;
        }
        if (paths.length === 0) throw new LangbridgeError('bad-input', 'give a file or folder to import (or --sample udhr)');
        const r = await lb.invoke('corpus:import', {
          paths,
          format: o.format ?? 'auto',
          lang: o.lang,
          srcLang: o.srcLang,
          tgtLang: o.tgtLang,
          role: o.role,
          name: o.name,
          license: o.license,
          notes: o.notes,
          options: {
            textField: o.textField,
            langField: o.langField,
            textColumn: o.textColumn,
            langColumn: o.langColumn,
            header: o.header,
            segment: o.segment,
            replaceInvalid: Boolean(o.replaceInvalid),
          },
        });
        if (o.json) console.log(JSON.stringify(r, null, 2));
        else {
          console.log(`imported ${r.name} as source #${r.sourceId}: ${r.documents} documents, ${r.pairs} pairs, ${r.skipped} skipped (${r.languages.join(', ')}) in ${r.seconds}s`);
          if (r.replacedBytes) console.log(`replaced ${r.replacedBytes} invalid byte sequences with U+FFFD`);
          for (const w of r.warnings) console.error(`warning: ${w}`);
        }
      } finally {
        off();
        lb.close();
      }
    });

  program
    .command('sources')
    .description('list the imported sources')
    .addOption(workspaceOption())
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      const s = await lb.invoke('corpus:sources', {});
      console.log(o.json ? JSON.stringify(s, null, 2) : s.length ? sourcesTable(s) : 'The corpus is empty: import something with `langbridge import`.');
      lb.close();
    });

  program
    .command('stats')
    .description('per-language statistics: documents, pairs, characters, words, Qwen tokens and tokens per word')
    .addOption(workspaceOption())
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      const s = await lb.invoke('corpus:stats', {});
      console.log(o.json ? JSON.stringify(s, null, 2) : statsTable(s));
      lb.close();
    });

  program
    .command('search')
    .description('full-text search (any substring, in every script)')
    .argument('<query>', 'text to find')
    .addOption(workspaceOption())
    .option('--lang <code>', 'only this language')
    .addOption(new Option('--role <role>', 'train or eval').choices(['train', 'eval']))
    .option('--pairs', 'search parallel pairs instead of documents')
    .option('--limit <n>', 'number of hits', '20')
    .option('--json', 'print JSON')
    .action(async (query: string, o) => {
      const lb = open(o);
      const r = await lb.invoke('corpus:search', { query, lang: o.lang, role: o.role, kind: o.pairs ? 'pairs' : 'documents', limit: Number(o.limit) });
      if (o.json) console.log(JSON.stringify(r, null, 2));
      else {
        console.log(table(['id', 'lang', 'ref', 'text'], r.hits.map((h) => [String(h.id), h.lang, h.ref ?? '', h.text.text.replace(/\s+/g, ' ').slice(0, 100)]), [true]));
        console.log(`\n${r.hits.length}${r.more ? '+' : ''} hits in ${r.ms} ms (${r.method})`);
      }
      lb.close();
    });

  program
    .command('delete-source')
    .description('delete a source and everything imported from it')
    .argument('<id>', 'source id (see `langbridge sources`)')
    .addOption(workspaceOption())
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const lb = open(o);
      const sourceId = Number(id);
      if (!Number.isInteger(sourceId)) throw new LangbridgeError('bad-input', `"${id}" is not a source id (a whole number).`);
      const r = await lb.invoke('corpus:delete-source', { sourceId });
      console.log(o.json ? JSON.stringify(r) : `deleted source #${sourceId}: ${r.documents} documents, ${r.pairs} pairs`);
      lb.close();
    });

  addPipelineCommands(program, open, workspaceOption, progressPrinter);
  addTrainCommands(program, open, workspaceOption, progressPrinter);
  addTranslateCommand(program, open, workspaceOption);
  addScoreCommand(program);
  addReviewCommands(program, open, workspaceOption);
  addModelCommands(program, open, workspaceOption, progressPrinter);
  addEvalCommands(program, open, workspaceOption);

  program
    .command('serve')
    .description('serve the workbench to a browser on this machine')
    .addOption(workspaceOption())
    .option('--port <n>', 'port (0 = any free port)', '4870')
    .option('--host <host>', 'address to bind; anything but 127.0.0.1 exposes your corpus to the network', '127.0.0.1')
    .action(async (o) => {
      const lb = open(o);
      const s = await serve(lb, { port: Number(o.port), host: o.host });
      console.log(`Langbridge is serving ${s.url}`);
      console.log(`Workspace: ${lb.workspace.dir}. Press Ctrl+C to stop.`);
      const stop = () => {
        void s.close().then(() => {
          lb.close();
          process.exit(0);
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });

  return program;
}

buildCli()
  .parseAsync(process.argv)
  .catch(fail);
