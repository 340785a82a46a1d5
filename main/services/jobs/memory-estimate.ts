/**
 * Will this run fit? A closed-form estimate of the memory one GPU (or the
 * CPU) needs for a training run, from the base model's config.json and the
 * run's options, shown on the Train page before Start. It follows what
 * native/trainer does, so it changes when the trainer does:
 * - full fine-tuning keeps fp32 weights, fp32 gradients and AdamW's two fp32
 *   moments (16 bytes per parameter); FSDP shards all four across the GPUs,
 *   DDP keeps a gradient bucket copy on each;
 * - LoRA keeps the frozen base in the compute precision (2 bytes, 4 in
 *   fp32) and 16 bytes per adapter parameter;
 * - activations per token and layer follow Korthikanti et al. 2022 ("Reducing
 *   Activation Recomputation", no attention-score term since the attention
 *   kernels never materialise the s×s matrix), adapted to SwiGLU MLPs and
 *   grouped-query attention; activation checkpointing keeps only each
 *   layer's input and recomputes one layer at a time;
 * - the loss projects the final hidden states onto the vocabulary 1,024
 *   tokens at a time (native/trainer loss.py, CHUNK_TOKENS), each chunk
 *   recomputed in backward: at most one chunk's logits are alive, at 12
 *   bytes a logit (fp32 log-softmax, its gradient and the gradient it
 *   produces; loss.py's loss_memory_bytes).
 * It is an estimate: the allocator's fragmentation and the CUDA context are
 * a fixed allowance, and the verdict leaves a margin.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ModelShape {
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
  tied: boolean;
  qkvBias: boolean;
}

export interface EstimateInput {
  shape: ModelShape;
  seqLen: number;
  microBatch: number;
  /** The precision the run computes in ('auto' resolves to bf16 on a GPU, fp32 on the CPU). */
  precision: 'bf16' | 'fp16' | 'fp32';
  method: 'full' | 'lora';
  loraR: number;
  loraTargets: readonly string[];
  activationCheckpointing: boolean;
  gpus: number;
  distributed: 'ddp' | 'fsdp';
}

export interface MemoryEstimate {
  parameters: number;
  trainableParameters: number;
  /** Bytes per device, by part. */
  parts: { weights: number; gradients: number; optimizer: number; activations: number; logits: number; overhead: number };
  total: number;
}

const GIB = 1024 ** 3;
/** CUDA context, cuBLAS workspaces, allocator slack. */
const FIXED_OVERHEAD = 1.0 * GIB;
const FRAGMENTATION = 0.1;
/** native/trainer/langbridge_trainer/loss.py: CHUNK_TOKENS and CHUNK_BYTES_PER_LOGIT. */
const LOSS_CHUNK_TOKENS = 1024;
const LOSS_BYTES_PER_LOGIT = 12;

export function readModelShape(modelDir: string): ModelShape | null {
  const path = join(modelDir, 'config.json');
  if (!existsSync(path)) return null;
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  // Multimodal and nested configs keep the language model's numbers in text_config.
  if (c.text_config && typeof c.text_config === 'object') c = { ...c, ...(c.text_config as Record<string, unknown>) };
  const n = (k: string) => (typeof c[k] === 'number' ? (c[k] as number) : null);
  const hidden = n('hidden_size');
  const layers = n('num_hidden_layers');
  const heads = n('num_attention_heads');
  const vocab = n('vocab_size');
  if (!hidden || !layers || !heads || !vocab) return null;
  const modelType = String(c.model_type ?? '');
  return {
    hidden,
    intermediate: n('intermediate_size') ?? 4 * hidden,
    layers,
    heads,
    kvHeads: n('num_key_value_heads') ?? heads,
    headDim: n('head_dim') ?? hidden / heads,
    vocab,
    tied: c.tie_word_embeddings === true,
    // Qwen2 puts biases on q, k and v; Llama and Qwen3 do not (attention_bias says so where present).
    qkvBias: typeof c.attention_bias === 'boolean' ? c.attention_bias : modelType === 'qwen2',
  };
}

