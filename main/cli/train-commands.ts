/**
 * `langbridge train`, `langbridge jobs ...`, `langbridge doctor`, `langbridge models [list|download|create-tiny]`:
 * thin wrappers over the train:* and jobs:* calls.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { Option as CommanderOption, type Command, type Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { LangbridgeError } from '../api/errors';
import type { Progress } from '../api/schemas';
import { TrainOptions, type JobInfo } from '../api/train-schemas';
import type { Langbridge } from '../services/langbridge';
import { table } from './format-table';
import { printModels } from './model-commands';

const fmt = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? '—' : x.toFixed(d));

/** --recipe: a built-in recipe's name (`langbridge train recipes`), or a JSON/YAML file of options. */
function loadRecipe(arg: string | undefined): { recipe?: string; options: TrainOptions } {
  if (!arg) return { options: {} };
  if (/^[a-z0-9-]+$/.test(arg) && !existsSync(resolve(arg))) return { recipe: arg, options: {} };
  return { options: loadOptions(arg) };
}

function loadOptions(file: string): TrainOptions {
  const path = resolve(file);
  let data: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    data = /\.ya?ml$/i.test(extname(path)) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new LangbridgeError('parse-error', `${path}: cannot read the training recipe (${(err as Error).message.split('\n')[0]})`, path);
  }
  const r = TrainOptions.safeParse(data);
  if (!r.success) throw new LangbridgeError('bad-input', `${path}: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ')}`, path);
  return r.data;
}

function jobLine(j: JobInfo): string {
  const live = j.status === 'running' && j.live ? liveLine(j.live) : '';
  const state = (j.stopping ? 'stopping…' : j.status) + (live ? ` (${live})` : '');
  return `job #${j.id} ${j.name}: ${state}${j.failure ? ` — ${j.failure.reason}` : ''}`;
}

function liveLine(l: NonNullable<JobInfo['live']>): string {
  if (l.progress) return `${l.progress.task === 'tokenise' ? 'tokenising' : 'loading the model'}: ${l.progress.done}/${l.progress.total} ${l.progress.unit}`;
  if (l.phase === 'training' && l.step !== null) return `step ${l.step}/${l.totalSteps ?? '?'}${l.stage ? `, ${l.stage.name}` : ''}${l.checkpoint ? `, last checkpoint at step ${l.checkpoint.step}` : ''}`;
  return l.phase === 'preparing' ? `preparing on ${l.devices.join(', ') || l.device}` : '';
}

/** Prints a job's steps and evals as they arrive, until it ends; resolves with its final state. */
function follow(lb: Langbridge, id: number): Promise<JobInfo> {
  return new Promise((res) => {
    // The job manager's timers are unref'd (they must not keep a plain CLI call alive); following must.
    const keepAlive = setInterval(() => {}, 1000);
    let lastPrint = 0;
    const offMetrics = lb.on('jobs:metrics', (m) => {
      if (m.jobId !== id) return;
      const s = m.steps.at(-1);
      if (s && Date.now() - lastPrint > 1000) {
        lastPrint = Date.now();
        console.error(`step ${s.step}  loss ${fmt(s.loss)}  lr ${s.lr.toExponential(2)}  ${s.tokens_per_s ? Math.round(s.tokens_per_s) : '—'} tokens/s${s.mfu ? `  MFU ${(s.mfu * 100).toFixed(1)}%` : ''}`);
      }
      const evals = m.evals;
      if (evals.length) console.error(`eval at step ${evals[0]!.step}: ${evals.map((e) => `${e.lang} ${fmt(e.bpc)} bpc`).join(', ')}`);
    });
    let lastLine = '';
    const offChanged = lb.on('jobs:changed', (j) => {
      if (j.id !== id) return;
      // A state change that reads the same (a plan, a stage) is not worth a line.
      const line = jobLine(j);
      if (line !== lastLine) console.error(line);
      lastLine = line;
      if (['succeeded', 'failed', 'cancelled', 'interrupted'].includes(j.status)) {
        offMetrics();
        offChanged();
        clearInterval(keepAlive);
        res(j);
      }
    });
    process.once('SIGINT', () => {
      console.error(`\nStopped following; job #${id} goes on in the background. \`langbridge jobs cancel ${id}\` stops it.`);
      process.exit(0);
    });
  });
}

function printFailure(j: JobInfo): void {
  if (!j.failure) return;
  console.error(`\n${j.failure.reason}\n${j.failure.message}\nWhat to try:\n${j.failure.fixes.map((f) => `  - ${f}`).join('\n')}\nLast log lines:\n${j.failure.log.map((l) => `  ${l}`).join('\n')}`);
}

