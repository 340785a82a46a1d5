/**
 * `langbridge eval` and `langbridge results`: thin wrappers over eval:start
 * and eval:results. `eval --follow` prints each job's progress until every
 * job ends, then the comparison table; its exit code says whether all
 * succeeded.
 */
import type { Command, Option } from 'commander';
import { Benchmark, type EvalResults, type EvalStartEntry } from '../api/eval-schemas';
import { LangbridgeError } from '../api/errors';
import type { JobInfo } from '../api/train-schemas';
import type { Langbridge } from '../services/langbridge';
import { resultsTables } from './results-table';

const collect = (v: string, prev: string[]) => [...prev, v];
const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);
const ENDED = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

function progressLine(j: JobInfo): string {
  const p = j.live?.progress;
  if (j.status === 'running' && p) return `job #${j.id} ${j.name}: ${p.task === 'evaluate' ? `${p.done}/${p.total} items${p.rate ? `, ${p.rate.toFixed(1)} items/s` : ''}` : `${p.task} ${p.done}/${p.total}`}`;
  return `job #${j.id} ${j.name}: ${j.stopping ? 'stopping…' : j.status}${j.failure ? ` — ${j.failure.reason} ${j.failure.message}` : ''}`;
}

/** Waits for every job to end, printing state changes and progress (at most one line a second per job). */
function followJobs(lb: Langbridge, ids: number[]): Promise<JobInfo[]> {
  return new Promise((res) => {
    const keepAlive = setInterval(() => {}, 1000);
    const last = new Map<number, { line: string; at: number; status: string }>();
    const ended = () => ids.map((id) => lb.train.jobs.info(id)).filter((j) => ENDED.has(j.status));
    const check = () => {
      if (ended().length < ids.length) return;
      off();
      clearInterval(keepAlive);
      res(ids.map((id) => lb.train.jobs.info(id)));
    };
    const off = lb.on('jobs:changed', (j) => {
      if (!ids.includes(j.id)) return;
      const line = progressLine(j);
      const prev = last.get(j.id);
      if (line !== prev?.line && (j.status !== prev?.status || Date.now() - (prev?.at ?? 0) > 1000)) {
        console.error(line);
        last.set(j.id, { line, at: Date.now(), status: j.status });
      }
      check();
    });
    process.once('SIGINT', () => {
      console.error(`\nStopped following; the evaluation goes on in the background (\`langbridge jobs cancel ID\` stops it, \`langbridge results\` shows what is done).`);
      process.exit(0);
    });
    check();
  });
}

/** Only the scores of these runs and of the reference runs their deltas point to. */
function only(r: EvalResults, runIds: Set<number>): EvalResults {
  const keep = new Set(runIds);
  for (const s of r.scores) if (runIds.has(s.runId) && s.delta) keep.add(s.delta.baseRunId);
  return { runs: r.runs.filter((x) => keep.has(x.id)), scores: r.scores.filter((s) => keep.has(s.runId)) };
}

function entryLine(e: EvalStartEntry): string {
  const what = e.reused ? `reused run #${e.runId} (${e.status})` : `run #${e.runId}, job #${e.jobId} (${e.status})`;
  return `${e.modelLabel}${e.isBase ? ' [reference]' : ''}: ${what}, ${e.items} items`;
}

export function addEvalCommands(program: Command, open: (o: { workspace?: string }) => Langbridge, workspaceOption: () => Option): void {
  program
    .command('eval')
    .description('evaluate models on benchmarks and held-out data (one detached job per model; a model already evaluated on the same items is reused)')
    .addOption(workspaceOption())
    .requiredOption('--model <ref>', 'tiny, a Hub id in the workspace, a model folder, run:JOB or run:JOB@STEP (repeat for several)', collect, [])
    .option('--benchmarks <list>', `comma-separated: ${Benchmark.options.join(', ')}`, 'flores')
    .option('--langs <codes>', 'comma-separated Flores-style codes (default: every language the benchmark has)')
    .option('--dataset <id>', 'dataset version whose held-out data heldout-* scores (default: the run\'s own, else the newest)')
    .option('--max-items <n>', 'items per language or direction ("all" for every item)', '100')
    .option('--shots <n>', 'Flores and held-out pairs: solved examples before each item', '1')
    .option('--max-new-tokens <n>', 'longest translation generated', '256')
    .option('--batch-size <n>', 'items per batch (default: chosen from the device memory)')
    .option('--device <device>', 'auto, cpu or cuda', 'auto')
    .option('--follow', 'print progress until every job ends, then the results; the exit code says whether all succeeded')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      const benchmarks = list(o.benchmarks).map((b) => {
        const r = Benchmark.safeParse(b);
        if (!r.success) throw new LangbridgeError('bad-input', `"${b}" is not a benchmark (there are: ${Benchmark.options.join(', ')}).`);
        return r.data;
      });
      const entries = await lb.invoke('eval:start', {
        models: o.model as string[],
        benchmarks,
        langs: list(o.langs),
        ...(o.dataset ? { datasetId: Number(o.dataset) } : {}),
        maxItems: o.maxItems === 'all' ? null : Number(o.maxItems),
        shots: { flores: Number(o.shots) },
        maxNewTokens: Number(o.maxNewTokens),
        ...(o.batchSize ? { batchSize: Number(o.batchSize) } : {}),
        device: o.device,
      });
      if (!o.follow) {
        console.log(o.json ? JSON.stringify(entries, null, 2) : entries.map(entryLine).join('\n') + '\n`langbridge results` shows the scores once the jobs end.');
        lb.close();
        return;
      }
      if (!o.json) for (const e of entries) console.error(entryLine(e));
      const jobs = await followJobs(lb, entries.flatMap((e) => (e.jobId !== null ? [e.jobId] : [])));
      const results = only(await lb.invoke('eval:results', { models: entries.map((e) => e.modelRef) }), new Set(entries.map((e) => e.runId)));
      const runs = await lb.invoke('eval:runs', {});
      const bad = entries.map((e) => runs.find((r) => r.id === e.runId)!).filter((r) => r.status !== 'succeeded');
      console.log(o.json ? JSON.stringify({ entries, jobs, results }, null, 2) : resultsTables(results));
      for (const r of bad) console.error(`run #${r.id} (${r.modelLabel}) ${r.status}${jobs.find((j) => j.id === r.jobId)?.failure ? `: ${jobs.find((j) => j.id === r.jobId)!.failure!.reason}` : ''}`);
      lb.close();
      process.exitCode = bad.length ? 1 : 0;
    });

  program
    .command('results')
    .description('evaluation results: rows are languages or directions, columns models, with each model\'s difference from its reference')
    .addOption(workspaceOption())
    .option('--model <ref>', 'only this model (repeat for several; run:JOB means every checkpoint of the run); the first is the reference for base models', collect, [])
    .option('--benchmark <name>', `one of ${Benchmark.options.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (o) => {
      const lb = open(o);
      const models = o.model as string[];
      const r = await lb.invoke('eval:results', { ...(models.length ? { models } : {}), ...(o.benchmark ? { benchmark: o.benchmark } : {}) });
      console.log(o.json ? JSON.stringify(r, null, 2) : resultsTables(r));
      lb.close();
    });
}
