/**
 * The job manager: a queue of long jobs (training, evaluation) that run as detached
 * processes in their own process group, so closing the app never kills a
 * run. The database row is the job's state; the process speaks JSON lines
 * into <run dir>/events.jsonl, which this class tails into metrics tables
 * and out to the UI (throttled). At start-up it reattaches to jobs whose
 * process still lives and marks the others interrupted (or finished, if
 * their events say so).
 *
 * Cancel is two-phase, like the trainer's contract: SIGTERM (the trainer
 * finishes its step, checkpoints and exits 0 with 'finished: cancelled'),
 * then SIGKILL to the whole group once the grace period has passed.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LangbridgeError } from '../../api/errors';
import type { Db } from '../../../db/open';
import * as q from '../../../db/queries/jobs';
import { readEvents, type TrainerEvent } from './events';
import { explainFailure, type Failure } from './failure';
import { foldLive } from './live-state';
import { foldEvalLive, lastEvalOutcome, readEvalEvents } from './eval-events';
import type { JobInfo, LiveState } from '../../api/train-schemas';
import { pidAlive } from '../pid-alive';

export interface JobCommand {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export type { JobInfo };

export interface MetricsUpdate {
  jobId: number;
  steps: q.StepMetricRow[];
  evals: q.EvalMetricRow[];
}

export interface JobManagerOptions {
  db: Db;
  /** The process for a job: a fresh start, or a resume from its run folder. */
  commandFor: (job: { id: number; kind: q.JobKind; runDir: string; specPath: string; resume: boolean }) => JobCommand | Promise<JobCommand>;
  onChange?: (job: JobInfo) => void;
  onMetrics?: (m: MetricsUpdate) => void;
  /** How long a cancelled job may take to checkpoint and exit before it is killed (default 120 s). */
  graceMs?: number;
  /** How often events files and process liveness are checked (default 500 ms). */
  pollMs?: number;
  /** Metrics reach onMetrics at most this often per job (default 250 ms). */
  throttleMs?: number;
  /** GPU jobs that may run at once (default 1). */
  gpuSlots?: number;
}

const ENDED: ReadonlySet<q.JobStatus> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);
const LOG_LINES = 50;

export class JobManager {
  private readonly db: Db;
  private timer: NodeJS.Timeout | null = null;
  /** Processes this process started (exit codes come from them); reattached ones are polled. */
  private readonly children = new Map<number, { exited: boolean; code: number | null; signal: NodeJS.Signals | null }>();
  private readonly killTimers = new Map<number, NodeJS.Timeout>();
  private readonly pending = new Map<number, MetricsUpdate>();
  private readonly lastEmit = new Map<number, number>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** More listeners of state changes (the evaluation service scores a job that ended). */
  private readonly listeners = new Set<(job: JobInfo) => void>();

  constructor(private readonly o: JobManagerOptions) {
    this.db = o.db;
  }

  /** Reattaches to live jobs, settles dead ones, starts queued ones, and begins polling. */
  start(): void {
    for (const job of q.listJobs(this.db, 'running')) {
      if (this.releaseOrphanClaim(job)) continue;
      if (this.alive(job)) {
        if (job.cancel_requested) this.armKill(job.id, job.pgid ?? job.pid!);
      } else this.settle(job.id, null, null);
    }
    this.timer = setInterval(() => this.poll(), this.o.pollMs ?? 500);
    this.timer.unref();
    void this.schedule();
  }

