"""`export`: Hugging Face, ONNX and GGUF files of the tiny model, a checkpoint and a LoRA adapter."""

from __future__ import annotations

import json
import shutil
import struct

import numpy as np
import pytest
import torch

from langbridge_trainer.__main__ import main

PROMPTS = ["Hello world, this is", "Toute personne a droit à la vie, à la liberté", "Kila mtu ana haki ya kuishi"]
NEW_TOKENS = 12


def export(capsys, *args: str) -> tuple[int, list[dict]]:
    code = main(["export", *args])
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return code, events


def finished(code: int, events: list[dict]) -> dict:
    assert code == 0, events[-1]
    assert events[-1]["kind"] == "finished" and events[-1]["status"] == "succeeded"
    assert {e["kind"] for e in events[:-1]} == {"progress"}
    return events[-1]


def logits(model, ids: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return model(input_ids=ids, use_cache=False).logits


def load(folder):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32, use_safetensors=True).eval()


def prompt_ids(folder) -> list[torch.Tensor]:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(folder))
    return [tok(p, return_tensors="pt").input_ids for p in PROMPTS]


@pytest.fixture(scope="module")
def contextual_model(tiny_model, tmp_path_factory):
    """The tiny model with its attention and MLP matrices re-drawn at std 0.3 (seeded).

    As created, its logits are ruled by the tied embedding's self-similarity and every greedy
    continuation repeats the last prompt token, which a broken key/value cache would also do. The
    same re-draw as test/fixtures/onnx-parity/reference.py, used by the Node parity test.
    """
    model = load(tiny_model)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 2 and "embed_tokens" not in name and "lm_head" not in name:
                p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    out = tmp_path_factory.mktemp("contextual") / "model"
    model.save_pretrained(str(out))
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(tiny_model / f, out / f)
    return out


def read_safetensors_header(path) -> tuple[dict, int]:
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    return header, len(raw) - 8 - length


def test_hf_export_of_a_checkpoint_folder_loads_back_with_identical_logits(tiny_model, tmp_path, capsys):
    # A full fine-tuning checkpoint: checkpoints/step-N/model is a Hugging Face folder.
    step = tmp_path / "run" / "checkpoints" / "step-3"
    shutil.copytree(tiny_model, step / "model")
    (step / "state.json").write_text("{}")
    out = tmp_path / "hf"
    stale = tmp_path / ".hf.export-4194305"  # left by a killed export (no such process): cleared
    stale.mkdir()
    (stale / "model.safetensors").write_bytes(b"half")
    done = finished(*export(capsys, "--model", str(step), "--format", "hf", "--out", str(out)))

    names = {f["path"] for f in done["files"]}
    assert {"model.safetensors", "config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json"} <= names
    assert all((out / f["path"]).stat().st_size == f["bytes"] for f in done["files"])
    assert not list(tmp_path.glob(".hf.export-*"))  # the staging folder was renamed, not left behind

    source, exported = load(tiny_model), load(out)
    for ids in prompt_ids(out):
        assert torch.equal(logits(exported, ids), logits(source, ids))
    gen = json.loads((out / "generation_config.json").read_text())
    assert gen["eos_token_id"] == 151643 and gen["pad_token_id"] == 151643 and gen["do_sample"] is False

    header, data_bytes = read_safetensors_header(out / "model.safetensors")
    state = {k: v for k, v in source.state_dict().items() if k != "lm_head.weight"}  # tied: saved once
    tensors = {k: v for k, v in header.items() if k != "__metadata__"}
    assert set(tensors) == set(state)
    end = 0
    for name, info in tensors.items():
        assert info["dtype"] == "F32" and info["shape"] == list(state[name].shape), name
        begin, stop = info["data_offsets"]
        assert stop - begin == 4 * state[name].numel(), name
        end = max(end, stop)
    assert end == data_bytes


