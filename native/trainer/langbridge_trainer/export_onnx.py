"""ONNX export: a decoder with key/value cache in the layout @huggingface/transformers loads.

Exporter: torch.onnx.export with dynamo=True (torch.export + onnxscript, PyTorch's maintained
exporter), around a small wrapper that turns flat past tensors into a transformers DynamicCache and
the updated cache back into flat present tensors. optimum is not used: it does not support
transformers 5.

The graph's names and shapes are those optimum gives Qwen2 and transformers.js v4 feeds
(modeling_utils.js decoder_forward / addPastKeyValues / getPastKeyValues):
  inputs   input_ids [batch_size, sequence_length] int64, attention_mask [batch_size,
           total_sequence_length] int64, position_ids [batch_size, sequence_length] int64,
           past_key_values.{i}.key / .value [batch_size, num_key_value_heads, past_sequence_length,
           head_dim] float32
  outputs  logits [batch_size, sequence_length, vocab], present.{i}.key / .value [batch_size,
           num_key_value_heads, past_sequence_length + sequence_length, head_dim]
transformers.js starts generation with empty past tensors whose shape it reads from the input
metadata, resolving only the symbol "batch_size" (other symbols become 0): so the batch axis must be
called exactly that, and the heads and head_dim axes must be fixed numbers.

Files: onnx/model.onnx (fp32; dtype 'fp32') and onnx/model_quantized.onnx (dtype 'q8': the suffix
transformers.js maps q8 to). The int8 model is made like transformers.js's own scripts/quantize.py
makes 'q8': onnxruntime dynamic quantisation (IntegerOps), int8 weights (QInt8, since the graph has
no Conv), uint8 activations quantised at run time, per tensor, MatMul with constant weights only.
A model over 2 GB keeps its weights in model.onnx_data beside it (protobuf's limit), the name
transformers.js looks for, declared in config.json's transformers.js_config.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from pathlib import Path

import numpy as np
import torch

from .errors import ModelError, writing

OPSET = 18
# Protobuf cannot hold a model over 2 GiB; stay clear of the limit.
EXTERNAL_DATA_BYTES = 1_800_000_000
FP32_NAME = "model.onnx"
INT8_NAME = "model_quantized.onnx"
CHECK_TEXT = "Langbridge checks its ONNX export: the quick brown fox jumps over the lazy dog."
# The ONNX logits must match PyTorch's within this fraction of the largest logit (fp32 on both
# sides; the difference is summation order, about 1e-6 relative on the tiny model).
RELATIVE_TOLERANCE = 1e-3


class _Decoder(torch.nn.Module):
    """Flat tensors in and out, as ONNX needs: (ids, mask, positions, *past) -> (logits, *present)."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.layers = model.config.num_hidden_layers

    def forward(self, input_ids, attention_mask, position_ids, *past):
        from transformers import DynamicCache  # noqa: PLC0415

        cache = DynamicCache(ddp_cache_data=[(past[2 * i], past[2 * i + 1]) for i in range(self.layers)],
                             config=self.model.config)
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                         past_key_values=cache, use_cache=True)
        present = []
        for layer in out.past_key_values.layers:
            present += [layer.keys, layer.values]
        return (out.logits, *present)


def _geometry(config) -> tuple[int, int, int]:
    heads = config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    return config.num_hidden_layers, config.num_key_value_heads, head_dim


def io_names(layers: int) -> tuple[list[str], list[str]]:
    kv = [(i, k) for i in range(layers) for k in ("key", "value")]
    inputs = ["input_ids", "attention_mask", "position_ids"] + [f"past_key_values.{i}.{k}" for i, k in kv]
    outputs = ["logits"] + [f"present.{i}.{k}" for i, k in kv]
    return inputs, outputs


def empty_past(config, batch: int = 1) -> list[torch.Tensor]:
    layers, kv_heads, head_dim = _geometry(config)
    return [torch.zeros(batch, kv_heads, 0, head_dim) for _ in range(2 * layers)]


