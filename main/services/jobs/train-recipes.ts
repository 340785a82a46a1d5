/**
 * Training recipes: named sets of TrainOptions a run starts from (the Train
 * page's recipe picker, `langbridge train --recipe NAME|FILE`). The trainer's
 * own defaults are the Marco-LLM recipe (two stages, peak LR 1e-5 then 6e-6,
 * AdamW, 2,048-token sequences, 0.5M-token batches), so `marco` changes
 * nothing; the others say what they change and why.
 */
import type { TrainOptions } from '../../api/train-schemas';

export interface TrainRecipe {
  name: string;
  title: string;
  description: string;
  options: TrainOptions;
}

export const TRAIN_RECIPES: readonly TrainRecipe[] = [
  {
    name: 'marco',
    title: 'Marco-LLM (default)',
    description: 'Two stages over the dataset\'s stage shards, peak LR 1e-5 then 6e-6, cosine decay to 10%, AdamW, 2,048-token sequences, 524,288-token global batches, bf16 on GPUs that support it.',
    options: {},
  },
  {
    name: 'lora-small-gpu',
    title: 'LoRA on a small GPU',
    description: 'The Marco schedule with LoRA adapters (r 16) on every projection and activation checkpointing, so a 1.5B model trains on a 12–16 GB GPU. Peak LRs are raised (2e-4, 1e-4) because adapters start from zero.',
    options: {
      method: 'lora',
      lora: { r: 16, alpha: 32 },
      activationCheckpointing: true,
      stages: [
        { directory: 'stage-1', peakLr: 2e-4 },
        { directory: 'stage-2', peakLr: 1e-4 },
      ],
    },
  },
  {
    name: 'cpu-demo',
    title: 'CPU demo (tiny model)',
    description: 'A run of a few minutes on a laptop CPU, for the tiny demo model: 256-token sequences, 1,024-token batches, 20 steps per stage, fp32, held-out evaluation every 10 steps. Far too small for a real model.',
    options: {
      seqLen: 256,
      globalBatchTokens: 1024,
      microBatch: 2,
      device: 'cpu',
      precision: 'fp32',
      evalInterval: 10,
      checkpointInterval: 20,
      keepCheckpoints: 2,
      evalMaxDocumentsPerLanguage: 20,
      stages: [
        { directory: 'stage-1', tokens: 20480, peakLr: 0.003, warmupSteps: 2 },
        { directory: 'stage-2', tokens: 20480, peakLr: 0.002, warmupSteps: 2 },
      ],
    },
  },
];

export function trainRecipe(name: string): TrainRecipe | undefined {
  return TRAIN_RECIPES.find((r) => r.name === name);
}
