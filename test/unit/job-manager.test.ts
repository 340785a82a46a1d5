import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/open';
import { JobManager, launcherWorkers, type JobInfo, type MetricsUpdate } from '../../main/services/jobs/job-manager';

const FAKE = resolve('test/fixtures/jobs/fake-trainer.mjs');
const FAKE_TORCHRUN = resolve('test/fixtures/jobs/fake-torchrun.mjs');

interface Harness {
  db: Db;
  dir: string;
  manager: JobManager;
  changes: JobInfo[];
  metrics: MetricsUpdate[];
  until: (id: number, pred: (j: JobInfo) => boolean, ms?: number) => Promise<JobInfo>;
}

const open: Harness[] = [];

function harness(dir = mkdtempSync(join(tmpdir(), 'lb-jobs-')), graceMs = 5000, launcher = false): Harness {
  const db = openDatabase(join(dir, 'workspace.sqlite'));
  const changes: JobInfo[] = [];
  const metrics: MetricsUpdate[] = [];
  const waiters: Array<() => void> = [];
  const manager = new JobManager({
    db,
    commandFor: ({ specPath, runDir, resume }) => ({
      command: process.execPath,
      args: [...(launcher ? [FAKE_TORCHRUN, 'torch.distributed.run'] : [FAKE]), ...(resume ? ['--resume', runDir] : [specPath])],
    }),
    onChange: (j) => {
      changes.push(j);
      for (const w of [...waiters]) w();
    },
    onMetrics: (m) => {
      metrics.push(m);
      for (const w of [...waiters]) w();
    },
    graceMs,
    pollMs: 50,
    throttleMs: 50,
  });
  const until = (id: number, pred: (j: JobInfo) => boolean, ms = 15_000) =>
    new Promise<JobInfo>((res, rej) => {
      const check = () => {
        const j = manager.info(id);
        if (pred(j)) {
          waiters.splice(waiters.indexOf(check), 1);
          clearTimeout(timer);
          res(j);
        }
      };
      const timer = setTimeout(() => rej(new Error(`job #${id} did not reach the expected state; it is ${JSON.stringify(manager.info(id).status)}`)), ms);
      waiters.push(check);
      check();
    });
  const h = { db, dir, manager, changes, metrics, until };
  open.push(h);
  manager.start();
  return h;
}

function submit(h: Harness, fake: Record<string, unknown>, name = 'run'): JobInfo {
  return h.manager.submit({ name, spec: { fake }, runDir: (id) => join(h.dir, 'runs', String(id)) });
}

afterEach(() => {
  for (const h of open.splice(0)) {
    for (const j of h.manager.list()) if (j.status === 'running' && j.pid) try { process.kill(-j.pid, 'SIGKILL'); } catch { /* gone */ }
    h.manager.close();
    h.db.close();
  }
});

