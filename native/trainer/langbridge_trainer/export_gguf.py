"""GGUF export: model-f16.gguf and model-q8_0.gguf for llama.cpp, written with llama.cpp's own
Python package `gguf` (GGUFWriter, gguf.quants), following its convert_hf_to_gguf.py for Qwen2/Qwen3:

  - arch "qwen2" (or "qwen3"); tensor names from gguf's TensorNameMap (model.layers.N.self_attn.q_proj
    -> blk.N.attn_q, ...); no q/k permutation (Qwen uses NeoX-style rope, as convert_hf_to_gguf);
    a tied lm_head is not written (llama.cpp then uses token_embd for the output);
  - hyperparameters: block_count, context_length, embedding_length, feed_forward_length, head_count,
    head_count_kv, key/value_length when the config sets head_dim, rope.freq_base, rope scaling
    (linear, yarn), attention.layer_norm_rms_epsilon, general.file_type, quantization_version;
  - tokenizer as "gpt2" byte-level BPE with pre-tokenizer "qwen2": every id up to the embedding's
    rows (unused ids as [PADn], type UNUSED), added tokens as CONTROL (special, or <|...|>) or
    USER_DEFINED, merges and special token ids via gguf.SpecialVocab;
  - types: 1-D tensors and norms stay F32; 2-D weights F16, or Q8_0 (blocks of 32 with one f16
    scale) falling back to F16 for a row length that is not a multiple of 32, as convert_hf_to_gguf does.
Tensors are converted and written one at a time, so a 7B model never sits in memory twice.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from .errors import ModelError, writing
from .export_source import ExportError, Tensors

ARCHES = {"qwen2": "QWEN2", "qwen3": "QWEN3"}
FILES = {"f16": "model-f16.gguf", "q8_0": "model-q8_0.gguf"}


def _arch(config):
    import gguf  # noqa: PLC0415

    name = ARCHES.get(config.model_type)
    if name is None:
        raise ExportError(f"GGUF export supports Qwen2 and Qwen3 models; this one is '{config.model_type}'")
    return getattr(gguf.MODEL_ARCH, name)


def _looks_special(token: str) -> bool:
    # convert_hf_to_gguf's does_token_look_special: added tokens spelt like control tokens are control.
    return (token.startswith("<|") and token.endswith("|>")) or token in ("<pad>", "<mask>")


def vocabulary(tokenizer, rows: int) -> tuple[list[str], list[int]]:
    import gguf  # noqa: PLC0415

    vocab = tokenizer.get_vocab()
    if max(vocab.values()) >= rows:
        raise ModelError(f"the tokenizer has ids up to {max(vocab.values())} but the embedding only {rows} rows")
    reverse = {i: t for t, i in vocab.items()}
    added = tokenizer.get_added_vocab()
    decoder = tokenizer.added_tokens_decoder
    tokens, types = [], []
    for i in range(rows):
        token = reverse.get(i)
        if token is None:
            tokens.append(f"[PAD{i}]")
            types.append(gguf.TokenType.UNUSED)
        elif token in added:
            if not decoder[i].normalized:  # llama.cpp expects added tokens pre-normalised
                token = tokenizer.decode(tokenizer.encode(token, add_special_tokens=False))
            special = decoder[i].special or _looks_special(token)
            tokens.append(token)
            types.append(gguf.TokenType.CONTROL if special else gguf.TokenType.USER_DEFINED)
        else:
            tokens.append(token)
            types.append(gguf.TokenType.NORMAL)
    return tokens, types


def _rope(writer, config) -> None:
    import gguf  # noqa: PLC0415

    params = dict(getattr(config, "rope_parameters", None) or getattr(config, "rope_scaling", None) or {})
    theta = params.get("rope_theta", getattr(config, "rope_theta", None))
    if theta is not None:
        writer.add_rope_freq_base(float(theta))
    kind = params.get("rope_type", params.get("type", "default"))
    if kind in ("default", None):
        return
    if kind not in ("linear", "yarn"):
        raise ExportError(f"GGUF export: rope scaling '{kind}' is not supported (only linear and yarn)")
    writer.add_rope_scaling_type(gguf.RopeScalingType.LINEAR if kind == "linear" else gguf.RopeScalingType.YARN)
    writer.add_rope_scaling_factor(float(params["factor"]))
    if kind == "yarn" and params.get("original_max_position_embeddings"):
        writer.add_rope_scaling_orig_ctx_len(int(params["original_max_position_embeddings"]))


def _plan(tensors: Tensors, config, arch) -> list[tuple[str, str]]:
    """(source name, GGUF name) for each tensor written, in the source's order."""
    import gguf  # noqa: PLC0415

    names = gguf.get_tensor_name_map(arch, config.num_hidden_layers)
    tied = bool(getattr(config, "tie_word_embeddings", False))
    plan = []
    for name in tensors:
        if name.endswith(".rotary_emb.inv_freq") or (tied and name == "lm_head.weight"):
            continue  # recomputed by llama.cpp / the same matrix as token_embd
        new = names.get_name(name, try_suffixes=(".weight", ".bias"))
        if new is None:
            raise ExportError(f"GGUF export: no llama.cpp name for tensor '{name}' of this {config.model_type} model")
        plan.append((name, new))
    return plan


