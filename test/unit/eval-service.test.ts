/**
 * The evaluation service end to end with a stand-in trainer
 * (test/fixtures/jobs/fake-eval.mjs, the `eval` protocol with deterministic
 * answers): items from real benchmark fixtures and a dataset's held-out
 * data, one job per model through the job manager, scoring, the base model
 * as the reference row, deltas, reuse, cancel and resume, deletion.
 * The same flow with the real trainer and the tiny model: eval-tiny.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase, type Db } from '../../db/open';
import { insertJob, updateJob } from '../../db/queries/jobs';
import { JobManager, type JobInfo } from '../../main/services/jobs/job-manager';
import { EvalService } from '../../main/services/eval/eval-service';
import { Langbridge } from '../../main/services/langbridge';
import { preset } from '../../main/services/pipeline/presets';
import { Recipe } from '../../main/services/pipeline/recipe';
import { EvalRequest } from '../../main/api/eval-schemas';
import { makeDoc, writeJsonl } from './helpers/pipeline-corpus';
import { tempDir } from './helpers/workspace';

const FAKE = resolve('test/fixtures/jobs/fake-eval.mjs');
const fixture = (...p: string[]) => resolve('test/fixtures', ...p);

/** A workspace with Flores, Belebele, XCOPA and MMMLU fixtures, and a dataset version with held-out texts and pairs. */
async function workspace(): Promise<string> {
  const dir = tempDir();
  const files = tempDir('lb-files-');
  const lb = new Langbridge(dir);
  await lb.invoke('corpus:import', { paths: [fixture('flores', 'flores200_dataset')], format: 'flores' });
  await lb.invoke('corpus:import', { paths: [fixture('belebele', 'swh_Latn.jsonl')], format: 'belebele' });
  await lb.invoke('corpus:import', { paths: [fixture('xcopa', 'test.sw.jsonl')], format: 'xcopa' });
  await lb.invoke('corpus:import', { paths: [fixture('mmmlu', 'mmlu_SW_KE.csv')], format: 'mmmlu' });
  await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'eng.jsonl', Array.from({ length: 30 }, (_, i) => makeDoc('eng', i, 40)))], lang: 'en' });
  await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'swh.jsonl', Array.from({ length: 30 }, (_, i) => makeDoc('swh', i, 40)))], lang: 'sw' });
  writeFileSync(join(files, 'p.en-sw.en'), Array.from({ length: 40 }, (_, i) => `The river ${i} is near the village number ${i}.`).join('\n') + '\n');
  writeFileSync(join(files, 'p.en-sw.sw'), Array.from({ length: 40 }, (_, i) => `Mto ${i} uko karibu na kijiji namba ${i}.`).join('\n') + '\n');
  await lb.invoke('corpus:import', { paths: [join(files, 'p.en-sw.en'), join(files, 'p.en-sw.sw')], format: 'moses', srcLang: 'en', tgtLang: 'sw' });
  await lb.invoke('pipeline:run', { recipe: Recipe.parse({ ...preset('marco'), split: { ...preset('marco').split, minPairsPerLanguagePair: 6, minPerLanguage: 4 } }) });
  lb.close();
  // Two base models and a checkpoint of a training run on the first (config.json is all a reference needs).
  for (const name of ['base-a', 'base-b']) {
    mkdirSync(join(dir, 'models', name), { recursive: true });
    writeFileSync(join(dir, 'models', name, 'config.json'), JSON.stringify({ architectures: ['Qwen2ForCausalLM'], name }));
  }
  return dir;
}

interface Harness {
  db: Db;
  jobs: JobManager;
  evals: EvalService;
  until: (pred: () => boolean, ms?: number) => Promise<void>;
}
const open: Harness[] = [];

