/**
 * A cluster bundle: everything a cluster needs to run the identical trainer
 * on a dataset version, in one folder to copy over: the trainer's sources,
 * the dataset (copied, or referenced by path), the spec with paths relative
 * to the bundle, a torchrun launcher using its multi-node rendezvous, and an
 * sbatch file for Slurm.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { LangbridgeError } from '../../api/errors';
import type { TrainOptions } from '../../api/train-schemas';
import { trainerDir } from '../python/python-env';

export interface BundleRequest {
  out: string;
  launcher: 'torchrun' | 'slurm';
  datasetDir: string;
  baseModel: string;
  options: TrainOptions;
  nodes: number;
  gpusPerNode: number;
  /** Refer to the dataset where it is instead of copying it (a shared file system). */
  dataPaths?: boolean;
}

const SKIP = new Set(['__pycache__', '.pytest_cache', 'tests', 'bench']);

export function emitBundle(r: BundleRequest): { dir: string; files: string[]; run: string } {
  const dir = resolve(r.out);
  if (existsSync(dir) && readdirSync(dir).length) throw new LangbridgeError('bad-input', `${dir} is not empty; give a new or empty folder for the bundle.`);
  mkdirSync(dir, { recursive: true });
  cpSync(trainerDir(), join(dir, 'trainer'), { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
  let dataset = 'dataset';
  if (r.dataPaths) dataset = resolve(r.datasetDir);
  else cpSync(r.datasetDir, join(dir, 'dataset'), { recursive: true });
  const spec = { specVersion: 1, baseModel: resolve(r.baseModel), dataset, runDir: 'runs/run', cacheDir: 'cache/tokens', ...r.options };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec, null, 2) + '\n');

  const torchrun = `#!/usr/bin/env bash
# Starts this node's share of the run with torchrun's c10d rendezvous. Run it
# on every node (same MASTER_ADDR/MASTER_PORT, NODE_RANK 0..NNODES-1), in an
# environment where \`pip install ./trainer\` has been done:
#   NNODES=${r.nodes} GPUS_PER_NODE=${r.gpusPerNode} MASTER_ADDR=node0 MASTER_PORT=29500 ./launch-torchrun.sh
# Resume after a stop: RESUME=1 ./launch-torchrun.sh
set -euo pipefail
cd "$(dirname "$0")"
NNODES="\${NNODES:-${r.nodes}}"
GPUS_PER_NODE="\${GPUS_PER_NODE:-${r.gpusPerNode}}"
MASTER_ADDR="\${MASTER_ADDR:-localhost}"
MASTER_PORT="\${MASTER_PORT:-29500}"
if [ "\${RESUME:-0}" = "1" ]; then WHAT=(--resume runs/run); else WHAT=(--spec spec.json); fi
exec torchrun --nnodes="$NNODES" --nproc_per_node="$GPUS_PER_NODE" \\
  --rdzv_backend=c10d --rdzv_endpoint="$MASTER_ADDR:$MASTER_PORT" --rdzv_id="\${RDZV_ID:-langbridge}" \\
  -m langbridge_trainer train "\${WHAT[@]}"
`;
  const sbatch = `#!/bin/bash
# Slurm: sbatch langbridge.sbatch (resume: sbatch --export=ALL,RESUME=1 langbridge.sbatch).
# One task per node; torchrun starts one process per GPU on each.
#SBATCH --job-name=langbridge
#SBATCH --nodes=${r.nodes}
#SBATCH --ntasks-per-node=1
#SBATCH --gpus-per-node=${r.gpusPerNode}
#SBATCH --cpus-per-task=${Math.max(4, r.gpusPerNode * 8)}
#SBATCH --time=48:00:00
#SBATCH --output=logs/%x-%j.out
set -euo pipefail
cd "$SLURM_SUBMIT_DIR"
mkdir -p logs
MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)
if [ "\${RESUME:-0}" = "1" ]; then WHAT="--resume runs/run"; else WHAT="--spec spec.json"; fi
srun torchrun --nnodes="$SLURM_NNODES" --nproc_per_node=${r.gpusPerNode} \\
  --rdzv_backend=c10d --rdzv_endpoint="$MASTER_ADDR:29500" --rdzv_id="$SLURM_JOB_ID" \\
  -m langbridge_trainer train $WHAT
`;
  writeFileSync(join(dir, 'launch-torchrun.sh'), torchrun);
  chmodSync(join(dir, 'launch-torchrun.sh'), 0o755);
  writeFileSync(join(dir, 'langbridge.sbatch'), sbatch);
  const run = r.launcher === 'slurm' ? 'sbatch langbridge.sbatch' : `NNODES=${r.nodes} GPUS_PER_NODE=${r.gpusPerNode} MASTER_ADDR=<first node> ./launch-torchrun.sh   (on every node)`;
  writeFileSync(
    join(dir, 'README.md'),
    `# Langbridge training bundle

1. Copy this folder to the cluster${r.dataPaths ? ` (the dataset is read from ${dataset}: it must be visible there)` : ''}; the base model is read from ${spec.baseModel} (copy it and edit \`baseModel\` in spec.json if the path differs there).
2. Make a Python >= 3.10 environment with PyTorch for the cluster's CUDA and run \`pip install ./trainer\`.
3. Start: \`${run}\`.

Events go to runs/run/events.jsonl, the log to runs/run/train.log, checkpoints to runs/run/checkpoints.
Copy runs/run back into the workspace to see the run in Langbridge.
`,
  );
  return { dir, files: readdirSync(dir), run };
}
