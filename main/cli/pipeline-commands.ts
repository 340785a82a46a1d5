/**
 * `langbridge pipeline ...`, `langbridge datasets` and `langbridge dataset ...`:
 * thin wrappers over the pipeline:* and datasets:* calls.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { LangbridgeError } from '../api/errors';
import type { PipelineReport, MixturePlanSchema } from '../api/pipeline-schemas';
import type { Progress } from '../api/schemas';
import type { Langbridge } from '../services/langbridge';
import { checkRecipe, type Recipe } from '../services/pipeline/recipe';
import { table } from './format-table';

const num = (n: number) => n.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A recipe from --recipe FILE (JSON or YAML) or --preset/--recipe-name NAME, with the path of any bad field. */
export async function loadRecipe(lb: Langbridge, o: { recipe?: string; preset?: string }): Promise<Recipe> {
  if (o.recipe && o.preset) throw new LangbridgeError('bad-input', 'give either --recipe FILE or --preset NAME, not both');
  if (!o.recipe) return lb.invoke('pipeline:recipe', { name: o.preset ?? 'marco' });
  const file = resolve(o.recipe);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new LangbridgeError('not-found', `cannot read the recipe file ${file}`);
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(extname(file)) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new LangbridgeError('parse-error', `${file}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'} (${(err as Error).message.split('\n')[0]})`, file);
  }
  const r = checkRecipe(data);
  if (!r.ok) throw new LangbridgeError('bad-input', `${file}: invalid recipe — ${r.issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ')}`, file);
  return r.recipe;
}