def ort_greedy(session, input_names, ids: list[int], layers: int, kv_heads: int, head_dim: int) -> list[int]:
    """Greedy decoding with onnxruntime, one token per step, feeding back the present key/values."""
    past = [np.zeros((1, kv_heads, 0, head_dim), np.float32) for _ in range(2 * layers)]
    step_ids, out, length = ids, [], 0
    for _ in range(NEW_TOKENS):
        n = len(step_ids)
        feeds = {"input_ids": np.array([step_ids], np.int64),
                 "attention_mask": np.ones((1, length + n), np.int64),
                 "position_ids": np.arange(length, length + n, dtype=np.int64)[None]}
        feeds.update(zip(input_names[3:], past))
        logits_, *past = session.run(None, feeds)
        length += n
        step_ids = [int(logits_[0, -1].argmax())]
        out.append(step_ids[0])
    return out


def test_onnx_greedy_with_cache_equals_pytorch_and_int8_runs(contextual_model, tmp_path, capsys):
    import onnx
    import onnxruntime as ort

    out = tmp_path / "onnx"
    done = finished(*export(capsys, "--model", str(contextual_model), "--format", "onnx", "--out", str(out)))
    assert {"onnx/model.onnx", "onnx/model_quantized.onnx", "config.json", "generation_config.json",
            "tokenizer.json"} <= {f["path"] for f in done["files"]}
    assert done["checks"]["fp32RelativeError"]["withCache"] < 1e-4

    model = onnx.load(str(out / "onnx" / "model.onnx"), load_external_data=False)
    dims = {v.name: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
            for v in [*model.graph.input, *model.graph.output]}
    assert dims["input_ids"] == ["batch_size", "sequence_length"]
    assert dims["attention_mask"] == ["batch_size", "total_sequence_length"]
    assert dims["past_key_values.1.value"] == ["batch_size", 2, "past_sequence_length", 16]
    assert dims["logits"] == ["batch_size", "sequence_length", 151936]
    assert dims["present.0.key"][:2] == ["batch_size", 2] and dims["present.0.key"][3] == 16

    torch_model = load(contextual_model)
    fp32 = ort.InferenceSession(str(out / "onnx" / "model.onnx"), providers=["CPUExecutionProvider"])
    names = [i.name for i in fp32.get_inputs()]
    assert names[:3] == ["input_ids", "attention_mask", "position_ids"]
    for ids in prompt_ids(contextual_model):
        want = torch_model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False,
                                    max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS)[0, ids.shape[1]:].tolist()
        assert len(set(want)) > 4  # a real continuation, not one token repeated
        assert ort_greedy(fp32, names, ids[0].tolist(), 2, 2, 16) == want

    # A left-padded batch (what batched generation feeds): same logits as PyTorch at the real tokens.
    a, b = prompt_ids(contextual_model)[:2]
    width = max(a.shape[1], b.shape[1])
    batch = torch.full((2, width), 151643)
    mask = torch.zeros((2, width), dtype=torch.long)
    for row, ids in enumerate((a, b)):
        batch[row, width - ids.shape[1]:] = ids[0]
        mask[row, width - ids.shape[1]:] = 1
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    with torch.no_grad():
        want = torch_model(input_ids=batch, attention_mask=mask, position_ids=positions).logits.numpy()
    feeds = {"input_ids": batch.numpy(), "attention_mask": mask.numpy(), "position_ids": positions.numpy()}
    feeds.update({n: np.zeros((2, 2, 0, 16), np.float32) for n in names[3:]})
    got = fp32.run(None, feeds)[0]
    real = mask.numpy().astype(bool)
    assert np.abs(got[real] - want[real]).max() < 1e-4

    int8 = ort.InferenceSession(str(out / "onnx" / "model_quantized.onnx"), providers=["CPUExecutionProvider"])
    assert "MatMulInteger" in {n.op_type for n in onnx.load(str(out / "onnx" / "model_quantized.onnx")).graph.node}
    continuation = ort_greedy(int8, names, prompt_ids(contextual_model)[0][0].tolist(), 2, 2, 16)
    assert len(continuation) == NEW_TOKENS and all(0 <= t < 151936 for t in continuation)