def _feeds(names: list[str], ids: torch.Tensor, past_len: int, past: list) -> dict[str, np.ndarray]:
    batch, seq = ids.shape
    mask = np.ones((batch, past_len + seq), dtype=np.int64)
    positions = np.arange(past_len, past_len + seq, dtype=np.int64)[None].repeat(batch, 0)
    values = [ids.numpy().astype(np.int64), mask, positions] + [np.asarray(p, dtype=np.float32) for p in past]
    return dict(zip(names, values))


def _reference(model, ids: torch.Tensor) -> dict[str, np.ndarray]:
    """PyTorch's logits for the check prompt, whole and as prefix + last two tokens with the cache."""
    with torch.no_grad():
        full = model(input_ids=ids, use_cache=False).logits[0].numpy()
        prefix = model(input_ids=ids[:, :-2], use_cache=True)
        tail = model(input_ids=ids[:, -2:], past_key_values=prefix.past_key_values, use_cache=True).logits[0]
    return {"full": full, "tail": tail.numpy()}


def _export(model, path: Path, external: bool) -> None:
    from torch.export import Dim  # noqa: PLC0415

    layers, kv_heads, head_dim = _geometry(model.config)
    inputs, outputs = io_names(layers)
    output = model.get_output_embeddings()
    if output is not None and output.weight is model.get_input_embeddings().weight:
        # Untie: with one shared matrix the graph computes the logits as MatMul(x, Transpose(E)), whose
        # weight is not a constant, so dynamic quantisation leaves it in fp32 and dequantises the whole
        # embedding at every step. Its own copy is folded into a constant that becomes an int8 MatMul.
        output.weight = torch.nn.Parameter(output.weight.detach().clone(), requires_grad=False)
    batch, seq, past_len = Dim("batch_size"), Dim("sequence_length"), Dim("past_sequence_length")
    # Example shapes of at least 2 on every dynamic axis: torch.export specialises sizes 0 and 1.
    ids = torch.randint(0, model.config.vocab_size, (2, 3))
    mask = torch.ones(2, 7, dtype=torch.long)
    positions = torch.arange(4, 7).expand(2, 3)
    past = [torch.randn(2, kv_heads, 4, head_dim) for _ in range(2 * layers)]
    shapes = {"input_ids": {0: batch, 1: seq}, "attention_mask": {0: batch, 1: Dim("total_sequence_length")},
              "position_ids": {0: batch, 1: seq}, "past": tuple({0: batch, 2: past_len} for _ in past)}
    # The exporter prints its progress on stdout, which carries only events: send it to stderr.
    with contextlib.redirect_stdout(sys.stderr), torch.no_grad():
        program = torch.onnx.export(_Decoder(model).eval(), (ids, mask, positions, *past), dynamo=True,
                                    input_names=inputs, output_names=outputs, dynamic_shapes=shapes,
                                    opset_version=OPSET, optimize=True, verbose=False)
    import onnx_ir  # noqa: PLC0415 - onnxscript's IR, which the exporter returns

    with writing(path):
        if external:
            onnx_ir.save(program.model, str(path), external_data=path.name + "_data")
        else:
            onnx_ir.save(program.model, str(path))


def _quantize(src: Path, dst: Path, external: bool) -> None:
    import onnx  # noqa: PLC0415
    from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: PLC0415

    with writing(dst):
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=False, reduce_range=False,
                         use_external_data_format=external,
                         extra_options={"MatMulConstBOnly": True, "EnableSubgraph": True})
        if external:
            # onnxruntime names the data file <model>.onnx.data; transformers.js expects <model>.onnx_data.
            written = dst.with_name(dst.name + ".data")
            proto = onnx.load(str(dst))
            onnx.save_model(proto, str(dst), save_as_external_data=True, all_tensors_to_one_file=True,
                            location=dst.name + "_data", size_threshold=1024)
            del proto
            written.unlink(missing_ok=True)