def _target_type(new_name: str, shape: tuple[int, ...], kind: str):
    import gguf  # noqa: PLC0415

    t = gguf.GGMLQuantizationType
    if len(shape) <= 1 or new_name.endswith("_norm.weight"):
        return t.F32
    if kind == "q8_0" and shape[-1] % gguf.GGML_QUANT_SIZES[t.Q8_0][0] == 0:
        return t.Q8_0
    return t.F16


def _convert(data: np.ndarray, qtype) -> np.ndarray:
    import gguf  # noqa: PLC0415

    t = gguf.GGMLQuantizationType
    if qtype == t.F32:
        return data.astype(np.float32)
    if qtype == t.F16:
        return data.astype(np.float16)
    return gguf.quants.quantize(data.astype(np.float32), qtype)


class Vocab:
    """The tokenizer as GGUF stores it; built once for both files (reading 151,387 merges takes seconds)."""

    def __init__(self, tokenizer, gen_config, rows: int):
        import gguf  # noqa: PLC0415

        self.tokens, self.types = vocabulary(tokenizer, rows)
        self.special = gguf.SpecialVocab(str(tokenizer.name_or_path), load_merges=True, n_vocab=len(self.tokens))
        if not self.special.merges:
            raise ModelError(f"no BPE merges found in {tokenizer.name_or_path}/tokenizer.json; llama.cpp needs them")
        # The generation config's ids are the ones the exported model stops and pads with.
        eos = gen_config.eos_token_id
        eos = eos[0] if isinstance(eos, list) else eos
        for kind_of_id, value in (("eos", eos), ("pad", gen_config.pad_token_id)):
            if value is not None:
                self.special.special_token_ids[kind_of_id] = int(value)

    def add_to(self, writer) -> None:
        writer.add_tokenizer_model("gpt2")
        writer.add_tokenizer_pre("qwen2")  # Qwen2, Qwen2.5 and Qwen3 share the pre-tokenizer
        writer.add_token_list(self.tokens)
        writer.add_token_types(self.types)
        self.special.add_to_gguf(writer, quiet=True)