  /** Stops watching; running jobs go on (they are detached) and are reattached at the next start. */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const t of this.killTimers.values()) clearTimeout(t);
    this.killTimers.clear();
  }

  /** Calls cb on every state change of every job, as onChange; returns the unsubscribe. */
  subscribe(cb: (job: JobInfo) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /**
   * spec: the trainer's spec, or a function of the run folder (specs name their own folder); files: more files for the run folder.
   * gpu: whether the job takes a GPU slot (default true); a CPU job never waits behind GPU jobs.
   */
  submit(j: { kind?: q.JobKind; name: string; spec: unknown; runDir: (id: number) => string; gpu?: boolean; files?: Record<string, string> }): JobInfo {
    // The row is written first (its id names the folder), then its spec once the folder is known.
    const id = q.insertJob(this.db, { kind: j.kind ?? 'train', name: j.name, spec: '{}', runDir: j.runDir, gpu: j.gpu ?? true });
    const job = q.getJob(this.db, id)!;
    const spec = typeof j.spec === 'function' ? (j.spec as (dir: string) => unknown)(job.run_dir) : j.spec;
    mkdirSync(job.run_dir, { recursive: true });
    for (const [name, body] of Object.entries(j.files ?? {})) writeFileSync(join(job.run_dir, name), body);
    writeFileSync(specPath(job.run_dir), JSON.stringify(spec, null, 2) + '\n');
    q.updateJob(this.db, id, { spec: JSON.stringify(spec) });
    this.changed(id);
    void this.schedule();
    return this.info(id);
  }

  list(): JobInfo[] {
    return q.listJobs(this.db).map((r) => toInfo(r));
  }

  info(id: number): JobInfo {
    const r = q.getJob(this.db, id);
    if (!r) throw new LangbridgeError('not-found', `There is no job #${id}.`);
    return toInfo(r);
  }

  metrics(id: number, sinceStep = -1): MetricsUpdate {
    this.info(id);
    return { jobId: id, steps: q.stepMetrics(this.db, id, sinceStep), evals: q.evalMetrics(this.db, id) };
  }

  /** The last lines of the job's log. */
  logs(id: number, lines = LOG_LINES): string[] {
    return tailLog(this.info(id).runDir, lines);
  }

  cancel(id: number): JobInfo {
    const job = q.getJob(this.db, id);
    if (!job) throw new LangbridgeError('not-found', `There is no job #${id}.`);
    if (job.status === 'queued') {
      q.updateJob(this.db, id, { status: 'cancelled', ended_at: now() });
    } else if (job.status === 'running' && !job.cancel_requested) {
      q.updateJob(this.db, id, { cancel_requested: 1 });
      const target = job.pgid ?? job.pid;
      if (target) {
        const workers = job.pid ? launcherWorkers(job.pid) : null;
        if (workers) for (const w of workers) signalOne(w, 'SIGTERM');
        else signal(target, 'SIGTERM');
        this.armKill(id, target);
      }
    }
    this.changed(id);
    return this.info(id);
  }

  /**
   * Queues an interrupted, cancelled or failed job again; a training run continues from its last checkpoint,
   * an evaluation after the items already in its outputs.jsonl.
   */
  resume(id: number): JobInfo {
    const job = this.info(id);
    if (!ENDED.has(job.status) || job.status === 'succeeded')
      throw new LangbridgeError('bad-input', `Job #${id} is ${job.status}; only an interrupted, cancelled or failed job can be resumed.`);
    if (job.kind === 'train' && !hasCheckpoint(job.runDir))
      throw new LangbridgeError('bad-input', `Job #${id} has no checkpoint in ${join(job.runDir, 'checkpoints')} to resume from; start a new run instead.`);
    q.updateJob(this.db, id, { status: 'queued', resume: 1, cancel_requested: 0, failure: null, ended_at: null, exit_code: null, pid: null, pgid: null });
    this.changed(id);
    void this.schedule();
    return this.info(id);
  }

  // ------------------------------------------------------------------ running

  /** Starts what the queue allows; calls are chained, so a caller can await the launch it caused. */
  schedule(): Promise<void> {
    this.queue = this.queue.then(() => this.runQueue()).catch(() => {});
    return this.queue;
  }

  private async runQueue(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const running = q.listJobs(this.db, 'running').filter((j) => j.gpu).length;
      // The oldest job that may start: GPU jobs keep their order among themselves, and a CPU job
      // (an evaluation of a tiny model) does not wait behind a GPU job that waits for its slot.
      const next = q.listJobs(this.db, 'queued').find((j) => !j.gpu || running < (this.o.gpuSlots ?? 1));
      if (!next) return;
      await this.launch(next);
    }
  }

  /** A job claimed by a Langbridge process that died before starting it goes back to the queue. */
  private releaseOrphanClaim(job: q.JobRow): boolean {
    if (job.pid !== null) return false;
    if (job.launcher_pid && pidAlive(job.launcher_pid)) return true;
    q.updateJob(this.db, job.id, { status: 'queued', launcher_pid: null, started_at: null });
    this.changed(job.id);
    return true;
  }

  private async launch(job: q.JobRow): Promise<void> {
    // Two Langbridge processes (app and CLI) may share a workspace: only one of them starts a job.
    if (!q.claimJob(this.db, job.id, now())) return;
    let cmd: JobCommand;
    try {
      cmd = await this.o.commandFor({ id: job.id, kind: job.kind, runDir: job.run_dir, specPath: specPath(job.run_dir), resume: job.resume === 1 });
    } catch (err) {
      // No Python, no trainer environment: the job fails at once, saying why.
      const failure = explainFailure('missing_dependency', (err as Error).message, []);
      q.updateJob(this.db, job.id, { status: 'failed', ended_at: now(), failure: JSON.stringify(failure) });
      this.changed(job.id);
      return;
    }
    mkdirSync(job.run_dir, { recursive: true });
    // stdout carries the same events as events.jsonl; stderr has the log, warnings and any traceback.
    const out = openSync(join(job.run_dir, 'stderr.log'), 'a');
    let pid: number | undefined;
    try {
      // detached: its own process group (setsid on POSIX), so the app's exit or Ctrl+C does not reach it.
      const child = spawn(cmd.command, cmd.args, { cwd: job.run_dir, detached: true, stdio: ['ignore', 'ignore', out], env: { ...process.env, ...cmd.env } });
      pid = child.pid;
      const state = { exited: false, code: null as number | null, signal: null as NodeJS.Signals | null };
      child.on('error', (err) => {
        state.exited = true;
        writeFileSync(join(job.run_dir, 'stderr.log'), `could not start ${cmd.command}: ${err.message}\n`, { flag: 'a' });
      });
      child.on('exit', (code, sig) => {
        state.exited = true;
        state.code = code;
        state.signal = sig;
        this.poll();
      });
      child.unref();
      if (pid) this.children.set(pid, state);
    } finally {
      closeSync(out);
    }
    q.updateJob(this.db, job.id, {
      pid: pid ?? null,
      pgid: process.platform === 'win32' ? null : (pid ?? null),
      attempts: job.attempts + 1,
      resume: 0,
    });
    this.changed(job.id);
    if (!pid) this.settle(job.id, 127, null);
  }

  /** Reads new events of every running job, and settles the ones whose process has ended. */
  private poll(): void {
    if (this.closed) return;
    for (const job of q.listJobs(this.db, 'running')) {
      // Claimed but not started yet (the environment is being built, here or in another Langbridge process).
      if (this.releaseOrphanClaim(job)) continue;
      this.ingest(job);
      const child = job.pid ? this.children.get(job.pid) : undefined;
      if (child ? child.exited : !this.alive(job)) this.settle(job.id, child?.code ?? null, child?.signal ?? null);
    }
    this.flushMetrics(false);
  }

  private ingest(job: q.JobRow): void {
    const path = join(job.run_dir, 'events.jsonl');
    if (!existsSync(path)) return;
    if (job.kind === 'eval') return this.ingestEval(job, path);
    const { events, offset } = readEvents(path, job.events_offset);
    if (offset === job.events_offset) return;
    const steps: q.StepMetricRow[] = [];
    const evals: q.EvalMetricRow[] = [];
    let live = job.live ? (JSON.parse(job.live) as LiveState) : null;
    const before = job.live;
    for (const e of events) {
      if (e.kind === 'step') steps.push(stepRow(e));
      else if (e.kind === 'eval') for (const [lang, m] of Object.entries(e.languages)) evals.push({ step: e.step, lang, loss: m.loss, bpc: m.bpc });
      live = foldLive(live, e);
    }
    const after = live ? JSON.stringify(live) : null;
    q.storeMetrics(this.db, job.id, steps, evals, offset, after);
    // Steps reach the UI as metrics; other news (preparing, plan, stage, checkpoint) as a state change.
    if (after !== before && events.some((e) => e.kind !== 'step' && e.kind !== 'eval')) this.changed(job.id);
    if (steps.length || evals.length) {
      const p = this.pending.get(job.id) ?? { jobId: job.id, steps: [], evals: [] };
      p.steps.push(...steps);
      p.evals.push(...evals);
      this.pending.set(job.id, p);
    }
  }

  /** An evaluation has no metrics to stream: its progress (items done, items/s) is its live state. */
  private ingestEval(job: q.JobRow, path: string): void {
    const { events, offset } = readEvalEvents(path, job.events_offset);
    if (offset === job.events_offset) return;
    let live = job.live ? (JSON.parse(job.live) as LiveState) : null;
    for (const e of events) live = foldEvalLive(live, e);
    const after = live ? JSON.stringify(live) : null;
    q.storeMetrics(this.db, job.id, [], [], offset, after);
    if (after !== job.live) this.changed(job.id);
  }

  private flushMetrics(force: boolean): void {
    const t = Date.now();
    for (const [id, m] of this.pending) {
      if (!force && t - (this.lastEmit.get(id) ?? 0) < (this.o.throttleMs ?? 250)) continue;
      this.pending.delete(id);
      this.lastEmit.set(id, t);
      this.o.onMetrics?.(m);
    }
  }

  /** The process has ended: decide how, from its events first, then from its exit. */
  private settle(id: number, code: number | null, sig: NodeJS.Signals | null): void {
    const job = q.getJob(this.db, id)!;
    this.ingest(job);
    this.flushMetrics(true);
    const t = this.killTimers.get(id);
    if (t) clearTimeout(t);
    this.killTimers.delete(id);
    if (job.pid) this.children.delete(job.pid);
    const fresh = q.getJob(this.db, id)!;
    const { finished, error } = fresh.kind === 'eval' ? lastEvalOutcome(join(fresh.run_dir, 'events.jsonl')) : lastOutcome(join(fresh.run_dir, 'events.jsonl'));
    const log = tailLog(fresh.run_dir, LOG_LINES);
    let status: q.JobStatus;
    let failure: Failure | null = null;
    let summary: string | null = null;
    if (finished) {
      status = finished.status === 'succeeded' ? 'succeeded' : 'cancelled';
      summary = JSON.stringify(finished);
    } else if (error) {
      status = 'failed';
      failure = explainFailure(error.classification, error.message, log);
    } else if (fresh.cancel_requested) {
      // Killed after the grace period, or died while stopping.
      status = 'cancelled';
    } else if (code !== null && code !== 0) {
      status = 'failed';
      failure = explainFailure('other', `The ${fresh.kind === 'eval' ? 'evaluation' : 'trainer'} exited with code ${code}.`, log);
    } else if (sig) {
      status = 'interrupted';
    } else {
      // Gone without a word while nobody watched (app closed, machine restarted): resumable.
      status = 'interrupted';
    }
    q.updateJob(this.db, id, { status, ended_at: now(), exit_code: code, failure: failure ? JSON.stringify(failure) : null, summary, cancel_requested: 0 });
    this.changed(id);
    void this.schedule();
  }

  private armKill(id: number, target: number): void {
    if (this.killTimers.has(id)) return;
    const t = setTimeout(() => {
      this.killTimers.delete(id);
      const job = q.getJob(this.db, id);
      if (job?.status === 'running') {
        writeFileSync(join(job.run_dir, 'stderr.log'), `langbridge: the job did not stop within ${Math.round((this.o.graceMs ?? 120_000) / 1000)} s of SIGTERM; killed.\n`, { flag: 'a' });
        signal(target, 'SIGKILL');
      }
    }, this.o.graceMs ?? 120_000);
    t.unref();
    this.killTimers.set(id, t);
  }

  private alive(job: q.JobRow): boolean {
    if (!job.pid || !pidAlive(job.pid)) return false;
    // A recycled pid: on Linux, check the process is the one we started (its command names the run folder).
    try {
      const cmdline = readFileSync(`/proc/${job.pid}/cmdline`, 'utf8');
      return cmdline.includes(job.run_dir);
    } catch {
      return true;
    }
  }

  private changed(id: number): void {
    // Listeners first: an evaluation is scored before the UI hears that its job ended.
    for (const cb of this.listeners) cb(this.info(id));
    this.o.onChange?.(this.info(id));
  }
}