/** Parameters of a Qwen2/Qwen3/Llama-style decoder, per module kind. */
export function countParameters(s: ModelShape): { total: number; perLayerModule: Record<string, { in: number; out: number }>; embedding: number } {
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const modules = {
    q_proj: { in: s.hidden, out: q },
    k_proj: { in: s.hidden, out: kv },
    v_proj: { in: s.hidden, out: kv },
    o_proj: { in: q, out: s.hidden },
    gate_proj: { in: s.hidden, out: s.intermediate },
    up_proj: { in: s.hidden, out: s.intermediate },
    down_proj: { in: s.intermediate, out: s.hidden },
  };
  let perLayer = 2 * s.hidden; // two RMSNorms
  for (const m of Object.values(modules)) perLayer += m.in * m.out;
  if (s.qkvBias) perLayer += q + 2 * kv;
  const embedding = s.vocab * s.hidden;
  const total = embedding * (s.tied ? 1 : 2) + s.layers * perLayer + s.hidden;
  return { total, perLayerModule: modules, embedding };
}

export function estimateMemory(i: EstimateInput): MemoryEstimate {
  const { shape: s } = i;
  const { total: parameters, perLayerModule } = countParameters(s);
  const computeBytes = i.precision === 'fp32' ? 4 : 2;
  const sharded = i.gpus > 1 && i.distributed === 'fsdp' ? i.gpus : 1;

  let trainable: number;
  let weights: number;
  let gradients: number;
  let optimizer: number;
  if (i.method === 'lora') {
    trainable = 0;
    for (const [name, m] of Object.entries(perLayerModule)) if (i.loraTargets.includes(name)) trainable += i.loraR * (m.in + m.out) * s.layers;
    weights = (parameters * computeBytes + trainable * 4) / sharded;
    gradients = (trainable * 4) / sharded;
    optimizer = (trainable * 8) / sharded;
  } else {
    trainable = parameters;
    weights = (parameters * 4) / sharded;
    // DDP's gradient buckets hold a second copy of the gradients while they are reduced.
    gradients = (parameters * 4 * (i.gpus > 1 && sharded === 1 ? 2 : 1)) / sharded;
    optimizer = (parameters * 8) / sharded;
  }

  const tokens = i.seqLen * i.microBatch;
  const kv = s.kvHeads * s.headDim;
  const q = s.heads * s.headDim;
  // Saved for backward, per token and layer: norm inputs and outputs (fp32 residual stream, compute-precision copies),
  // q/k/v and attention output, the SwiGLU's gate, up, activation and product, and the attention kernel's statistics.
  const perTokenLayer = 2 * 4 * s.hidden + computeBytes * (2 * s.hidden + q + 2 * kv + q) + computeBytes * (s.hidden + 4 * s.intermediate) + 4 * s.heads;
  const layerInput = 4 * s.hidden;
  const activations = i.activationCheckpointing ? tokens * (s.layers * layerInput + perTokenLayer) : tokens * s.layers * perTokenLayer;
  // One chunk of the output projection at a time (loss.py).
  const logits = Math.min(LOSS_CHUNK_TOKENS, tokens) * s.vocab * LOSS_BYTES_PER_LOGIT;

  const subtotal = weights + gradients + optimizer + activations + logits;
  const overhead = FIXED_OVERHEAD + FRAGMENTATION * subtotal;
  const parts = { weights, gradients, optimizer, activations, logits, overhead };
  return { parameters, trainableParameters: trainable, parts, total: subtotal + overhead };
}

export type Verdict = 'fits' | 'tight' | 'does-not-fit' | 'unknown';

/** 'tight' above 85% of the device's memory: it may run, or fail on a long document batch. */
export function verdict(total: number, available: number | null): Verdict {
  if (!available) return 'unknown';
  if (total <= 0.85 * available) return 'fits';
  if (total <= available) return 'tight';
  return 'does-not-fit';
}

/** What to change, biggest saving first, for a run that does not fit. */
export function advice(i: EstimateInput, e: MemoryEstimate): string[] {
  const out: string[] = [];
  const ranked = Object.entries(e.parts).sort((a, b) => b[1] - a[1]).map(([k]) => k);
  for (const part of ranked) {
    if (part === 'activations' && i.microBatch > 1) out.push(`Lower the micro-batch (now ${i.microBatch}); gradient accumulation keeps the global batch.`);
    if (part === 'activations' && !i.activationCheckpointing) out.push('Turn on activation checkpointing (about a third slower, far less activation memory).');
    if (part === 'activations' && i.seqLen > 1024) out.push(`Use shorter sequences (now ${i.seqLen} tokens).`);
    if ((part === 'optimizer' || part === 'gradients' || part === 'weights') && i.method === 'full') {
      out.push('Use LoRA: the base stays frozen, so it needs no gradients or optimizer state.');
      if (i.gpus > 1 && i.distributed === 'ddp') out.push('Shard the model across the GPUs with FSDP.');
    }
  }
  return [...new Set(out)];
}