def test_gguf_files_read_back_with_llama_cpp_names_and_q8_0_close_to_f16(tiny_model, tmp_path, capsys):
    import gguf
    from safetensors.torch import load_file

    from langbridge_trainer.gguf_index import GGUFIndex

    out = tmp_path / "gguf"
    done = finished(*export(capsys, "--model", str(tiny_model), "--format", "gguf", "--out", str(out)))
    assert {f["path"] for f in done["files"]} == {"model-f16.gguf", "model-q8_0.gguf"}

    # llama.cpp's own reader on the q8_0 file (it takes a while on 300,000 token and merge strings).
    q8 = gguf.GGUFReader(str(out / "model-q8_0.gguf"))

    def field(key):
        f = q8.fields[key]
        if f.types[0] == gguf.GGUFValueType.STRING:
            return bytes(f.parts[f.data[0]]).decode()
        return f.parts[f.data[0]][0]

    assert field("general.architecture") == "qwen2" and field("general.file_type") == 7
    assert (field("qwen2.block_count"), field("qwen2.embedding_length"), field("qwen2.feed_forward_length"),
            field("qwen2.attention.head_count"), field("qwen2.attention.head_count_kv"),
            field("qwen2.context_length")) == (2, 64, 128, 4, 2, 4096)
    assert field("qwen2.rope.freq_base") == pytest.approx(10000.0)
    assert field("qwen2.attention.layer_norm_rms_epsilon") == pytest.approx(1e-6)
    assert field("tokenizer.ggml.model") == "gpt2" and field("tokenizer.ggml.pre") == "qwen2"
    assert field("tokenizer.ggml.eos_token_id") == 151643 and field("tokenizer.ggml.padding_token_id") == 151643
    tokens, types = q8.fields["tokenizer.ggml.tokens"], q8.fields["tokenizer.ggml.token_type"]
    assert len(tokens.data) == 151936 and len(q8.fields["tokenizer.ggml.merges"].data) > 100_000
    assert bytes(tokens.parts[tokens.data[151643]]).decode() == "<|endoftext|>"
    assert types.parts[types.data[151643]][0] == gguf.TokenType.CONTROL
    assert bytes(tokens.parts[tokens.data[151935]]).decode() == "[PAD151935]"
    assert types.parts[types.data[151935]][0] == gguf.TokenType.UNUSED

    # The f16 file with the export's own index reader, which must agree with GGUFReader on the q8_0 one.
    f16 = GGUFIndex(out / "model-f16.gguf")
    q8_index = GGUFIndex(out / "model-q8_0.gguf")
    assert f16.metadata["general.architecture"] == "qwen2" and f16.metadata["general.file_type"] == 1
    assert f16.metadata["tokenizer.ggml.tokens"] == ("array", gguf.GGUFValueType.STRING, 151936)
    assert {k: v for k, v in f16.metadata.items() if k != "general.file_type"} == \
        {k: v for k, v in q8_index.metadata.items() if k != "general.file_type"}

    expected = {"token_embd.weight", "output_norm.weight"} | {
        f"blk.{i}.{t}" for i in range(2) for t in
        ("attn_norm.weight", "attn_q.weight", "attn_q.bias", "attn_k.weight", "attn_k.bias", "attn_v.weight",
         "attn_v.bias", "attn_output.weight", "ffn_norm.weight", "ffn_gate.weight", "ffn_up.weight", "ffn_down.weight")}
    by_name = {t.name: t for t in q8.tensors}
    assert set(by_name) == set(f16.tensors) == expected  # tied: no output.weight, llama.cpp reuses token_embd
    source = load_file(str(tiny_model / "model.safetensors"))
    pairs = (("token_embd.weight", "model.embed_tokens.weight"), ("blk.1.ffn_down.weight", "model.layers.1.mlp.down_proj.weight"),
             ("blk.0.attn_k.weight", "model.layers.0.self_attn.k_proj.weight"), ("blk.0.attn_k.bias", "model.layers.0.self_attn.k_proj.bias"))
    for name, hf in pairs:
        w = source[hf].numpy()
        t = by_name[name]
        assert tuple(int(d) for d in reversed(t.shape)) == w.shape == f16.tensors[name].shape
        back = gguf.quants.dequantize(t.data, t.tensor_type).reshape(w.shape)
        assert np.array_equal(back, q8_index.data(name))
        half = f16.data(name)
        if w.ndim == 1:  # biases and norms stay F32 in both files
            assert t.tensor_type == gguf.GGMLQuantizationType.F32 and np.array_equal(half, w) and np.array_equal(back, w)
            continue
        assert t.tensor_type == gguf.GGMLQuantizationType.Q8_0 and f16.tensors[name].ggml_type == gguf.GGMLQuantizationType.F16
        assert np.array_equal(half, w.astype(np.float16).astype(np.float32))
        # Q8_0: blocks of 32 values sharing a scale d = max|x|/127 (stored as f16): each value is within
        # half a step of the weight, plus the scale's own f16 rounding (127 * d * 2^-11 < 0.07 d).
        step = np.abs(w.reshape(-1, 32)).max(1, keepdims=True) / 127
        assert (np.abs(back - w).reshape(-1, 32) <= 0.57 * step + 1e-8).all()
        assert np.abs(back - half).max() <= np.abs(w).max() / 127
        assert not np.array_equal(back, half)  # it really is quantised
    assert by_name["output_norm.weight"].tensor_type == gguf.GGMLQuantizationType.F32
    f16.close()
    q8_index.close()