def _session(path: Path):
    import onnxruntime as ort  # noqa: PLC0415

    options = ort.SessionOptions()
    options.log_severity_level = 3
    threads = os.environ.get("OMP_NUM_THREADS")
    if threads and threads.isdigit():
        options.intra_op_num_threads = int(threads)
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _run(session, names, ids: torch.Tensor, config) -> tuple[np.ndarray, np.ndarray]:
    """Logits of the whole prompt with an empty cache, and of its last two tokens after the prefix."""
    full = session.run(None, _feeds(names, ids, 0, empty_past(config)))[0][0]
    prefix = session.run(None, _feeds(names, ids[:, :-2], 0, empty_past(config)))
    tail = session.run(None, _feeds(names, ids[:, -2:], ids.shape[1] - 2, prefix[1:]))[0][0]
    return full, tail


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / max(1.0, float(np.abs(b).max())))


def export_onnx(model, tokenizer, out: Path, progress) -> dict:
    """Write out/onnx/model.onnx and model_quantized.onnx; return the checks' figures.

    `model` is fp32 on the CPU; it is released after the export, before the sessions are built.
    Returns the names of files with external data under "external".
    """
    import onnx  # noqa: PLC0415

    onnx_dir = out / "onnx"
    onnx_dir.mkdir(parents=True, exist_ok=True)
    config = model.config
    names, _ = io_names(config.num_hidden_layers)
    ids = torch.tensor([tokenizer(CHECK_TEXT)["input_ids"][:24]], dtype=torch.long)
    if ids.shape[1] < 4:
        raise ModelError("the tokenizer turned the ONNX check sentence into fewer than 4 tokens")
    reference = _reference(model, ids)

    unique = {p.data_ptr(): p.numel() for p in model.parameters()}
    external = 4 * sum(unique.values()) > EXTERNAL_DATA_BYTES
    fp32, int8 = onnx_dir / FP32_NAME, onnx_dir / INT8_NAME
    progress("export-onnx")
    _export(model, fp32, external)
    del model
    gc.collect()

    progress("check-onnx")
    onnx.checker.check_model(str(fp32))  # by path: also reads external data
    session = _session(fp32)
    full, tail = _run(session, names, ids, config)
    del session
    errors = {"noCache": _relative(full, reference["full"]), "withCache": _relative(tail, reference["tail"])}
    worst = max(errors.values())
    if worst > RELATIVE_TOLERANCE or not (full.argmax(-1) == reference["full"].argmax(-1)).all():
        raise ModelError(f"the ONNX export of {out} does not compute what PyTorch does: largest logit difference "
                         f"{worst:.3g} of the largest logit (allowed {RELATIVE_TOLERANCE}) on the check sentence")

    progress("quantize-int8")
    _quantize(fp32, int8, sum(unique.values()) > EXTERNAL_DATA_BYTES)  # about one byte per weight
    progress("check-int8")
    onnx.checker.check_model(str(int8))
    q_full, _ = _run(_session(int8), names, ids, config)
    if not np.isfinite(q_full).all():
        raise ModelError(f"the int8 ONNX model {int8} produced non-finite logits on the check sentence")
    agreement = float((q_full.argmax(-1) == reference["full"].argmax(-1)).mean())
    external_files = [p.name for p in (fp32, int8) if (onnx_dir / (p.name + "_data")).exists()]
    return {"fp32RelativeError": errors, "int8Top1Agreement": agreement, "checkTokens": int(ids.shape[1]),
            "external": external_files}


def transformers_js_config(external: list[str]) -> dict:
    """config.json's transformers.js_config: which files keep their weights in <file>_data."""
    if not external:
        return {}
    return {"transformers.js_config": {"use_external_data_format": {name: 1 for name in external}}}
