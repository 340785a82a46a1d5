/**
 * An exported ONNX decoder (with key/value cache) and its tokenizer, loaded
 * with @huggingface/transformers on onnxruntime-node from a local folder
 * only: remote loading is switched off, so a missing file is an error here,
 * never a download. The folder is what `langbridge export model REF --format
 * onnx` writes: config.json, tokenizer files, onnx/model.onnx (fp32) and
 * onnx/model_quantized.onnx (int8, dtype 'q8').
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { LangbridgeError } from '../../api/errors';
import type { KvCache, StepModel, TextCodec } from './decode';

export type OnnxDtype = 'fp32' | 'q8';

export const ONNX_FILES: Record<OnnxDtype, string> = { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx' };

// Local files only, for every model this process loads; nothing is cached elsewhere.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useBrowserCache = false;
env.useFSCache = false;

type TensorMap = Record<string, Tensor>;

/** The cache as the exported graph's past_key_values.N.key/value tensors, [batch, heads, length, head_dim]. */
class OnnxKvCache implements KvCache {
  constructor(
    readonly entries: TensorMap,
    readonly length: number,
  ) {}

  select(rows: readonly number[]): KvCache {
    const first = Object.values(this.entries)[0];
    if (first && rows.length === first.dims[0] && rows.every((r, i) => r === i)) return this;
    const out: TensorMap = {};
    for (const [name, t] of Object.entries(this.entries)) {
      const [batch, ...rest] = t.dims as number[];
      const rowSize = rest.reduce((a, b) => a * b, 1);
      const src = t.data as Float32Array;
      const data = new (src.constructor as Float32ArrayConstructor)(rows.length * rowSize);
      rows.forEach((r, i) => {
        if (r >= batch!) throw new Error(`cache row ${r} of ${batch}`);
        data.set(src.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
      });
      out[name] = new Tensor(t.type, data, [rows.length, ...rest]);
    }
    return new OnnxKvCache(out, this.length);
  }
}

export interface LoadedModel {
  dir: string;
  dtype: OnnxDtype;
  /** The context the model was trained for (max_position_embeddings). */
  maxPositions: number;
  eosTokenIds: Set<number>;
  step: StepModel;
  codec: TextCodec;
  encode(text: string): number[];
  dispose(): Promise<void>;
}

function eosIds(model: PreTrainedModel, tokenizer: PreTrainedTokenizer): Set<number> {
  const ids = new Set<number>();
  const add = (v: unknown) => {
    for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'number') ids.add(x);
  };
  add((model.generation_config as { eos_token_id?: unknown } | null)?.eos_token_id);
  add((model.config as { eos_token_id?: unknown }).eos_token_id);
  const eosToken = (tokenizer as { eos_token_id?: unknown }).eos_token_id;
  add(eosToken);
  return ids;
}

/**
 * Loads an ONNX export folder; says plainly which file is missing. `threads`:
 * onnxruntime's intra-op threads (default: its own choice, the physical cores).
 */
export async function loadOnnxModel(dir: string, dtype: OnnxDtype, opts: { threads?: number } = {}): Promise<LoadedModel> {
  for (const f of ['config.json', 'tokenizer.json', ONNX_FILES[dtype]]) {
    if (!existsSync(join(dir, f))) {
      const hint = f.startsWith('onnx/')
        ? dtype === 'q8'
          ? ' (this export has no int8 model: translate without --int8, or export again)'
          : ''
        : '';
      throw new LangbridgeError('not-found', `${join(dir, f)} is missing: ${dir} is not a complete ONNX export${hint}.`, join(dir, f));
    }
  }
  let model: PreTrainedModel;
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    model = await AutoModelForCausalLM.from_pretrained(dir, {
      local_files_only: true,
      dtype,
      device: 'cpu',
      ...(opts.threads ? { session_options: { intraOpNumThreads: opts.threads } } : {}),
    });
  } catch (err) {
    throw new LangbridgeError('internal', `Could not load the ONNX model in ${dir}: ${(err as Error).message.split('\n')[0]}`, dir);
  }
  const session = (model as unknown as { sessions: Record<string, { inputNames: string[] }> }).sessions.model;
  if (!session?.inputNames.some((n) => n.startsWith('past_key_values.'))) {
    throw new LangbridgeError('bad-input', `${join(dir, ONNX_FILES[dtype])} has no key/value cache inputs (past_key_values.*): export it again with \`langbridge export model REF --format onnx\`.`);
  }
  const config = model.config as { max_position_embeddings?: number };
  const newline = new Map<number, boolean>();
  const decodeIds = (ids: readonly number[]) => tokenizer.decode([...ids], { skip_special_tokens: true });
  const codec: TextCodec = {
    decode: decodeIds,
    hasNewline: (id) => {
      let v = newline.get(id);
      if (v === undefined) newline.set(id, (v = tokenizer.decode([id], { skip_special_tokens: false }).includes('\n')));
      return v;
    },
  };

  const step: StepModel = {
    async forward(tokens, past) {
      const batch = tokens.length;
      const seq = tokens[0]!.length;
      const pastLen = past?.length ?? 0;
      const ids = new BigInt64Array(batch * seq);
      const pos = new BigInt64Array(batch * seq);
      tokens.forEach((row, b) =>
        row.forEach((t, i) => {
          ids[b * seq + i] = BigInt(t);
          pos[b * seq + i] = BigInt(pastLen + i);
        }),
      );
      const out = (await model.forward({
        input_ids: new Tensor('int64', ids, [batch, seq]),
        attention_mask: new Tensor('int64', new BigInt64Array(batch * (pastLen + seq)).fill(1n), [batch, pastLen + seq]),
        position_ids: new Tensor('int64', pos, [batch, seq]),
        past_key_values: past ? (past as OnnxKvCache).entries : null,
      })) as TensorMap;
      const logits = out.logits!;
      const vocab = logits.dims[2]!;
      const data = logits.data as Float32Array;
      const rows = Array.from({ length: batch }, (_, b) => data.subarray((b * seq + seq - 1) * vocab, (b * seq + seq) * vocab));
      const entries: TensorMap = {};
      for (const [name, t] of Object.entries(out)) if (name.startsWith('present')) entries[name.replace('present', 'past_key_values')] = t;
      return { logits: rows, cache: new OnnxKvCache(entries, pastLen + seq) };
    },
  };

  return {
    dir,
    dtype,
    maxPositions: config.max_position_embeddings ?? 32768,
    eosTokenIds: eosIds(model, tokenizer),
    step,
    codec,
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    dispose: async () => {
      await model.dispose();
    },
  };
}