def write_gguf(tensors: Tensors, config, vocab: Vocab, path: Path, kind: str, name: str, progress) -> int:
    """Write one GGUF file; return its number of tensors."""
    import gguf  # noqa: PLC0415

    arch = _arch(config)
    plan = _plan(tensors, config, arch)
    writer = gguf.GGUFWriter(str(path), gguf.MODEL_ARCH_NAMES[arch])
    writer.add_type(gguf.GGUFType.MODEL)
    writer.add_name(name)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    if getattr(config, "head_dim", None):
        writer.add_key_length(config.head_dim)
        writer.add_value_length(config.head_dim)
    _rope(writer, config)
    writer.add_layer_norm_rms_eps(float(config.rms_norm_eps))
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if kind == "f16" else gguf.LlamaFileType.MOSTLY_Q8_0)
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)

    vocab.add_to(writer)

    q8_0, f32 = gguf.GGMLQuantizationType.Q8_0, gguf.GGMLQuantizationType.F32
    qtypes = []
    for source, new in plan:
        shape = tensors.shapes[source]
        qtype = _target_type(new, shape, kind)
        qtypes.append(qtype)
        byte_shape = gguf.quant_shape_to_byte_shape(shape, qtype)  # F32 and F16: 4 and 2 bytes a value
        if qtype == q8_0:  # stored as raw bytes, typed by raw_dtype
            writer.add_tensor_info(new, byte_shape, np.dtype(np.uint8), int(np.prod(byte_shape)), raw_dtype=qtype)
        else:
            writer.add_tensor_info(new, shape, np.dtype(np.float32 if qtype == f32 else np.float16),
                                   int(np.prod(byte_shape)))
    try:
        with writing(path):
            writer.write_header_to_file()
            writer.write_kv_data_to_file()
            writer.write_ti_data_to_file()
            last = 0.0
            for i, ((source, _), qtype) in enumerate(zip(plan, qtypes)):
                data = tensors.get(source).float().numpy()
                writer.write_tensor_data(_convert(data, qtype))
                if time.monotonic() - last > 0.25 or i + 1 == len(plan):
                    progress(f"write-gguf-{kind}", i + 1, len(plan), "tensors")
                    last = time.monotonic()
    finally:
        writer.close()
    return len(plan)


def check_gguf(path: Path, tensors: Tensors, config, kind: str, expected: int, token_count: int) -> dict:
    """Read the file back: architecture, vocabulary size, every tensor's name, shape and type, and the
    first block's weights (dequantised) against the source within the format's rounding."""
    import gguf  # noqa: PLC0415

    from .gguf_index import GGUFIndex  # noqa: PLC0415

    arch = _arch(config)
    index = GGUFIndex(path)
    try:
        if index.metadata.get("general.architecture") != gguf.MODEL_ARCH_NAMES[arch]:
            raise ModelError(f"{path}: architecture reads back as {index.metadata.get('general.architecture')!r}")
        tokens = index.metadata.get("tokenizer.ggml.tokens")
        if not (isinstance(tokens, tuple) and tokens[2] == token_count):
            raise ModelError(f"{path}: the token list does not read back with {token_count} tokens")
        if len(index.tensors) != expected:
            raise ModelError(f"{path}: {len(index.tensors)} tensors read back, {expected} written")
        worst = 0.0
        for source, new in _plan(tensors, config, arch):
            t = index.tensors.get(new)
            shape = tuple(tensors.shapes[source])
            if t is None or t.shape != shape or t.ggml_type != _target_type(new, shape, kind):
                raise ModelError(f"{path}: tensor {new} is missing or has the wrong shape or type")
            if not (new.startswith("blk.0.") or new == "output_norm.weight"):
                continue
            back = index.data(new)
            want = tensors.get(source).float().numpy()
            scale = max(float(np.abs(want).max()), 1e-12)
            # f16 rounds to 2^-11 relative; q8_0 to half a step of max|block|/127 (plus the scale's f16 rounding).
            bound = 1 / 127 if t.ggml_type == gguf.GGMLQuantizationType.Q8_0 else 1e-3
            error = float(np.abs(back - want).max()) / scale
            if error > bound:
                raise ModelError(f"{path}: tensor {new} reads back {error:.3g} (of its largest value) away from "
                                 f"the weights")
            worst = max(worst, error)
    finally:
        index.close()
    return {"tensors": expected, "worstRelativeError": worst}
