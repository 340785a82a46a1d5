"""Hugging Face export: safetensors weights, config, generation config, tokenizer files.

The files every format shares (config.json, generation_config.json, the tokenizer) are written here
too, since an ONNX folder for transformers.js and a Hugging Face folder carry the same ones.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .errors import writing
from .export_source import ADAPTER_FILES, Source, tokenizer_files

# The Hub's customary shard size: a 7B model in bf16 becomes three or four files.
MAX_SHARD_SIZE = "5GB"


def copy_tokenizer(source: Source, out: Path) -> list[Path]:
    copied = []
    for file in tokenizer_files(source.tokenizer):
        with writing(out / file.name):
            shutil.copyfile(file, out / file.name)
        copied.append(out / file.name)
    return copied


def _first(value):
    return value[0] if isinstance(value, (list, tuple)) and value else value


def generation_config(model_config, source: Source, tokenizer):
    """The source's generation config, completed so that generation stops and pads sensibly.

    A base model for continual pretraining ends documents with its eos (Qwen: <|endoftext|>); it has
    no chat turn to stop at. Missing ids are taken from the model config, then the tokenizer; pad falls
    back to eos, as Qwen2's own base checkpoints do. Greedy decoding is the default (do_sample false),
    as in Qwen2's base generation_config.json.
    """
    from transformers import GenerationConfig  # noqa: PLC0415

    folder = source.adapter if source.adapter and (source.adapter / "generation_config.json").exists() \
        else source.weights
    if (folder / "generation_config.json").exists():
        gen = GenerationConfig.from_pretrained(str(folder), local_files_only=True)
    else:
        gen = GenerationConfig.from_model_config(model_config)
    if gen.eos_token_id is None:
        gen.eos_token_id = model_config.eos_token_id if model_config.eos_token_id is not None \
            else tokenizer.eos_token_id
    if gen.bos_token_id is None and model_config.bos_token_id is not None:
        gen.bos_token_id = model_config.bos_token_id
    if gen.pad_token_id is None:
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else model_config.pad_token_id
        gen.pad_token_id = pad if pad is not None else _first(gen.eos_token_id)
    if gen.do_sample is None:
        gen.do_sample = False
    return gen


def write_config(model_config, out: Path, extra: dict | None = None) -> Path:
    data = model_config.to_diff_dict()  # what save_pretrained writes: no defaults, no run-time fields
    data.pop("_name_or_path", None)  # a path on this machine means nothing in the export
    data.update(extra or {})
    path = out / "config.json"
    with writing(path):
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def write_hf(model, source: Source, tokenizer, out: Path) -> None:
    """model.safetensors (or shards and their index), config.json, generation_config.json, tokenizer."""
    model.generation_config = generation_config(model.config, source, tokenizer)
    with writing(out):
        model.save_pretrained(str(out), max_shard_size=MAX_SHARD_SIZE)
    copy_tokenizer(source, out)


def write_adapter(source: Source, out: Path) -> None:
    """The LoRA adapter alone (adapter_config.json, adapter_model.safetensors) and the tokenizer.

    adapter_config.json keeps the base model it names; load it with peft over that base.
    """
    assert source.adapter is not None
    for name in ADAPTER_FILES:
        with writing(out / name):
            shutil.copyfile(source.adapter / name, out / name)
    copy_tokenizer(source, out)
