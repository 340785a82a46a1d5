/**
 * Validates a GGUF file written by the exporter with @huggingface/gguf (the
 * Hugging Face reader, not ours): the header and metadata parse, the
 * architecture is the model's (qwen2; qwen3 for a Qwen3 base), the tensor
 * count is what the model's config implies,
 * the file type is the one its name promises, and the last tensor's data ends
 * inside the file (a truncated copy fails here rather than in llama.cpp).
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { gguf, GGMLFileQuantizationType, GGMLQuantizationType } from '@huggingface/gguf';
import type { ExportCheck } from '../../api/model-schemas';

/** What the model's config says the file must hold. */
export interface GgufExpectation {
  /** The model's model_type: qwen2, or qwen3 (which llama.cpp names the same). */
  architecture: 'qwen2' | 'qwen3';
  /** num_hidden_layers of config.json. */
  layers: number;
  /** tie_word_embeddings: no separate output.weight tensor. */
  tiedEmbeddings: boolean;
}

/**
 * Tensors llama.cpp's converter writes: token_embd, output_norm, [output], and per block
 * Qwen2: 2 norms, q/k/v weights and biases, o, gate, up, down (12);
 * Qwen3: 2 norms, q/k/v without biases, q_norm, k_norm, o, gate, up, down (11).
 */
export function expectedTensors(e: GgufExpectation): number {
  return 2 + (e.tiedEmbeddings ? 0 : 1) + (e.architecture === 'qwen3' ? 11 : 12) * e.layers;
}

const FILE_TYPES: Record<string, number> = { f16: GGMLFileQuantizationType.F16, q8_0: GGMLFileQuantizationType.Q8_0, f32: GGMLFileQuantizationType.F32, bf16: GGMLFileQuantizationType.BF16 };

/** Bytes per block and elements per block of the tensor types the exporter writes. */
const BLOCK: Partial<Record<GGMLQuantizationType, [bytes: number, elements: number]>> = {
  [GGMLQuantizationType.F32]: [4, 1],
  [GGMLQuantizationType.F16]: [2, 1],
  [GGMLQuantizationType.BF16]: [2, 1],
  [GGMLQuantizationType.Q8_0]: [34, 32],
};

/** The file type a name like model-q8_0.gguf promises, or null. */
export function fileTypeOfName(name: string): { label: string; value: number } | null {
  const m = /-(f32|f16|bf16|q8_0)\.gguf$/i.exec(name);
  return m ? { label: m[1]!.toLowerCase(), value: FILE_TYPES[m[1]!.toLowerCase()]! } : null;
}

export async function checkGguf(path: string, expect: GgufExpectation | null, relPath = basename(path)): Promise<ExportCheck[]> {
  const checks: ExportCheck[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ path: relPath, check, ok, detail });
  let parsed: Awaited<ReturnType<typeof gguf>>;
  try {
    parsed = await gguf(path, { allowLocalFile: true });
  } catch (err) {
    add('gguf header', false, `${relPath}: @huggingface/gguf cannot read its header (${(err as Error).message.split('\n')[0]}).`);
    return checks;
  }
  const { metadata, tensorInfos, tensorDataOffset } = parsed;
  add('gguf header', true, `GGUF version ${metadata.version}, ${metadata.kv_count} metadata keys, ${tensorInfos.length} tensors`);

  const arch = metadata['general.architecture'];
  const wantArch = expect?.architecture ?? 'qwen2';
  add('architecture', arch === wantArch, arch === wantArch ? `general.architecture is ${wantArch}` : `${relPath}: general.architecture is ${String(arch)}, expected ${wantArch}.`);

  const declared = Number(metadata.tensor_count);
  if (declared !== tensorInfos.length) add('tensor count', false, `${relPath}: the header declares ${declared} tensors but describes ${tensorInfos.length}.`);
  else if (expect) {
    const want = expectedTensors(expect);
    const name = expect.architecture === 'qwen3' ? 'Qwen3' : 'Qwen2';
    add('tensor count', declared === want, declared === want ? `${declared} tensors, as ${expect.layers} layers imply` : `${relPath}: ${declared} tensors, but a ${expect.layers}-layer ${name}${expect.tiedEmbeddings ? ' with tied embeddings' : ''} has ${want}.`);
  } else add('tensor count', declared > 0, `${declared} tensors`);

  const promised = fileTypeOfName(relPath);
  const fileType = (metadata as Record<string, unknown>)['general.file_type'];
  if (promised) {
    const ok = fileType === promised.value;
    add('file type', ok, ok ? `general.file_type is ${GGMLFileQuantizationType[promised.value]}` : `${relPath}: general.file_type is ${GGMLFileQuantizationType[Number(fileType)] ?? String(fileType)}, but the name promises ${promised.label}.`);
    // A q8_0 file whose matrices are all still f16 would pass the metadata check alone.
    if (promised.label === 'q8_0') {
      const q = tensorInfos.filter((t) => t.dtype === GGMLQuantizationType.Q8_0).length;
      add('quantised tensors', q > 0, q > 0 ? `${q} of ${tensorInfos.length} tensors are Q8_0` : `${relPath}: no tensor is stored as Q8_0.`);
    }
  }

  // The tensor data must fit in the file: offsets are relative to tensorDataOffset.
  let end = 0n;
  let unknown = 0;
  for (const t of tensorInfos) {
    const block = BLOCK[t.dtype];
    if (!block) {
      unknown++;
      continue;
    }
    const elements = t.shape.reduce((a, b) => a * b, 1n);
    const bytes = (elements / BigInt(block[1])) * BigInt(block[0]);
    const e = tensorDataOffset + t.offset + bytes;
    if (e > end) end = e;
  }
  const size = BigInt(statSync(path).size);
  if (unknown === tensorInfos.length) add('tensor data', true, 'tensor types not measured');
  else add('tensor data', end <= size, end <= size ? `tensor data ends at byte ${end} of ${size}` : `${relPath}: the tensors need ${end} bytes but the file has ${size} (truncated?).`);
  return checks;
}
