/**
 * The pipeline's service: recipes (presets and the team's own), previews,
 * runs as jobs with progress and cancel, and the dataset versions they write.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parquetReadObjects } from 'hyparquet';
import { LangbridgeError } from '../../api/errors';
import { DatasetManifest, type DatasetSummary, type PipelineReport, type PreviewResult, type RunResult } from '../../api/pipeline-schemas';
import type { Progress } from '../../api/schemas';
import type { Db } from '../../../db/open';
import * as q from '../../../db/queries/pipeline';
import { isPresetName, preset, PRESET_NAMES } from './presets';
import { checkRecipe, type Recipe } from './recipe';
import { cleanupDatasets, previewPipeline, runPipeline } from './run-pipeline';
import { defaultWorkerCount } from './scan-pool';
import { datasetCard } from './dataset-card';
import { encodeRecords } from './write-dataset';

export interface RecipeListing {
  name: string;
  kind: 'preset' | 'saved';
  revision: number;
  updatedAt: string | null;
  description: string;
  recipe: Recipe;
}

export class PipelineService {
  private readonly jobs = new Map<string, { progress: Progress; abort: AbortController }>();
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly dbPath: string,
    private readonly workspaceDir: string,
    private readonly appVersion: string,
    private readonly onProgress: (p: Progress) => void,
  ) {
    cleanupDatasets(db, workspaceDir);
  }

  // ----------------------------------------------------------- recipes

  recipes(): RecipeListing[] {
    const presets: RecipeListing[] = PRESET_NAMES.map((name) => {
      const recipe = preset(name);
      return { name, kind: 'preset', revision: 0, updatedAt: null, description: recipe.description, recipe };
    });
    const saved: RecipeListing[] = q.listRecipes(this.db).flatMap((row) => {
      const r = checkRecipe(JSON.parse(row.body));
      // A row written by an older format is listed only if it still validates.
      return r.ok ? [{ name: row.name, kind: 'saved' as const, revision: row.revision, updatedAt: row.updated_at, description: r.recipe.description, recipe: r.recipe }] : [];
    });
    return [...presets, ...saved];
  }

  /** A recipe by name: a saved one first (a team may have tuned "marco"), else the preset. */
  recipe(name: string): Recipe {
    const row = q.getRecipe(this.db, name);
    if (row) {
      const r = checkRecipe(JSON.parse(row.body));
      if (r.ok) return r.recipe;
    }
    if (isPresetName(name)) return preset(name);
    throw new LangbridgeError('not-found', `There is no recipe named "${name}". Presets: ${PRESET_NAMES.join(', ')}.`);
  }

  saveRecipe(recipe: Recipe): RecipeListing {
    const row = q.saveRecipe(this.db, recipe.name, JSON.stringify(recipe));
    return { name: row.name, kind: 'saved', revision: row.revision, updatedAt: row.updated_at, description: recipe.description, recipe };
  }

  deleteRecipe(name: string): boolean {
    return q.deleteRecipe(this.db, name);
  }

  // ----------------------------------------------------------- preview and run

  preview(recipe: Recipe, sample: { size: number; mode: 'first' | 'random' }): Promise<PreviewResult> {
    return previewPipeline({ db: this.db, dbPath: this.dbPath, recipe, sample, workers: Math.min(2, defaultWorkerCount()) });
  }

  run(recipe: Recipe, opts: { jobId?: string; name?: string } = {}): Promise<RunResult> {
    const jobId = opts.jobId ?? randomUUID();
    if (this.jobs.has(jobId)) throw new LangbridgeError('bad-input', `A job with id ${jobId} is already running.`);
    const abort = new AbortController();
    const job = { progress: { jobId, kind: 'pipeline', step: 'queued', done: 0, total: 0, unit: 'items', state: 'running' } as Progress, abort };
    this.jobs.set(jobId, job);
    const report = (p: Partial<Progress>) => {
      job.progress = { ...job.progress, ...p };
      this.onProgress(job.progress);
    };
    report({});
    let last = 0;
    // One run at a time per process: each holds a worker per core.
    const run = this.running.then(() => {
      if (abort.signal.aborted) throw new LangbridgeError('cancelled', 'The pipeline run was cancelled before it started; no dataset version was written.');
      return runPipeline({
        db: this.db,
        dbPath: this.dbPath,
        workspaceDir: this.workspaceDir,
        appVersion: this.appVersion,
        recipe,
        name: opts.name,
        signal: abort.signal,
        workers: defaultWorkerCount(),
        onProgress: (p) => {
          const now = Date.now();
          // Throttled to a few events per second; the last of each step always goes out.
          if (now - last < 200 && p.done < p.total) return;
          last = now;
          report(p);
        },
      });
    });
    this.running = run.catch(() => undefined);
    return run.then(
      (value) => {
        report({ state: 'finished', done: job.progress.total, message: `dataset ${value.dataset.name} written` });
        this.jobs.delete(jobId);
        return value;
      },
      (err: unknown) => {
        const e = err instanceof LangbridgeError ? err : new LangbridgeError('internal', err instanceof Error ? err.message : String(err));
        report({ state: e.code === 'cancelled' ? 'cancelled' : 'failed', message: e.message });
        this.jobs.delete(jobId);
        throw e;
      },
    );
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return false;
    job.abort.abort(new LangbridgeError('cancelled', 'The pipeline run was cancelled; no dataset version was written.'));
    return true;
  }

  jobList(): Progress[] {
    return [...this.jobs.values()].map((j) => j.progress);
  }

  // ----------------------------------------------------------- datasets

  datasets(): DatasetSummary[] {
    return q.listDatasets(this.db).map((r) => JSON.parse(r.summary ?? 'null') as DatasetSummary).filter(Boolean);
  }

  private row(id: number): q.DatasetRow {
    const row = q.getDataset(this.db, id);
    if (!row || row.status !== 'ready') throw new LangbridgeError('not-found', `There is no dataset version #${id}.`);
    return row;
  }

  dataset(id: number): { summary: DatasetSummary; manifest: DatasetManifest; report: PipelineReport } {
    const row = this.row(id);
    const manifestPath = join(this.workspaceDir, row.folder, 'manifest.json');
    if (!existsSync(manifestPath)) throw new LangbridgeError('not-found', `The files of dataset #${id} are missing (${manifestPath}).`);
    const manifest = DatasetManifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
    return { summary: JSON.parse(row.summary!) as DatasetSummary, manifest, report: JSON.parse(row.report!) as PipelineReport };
  }

  deleteDataset(id: number): boolean {
    const row = this.row(id);
    // Row first: a crash between the two leaves files without a row, which
    // nothing lists; the other order would list a dataset without files.
    q.deleteDatasetRow(this.db, id);
    rmSync(join(this.workspaceDir, row.folder), { recursive: true, force: true });
    return true;
  }

  lineage(f: Parameters<typeof q.lineageRows>[1]) {
    this.row(f.id);
    const r = q.lineageRows(this.db, f);
    return { total: r.total, rows: r.rows.map(({ itemId, ...rest }) => ({ ...rest, id: itemId })) };
  }

  /** Copies a dataset's records into plain JSONL or Parquet files with a dataset card. */
  async export(id: number, format: 'jsonl' | 'parquet', out: string): Promise<{ out: string; files: Array<{ path: string; records: number; bytes: number }> }> {
    const { manifest } = this.dataset(id);
    const row = this.row(id);
    const src = join(this.workspaceDir, row.folder);
    const dest = resolve(out);
    mkdirSync(dest, { recursive: true });
    const files: Array<{ path: string; records: number; bytes: number }> = [];
    const all = [...manifest.stages.flatMap((s) => s.shards.map((x) => x.path)), ...manifest.heldOut.map((h) => h.path)];
    for (const path of all) {
      const records = await readShardAsync(join(src, path), manifest.shardFormat);
      const base = path.replace(/\.(jsonl\.gz|parquet)$/, '');
      const target = `${base}.${format === 'jsonl' ? 'jsonl' : 'parquet'}`;
      mkdirSync(join(dest, target, '..'), { recursive: true });
      const bytes = encodeRecords(records, format);
      writeFileSync(join(dest, target), bytes);
      files.push({ path: target, records: records.length, bytes: bytes.length });
    }
    // Held-out pairs are plain JSONL already, in either format: copied as they are.
    for (const h of manifest.heldOutPairs ?? []) {
      mkdirSync(join(dest, h.path, '..'), { recursive: true });
      const bytes = readFileSync(join(src, h.path));
      writeFileSync(join(dest, h.path), bytes);
      files.push({ path: h.path, records: h.pairs, bytes: bytes.length });
    }
    writeFileSync(join(dest, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    writeFileSync(join(dest, 'README.md'), datasetCard(manifest, format));
    files.push({ path: 'README.md', records: 0, bytes: statSync(join(dest, 'README.md')).size });
    return { out: dest, files };
  }
}

interface ShardRecord {
  text: string;
  lang: string;
  group: string;
  origin: unknown;
}

/** The records of one shard file, in order. */
export async function readShardAsync(path: string, format: 'jsonl.gz' | 'parquet'): Promise<ShardRecord[]> {
  const buf = readFileSync(path);
  if (format === 'jsonl.gz')
    return gunzipSync(buf)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ShardRecord);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file: ab })) as Array<{ text: string; lang: string; group: string; origin: string }>;
  return rows.map((r) => ({ ...r, origin: JSON.parse(r.origin) as unknown }));
}