function stepRow(e: Extract<TrainerEvent, { kind: 'step' }>): q.StepMetricRow {
  return {
    step: e.step,
    stage: e.stage,
    tokens: e.tokens,
    loss: e.loss,
    lr: e.lr,
    grad_norm: e.gradNorm,
    tokens_per_s: e.tokensPerSecond,
    mfu: e.mfu,
    gpu_memory: e.gpuMemoryPeak,
    time: e.time,
  };
}

function lastOutcome(path: string): { finished: Extract<TrainerEvent, { kind: 'finished' }> | null; error: Extract<TrainerEvent, { kind: 'error' }> | null } {
  if (!existsSync(path)) return { finished: null, error: null };
  let finished: Extract<TrainerEvent, { kind: 'finished' }> | null = null;
  let error: Extract<TrainerEvent, { kind: 'error' }> | null = null;
  // Only the outcome of the last attempt counts: a resumed run starts with a new 'started'.
  for (const e of readEvents(path, 0).events) {
    if (e.kind === 'started') {
      finished = null;
      error = null;
    } else if (e.kind === 'finished') finished = e;
    else if (e.kind === 'error') error = e;
  }
  return { finished, error };
}

export const specPath = (runDir: string) => join(runDir, 'spec.json');

function hasCheckpoint(runDir: string): boolean {
  try {
    return statSync(join(runDir, 'checkpoints')).isDirectory();
  } catch {
    return false;
  }
}

