/**
 * Model export end to end on the tiny model, through the contract: the
 * trainer's exporter writes Hugging Face files, the service adds the model
 * card (lineage, recipe, evaluation against the base) and the checksum
 * manifest, validates, and lists the export. A cancelled export leaves
 * nothing; a folder outside the workspace is never deleted.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../main/api/schemas';
import { Langbridge } from '../../main/services/langbridge';
import { verifyFolder, readManifest } from '../../main/services/models/checksum-manifest';
import { findOnnxExport } from '../../main/services/models/export-service';
import { ensureTrainerEnv } from '../../main/services/python/python-env';
import { finishExport, insertExport } from '../../db/queries/exports';
import { insertJob } from '../../db/queries/jobs';
import { datasetManifest } from './helpers/dataset-manifest';
import { tempDir } from './helpers/workspace';

const MAKE_ADAPTER = `
import sys
from transformers import AutoModelForCausalLM
from peft import LoraConfig, get_peft_model
model = AutoModelForCausalLM.from_pretrained(sys.argv[1])
get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=['q_proj', 'v_proj'])).save_pretrained(sys.argv[2])
`;

let lb: Langbridge;
let ws: string;
const events: Progress[] = [];

/** A training run as the trainer leaves it: its spec, its plan, and a complete checkpoint (a copy of the tiny model: a full fine-tune's model/ folder has the same files). */
function fakeRun(tinyDir: string): number {
  const datasetDir = join(ws, 'datasets', '3-udhr');
  mkdirSync(datasetDir, { recursive: true });
  writeFileSync(join(datasetDir, 'manifest.json'), JSON.stringify(datasetManifest(['CC-BY-4.0', 'CC-BY-4.0'])));
  const id = insertJob(lb.db, {
    kind: 'train',
    name: 'UDHR run',
    spec: JSON.stringify({ specVersion: 1, baseModel: tinyDir, dataset: datasetDir, method: 'full', seqLen: 128, globalBatchTokens: 1024, maxSteps: 4, stages: [{ directory: 'stage-1', name: 'Stage I', peakLr: 1e-5 }] }),
    runDir: (n) => join(ws, 'runs', `${n}-udhr`),
    gpu: false,
  });
  const runDir = join(ws, 'runs', `${id}-udhr`);
  const point = join(runDir, 'checkpoints', 'step-4');
  cpSync(tinyDir, join(point, 'model'), { recursive: true });
  writeFileSync(join(point, 'state.json'), JSON.stringify({ step: 4, tokens: 4096, stage: 0 }));
  lb.db.prepare(`UPDATE jobs SET status = 'succeeded', live = ? WHERE id = ?`).run(JSON.stringify({ plan: { parameters: 9_800_000, trainableParameters: 9_800_000, stages: [{ index: 0, name: 'Stage I', steps: 4, tokens: 4096, peakLr: 1e-5, schedule: 'cosine' }] } }), id);
  // Stored evaluations: the checkpoint and its base on the same items.
  const run = lb.db.prepare(`INSERT INTO eval_runs (model_ref, model_label, step, train_job_id, base_ref, items_hash, items_digest, benchmarks, config, status) VALUES (?, ?, ?, ?, ?, ?, 'items-1', '["heldout-pairs"]', '{}', 'succeeded')`);
  const score = lb.db.prepare(`INSERT INTO eval_scores (run_id, benchmark, subset, metric, score, n, signature) VALUES (?, 'heldout-pairs', 'eng_Latn-swh_Latn', 'chrf++', ?, 12, 'nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0')`);
  score.run(run.run('tiny', 'tiny-qwen2', null, null, null, 'h-base').lastInsertRowid, 20.5);
  score.run(run.run(`run:${id}@4`, 'UDHR run · step 4', 4, id, 'tiny', 'h-run').lastInsertRowid, 24.25);
  return id;
}

beforeAll(async () => {
  await ensureTrainerEnv();
  // Not tempDir(): that one is removed after each test, and the workspace lives for the whole file.
  ws = mkdtempSync(join(tmpdir(), 'langbridge-export-'));
  lb = new Langbridge(ws);
  lb.on('jobs:progress', (p) => {
    if (p.kind === 'export') events.push(p);
  });
  await lb.invoke('train:create-tiny', {});
}, 600_000);

afterAll(() => {
  lb?.close();
  if (ws) rmSync(ws, { recursive: true, force: true });
});

