import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advice, countParameters, estimateMemory, readModelShape, verdict, type EstimateInput, type ModelShape } from '../../main/services/jobs/memory-estimate';

// Real configs' numbers (Qwen/Qwen2-0.5B and Qwen/Qwen2-1.5B config.json).
const QWEN2_05B = { model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, vocab_size: 151936, tie_word_embeddings: true };
const QWEN2_15B = { model_type: 'qwen2', hidden_size: 1536, intermediate_size: 8960, num_hidden_layers: 28, num_attention_heads: 12, num_key_value_heads: 2, vocab_size: 151936, tie_word_embeddings: true };

function shapeOf(config: object): ModelShape {
  const dir = mkdtempSync(join(tmpdir(), 'lb-shape-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return readModelShape(dir)!;
}

const base = (shape: ModelShape): EstimateInput => ({ shape, seqLen: 4096, microBatch: 1, precision: 'bf16', method: 'full', loraR: 16, loraTargets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'], activationCheckpointing: false, gpus: 1, distributed: 'ddp' });
const GIB = 1024 ** 3;

describe('memory estimate', () => {
  it('counts the parameters the published Qwen2 models have', () => {
    // The model cards' counts: 494,032,768 and 1,543,714,304.
    expect(countParameters(shapeOf(QWEN2_05B)).total).toBe(494_032_768);
    expect(countParameters(shapeOf(QWEN2_15B)).total).toBe(1_543_714_304);
  });

  it('full fine-tuning needs 16 bytes a parameter before activations; FSDP shards them', () => {
    const shape = shapeOf(QWEN2_15B);
    const one = estimateMemory(base(shape));
    expect(one.parts.weights + one.parts.gradients + one.parts.optimizer).toBe(16 * one.parameters);
    const four = estimateMemory({ ...base(shape), gpus: 4, distributed: 'fsdp' });
    expect(four.parts.optimizer).toBe(one.parts.optimizer / 4);
    // DDP keeps everything on each GPU, plus a bucket copy of the gradients.
    const ddp = estimateMemory({ ...base(shape), gpus: 4 });
    expect(ddp.parts.gradients).toBe(2 * one.parts.gradients);
  });

  it('LoRA and activation checkpointing shrink what they should', () => {
    const shape = shapeOf(QWEN2_15B);
    const full = estimateMemory(base(shape));
    const lora = estimateMemory({ ...base(shape), method: 'lora' });
    expect(lora.trainableParameters).toBeGreaterThan(1e6);
    expect(lora.trainableParameters).toBeLessThan(0.02 * lora.parameters);
    expect(lora.parts.optimizer).toBe(8 * lora.trainableParameters);
    const states = (e: typeof full) => e.parts.weights + e.parts.gradients + e.parts.optimizer;
    // bf16 frozen base (2 bytes a parameter) against 16: a seventh, plus the adapters.
    expect(states(lora)).toBeLessThan(states(full) / 6);
    expect(lora.parts.activations).toBe(full.parts.activations);
    const ckpt = estimateMemory({ ...base(shape), activationCheckpointing: true });
    expect(ckpt.parts.activations).toBeLessThan(full.parts.activations / 5);
    // Activations scale with the micro-batch; the chunked loss holds one 1,024-token chunk of logits whatever the batch.
    const mb4 = estimateMemory({ ...base(shape), microBatch: 4 });
    expect(mb4.parts.activations).toBeCloseTo(4 * full.parts.activations);
    expect(mb4.parts.logits).toBe(full.parts.logits);
    expect(full.parts.logits).toBe(1024 * 151936 * 12);
    expect(estimateMemory({ ...base(shape), seqLen: 256 }).parts.logits).toBe(256 * 151936 * 12);
  });

  it('gives a verdict against the device and advice that names the largest parts', () => {
    const shape = shapeOf(QWEN2_15B);
    const e = estimateMemory({ ...base(shape), microBatch: 8 });
    // Full fine-tuning of 1.5B at 8 x 4,096 tokens does not fit a 24 GB card, fits an 80 GB one with room.
    expect(verdict(e.total, 24 * GIB)).toBe('does-not-fit');
    expect(verdict(e.total, null)).toBe('unknown');
    const small = estimateMemory({ ...base(shape), method: 'lora', activationCheckpointing: true });
    expect(verdict(small.total, 80 * GIB)).toBe('fits');
    const tips = advice({ ...base(shape), microBatch: 8 }, e);
    expect(tips.some((t) => t.includes('micro-batch'))).toBe(true);
    expect(tips.some((t) => t.includes('LoRA'))).toBe(true);
    expect(tips.some((t) => t.includes('activation checkpointing'))).toBe(true);
  });

  it('reads Qwen3 and Llama configs (explicit head_dim, no q/k/v bias) and refuses a folder without one', () => {
    const qwen3 = shapeOf({ model_type: 'qwen3', hidden_size: 1024, intermediate_size: 3072, num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 128, vocab_size: 151936, tie_word_embeddings: true });
    expect(qwen3.headDim).toBe(128);
    expect(qwen3.qkvBias).toBe(false);
    expect(readModelShape(mkdtempSync(join(tmpdir(), 'lb-empty-')))).toBeNull();
  });
});