export function stepsTable(report: PipelineReport): string {
  const rows = report.steps.map((s) => [
    `${s.index + 1}. ${s.kind}${s.enabled ? '' : ' (off)'}`,
    num(s.totals.input),
    num(s.totals.removed),
    num(s.totals.removedChars),
    num(s.totals.changed),
    num(s.totals.flagged),
    Object.entries(s.reasons)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k} ${num(v)}`)
      .concat(Object.entries(s.counts).map(([k, v]) => `${k}=${num(v)}`))
      .join(', '),
  ]);
  return [
    table(['step', 'in', 'removed', 'removed chars', 'changed', 'flagged', 'why / counts'], rows, [false, true, true, true, true, true]),
    '',
    `${num(report.documentsIn)} documents in, ${num(report.documentsOut)} kept; ${num(report.pairsIn)} pairs in, ${num(report.pairsOut)} kept; ${num(report.evalItems)} evaluation items checked for contamination (${(report.elapsedMs / 1000).toFixed(1)} s).`,
  ].join('\n');
}

export function planTable(plan: MixturePlanSchema): string {
  const out: string[] = [];
  for (const s of plan.stages) {
    out.push(`${s.name}: ${num(s.budget)} tokens${s.budgetAuto ? ' (auto: the most the epoch cap allows)' : ''}`);
    out.push(
      table(
        ['group', 'target', 'planned', 'tokens', 'available'],
        s.groups.map((g) => [g.label, pct(g.targetShare), pct(g.plannedShare), num(g.plannedTokens), num(g.availableTokens)]),
        [false, true, true, true, true],
      ),
    );
    out.push(
      table(
        ['language', 'group', 'available', 'planned', 'epochs'],
        s.languages.map((l) => [l.lang, l.group, num(l.availableTokens), num(l.plannedTokens), `${l.epochs.toFixed(2)}${l.capped ? ' (capped)' : ''}`]),
        [false, false, true, true, true],
      ),
    );
    for (const w of s.warnings) out.push(`warning: ${w}`);
    out.push('');
  }
  for (const w of plan.warnings) out.push(`warning: ${w}`);
  return out.join('\n');
}

export function addPipelineCommands(program: Command, open: (o: { workspace?: string }) => Langbridge, workspaceOption: () => Option, progressPrinter: (json: boolean) => (p: Progress) => void): void {
  const pipeline = program.command('pipeline').description('clean, filter, deduplicate and mix the corpus into a dataset version');
  const recipeOptions = (c: Command) =>
    c
      .addOption(workspaceOption())
      .option('--recipe <file>', 'a recipe file (JSON or YAML)')
      .option('--preset <name>', 'marco, fineweb2, minimal, or the name of a saved recipe');

  recipeOptions(pipeline.command('preview').description('dry run on a sample: what each step would remove, and the mixture plan'))
    .option('--sample <n>', 'documents (and pairs) per language', '200')
    .addOption(new Option('--sample-mode <mode>', 'which documents').choices(['first', 'random']).default('first'))
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      try {
        const recipe = await loadRecipe(lb, o);
        const r = await lb.invoke('pipeline:preview', { recipe, sample: { size: Number(o.sample), mode: o.sampleMode } });
        if (o.json) console.log(JSON.stringify(r, null, 2));
        else console.log(`${stepsTable(r.report)}\n\nMixture plan (whole corpus, scaled by what the sample kept):\n${planTable(r.plan)}`);
      } finally {
        lb.close();
      }
    });

  recipeOptions(pipeline.command('run').description('build an immutable dataset version'))
    .option('--name <name>', 'name of the dataset version')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      const off = lb.on('jobs:progress', progressPrinter(Boolean(o.json)));
      try {
        const recipe = await loadRecipe(lb, o);
        const r = await lb.invoke('pipeline:run', { recipe, name: o.name });
        if (o.json) {
          const seconds = r.report.elapsedMs / 1000;
          console.log(
            JSON.stringify(
              {
                datasetId: r.dataset.id,
                name: r.dataset.name,
                folder: r.dataset.folder,
                documentsIn: r.report.documentsIn,
                pairsIn: r.report.pairsIn,
                elapsedMs: r.report.elapsedMs,
                documentsPerSecond: seconds > 0 ? (r.report.documentsIn + r.report.pairsIn) / seconds : 0,
                workers: r.report.workers,
                peakRssMb: process.resourceUsage().maxRSS / 1024,
                phases: r.report.phases,
                steps: r.report.steps.map((s) => ({ index: s.index, kind: s.kind, removed: s.totals.removed, removedChars: s.totals.removedChars, changed: s.totals.changed, flagged: s.totals.flagged, reasons: s.reasons, counts: s.counts })),
                dataset: r.dataset,
                plan: r.plan,
              },
              null,
              2,
            ),
          );
        } else {
          console.log(stepsTable(r.report));
          console.log(`\n${planTable(r.plan)}`);
          console.log(`dataset #${r.dataset.id} "${r.dataset.name}": ${num(r.dataset.records)} records, ≈${num(r.dataset.tokens)} tokens, ${num(r.dataset.heldOutDocuments)} held-out documents, in ${r.dataset.folder}`);
          for (const w of r.report.warnings) console.error(`warning: ${w}`);
        }
      } finally {
        off();
        lb.close();
      }
    });

  program
    .command('datasets')
    .description('list the dataset versions')
    .addOption(workspaceOption())
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      try {
        const list = await lb.invoke('datasets:list', {});
        if (o.json) console.log(JSON.stringify(list, null, 2));
        else if (!list.length) console.log('No dataset versions yet: build one with `langbridge pipeline run --preset marco`.');
        else
          console.log(
            table(
              ['id', 'name', 'recipe', 'created', 'records', 'tokens', 'held-out', 'sources'],
              list.map((d) => [String(d.id), d.name, d.recipeName, d.createdAt.slice(0, 19).replace('T', ' '), num(d.records), `≈${num(d.tokens)}`, num(d.heldOutDocuments), d.sources.length > 3 ? `${d.sources.slice(0, 2).join(', ')} and ${d.sources.length - 2} more` : d.sources.join(', ')]),
              [true, false, false, false, true, true, true],
            ),
          );
      } finally {
        lb.close();
      }
    });

  const dataset = program.command('dataset').description('show, export or delete a dataset version');
  const idOf = (id: string) => {
    const n = Number(id);
    if (!Number.isInteger(n)) throw new LangbridgeError('bad-input', `"${id}" is not a dataset id (a whole number; see \`langbridge datasets\`).`);
    return n;
  };
  dataset
    .command('show')
    .argument('<id>', 'dataset id')
    .addOption(workspaceOption())
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const lb = open(o);
      try {
        const d = await lb.invoke('datasets:show', { id: idOf(id) });
        if (o.json) console.log(JSON.stringify(d, null, 2));
        else {
          console.log(`dataset #${d.summary.id} "${d.summary.name}" (recipe ${d.summary.recipeName}, seed ${d.manifest.seed}) in ${d.summary.folder}`);
          console.log(`sources: ${d.manifest.sources.map((s) => `${s.name} (${s.license ?? 'license not given'})`).join(', ')}\n`);
          console.log(stepsTable(d.report));
          console.log(`\n${planTable(d.manifest.plan)}`);
        }
      } finally {
        lb.close();
      }
    });
  dataset
    .command('lineage')
    .description('what each step removed, changed or flagged, item by item')
    .argument('<id>', 'dataset id')
    .addOption(workspaceOption())
    .option('--step <kind>', 'only this step (e.g. minhash-dedup)')
    .option('--lang <code>', 'only this language')
    .addOption(new Option('--action <action>', 'only removed, changed or flagged items').choices(['removed', 'changed', 'flagged']))
    .option('--limit <n>', 'rows', '100000')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const lb = open(o);
      try {
        const r = await lb.invoke('datasets:lineage', { id: idOf(id), step: o.step, lang: o.lang, action: o.action, limit: Number(o.limit) });
        if (o.json) console.log(JSON.stringify(r));
        else console.log(table(['item', 'lang', 'step', 'action', 'why'], r.rows.map((x) => [`${x.itemKind} #${x.id}`, x.lang, x.step, x.action, x.message.slice(0, 100)])) + `\n\n${num(r.total)} rows`);
      } finally {
        lb.close();
      }
    });
  dataset
    .command('export')
    .argument('<id>', 'dataset id')
    .addOption(workspaceOption())
    .addOption(new Option('--format <format>', 'file format').choices(['jsonl', 'parquet']).default('jsonl'))
    .requiredOption('--out <dir>', 'folder to write into')
    .option('--json', 'print JSON')
    .action(async (id: string, o) => {
      const lb = open(o);
      try {
        const r = await lb.invoke('datasets:export', { id: idOf(id), format: o.format, out: resolve(o.out) });
        if (o.json) console.log(JSON.stringify(r, null, 2));
        else console.log(`exported ${r.files.length - 1} files and a dataset card (README.md) to ${r.out}`);
      } finally {
        lb.close();
      }
    });
  dataset
    .command('delete')
    .argument('<id>', 'dataset id')
    .addOption(workspaceOption())
    .action(async (id: string, o) => {
      const lb = open(o);
      try {
        await lb.invoke('datasets:delete', { id: idOf(id) });
        console.log(`deleted dataset #${id}`);
      } finally {
        lb.close();
      }
    });
}
