/**
 * The checks every export passes before it is called ready: the checksum
 * manifest (sizes and sha256, tampering found), safetensors headers, ONNX
 * files, and GGUF headers read with @huggingface/gguf from files written by
 * the `gguf` package from PyPI (the converter the exporter uses).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checksumFolder, listFiles, readManifest, verifyFolder, writeManifest } from '../../main/services/models/checksum-manifest';
import { checkExport, checkOnnx, checkSafetensors } from '../../main/services/models/export-checks';
import { checkGguf, expectedTensors } from '../../main/services/models/gguf-check';
import { ensureTrainerEnv } from '../../main/services/python/python-env';
import { tempDir } from './helpers/workspace';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A safetensors file: 8-byte little-endian header length, the JSON header, the tensor bytes. */
function safetensors(tensors: Record<string, { dtype: string; shape: number[]; bytes: number }>, extraData = 0): Buffer {
  let offset = 0;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes] };
    offset += t.bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, Buffer.alloc(offset + extraData, 1)]);
}

describe('checksum manifest', () => {
  it('lists every file with its size and sha256, and finds a changed, missing or added file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'onnx'));
    writeFileSync(join(dir, 'config.json'), '{"a":1}\n');
    writeFileSync(join(dir, 'onnx', 'model.onnx'), Buffer.from([8, 7, 1, 2]));
    writeFileSync(join(dir, 'README.md'), 'abc');
    const files = await checksumFolder(dir);
    expect(files).toEqual([
      { path: 'README.md', bytes: 3, sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
      { path: 'config.json', bytes: 8, sha256: sha('{"a":1}\n') },
      { path: 'onnx/model.onnx', bytes: 4, sha256: sha(Buffer.from([8, 7, 1, 2])) },
    ]);
    writeManifest(dir, {
      langbridgeVersion: '0.1.0',
      createdAt: '2026-01-01T00:00:00.000Z',
      model: { ref: 'tiny', label: 'tiny-qwen2', kind: 'base', baseModel: 'tiny-qwen2', jobId: null, step: null, lora: false },
      format: 'onnx',
      variant: 'fp32,int8',
      files,
      checks: [],
      exporterChecks: {},
    });
    // The manifest does not list itself; a second pass over the folder skips it.
    expect(listFiles(dir)).toContain('manifest.json');
    expect((await checksumFolder(dir)).map((f) => f.path)).not.toContain('manifest.json');
    expect(readManifest(dir).files).toEqual(files);
    expect(await verifyFolder(dir)).toEqual([]);

    writeFileSync(join(dir, 'README.md'), 'abd');
    appendFileSync(join(dir, 'config.json'), ' ');
    writeFileSync(join(dir, 'extra.bin'), 'x');
    expect(await verifyFolder(dir)).toEqual(['README.md: its sha256 differs from the manifest\'s', 'config.json has 9 bytes, the manifest says 8', 'extra.bin is not in the manifest']);
  });

  it('refuses a manifest that is not one, naming the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'manifest.json'), '{"formatVersion": 9}');
    expect(() => readManifest(dir)).toThrow(/manifest\.json: not a Langbridge export manifest/);
  });
});

describe('safetensors and ONNX checks', () => {
  it('accepts a well-formed safetensors file and names what is wrong with broken ones', () => {
    const dir = tempDir();
    const good = join(dir, 'model.safetensors');
    writeFileSync(good, safetensors({ 'a.weight': { dtype: 'F32', shape: [2, 3], bytes: 24 }, 'b.bias': { dtype: 'F16', shape: [4], bytes: 8 } }));
    expect(checkSafetensors(good, 'model.safetensors')).toMatchObject({ ok: true, detail: expect.stringMatching(/^2 tensors/) });

    const extra = join(dir, 'extra.safetensors');
    writeFileSync(extra, safetensors({ 'a.weight': { dtype: 'F32', shape: [2, 3], bytes: 24 } }, 5));
    expect(checkSafetensors(extra, 'extra.safetensors')).toMatchObject({ ok: false, detail: 'extra.safetensors: the tensors cover 24 bytes of data but the file holds 29.' });

    const cut = join(dir, 'cut.safetensors');
    writeFileSync(cut, safetensors({ 'a.weight': { dtype: 'F32', shape: [2, 3], bytes: 24 } }).subarray(0, 20));
    expect(checkSafetensors(cut, 'cut.safetensors')).toMatchObject({ ok: false, detail: expect.stringMatching(/header length .* does not fit/) });

    const notJson = join(dir, 'bad.safetensors');
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(4n);
    writeFileSync(notJson, Buffer.concat([len, Buffer.from('{oops')]));
    expect(checkSafetensors(notJson, 'bad.safetensors')).toMatchObject({ ok: false, detail: expect.stringMatching(/header is not JSON/) });
  });

  it('wants both ONNX files, non-empty and starting like a ModelProto', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'onnx'));
    writeFileSync(join(dir, 'config.json'), '{}');
    writeFileSync(join(dir, 'tokenizer.json'), '{}');
    writeFileSync(join(dir, 'onnx', 'model.onnx'), Buffer.from([0x08, 0x08, 0x12]));
    writeFileSync(join(dir, 'onnx', 'model_quantized.onnx'), '');
    expect(checkOnnx(join(dir, 'onnx', 'model.onnx'), 'onnx/model.onnx').ok).toBe(true);
    const checks = await checkExport(dir, 'onnx', listFiles(dir), { adapter: false, sourceConfig: null });
    expect(checks.filter((c) => !c.ok)).toEqual([{ path: 'onnx/model_quantized.onnx', check: 'onnx file', ok: false, detail: 'onnx/model_quantized.onnx: empty.' }]);
    const missing = await checkExport(dir, 'gguf', listFiles(dir), { adapter: false, sourceConfig: null });
    expect(missing.filter((c) => c.check === 'present').map((c) => c.path)).toEqual(['model-f16.gguf', 'model-q8_0.gguf']);
  });
});

