import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Langbridge } from '../../main/services/langbridge';
import { tempDir } from './helpers/workspace';

describe('cluster bundle (langbridge train --emit-bundle)', () => {
  it('writes the trainer, the dataset, a relative spec, a torchrun rendezvous launcher and an sbatch file', async () => {
    const dir = tempDir();
    const lb = new Langbridge(dir);
    try {
      await lb.invoke('corpus:import-sample', { sample: 'udhr', langs: ['eng', 'swh'] });
      const run = await lb.invoke('pipeline:run', { recipe: await lb.invoke('pipeline:recipe', { name: 'minimal' }) });
      const model = join(dir, 'my-model');
      mkdirSync(model);
      writeFileSync(join(model, 'config.json'), '{"architectures": ["Qwen2ForCausalLM"]}');
      const out = join(dir, 'bundle');
      const b = await lb.invoke('train:bundle', { datasetId: run.dataset.id, base: model, out, launcher: 'slurm', nodes: 2, gpusPerNode: 4, options: { seqLen: 4096, microBatch: 2 } });
      expect(b.run).toBe('sbatch langbridge.sbatch');
      for (const f of ['trainer', 'dataset', 'spec.json', 'launch-torchrun.sh', 'langbridge.sbatch', 'README.md']) expect(b.files).toContain(f);
      expect(existsSync(join(out, 'trainer', 'langbridge_trainer', 'train.py'))).toBe(true);
      expect(existsSync(join(out, 'trainer', 'tests'))).toBe(false);
      expect(existsSync(join(out, 'dataset', 'manifest.json'))).toBe(true);
      const spec = JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8'));
      expect(spec).toMatchObject({ specVersion: 1, baseModel: model, dataset: 'dataset', runDir: 'runs/run', seqLen: 4096, microBatch: 2 });
      const launcher = readFileSync(join(out, 'launch-torchrun.sh'), 'utf8');
      expect(launcher).toMatch(/--rdzv_backend=c10d/);
      expect(launcher).toMatch(/-m langbridge_trainer train/);
      const sbatch = readFileSync(join(out, 'langbridge.sbatch'), 'utf8');
      expect(sbatch).toMatch(/#SBATCH --nodes=2/);
      expect(sbatch).toMatch(/#SBATCH --gpus-per-node=4/);
      // Both scripts are valid bash.
      for (const f of ['launch-torchrun.sh', 'langbridge.sbatch']) expect(spawnSync('bash', ['-n', join(out, f)]).status).toBe(0);
      // A second bundle into the same, now non-empty, folder is refused.
      await expect(lb.invoke('train:bundle', { datasetId: run.dataset.id, base: model, out })).rejects.toThrow(/not empty/);
      await expect(lb.invoke('train:bundle', { datasetId: 999, base: model, out: join(dir, 'b2') })).rejects.toThrow(/no dataset version #999/);
      await expect(lb.invoke('train:bundle', { datasetId: run.dataset.id, base: join(dir, 'nothing'), out: join(dir, 'b3') })).rejects.toThrow(/no config.json|not a Hugging Face model folder/);
    } finally {
      lb.close();
    }
  });
});