/** The last n lines of the process's stderr (the trainer's log, warnings, tracebacks), else of train.log. */
export function tailLog(runDir: string, n: number): string[] {
  for (const name of ['stderr.log', 'train.log']) {
    const path = join(runDir, name);
    if (!existsSync(path)) continue;
    const size = statSync(path).size;
    if (!size) continue;
    const len = Math.min(size, 256 * 1024);
    const buf = Buffer.alloc(len);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, len, size - len);
    } finally {
      closeSync(fd);
    }
    const lines = buf.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-n);
  }
  return [];
}


/**
 * The workers of a torchrun launcher, to be told to stop directly. torchrun
 * passes SIGTERM on to its workers but kills them 30 s later (a constant in
 * torch.distributed.elastic), too little for a large model's final
 * checkpoint; signalled themselves, the workers checkpoint and exit 0 and
 * torchrun then ends on its own. Null for a single trainer process, or where
 * /proc cannot say (other systems: the whole group is signalled).
 */
export function launcherWorkers(pid: number): number[] | null {
  if (process.platform !== 'linux') return null;
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('torch.distributed.run')) return null;
    const children: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        // /proc/PID/stat: "pid (comm) state ppid ...", where comm may hold spaces and parentheses.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === pid) children.push(Number(name));
      } catch {
        // Gone meanwhile.
      }
    }
    return children.length ? children : null;
  } catch {
    return null;
  }
}

function signalOne(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    // A negative pid signals the whole process group (torchrun and its workers included).
    process.kill(process.platform === 'win32' ? target : -target, sig);
  } catch {
    // Already gone.
  }
}

const now = () => new Date().toISOString();

function toInfo(r: q.JobRow): JobInfo {
  const ended = ENDED.has(r.status);
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    status: r.status,
    stopping: r.status === 'running' && r.cancel_requested === 1,
    runDir: r.run_dir,
    pid: r.pid,
    attempts: r.attempts,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    exitCode: r.exit_code,
    spec: JSON.parse(r.spec),
    failure: r.failure ? (JSON.parse(r.failure) as Failure) : null,
    summary: r.summary ? (JSON.parse(r.summary) as Record<string, unknown>) : null,
    // An evaluation resumes after the items already written; a training run needs a checkpoint.
    resumable: ended && r.status !== 'succeeded' && (r.kind === 'eval' || hasCheckpoint(r.run_dir)),
    live: r.live ? (JSON.parse(r.live) as LiveState) : null,
  };
}