function harness(dir: string, env: (spec: { model: string }) => Record<string, string> = () => ({})): Harness {
  const db = openDatabase(join(dir, 'langbridge.db'));
  const waiters = new Set<() => void>();
  const jobs = new JobManager({
    db,
    pollMs: 30,
    graceMs: 5000,
    commandFor: ({ kind, specPath, runDir, resume }) => {
      expect(kind).toBe('eval');
      const spec = JSON.parse(readFileSync(join(runDir, 'spec.json'), 'utf8')) as { model: string };
      return { command: process.execPath, args: [FAKE, 'eval', ...(resume ? ['--resume', runDir] : ['--spec', specPath])], env: env(spec) };
    },
    onChange: () => {
      for (const w of [...waiters]) w();
    },
  });
  const evals = new EvalService({ db, workspaceDir: dir, jobs });
  evals.start();
  jobs.start();
  const until = (pred: () => boolean, ms = 20_000) =>
    new Promise<void>((res, rej) => {
      const check = () => {
        if (!pred()) return;
        waiters.delete(check);
        clearTimeout(t);
        res();
      };
      const t = setTimeout(() => rej(new Error(`timed out waiting for the evaluation: jobs ${JSON.stringify(jobs.list().map((j) => [j.id, j.status, j.failure?.message, jobs.logs(j.id, 5)]))}, runs ${JSON.stringify(evals.runs().map((r) => [r.id, r.status]))} ${JSON.stringify(db.prepare('SELECT id, error FROM eval_runs').all())}`)), ms);
      waiters.add(check);
      check();
    });
  const h = { db, jobs, evals, until };
  open.push(h);
  return h;
}

afterEach(() => {
  for (const h of open.splice(0)) {
    for (const j of h.jobs.list()) if (j.status === 'running' && j.pid) try { process.kill(-j.pid, 'SIGKILL'); } catch { /* gone */ }
    h.evals.close();
    h.jobs.close();
    h.db.close();
  }
});

/** A finished training run #id on base-a with a checkpoint at step 5. */
function checkpoint(db: Db, dir: string): string {
  const id = insertJob(db, { kind: 'train', name: 'UDHR on base-a', spec: JSON.stringify({ baseModel: join(dir, 'models', 'base-a') }), runDir: (i) => join(dir, 'runs', `${i}-train`), gpu: true });
  updateJob(db, id, { status: 'succeeded' });
  const ckpt = join(dir, 'runs', `${id}-train`, 'checkpoints', 'step-5');
  mkdirSync(join(ckpt, 'model'), { recursive: true });
  writeFileSync(join(ckpt, 'state.json'), '{}');
  writeFileSync(join(ckpt, 'model', 'config.json'), JSON.stringify({ architectures: ['Qwen2ForCausalLM'], trained: true }));
  return `run:${id}@5`;
}

/** The answers of a model that gets everything right: each item's reference, or its gold choice. */
function answerKey(db: Db, dir: string): string {
  const rows = db.prepare(`SELECT item_id, reference, meta FROM eval_items`).all() as Array<{ item_id: string; reference: string | null; meta: string }>;
  const key: Record<string, unknown> = {};
  for (const r of rows) key[r.item_id] = (JSON.parse(r.meta) as { gold?: number }).gold ?? r.reference;
  const path = join(dir, 'answers.json');
  writeFileSync(path, JSON.stringify(key));
  return path;
}

const request = (models: string[], extra: Partial<Record<string, unknown>> = {}) =>
  EvalRequest.parse({
    models,
    benchmarks: ['flores', 'belebele', 'xcopa', 'mmmlu', 'heldout-pairs', 'heldout-bpc'],
    langs: ['eng_Latn', 'swh_Latn'],
    maxItems: 2,
    shots: { flores: 1, belebele: 1, xcopa: 1, mmmlu: 0 },
    maxNewTokens: 8,
    device: 'cpu',
    ...extra,
  });

