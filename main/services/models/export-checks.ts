/**
 * Header checks of an export's weight files, run before an export is called
 * ready: safetensors (8-byte little-endian header length, a JSON header whose
 * tensors' byte ranges fill the rest of the file exactly), ONNX (present,
 * non-empty, starting like a ModelProto), GGUF (gguf-check.ts). Loading the
 * ONNX model and comparing its outputs is the trainer's own test.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportCheck, ExportFormat } from '../../api/model-schemas';
import { checkGguf, type GgufExpectation } from './gguf-check';

function readBytes(path: string, start: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, start);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export function checkSafetensors(path: string, relPath: string): ExportCheck {
  const fail = (detail: string): ExportCheck => ({ path: relPath, check: 'safetensors header', ok: false, detail: `${relPath}: ${detail}` });
  const size = statSync(path).size;
  if (size < 8) return fail(`${size} bytes, too short for a safetensors file.`);
  const n = readBytes(path, 0, 8).readBigUInt64LE(0);
  if (n > BigInt(size - 8) || n > 100_000_000n) return fail(`the header length (${n} bytes) does not fit in the file (${size} bytes).`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(readBytes(path, 8, Number(n)).toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    return fail(`the header is not JSON (${(err as Error).message}).`);
  }
  let end = 0;
  let tensors = 0;
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof t.dtype !== 'string' || !Array.isArray(t.shape) || !Array.isArray(t.data_offsets) || t.data_offsets.length !== 2) return fail(`tensor "${name}" has no dtype, shape or data_offsets.`);
    tensors++;
    end = Math.max(end, Number(t.data_offsets[1]));
  }
  const data = size - 8 - Number(n);
  if (end !== data) return fail(`the tensors cover ${end} bytes of data but the file holds ${data}.`);
  return { path: relPath, check: 'safetensors header', ok: true, detail: `${tensors} tensors, ${Number(n)}-byte header` };
}

export function checkOnnx(path: string, relPath: string): ExportCheck {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    return { path: relPath, check: 'onnx file', ok: false, detail: `${relPath} is missing.` };
  }
  // A ModelProto starts with field 1 (ir_version, varint): the byte 0x08.
  const ok = size > 0 && readBytes(path, 0, 1)[0] === 0x08;
  return { path: relPath, check: 'onnx file', ok, detail: ok ? `${size} bytes, an ONNX ModelProto` : `${relPath}: ${size === 0 ? 'empty' : 'does not start like an ONNX model'}.` };
}

/** The files each format must have (relative paths). */
export const REQUIRED: Record<ExportFormat, string[]> = {
  hf: ['config.json', 'tokenizer.json'],
  onnx: ['config.json', 'tokenizer.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'],
  gguf: ['model-f16.gguf', 'model-q8_0.gguf'],
};

/** The model's architecture and shape from its config.json, for the GGUF checks. */
export function ggufExpectation(configPath: string): GgufExpectation | null {
  try {
    const c = JSON.parse(readFileSync(configPath, 'utf8')) as { model_type?: string; num_hidden_layers?: number; tie_word_embeddings?: boolean };
    if (typeof c.num_hidden_layers !== 'number') return null;
    return { architecture: c.model_type === 'qwen3' ? 'qwen3' : 'qwen2', layers: c.num_hidden_layers, tiedEmbeddings: c.tie_word_embeddings ?? false };
  } catch {
    return null;
  }
}

/**
 * Every check of an export folder. `files` are its relative paths; a LoRA
 * adapter export needs no config.json (adapter_config.json instead).
 */
export async function checkExport(dir: string, format: ExportFormat, files: string[], o: { adapter: boolean; sourceConfig: string | null }): Promise<ExportCheck[]> {
  const checks: ExportCheck[] = [];
  const have = new Set(files);
  const required = o.adapter ? ['adapter_config.json', 'adapter_model.safetensors'] : REQUIRED[format];
  const missing = required.filter((r) => !have.has(r));
  for (const r of missing) checks.push({ path: r, check: 'present', ok: false, detail: `${r} was not written by the exporter.` });
  if (!missing.length) checks.push({ path: '.', check: 'present', ok: true, detail: `the required files are there: ${required.join(', ')}` });
  for (const f of files) {
    const abs = join(dir, f);
    if (f.endsWith('.safetensors')) checks.push(checkSafetensors(abs, f));
    else if (f.endsWith('.onnx')) checks.push(checkOnnx(abs, f));
    else if (f.endsWith('.gguf')) checks.push(...(await checkGguf(abs, o.sourceConfig ? ggufExpectation(o.sourceConfig) : null, f)));
  }
  return checks;
}