describe('export service', () => {
  it('exports a checkpoint as Hugging Face files with a model card, a verified checksum manifest and passing checks', async () => {
    const job = fakeRun(join(ws, 'models', 'tiny-qwen2'));
    const ref = `run:${job}@4`;
    const r = await lb.invoke('models:export', { ref, format: 'hf', jobId: 'e1' });

    expect(r.path).toBe(join(ws, 'exports', 'UDHR-run-step-4-hf'));
    expect(r.status).toBe('ready');
    expect(r.managed).toBe(true);
    expect(r.variant).toBe('full');
    const paths = r.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['README.md', 'config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']));
    expect(paths).not.toContain('manifest.json');
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.checks.find((c) => c.path === 'model.safetensors')).toMatchObject({ check: 'safetensors header', ok: true });
    // The manifest on disk is what the call returned, and the folder matches it byte for byte.
    const m = readManifest(r.path);
    expect(m.files).toEqual(r.files);
    expect(m.model).toMatchObject({ ref, kind: 'checkpoint', baseModel: 'tiny-qwen2', jobId: job, step: 4, lora: false });
    expect(await verifyFolder(r.path)).toEqual([]);
    expect(r.bytes).toBe(r.files.reduce((n, f) => n + f.bytes, 0));
    // No staging folder is left beside the export.
    expect(readdirSync(join(ws, 'exports'))).toEqual(['UDHR-run-step-4-hf']);

    const card = readFileSync(join(r.path, 'README.md'), 'utf8');
    expect(r.card).toBe(card);
    expect(card).toMatch(/^---\nlicense: cc-by-4\.0\nlanguage:\n {2}- swh\n {2}- en\n {2}- yo\n/);
    expect(card).toContain('continual-pretraining');
    expect(card).toContain('this export is the checkpoint at step 4, after 4,096 tokens');
    expect(card).toContain('| Stage I | 1e-5 | cosine | 4 | 4,096 |');
    expect(card).toContain('| heldout-pairs | eng_Latn-swh_Latn | chrf++ | 12 | 20.5 | 24.3 | +3.8 |');

    // Progress went out under the caller's id, ending once as finished.
    const mine = events.filter((e) => e.jobId === 'e1');
    expect(mine.map((e) => e.step)).toEqual(expect.arrayContaining(['loading the model']));
    expect(mine.at(-1)).toMatchObject({ state: 'finished', step: 'exported' });
    expect(mine.filter((e) => e.state !== 'running')).toHaveLength(1);

    const listed = await lb.invoke('models:exports', {});
    expect(listed.map((e) => e.id)).toEqual([r.id]);
    const models = await lb.invoke('models:list', {});
    const tiny = models.find((x) => x.ref === 'tiny')!;
    expect(tiny).toMatchObject({ kind: 'base', architecture: 'Qwen2ForCausalLM', exports: [], evaluation: [{ benchmark: 'heldout-pairs', metric: 'chrf++', score: 20.5, subsets: 1 }] });
    expect(tiny.parameters).toBeGreaterThan(1_000_000);
    const point = models.find((x) => x.ref === ref)!;
    expect(point.exports).toEqual([{ id: r.id, format: 'hf', variant: 'full', path: r.path, createdAt: r.createdAt }]);
    expect(findOnnxExport(lb.db, ref)).toBeNull();
  }, 300_000);

  it('exports a LoRA checkpoint as its adapter alone, with its base model passed to the exporter', async () => {
    const tinyDir = join(ws, 'models', 'tiny-qwen2');
    const id = insertJob(lb.db, {
      kind: 'train',
      name: 'LoRA run',
      spec: JSON.stringify({ specVersion: 1, baseModel: tinyDir, dataset: join(ws, 'datasets', 'missing'), method: 'lora', lora: { r: 4, alpha: 8, targetModules: ['q_proj', 'v_proj'] } }),
      runDir: (n) => join(ws, 'runs', `${n}-lora`),
      gpu: false,
    });
    const point = join(ws, 'runs', `${id}-lora`, 'checkpoints', 'step-2');
    // A real PEFT adapter over the tiny model, as a LoRA run's checkpoint holds.
    const python = await ensureTrainerEnv();
    const made = spawnSync(python, ['-c', MAKE_ADAPTER, tinyDir, join(point, 'model')], { encoding: 'utf8', env: { ...process.env, CUDA_VISIBLE_DEVICES: '' } });
    expect(made.status, made.stderr).toBe(0);
    writeFileSync(join(point, 'state.json'), JSON.stringify({ step: 2, tokens: 512 }));
    const ref = `run:${id}@2`;

    await expect(lb.invoke('models:export', { ref, format: 'onnx', lora: 'adapter' })).rejects.toThrow('A LoRA adapter alone can only be exported in Hugging Face format');
    const r = await lb.invoke('models:export', { ref, format: 'hf', lora: 'adapter' });
    expect(r.path).toBe(join(ws, 'exports', 'LoRA-run-step-2-hf-adapter'));
    expect(r.variant).toBe('adapter');
    expect(r.files.map((f) => f.path)).toEqual(expect.arrayContaining(['README.md', 'adapter_config.json', 'adapter_model.safetensors']));
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.checks.find((c) => c.check === 'present')!.detail).toBe('the required files are there: adapter_config.json, adapter_model.safetensors');
    expect(readManifest(r.path).model).toMatchObject({ ref, lora: true, baseModel: 'tiny-qwen2' });
    expect(r.card).toContain('library_name: peft');
    expect(r.card).toContain('| Method | LoRA (r 4, alpha 8, dropout default, modules q_proj, v_proj) |');
    // Its dataset version is gone from the workspace: the card says so instead of inventing a lineage.
    expect(r.card).toContain('a dataset version whose manifest is no longer in the workspace');
    expect(await verifyFolder(r.path)).toEqual([]);
  }, 300_000);

  it('cancels an export: the exporter is stopped and nothing is left, on disk or in the list', async () => {
    const out = join(tempDir(), 'tiny-hf');
    const off = lb.on('jobs:progress', (p) => {
      // Cancel once the exporter itself runs (its first stage), not before it started.
      if (p.jobId === 'c1' && p.step === 'loading the model') void lb.invoke('models:cancel-export', { jobId: 'c1' });
    });
    try {
      await expect(lb.invoke('models:export', { ref: 'tiny', format: 'hf', out, jobId: 'c1' })).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      off();
    }
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, '..'))).toEqual([]);
    expect((await lb.invoke('models:exports', {})).map((e) => e.modelRef)).not.toContain('tiny');
    expect(events.filter((e) => e.jobId === 'c1').at(-1)).toMatchObject({ state: 'cancelled' });
    expect(await lb.invoke('models:cancel-export', { jobId: 'c1' })).toEqual({ cancelled: false });
  }, 300_000);

  it('refuses a folder that is not empty, and an adapter export of a full model', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await expect(lb.invoke('models:export', { ref: 'tiny', format: 'hf', out })).rejects.toThrow(`${out} is not empty; give a new or empty folder`);
    await expect(lb.invoke('models:export', { ref: 'tiny', format: 'hf', lora: 'adapter' })).rejects.toThrow('tiny is not a LoRA checkpoint');
    await expect(lb.invoke('models:export', { ref: 'nope/missing', format: 'gguf' })).rejects.toThrow(/not in this workspace/);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it("deletes a folder in the workspace's exports/ but never one the user chose elsewhere; finds the newest ONNX export", async () => {
    const inside = join(ws, 'exports', 'tiny-qwen2-onnx');
    const outside = join(tempDir(), 'my-onnx');
    for (const dir of [inside, outside]) {
      mkdirSync(join(dir, 'onnx'), { recursive: true });
      writeFileSync(join(dir, 'config.json'), '{}');
      writeFileSync(join(dir, 'onnx', 'model.onnx'), Buffer.from([8, 8]));
    }
    const a = insertExport(lb.db, { modelRef: 'tiny', modelLabel: 'tiny-qwen2', format: 'onnx', variant: 'fp32,int8', path: inside, pid: process.pid });
    finishExport(lb.db, a, 2, '[]');
    const b = insertExport(lb.db, { modelRef: 'tiny', modelLabel: 'tiny-qwen2', format: 'onnx', variant: 'fp32,int8', path: outside, pid: process.pid });
    finishExport(lb.db, b, 2, '[]');
    expect(findOnnxExport(lb.db, 'tiny')).toBe(outside);

    expect(await lb.invoke('models:delete-export', { id: b })).toEqual({ deleted: true, folderDeleted: false, path: outside });
    expect(existsSync(join(outside, 'onnx', 'model.onnx'))).toBe(true);
    expect(findOnnxExport(lb.db, 'tiny')).toBe(inside);
    expect(await lb.invoke('models:delete-export', { id: a })).toEqual({ deleted: true, folderDeleted: true, path: inside });
    expect(existsSync(inside)).toBe(false);
    expect(findOnnxExport(lb.db, 'tiny')).toBeNull();
    await expect(lb.invoke('models:delete-export', { id: a })).rejects.toThrow(`There is no export #${a}`);
  });

  it('forgets an export whose process died mid-way, with its staging folder', async () => {
    const out = join(ws, 'exports', 'crashed-gguf');
    const staging = join(ws, 'exports', '.langbridge-export-999999-1');
    mkdirSync(join(staging, 'crashed-gguf'), { recursive: true });
    insertExport(lb.db, { modelRef: 'tiny', modelLabel: 'tiny-qwen2', format: 'gguf', variant: 'f16,q8_0', path: out, pid: 999_999 });
    expect((await lb.invoke('models:exports', {})).map((e) => e.path)).not.toContain(out);
    expect(existsSync(staging)).toBe(false);
  });
});
