/**
 * `langbridge models [list|exports|delete-export]`, `langbridge export model REF`,
 * `langbridge export dataset ID`: thin wrappers over the models:* and
 * datasets:export calls. The `models` group itself (download, create-tiny)
 * is made in train-commands.ts; its bare form lists through printModels.
 */
import { resolve } from 'node:path';
import { Option as CommanderOption, type Command, type Option } from 'commander';
import { LangbridgeError } from '../api/errors';
import type { ExportInfo, ModelListing } from '../api/model-schemas';
import type { Progress } from '../api/schemas';
import type { Langbridge } from '../services/langbridge';
import { table } from './format-table';

const mb = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);
const params = (n: number | null) => (n === null ? '—' : n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : `${(n / 1e6).toFixed(1)}M`);

export function modelsTable(list: ModelListing[]): string {
  if (!list.length) return 'No models in this workspace yet: `langbridge models create-tiny`, `langbridge models download ORG/NAME`, or train one.';
  return table(
    ['reference', 'label', 'kind', 'parameters', 'evaluated', 'exports'],
    list.map((m) => [
      m.ref,
      m.label,
      m.kind === 'base' ? 'base' : m.lora ? 'LoRA' : 'full',
      params(m.parameters),
      m.evaluation.length ? m.evaluation.map((e) => `${e.benchmark} ${e.metric} ${e.score.toFixed(2)}`).join(', ') : '—',
      m.exports.map((e) => `#${e.id} ${e.format}`).join(', ') || '—',
    ]),
  );
}

function exportText(e: ExportInfo): string {
  const head = `export #${e.id}: ${e.modelLabel} (${e.modelRef}) as ${e.format} [${e.variant}], ${mb(e.bytes)}\n${e.path}${e.exists ? '' : '  (folder missing)'}`;
  const files = table(['file', 'bytes', 'sha256'], e.files.map((f) => [f.path, f.bytes.toLocaleString('en-US'), f.sha256]), [false, true, false]);
  return `${head}\n${files}`;
}

export async function printModels(lb: Langbridge, json: boolean): Promise<void> {
  const list = await lb.invoke('models:list', {});
  console.log(json ? JSON.stringify(list, null, 2) : modelsTable(list));
}

export function addModelCommands(program: Command, open: (o: { workspace?: string }) => Langbridge, workspaceOption: () => Option, progressPrinter: (json: boolean) => (p: Progress) => void): void {
  const models = program.commands.find((c) => c.name() === 'models') ?? program.command('models').description('models in the workspace: base models, checkpoints, exports');
  models
    .command('exports')
    .description('every export with its files, sizes and sha256 checksums')
    .addOption(workspaceOption())
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      try {
        const list = await lb.invoke('models:exports', {});
        console.log(o.json ? JSON.stringify(list, null, 2) : list.length ? list.map(exportText).join('\n\n') : 'No exports yet: `langbridge export model REF --format hf|onnx|gguf`.');
      } finally {
        lb.close();
      }
    });
  models
    .command('delete-export')
    .description("forget an export; its folder is deleted only when it lies in the workspace's exports/ folder")
    .argument('<id>', 'export id (see `langbridge models exports`)')
    .addOption(workspaceOption())
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const lb = open(o);
      try {
        const r = await lb.invoke('models:delete-export', { id: Number(id) });
        console.log(o.json ? JSON.stringify(r) : r.folderDeleted ? `deleted export #${id} and ${r.path}` : `forgot export #${id}; its folder ${r.path} is outside the workspace and was left in place`);
      } finally {
        lb.close();
      }
    });

  const exp = program.command('export').description('export a model (Hugging Face, ONNX, GGUF) or a dataset version');
  exp
    .command('model')
    .description('export a model with a model card and a checksum manifest: hf (safetensors), onnx (fp32 + int8, for transformers.js), gguf (f16 + q8_0, for llama.cpp)')
    .argument('<ref>', 'tiny, ORG/NAME, a model folder, run:JOB or run:JOB@STEP (see `langbridge models`)')
    .addOption(workspaceOption())
    .addOption(new CommanderOption('--format <format>', 'export format').choices(['hf', 'onnx', 'gguf']).makeOptionMandatory())
    .option('--out <dir>', 'a new or empty folder (default: <workspace>/exports/<model>-<format>)')
    .addOption(new CommanderOption('--lora <mode>', 'LoRA checkpoints: merge the adapter into the weights, or export the adapter alone (hf only)').choices(['merged', 'adapter']))
    .option('--json', 'print the export (files, sizes, checksums) as JSON')
    .action(async (ref: string, o) => {
      const lb = open(o);
      const off = lb.on('jobs:progress', progressPrinter(Boolean(o.json)));
      const jobId = `export:cli:${process.pid}`;
      // Ctrl+C cancels: the exporter is stopped and its staging folder removed.
      const onSigint = () => void lb.invoke('models:cancel-export', { jobId });
      process.once('SIGINT', onSigint);
      try {
        const r = await lb.invoke('models:export', { ref, format: o.format, ...(o.out ? { out: resolve(o.out) } : {}), ...(o.lora ? { lora: o.lora } : {}), jobId });
        const failed = r.checks.filter((c) => !c.ok);
        console.log(o.json ? JSON.stringify(r, null, 2) : `${exportText(r)}\nchecks: ${r.checks.length - failed.length}/${r.checks.length} passed; model card in README.md, checksums in manifest.json`);
      } finally {
        process.off('SIGINT', onSigint);
        off();
        lb.close();
      }
    });
  exp
    .command('dataset')
    .description('the same as `langbridge dataset export`: a dataset version as JSONL or Parquet with its card')
    .argument('<id>', 'dataset id (see `langbridge datasets`)')
    .addOption(workspaceOption())
    .addOption(new CommanderOption('--format <format>', 'file format').choices(['jsonl', 'parquet']).default('jsonl'))
    .requiredOption('--out <dir>', 'folder to write into')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const n = Number(id);
      if (!Number.isInteger(n)) throw new LangbridgeError('bad-input', `"${id}" is not a dataset id (a whole number; see \`langbridge datasets\`).`);
      const lb = open(o);
      try {
        const r = await lb.invoke('datasets:export', { id: n, format: o.format, out: resolve(o.out) });
        console.log(o.json ? JSON.stringify(r, null, 2) : `exported ${r.files.length - 1} files and a dataset card (README.md) to ${r.out}`);
      } finally {
        lb.close();
      }
    });
}