export function addTrainCommands(program: Command, open: (o: { workspace?: string }) => Langbridge, workspaceOption: () => Option, progressPrinter: (json: boolean) => (p: Progress) => void): void {
  program
    .command('train')
    .description('continually pretrain a base model on a dataset version (a detached job: it survives closing the terminal)')
    .addOption(workspaceOption())
    .requiredOption('--dataset <id>', 'dataset version id (see `langbridge datasets`)')
    .requiredOption('--base <model>', 'a model folder, "tiny" (a tiny random Qwen2 for demos), or a Hugging Face id downloaded into the workspace')
    .option('--recipe <name|file>', 'a built-in recipe (marco, lora-small-gpu, cpu-demo) or a file of training options (JSON or YAML): seqLen, microBatch, stages, method, maxSteps, …')
    .option('--gpus <n>', 'GPUs on this machine (more than one runs torchrun)', '1')
    .option('--max-steps <n>', 'stop after this many optimizer steps (a short run)')
    .option('--device <device>', 'auto, cpu or cuda')
    .option('--name <name>', 'name of the run')
    .option('--follow', 'print progress until the run ends')
    .option('--emit-bundle <dir>', 'instead of training here, write a bundle to run the same training on a cluster')
    .addOption(new CommanderOption('--launcher <launcher>', 'with --emit-bundle: the launcher the bundle README leads with').choices(['torchrun', 'slurm']).default('torchrun'))
    .option('--nodes <n>', 'with --emit-bundle: machines', '1')
    .option('--gpus-per-node <n>', 'with --emit-bundle: GPUs on each machine', '8')
    .option('--data-paths', 'with --emit-bundle: refer to the dataset where it is (shared file system) instead of copying it')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      const off = lb.on('jobs:progress', progressPrinter(Boolean(o.json)));
      const { recipe, options } = loadRecipe(o.recipe);
      if (o.maxSteps) options.maxSteps = Number(o.maxSteps);
      if (o.device) options.device = o.device;
      if (o.emitBundle) {
        const b = await lb.invoke('train:bundle', { datasetId: Number(o.dataset), base: o.base, ...(recipe ? { recipe } : {}), options, out: o.emitBundle, launcher: o.launcher, nodes: Number(o.nodes), gpusPerNode: Number(o.gpusPerNode), dataPaths: Boolean(o.dataPaths) });
        console.log(o.json ? JSON.stringify(b) : `wrote ${b.dir}: ${b.files.join(', ')}\nstart it on the cluster with: ${b.run}`);
        off();
        lb.close();
        return;
      }
      const job = await lb.invoke('train:start', { datasetId: Number(o.dataset), base: o.base, ...(recipe ? { recipe } : {}), options, gpus: Number(o.gpus), ...(o.name ? { name: o.name } : {}) });
      if (!o.follow) {
        console.log(o.json ? JSON.stringify(job) : `${jobLine(job)}\nrun folder: ${job.runDir}\nfollow it with \`langbridge jobs show ${job.id}\` or \`langbridge jobs logs ${job.id}\`.`);
        off();
        lb.close();
        return;
      }
      const end = await follow(lb, job.id);
      off();
      if (o.json) console.log(JSON.stringify(end));
      else if (end.summary) console.log(`finished: ${end.status}, step ${end.summary.step}, loss ${fmt(end.summary.loss as number | null)}, held-out loss ${fmt(end.summary.evalLoss as number | null)}`);
      printFailure(end);
      lb.close();
      process.exitCode = end.status === 'succeeded' ? 0 : 1;
    });

  const jobs = program.command('jobs').description('training jobs: list, show, logs, cancel, resume');
  jobs
    .command('list', { isDefault: true })
    .description('every job with its state')
    .addOption(workspaceOption())
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      const list = await lb.invoke('jobs:list', {});
      if (o.json) console.log(JSON.stringify(list, null, 2));
      else
        console.log(
          list.length
            ? table(
                ['id', 'name', 'state', 'started', 'ended', 'step', 'loss'],
                list.map((j) => [String(j.id), j.name, j.stopping ? 'stopping…' : j.status, j.startedAt ?? '—', j.endedAt ?? '—', String(j.summary?.step ?? '—'), fmt(j.summary?.loss as number | null)]),
                [true, false, false, false, false, true, true],
              )
            : 'No training jobs yet: `langbridge train --dataset ID --base tiny` starts one.',
        );
      lb.close();
    });
  const byId = (name: string, description: string) => jobs.command(name).description(description).argument('<id>', 'job id').addOption(workspaceOption()).option('--json', 'print JSON');
  byId('show', 'state, spec, metrics and failure of a job').action(async (id: string, o) => {
    const lb = open(o);
    const j = await lb.invoke('jobs:show', { id: Number(id) });
    const m = await lb.invoke('jobs:metrics', { id: Number(id) });
    if (o.json) console.log(JSON.stringify({ job: j, metrics: m }, null, 2));
    else {
      console.log(`${jobLine(j)}\nrun folder: ${j.runDir}\nattempts: ${j.attempts}${j.resumable ? ' (resumable: `langbridge jobs resume ' + j.id + '`)' : ''}`);
      const last = m.steps.at(-1);
      if (last) console.log(`last step ${last.step}: loss ${fmt(last.loss)}, ${last.tokens.toLocaleString('en-US')} tokens seen`);
      const lastEval = m.evals.filter((e) => e.step === m.evals.at(-1)?.step);
      if (lastEval.length) console.log(`held-out at step ${lastEval[0]!.step}: ${lastEval.map((e) => `${e.lang} loss ${fmt(e.loss)} / ${fmt(e.bpc)} bpc`).join(', ')}`);
      printFailure(j);
    }
    lb.close();
  });
  byId('logs', 'the last lines of a job log')
    .option('--lines <n>', 'how many', '50')
    .action(async (id: string, o) => {
      const lb = open(o);
      const r = await lb.invoke('jobs:logs', { id: Number(id), lines: Number(o.lines) });
      console.log(o.json ? JSON.stringify(r) : r.lines.join('\n'));
      lb.close();
    });
  byId('cancel', 'stop a job: it checkpoints and exits (killed if it does not within the grace period)').action(async (id: string, o) => {
    const lb = open(o);
    const j = await lb.invoke('jobs:cancel', { id: Number(id) });
    console.log(o.json ? JSON.stringify(j) : jobLine(j));
    lb.close();
  });
  byId('resume', 'continue an interrupted, cancelled or failed job from its last checkpoint')
    .option('--follow', 'print progress until the run ends')
    .action(async (id: string, o) => {
      const lb = open(o);
      const j = await lb.invoke('jobs:resume', { id: Number(id) });
      if (!o.follow) {
        console.log(o.json ? JSON.stringify(j) : jobLine(j));
        lb.close();
        return;
      }
      const end = await follow(lb, j.id);
      printFailure(end);
      lb.close();
      process.exitCode = end.status === 'succeeded' ? 0 : 1;
    });

  program
    .command('doctor')
    .description('what this machine can train with: Python, the trainer environment, packages, GPUs, free disk')
    .addOption(workspaceOption())
    .option('--install', "build the trainer's Python environment if it is missing")
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      const off = lb.on('jobs:progress', progressPrinter(Boolean(o.json)));
      const r = await lb.invoke('train:doctor', { install: Boolean(o.install) });
      off();
      if (o.json) console.log(JSON.stringify(r, null, 2));
      else {
        console.log(`Python: ${r.python ? `${r.python.version} (${r.python.path})` : 'not found'}`);
        console.log(`Trainer environment: ${r.environment.ready ? r.environment.python : 'not installed'}`);
        const pk = (r.trainer?.packages ?? {}) as Record<string, { version: string | null }>;
        if (Object.keys(pk).length) console.log(`Packages: ${Object.entries(pk).map(([k, v]) => `${k} ${v.version ?? 'missing'}`).join(', ')}`);
        for (const n of r.notes) console.log(`- ${n}`);
      }
      lb.close();
    });

  const models = program.command('models').description('models in the workspace: base models, checkpoints, exports');
  models
    .command('list', { isDefault: true })
    .description('base models and every checkpoint, with parameters, evaluation summary and exports')
    .addOption(workspaceOption())
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      await printModels(lb, Boolean(o.json));
      lb.close();
    });
  models
    .command('download')
    .description('download a Hugging Face Hub model (safetensors only) into the workspace: resumable, verified; the only command that uses the network')
    .argument('<repo>', 'Hub model id ORG/NAME, e.g. Qwen/Qwen2.5-0.5B')
    .addOption(workspaceOption())
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option('--overwrite', 'replace the model folder if it already exists')
    .option('--json', 'print JSON')
    .action(async (repo: string, o) => {
      const lb = open(o);
      const off = lb.on('jobs:progress', progressPrinter(Boolean(o.json)));
      const jobId = `download:${repo}`;
      // Ctrl+C stops cleanly: the .part files stay and the next download resumes.
      const onSigint = () => void lb.invoke('models:cancel-download', { jobId });
      process.once('SIGINT', onSigint);
      try {
        const r = await lb.invoke('models:download', { repo, revision: o.revision, overwrite: Boolean(o.overwrite), jobId });
        console.log(o.json ? JSON.stringify(r) : `${r.path}\n${r.files.length} files, ${(r.bytes / 1e6).toFixed(1)} MB from commit ${r.commit.slice(0, 12)}${r.resumedBytes ? ` (${(r.resumedBytes / 1e6).toFixed(1)} MB resumed)` : ''}`);
      } finally {
        process.off('SIGINT', onSigint);
        off();
        lb.close();
      }
    });

  models
    .command('create-tiny')
    .description('create the tiny random-initialised Qwen2 demo model (real Qwen tokenizer)')
    .addOption(workspaceOption())
    .action(async (o) => {
      const lb = open(o);
      const off = lb.on('jobs:progress', progressPrinter(false));
      const r = await lb.invoke('train:create-tiny', {});
      off();
      console.log(r.path);
      lb.close();
    });
}