@pytest.fixture
def lora_checkpoint(tiny_model, tmp_path):
    """A LoRA checkpoint's model/ folder: adapter with non-zero B (so merging changes the weights) + tokenizer."""
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(3)
    config = LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "down_proj"], task_type="CAUSAL_LM",
                        init_lora_weights=False)
    peft_model = get_peft_model(load(tiny_model), config).eval()
    folder = tmp_path / "run" / "checkpoints" / "step-2" / "model"
    peft_model.save_pretrained(str(folder))
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(tiny_model / f, folder / f)
    return folder, peft_model


def test_lora_merged_export_equals_the_adapted_model(tiny_model, lora_checkpoint, tmp_path, capsys):
    folder, peft_model = lora_checkpoint
    out = tmp_path / "merged"
    # No --base: the adapter's config names the tiny model's folder, which exists.
    done = finished(*export(capsys, "--model", str(folder.parent), "--format", "hf", "--out", str(out)))
    assert done["lora"] == "merged" and "adapter_config.json" not in {f["path"] for f in done["files"]}
    merged, base = load(out), load(tiny_model)
    for ids in prompt_ids(out):
        want = logits(peft_model, ids)
        assert torch.allclose(logits(merged, ids), want, atol=1e-5, rtol=1e-4)
        assert not torch.allclose(logits(base, ids), want, atol=1e-3)  # the adapter did change the model

    adapter = tmp_path / "adapter"
    done = finished(*export(capsys, "--model", str(folder), "--base", str(tiny_model), "--format", "hf",
                            "--out", str(adapter), "--lora", "adapter"))
    assert {f["path"] for f in done["files"]} == {"adapter_config.json", "adapter_model.safetensors",
                                                 "tokenizer.json", "tokenizer_config.json"}


def test_errors_are_plain_and_leave_nothing_half_written(tiny_model, lora_checkpoint, tmp_path, capsys):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    code, events = export(capsys, "--model", str(tiny_model), "--format", "hf", "--out", str(busy))
    assert code == 1 and events[-1]["kind"] == "error" and "is not empty" in events[-1]["message"]
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]

    folder, _ = lora_checkpoint
    code, events = export(capsys, "--model", str(folder), "--format", "onnx", "--out", str(tmp_path / "o"),
                          "--lora", "adapter")
    assert code == 1 and "only be exported in Hugging Face format" in events[-1]["message"]
    assert events[-1]["classification"] == "bad_spec"

    config = json.loads((folder / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = str(tmp_path / "gone")
    (folder / "adapter_config.json").write_text(json.dumps(config))
    code, events = export(capsys, "--model", str(folder), "--format", "gguf", "--out", str(tmp_path / "g"))
    assert code == 1 and "--base" in events[-1]["message"]

    code, events = export(capsys, "--model", str(tmp_path / "nowhere"), "--format", "hf", "--out", str(tmp_path / "h"))
    assert code == 1 and "does not exist" in events[-1]["message"] and events[-1]["classification"] == "bad_model"
    assert not (tmp_path / "o").exists() and not (tmp_path / "g").exists() and not (tmp_path / "h").exists()
    assert not list(tmp_path.glob(".*.export-*"))