describe('job manager', () => {
  it('runs a job to success, storing every step and eval, and streams metrics', async () => {
    const h = harness();
    const job = submit(h, { steps: 8 });
    const done = await h.until(job.id, (j) => j.status === 'succeeded');
    expect(done.exitCode).toBe(0);
    expect(done.summary).toMatchObject({ status: 'succeeded', step: 8 });
    const m = h.manager.metrics(job.id);
    expect(m.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(m.evals.filter((e) => e.step === 8).map((e) => e.lang)).toEqual(['eng_Latn', 'swh_Latn']);
    expect(h.metrics.flatMap((u) => u.steps).length).toBe(8);
    // Each state change reached the UI: queued, running, succeeded.
    expect(h.changes.filter((c) => c.id === job.id).map((c) => c.status)).toEqual(expect.arrayContaining(['queued', 'running', 'succeeded']));
  });

  it('says why a job failed, with its classification, the fixes and the last log lines', async () => {
    const h = harness();
    const oom = submit(h, { steps: 10, mode: 'error', crashAt: 2 });
    const failed = await h.until(oom.id, (j) => j.status === 'failed');
    expect(failed.failure?.classification).toBe('out_of_memory');
    expect(failed.failure?.reason).toMatch(/out of memory/);
    expect(failed.failure?.fixes.join(' ')).toMatch(/micro-batch/);
    expect(failed.failure?.log.join('\n')).toMatch(/CUDA out of memory/);

    const crash = submit(h, { steps: 10, mode: 'crash', crashAt: 2 });
    const crashed = await h.until(crash.id, (j) => j.status === 'failed');
    expect(crashed.exitCode).toBe(3);
    expect(crashed.failure?.classification).toBe('other');
    expect(crashed.failure?.message).toMatch(/exited with code 3/);
    expect(crashed.failure?.log.join('\n')).toMatch(/simulated crash/);
  });

  it('runs one GPU job at a time: the second waits in the queue', async () => {
    const h = harness();
    const a = submit(h, { steps: 6, stepMs: 40 }, 'a');
    const b = submit(h, { steps: 2 }, 'b');
    expect(h.manager.info(b.id).status).toBe('queued');
    await h.until(a.id, (j) => j.status === 'succeeded');
    const bDone = await h.until(b.id, (j) => j.status === 'succeeded');
    expect(Date.parse(bDone.startedAt!)).toBeGreaterThanOrEqual(Date.parse(h.manager.info(a.id).endedAt!) - 5);
  });

  it('starts a CPU job (a tiny model\'s evaluation) at once, even behind GPU jobs waiting for the slot', async () => {
    const h = harness();
    const a = submit(h, { steps: 20, stepMs: 40 }, 'a');
    const b = submit(h, { steps: 2 }, 'b');
    const cpu = h.manager.submit({ kind: 'eval', name: 'cpu', gpu: false, spec: { fake: { steps: 2 } }, runDir: (id) => join(h.dir, 'runs', String(id)) });
    expect(cpu.kind).toBe('eval');
    await h.until(cpu.id, (j) => j.status !== 'queued');
    expect(h.manager.info(b.id).status).toBe('queued');
    expect(h.manager.info(a.id).status).toBe('running');
  });

  it('cancels: "stopping" at once, then cancelled after the trainer checkpoints; it can be resumed to the end', async () => {
    const h = harness();
    const job = submit(h, { steps: 400, stepMs: 20 });
    await h.until(job.id, (j) => j.status === 'running');
    await h.until(job.id, () => h.manager.metrics(job.id).steps.length >= 5);
    const stopping = h.manager.cancel(job.id);
    expect(stopping).toMatchObject({ status: 'running', stopping: true });
    const cancelled = await h.until(job.id, (j) => j.status === 'cancelled');
    expect(cancelled.stopping).toBe(false);
    expect(cancelled.resumable).toBe(true);
    expect(cancelled.summary).toMatchObject({ status: 'cancelled' });
    const at = (cancelled.summary as { step: number }).step;

    // Resume continues from the checkpoint, not from zero.
    h.db.prepare(`UPDATE jobs SET spec = json_set(spec, '$.fake.steps', ?) WHERE id = ?`).run(at + 3, job.id);
    const spec = JSON.parse(readFileSync(join(cancelled.runDir, 'spec.json'), 'utf8'));
    spec.fake.steps = at + 3;
    (await import('node:fs')).writeFileSync(join(cancelled.runDir, 'spec.json'), JSON.stringify(spec));
    h.manager.resume(job.id);
    const done = await h.until(job.id, (j) => j.status === 'succeeded');
    expect(done.attempts).toBe(2);
    const steps = h.manager.metrics(job.id).steps.map((s) => s.step);
    expect(steps.at(-1)).toBe(at + 3);
    expect(new Set(steps).size).toBe(steps.length);
  });

  it('under torchrun, asks the workers themselves to stop, so a slow final checkpoint is not cut off by torchrun', async () => {
    // The fake launcher kills its worker 300 ms after passing SIGTERM on (torchrun: 30 s); the worker's final checkpoint takes 1 s.
    const h = harness(undefined, 10_000, true);
    const job = submit(h, { steps: 400, stepMs: 20, stopMs: 1000 });
    await h.until(job.id, () => h.manager.metrics(job.id).steps.length >= 3);
    if (process.platform === 'linux') expect(launcherWorkers(h.manager.info(job.id).pid!)).toHaveLength(1);
    h.manager.cancel(job.id);
    const cancelled = await h.until(job.id, (j) => j.status === 'cancelled');
    // The worker finished its checkpoint and said so; the launcher then exited 0 on its own.
    expect(cancelled.summary).toMatchObject({ status: 'cancelled' });
    expect(cancelled.exitCode).toBe(0);
    expect(readFileSync(join(cancelled.runDir, 'events.jsonl'), 'utf8')).toContain('"reason":"cancel"');
  });

  it('kills a job that ignores SIGTERM once the grace period is over', async () => {
    const h = harness(undefined, 400);
    const job = submit(h, { steps: 100_000, stepMs: 10, mode: 'ignore-term' });
    await h.until(job.id, () => h.manager.metrics(job.id).steps.length >= 2);
    h.manager.cancel(job.id);
    const t0 = Date.now();
    const j = await h.until(job.id, (x) => x.status === 'cancelled');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    expect(readFileSync(join(j.runDir, 'stderr.log'), 'utf8')).toMatch(/did not stop within .* killed/);
  });

  it('survives an app restart: a new manager reattaches to the running job and sees it finish', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-jobs-'));
    const first = harness(dir);
    const job = submit(first, { steps: 30, stepMs: 40 });
    await first.until(job.id, () => first.manager.metrics(job.id).steps.length >= 2);
    const pid = first.manager.info(job.id).pid!;
    // The app closes: the job is detached and goes on.
    first.manager.close();
    expect(() => process.kill(pid, 0)).not.toThrow();
    const second = harness(dir);
    const done = await second.until(job.id, (j) => j.status === 'succeeded', 20_000);
    expect(done.pid).toBe(pid);
    expect(second.manager.metrics(job.id).steps.map((s) => s.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('marks a job whose process died while the app was closed as interrupted, and resumes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-jobs-'));
    const first = harness(dir);
    const job = submit(first, { steps: 200, stepMs: 20 });
    // Wait for a checkpoint (every 4 steps), then lose app and process together.
    await first.until(job.id, () => first.manager.metrics(job.id).steps.length >= 6 && existsSync(join(first.manager.info(job.id).runDir, 'checkpoints', 'state.json')));
    first.manager.close();
    process.kill(-first.manager.info(job.id).pid!, 'SIGKILL');
    await new Promise<void>((res) => {
      const wait = () => {
        try {
          process.kill(first.manager.info(job.id).pid!, 0);
          setTimeout(wait, 20);
        } catch {
          res();
        }
      };
      wait();
    });
    const second = harness(dir);
    const interrupted = second.manager.info(job.id);
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.resumable).toBe(true);
    second.manager.resume(job.id);
    const done = await second.until(job.id, (j) => j.status === 'succeeded', 20_000);
    expect(done.summary).toMatchObject({ step: 200 });
  }, 30_000);

  it('puts back in the queue a job whose launching process died before starting it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-jobs-'));
    const db = openDatabase(join(dir, 'workspace.sqlite'));
    mkdirSync(join(dir, 'runs', '1'), { recursive: true });
    writeFileSync(join(dir, 'runs', '1', 'spec.json'), JSON.stringify({ fake: { steps: 2 } }));
    db.prepare(`INSERT INTO jobs (id, kind, name, spec, status, launcher_pid, run_dir, started_at) VALUES (1, 'train', 'orphan', '{}', 'running', 2147483646, ?, '2026-01-01T00:00:00Z')`).run(join(dir, 'runs', '1'));
    db.close();
    const h = harness(dir);
    const done = await h.until(1, (j) => j.status === 'succeeded');
    expect(done.attempts).toBe(1);
  });

  it('refuses to resume a job without a checkpoint, or one that succeeded', async () => {
    const h = harness();
    const job = submit(h, { steps: 2 });
    await h.until(job.id, (j) => j.status === 'succeeded');
    expect(() => h.manager.resume(job.id)).toThrow(/only an interrupted, cancelled or failed job/);
    const early = submit(h, { steps: 10, mode: 'crash', crashAt: 1 });
    await h.until(early.id, (j) => j.status === 'failed');
    expect(() => h.manager.resume(early.id)).toThrow(/no checkpoint/);
  });
});