// A Qwen2-shaped GGUF (norms, q/k/v with biases, o, gate, up, down per block) from the PyPI `gguf` package.
const WRITE_GGUF = `
import sys, numpy as np, gguf
path, kind, layers, arch = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
w = gguf.GGUFWriter(path, arch)
w.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if kind == 'f16' else gguf.LlamaFileType.MOSTLY_Q8_0)
block = ['attn_norm.weight', 'attn_q.weight', 'attn_q.bias', 'attn_k.weight', 'attn_k.bias', 'attn_v.weight', 'attn_v.bias',
         'attn_output.weight', 'ffn_norm.weight', 'ffn_gate.weight', 'ffn_up.weight', 'ffn_down.weight']
names = ['token_embd.weight', 'output_norm.weight'] + [f'blk.{i}.{n}' for i in range(layers) for n in block]
rng = np.random.default_rng(0)
for n in names:
    if n.endswith('norm.weight') or n.endswith('.bias'):
        w.add_tensor(n, np.ones(32, dtype=np.float32))
    else:
        a = rng.standard_normal((8, 64)).astype(np.float32)
        if kind == 'f16':
            w.add_tensor(n, a.astype(np.float16))
        else:
            w.add_tensor(n, gguf.quants.quantize(a, gguf.GGMLQuantizationType.Q8_0), raw_dtype=gguf.GGMLQuantizationType.Q8_0)
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
`;

describe('GGUF check (@huggingface/gguf)', () => {
  let python = '';
  let dir = '';
  const write = (name: string, kind: 'f16' | 'q8_0', layers: number, arch = 'qwen2') => {
    const path = join(dir, name);
    const r = spawnSync(python, ['-c', WRITE_GGUF, path, kind, String(layers), arch], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return path;
  };

  beforeAll(async () => {
    python = await ensureTrainerEnv();
  }, 600_000);

  it('passes a Qwen2 GGUF whose tensors match the config, f16 and q8_0', async () => {
    dir = tempDir();
    expect(expectedTensors({ architecture: 'qwen2', layers: 2, tiedEmbeddings: true })).toBe(26);
    expect(expectedTensors({ architecture: 'qwen3', layers: 28, tiedEmbeddings: false })).toBe(311);
    const f16 = await checkGguf(write('model-f16.gguf', 'f16', 2), { architecture: 'qwen2', layers: 2, tiedEmbeddings: true });
    expect(f16.map((c) => [c.check, c.ok])).toEqual([['gguf header', true], ['architecture', true], ['tensor count', true], ['file type', true], ['tensor data', true]]);
    const q8 = await checkGguf(write('model-q8_0.gguf', 'q8_0', 2), { architecture: 'qwen2', layers: 2, tiedEmbeddings: true });
    expect(q8.every((c) => c.ok)).toBe(true);
    expect(q8.find((c) => c.check === 'quantised tensors')!.detail).toBe('15 of 26 tensors are Q8_0');
  });

  it('fails a wrong architecture, a missing layer, a wrong file type and a truncated file', async () => {
    dir = tempDir();
    const llama = await checkGguf(write('model-f16.gguf', 'f16', 2, 'llama'), { architecture: 'qwen2', layers: 2, tiedEmbeddings: true });
    expect(llama.find((c) => c.check === 'architecture')).toMatchObject({ ok: false, detail: 'model-f16.gguf: general.architecture is llama, expected qwen2.' });
    const short = await checkGguf(write('short-f16.gguf', 'f16', 1), { architecture: 'qwen2', layers: 2, tiedEmbeddings: false });
    expect(short.find((c) => c.check === 'tensor count')).toMatchObject({ ok: false, detail: 'short-f16.gguf: 14 tensors, but a 2-layer Qwen2 has 27.' });
    const named = join(dir, 'model-q8_0.gguf');
    writeFileSync(named, readFileSync(write('x-f16.gguf', 'f16', 1)));
    const wrongType = await checkGguf(named, { architecture: 'qwen2', layers: 1, tiedEmbeddings: true });
    expect(wrongType.filter((c) => !c.ok).map((c) => c.detail)).toEqual(['model-q8_0.gguf: general.file_type is F16, but the name promises q8_0.', 'model-q8_0.gguf: no tensor is stored as Q8_0.']);
    const cut = write('cut-f16.gguf', 'f16', 1);
    truncateSync(cut, statSync(cut).size - 100);
    const truncated = await checkGguf(cut, { architecture: 'qwen2', layers: 1, tiedEmbeddings: true });
    expect(truncated.find((c) => c.check === 'tensor data')).toMatchObject({ ok: false, detail: expect.stringMatching(/^cut-f16\.gguf: the tensors need \d+ bytes but the file has \d+ \(truncated\?\)\.$/) });
    writeFileSync(join(dir, 'junk-f16.gguf'), 'not a gguf file at all');
    expect((await checkGguf(join(dir, 'junk-f16.gguf'), null))[0]).toMatchObject({ check: 'gguf header', ok: false });
  });
});
