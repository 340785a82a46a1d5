import type { Db } from '../open';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export type JobKind = 'train' | 'eval';

export interface JobRow {
  id: number;
  kind: JobKind;
  name: string;
  spec: string;
  status: JobStatus;
  gpu: number;
  launcher_pid: number | null;
  pid: number | null;
  pgid: number | null;
  run_dir: string;
  attempts: number;
  resume: number;
  cancel_requested: number;
  events_offset: number;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  exit_code: number | null;
  failure: string | null;
  summary: string | null;
  /** JSON LiveState: what the job is doing now. */
  live: string | null;
}

export interface StepMetricRow {
  step: number;
  stage: number;
  tokens: number;
  loss: number;
  lr: number;
  grad_norm: number | null;
  tokens_per_s: number | null;
  mfu: number | null;
  gpu_memory: number | null;
  time: string;
}

export interface EvalMetricRow {
  step: number;
  lang: string;
  loss: number;
  bpc: number;
}

export function insertJob(db: Db, j: { kind: JobKind; name: string; spec: string; runDir: (id: number) => string; gpu: boolean }): number {
  return db.transaction(() => {
    const id = Number(db.prepare(`INSERT INTO jobs (kind, name, spec, status, gpu, run_dir) VALUES (?, ?, ?, 'queued', ?, '')`).run(j.kind, j.name, j.spec, j.gpu ? 1 : 0).lastInsertRowid);
    db.prepare(`UPDATE jobs SET run_dir = ? WHERE id = ?`).run(j.runDir(id), id);
    return id;
  })();
}

export function getJob(db: Db, id: number): JobRow | undefined {
  return db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
}

export function listJobs(db: Db, status?: JobStatus): JobRow[] {
  return (status ? db.prepare(`SELECT * FROM jobs WHERE status = ? ORDER BY id`).all(status) : db.prepare(`SELECT * FROM jobs ORDER BY id DESC`).all()) as JobRow[];
}

export function updateJob(db: Db, id: number, fields: Partial<Omit<JobRow, 'id'>>): void {
  const keys = Object.keys(fields);
  if (!keys.length) return;
  db.prepare(`UPDATE jobs SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...fields, id });
}

export function deleteJob(db: Db, id: number): void {
  db.prepare(`DELETE FROM jobs WHERE id = ?`).run(id);
}

/** Stores a batch of metrics and the events offset they reach, atomically: a restart re-reads nothing twice. */
export function storeMetrics(db: Db, jobId: number, steps: StepMetricRow[], evals: EvalMetricRow[], offset: number, live?: string | null): void {
  db.transaction(() => {
    // REPLACE: after a resume the trainer repeats the steps since its last checkpoint.
    const s = db.prepare(
      `INSERT OR REPLACE INTO job_steps (job_id, step, stage, tokens, loss, lr, grad_norm, tokens_per_s, mfu, gpu_memory, time)
       VALUES (@job_id, @step, @stage, @tokens, @loss, @lr, @grad_norm, @tokens_per_s, @mfu, @gpu_memory, @time)`,
    );
    for (const r of steps) s.run({ job_id: jobId, ...r });
    const e = db.prepare(`INSERT OR REPLACE INTO job_evals (job_id, step, lang, loss, bpc) VALUES (?, ?, ?, ?, ?)`);
    for (const r of evals) e.run(jobId, r.step, r.lang, r.loss, r.bpc);
    if (live === undefined) db.prepare(`UPDATE jobs SET events_offset = ? WHERE id = ?`).run(offset, jobId);
    else db.prepare(`UPDATE jobs SET events_offset = ?, live = ? WHERE id = ?`).run(offset, live, jobId);
  })();
}

export function stepMetrics(db: Db, jobId: number, sinceStep = -1): StepMetricRow[] {
  return db.prepare(`SELECT step, stage, tokens, loss, lr, grad_norm, tokens_per_s, mfu, gpu_memory, time FROM job_steps WHERE job_id = ? AND step > ? ORDER BY step`).all(jobId, sinceStep) as StepMetricRow[];
}

export function evalMetrics(db: Db, jobId: number): EvalMetricRow[] {
  return db.prepare(`SELECT step, lang, loss, bpc FROM job_evals WHERE job_id = ? ORDER BY step, lang`).all(jobId) as EvalMetricRow[];
}

/** Takes a queued job for this process; false when another process (app, CLI) took it first. */
export function claimJob(db: Db, id: number, startedAt: string): boolean {
  return db.prepare(`UPDATE jobs SET status = 'running', launcher_pid = ?, pid = NULL, pgid = NULL, started_at = ? WHERE id = ? AND status = 'queued'`).run(process.pid, startedAt, id).changes === 1;
}