describe('evaluation service', () => {
  it('evaluates a checkpoint and its base, scores both, and gives the deltas; the base is reused, not rerun', async () => {
    const dir = await workspace();
    const setup = openDatabase(join(dir, 'langbridge.db'));
    const ckpt = checkpoint(setup, dir);
    setup.close();
    let key = '';
    const h = harness(dir, (spec): Record<string, string> => (spec.model.includes('step-5') ? { FAKE_EVAL_GOOD: '1', FAKE_EVAL_REFS: key } : {}));
    // The answer key must exist before the checkpoint's job starts: written from the items the first call stores.
    writeFileSync(join(dir, 'answers.json'), '{}');
    key = join(dir, 'answers.json');
    const first = await h.evals.evaluate(request(['base-a']));
    answerKey(h.db, dir);
    await h.until(() => h.evals.runs().every((r) => r.status === 'succeeded'));
    const entries = await h.evals.evaluate(request([ckpt]));
    expect(entries.map((e) => [e.modelRef, e.isBase, e.reused])).toEqual([
      ['base-a', true, true],
      [ckpt, false, false],
    ]);
    expect(entries[0]!.runId).toBe(first[0]!.runId);
    expect(entries[0]!.jobId).toBe(first[0]!.jobId);
    await h.until(() => h.evals.runs().every((r) => r.status === 'succeeded'));
    expect(h.jobs.list().filter((j: JobInfo) => j.kind === 'eval')).toHaveLength(2);

    const { runs, scores } = h.evals.results({ models: [ckpt] });
    expect(runs.map((r) => [r.modelRef, r.isBase])).toEqual([['base-a', true], [ckpt, false]]);
    const score = (model: string, benchmark: string, subset: string, metric: string) => scores.find((s) => s.modelRef === model && s.benchmark === benchmark && s.subset === subset && s.metric === metric)!;
    const subsets = (b: string) => [...new Set(scores.filter((s) => s.benchmark === b).map((s) => s.subset))].sort();
    expect(subsets('flores')).toEqual(['eng_Latn-swh_Latn', 'swh_Latn-eng_Latn']);
    expect(subsets('heldout-pairs')).toEqual(['eng_Latn-swh_Latn', 'swh_Latn-eng_Latn']);
    expect(subsets('heldout-bpc')).toEqual(['eng_Latn', 'swh_Latn']);
    expect(subsets('belebele')).toEqual(['swh_Latn']);
    expect(subsets('xcopa')).toEqual(['swh_Latn']);
    expect(subsets('mmmlu')).toEqual(['swh_Latn']);
    // The checkpoint answers with the references: BLEU and chrF++ 100, every choice right, half the bpc.
    expect(score(ckpt, 'flores', 'eng_Latn-swh_Latn', 'bleu').score).toBeCloseTo(100, 6);
    expect(score(ckpt, 'heldout-pairs', 'swh_Latn-eng_Latn', 'chrf++').score).toBeCloseTo(100, 6);
    expect(score(ckpt, 'belebele', 'swh_Latn', 'acc').score).toBe(100);
    expect(score(ckpt, 'heldout-bpc', 'eng_Latn', 'bpc').score).toBeCloseTo(0.25 / Math.LN2, 9);
    expect(score('base-a', 'heldout-bpc', 'eng_Latn', 'bpc').score).toBeCloseTo(0.5 / Math.LN2, 9);
    // The base copies the source sentence: a low but real score, with sacrebleu's signature.
    const base = score('base-a', 'flores', 'eng_Latn-swh_Latn', 'chrf++');
    expect(base.score).toBeLessThan(60);
    expect(base.signature).toMatch(/^nrefs:1\|case:mixed\|eff:yes\|nc:6\|nw:2\|space:no\|version:2\.6\.0$/);
    expect(score('base-a', 'flores', 'eng_Latn-swh_Latn', 'bleu').signature).toMatch(/tok:13a\|smooth:exp/);
    expect(base.delta).toBeNull();
    // Deltas of the checkpoint against the base, on the same items.
    const d = score(ckpt, 'flores', 'eng_Latn-swh_Latn', 'chrf++');
    expect(d.delta!.baseRunId).toBe(entries[0]!.runId);
    expect(d.delta!.value).toBeCloseTo(d.score - base.score, 9);
    expect(d.delta!.low).toBeLessThanOrEqual(d.delta!.value);
    expect(d.delta!.high).toBeGreaterThanOrEqual(d.delta!.value);
    expect(score(ckpt, 'heldout-bpc', 'swh_Latn', 'bpc').delta!.value).toBeLessThan(0);

    // Items side by side: source, reference, both hypotheses, sentence chrF++.
    const page = h.evals.items({ runId: entries[1]!.runId, benchmark: 'flores', subset: 'eng_Latn-swh_Latn', offset: 0, limit: 10, compareRunId: entries[0]!.runId });
    expect(page.total).toBe(2);
    const row = page.rows[0]!;
    expect(row.hypothesis).toBe(row.reference);
    expect(row.score).toBeCloseTo(100, 6);
    expect(row.other!.hypothesis).toBe(row.source);
    expect(row.meta!.prompt).toMatch(/English sentence: .*\nSwahili sentence:$/);
  }, 90_000);

  it('cancels an evaluation mid-run, resumes it after the items already done, then scores it; a deleted run takes its results along', async () => {
    const dir = await workspace();
    const h = harness(dir, () => ({ FAKE_EVAL_MS: '150' }));
    const [entry] = await h.evals.evaluate(request(['base-b'], { benchmarks: ['flores', 'heldout-bpc'], maxItems: 3 }));
    const jobId = entry!.jobId!;
    await h.until(() => (h.jobs.info(jobId).live?.progress?.task === 'evaluate' && h.jobs.info(jobId).live!.progress!.done >= 2));
    expect(h.jobs.info(jobId).live!.phase).toBe('evaluating');
    expect(h.jobs.info(jobId).live!.progress!.rate).toBe(10);
    h.jobs.cancel(jobId);
    await h.until(() => h.jobs.info(jobId).status === 'cancelled');
    expect(h.evals.runs()[0]!.status).toBe('cancelled');
    expect(h.jobs.info(jobId).resumable).toBe(true);
    const outputs = () => readFileSync(join(h.jobs.info(jobId).runDir, 'outputs.jsonl'), 'utf8').trim().split('\n');
    const before = outputs().length;
    expect(before).toBeLessThan(entry!.items);
    h.jobs.resume(jobId);
    await h.until(() => h.evals.runs()[0]!.status === 'succeeded');
    expect(h.jobs.info(jobId).attempts).toBe(2);
    // Every item once: the resumed attempt skipped what the first wrote.
    expect(new Set(outputs()).size).toBe(entry!.items);
    expect(outputs()).toHaveLength(entry!.items);
    expect(h.evals.results({}).scores.length).toBeGreaterThan(0);
    expect(h.evals.deleteRun(entry!.runId)).toBe(true);
    expect(h.evals.runs()).toEqual([]);
    expect(h.db.prepare('SELECT (SELECT COUNT(*) FROM eval_items) + (SELECT COUNT(*) FROM eval_scores) AS n').get()).toEqual({ n: 0 });
  }, 90_000);

  it('scores a job that ended while no Langbridge process watched, once, at the next start', async () => {
    const dir = await workspace();
    const h = harness(dir);
    const [entry] = await h.evals.evaluate(request(['base-a'], { benchmarks: ['flores'] }));
    // The app closes at once: the detached job goes on and ends unwatched.
    h.evals.close();
    h.jobs.close();
    const runDir = h.jobs.info(entry!.jobId!).runDir;
    await new Promise<void>((res) => {
      const t = setInterval(() => {
        if (existsSync(join(runDir, 'events.jsonl')) && readFileSync(join(runDir, 'events.jsonl'), 'utf8').includes('"finished"')) {
          clearInterval(t);
          res();
        }
      }, 30);
    });
    expect(h.evals.runs()[0]!.status).not.toBe('succeeded');
    const again = harness(dir);
    await again.until(() => again.evals.runs()[0]!.status === 'succeeded');
    expect(again.evals.results({}).scores.filter((s) => s.benchmark === 'flores')).toHaveLength(4);
  }, 90_000);

  it('says what to import when a benchmark has no items', async () => {
    const dir = tempDir();
    const lb = new Langbridge(dir);
    lb.close();
    mkdirSync(join(dir, 'models', 'base-a'), { recursive: true });
    writeFileSync(join(dir, 'models', 'base-a', 'config.json'), '{}');
    const h = harness(dir);
    await expect(h.evals.evaluate(request(['base-a'], { benchmarks: ['flores'] }))).rejects.toThrow(/nothing to evaluate for flores .*import Flores-200/);
    await expect(h.evals.evaluate(request(['base-a'], { benchmarks: ['heldout-pairs'] }))).rejects.toThrow(/build one on the Pipeline page/);
    await expect(h.evals.evaluate(request(['nope'], { benchmarks: ['flores'] }))).rejects.toThrow(/not a model/);
  }, 30_000);
});
