"""What `export` reads: a Hugging Face model folder, a checkpoint, or a LoRA adapter over its base.

Accepted forms of --model:
  - a Hugging Face folder (config.json and *.safetensors), e.g. a base model or a full fine-tuning
    checkpoint's model/ folder;
  - a checkpoint folder (checkpoints/step-N), whose model/ folder is used;
  - a LoRA adapter folder (adapter_config.json, adapter_model.safetensors), e.g. a LoRA checkpoint's
    model/ folder, with its base model from --base, or else from the adapter's own
    base_model_name_or_path when that names an existing folder.
Weights are read from safetensors only (model.check_model_folder), never unpickled.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelError, TrainerError
from .model import check_model_folder

# Tokenizer files copied as they are: re-saving through transformers could rewrite them.
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt", "special_tokens_map.json",
                   "added_tokens.json", "chat_template.jinja", "chat_template.json")
ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")


class ExportError(TrainerError):
    """The export cannot be done as asked (wrong folder, format, option); the message says why."""

    classification = "bad_spec"


@dataclass(frozen=True)
class Source:
    weights: Path            # the Hugging Face folder holding the (base) weights
    adapter: Path | None     # the LoRA adapter folder, when the model is one
    tokenizer: Path          # where the tokenizer files come from

    @property
    def lora(self) -> bool:
        return self.adapter is not None


def _is_adapter(folder: Path) -> bool:
    return (folder / "adapter_config.json").is_file()


def resolve_source(model: Path, base: Path | None) -> Source:
    model = Path(model)
    if not model.is_dir():
        raise ModelError(f"model folder {model} does not exist")
    if not (model / "config.json").exists() and not _is_adapter(model) and (model / "model").is_dir():
        model = model / "model"  # a checkpoint folder: checkpoints/step-N/model
    if not _is_adapter(model):
        if base is not None:
            raise ExportError(f"--base is only for LoRA adapters, and {model} is a full model folder "
                              f"(it has no adapter_config.json)")
        check_model_folder(model)
        return Source(weights=model, adapter=None, tokenizer=model)

    if not (model / "adapter_model.safetensors").is_file():
        raise ModelError(f"the LoRA adapter in {model} has no adapter_model.safetensors (Langbridge reads "
                         f"safetensors only)")
    if base is None:
        config = json.loads((model / "adapter_config.json").read_text(encoding="utf-8"))
        named = config.get("base_model_name_or_path")
        if not named or not Path(named).is_dir():
            raise ExportError(f"{model} is a LoRA adapter: pass its base model folder with --base "
                              f"(adapter_config.json names {named!r}, which is not a folder here)")
        base = Path(named)
    base = Path(base)
    check_model_folder(base)
    tokenizer = model if (model / "tokenizer.json").is_file() else base
    return Source(weights=base, adapter=model, tokenizer=tokenizer)


def tokenizer_files(folder: Path) -> list[Path]:
    if not (folder / "tokenizer.json").is_file():
        raise ModelError(f"{folder} has no tokenizer.json; the export needs the model's fast tokenizer")
    return [folder / name for name in TOKENIZER_FILES if (folder / name).is_file()]


def load_tokenizer(source: Source):
    from transformers import AutoTokenizer  # noqa: PLC0415 - heavy import

    try:
        return AutoTokenizer.from_pretrained(str(source.tokenizer), local_files_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure means the folder's tokenizer is unusable
        raise ModelError(f"cannot load the tokenizer of {source.tokenizer}: {exc}") from exc


def load_model(source: Source, dtype):
    """The model in `dtype` ("auto": as stored), with a LoRA adapter merged into its weights.

    merge_and_unload adds B·A·(alpha/r) to each targeted weight and drops the adapter modules, so the
    result is a plain transformers model whose outputs equal the adapted model's.
    """
    from transformers import AutoModelForCausalLM  # noqa: PLC0415

    try:
        model = AutoModelForCausalLM.from_pretrained(str(source.weights), dtype=dtype, use_safetensors=True,
                                                     local_files_only=True, attn_implementation="sdpa")
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot load {source.weights} as a causal language model: {exc}") from exc
    if source.adapter is not None:
        from peft import PeftModel  # noqa: PLC0415

        try:
            model = PeftModel.from_pretrained(model, str(source.adapter), is_trainable=False).merge_and_unload()
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise ModelError(f"cannot apply the LoRA adapter {source.adapter} to {source.weights}: {exc}") from exc
    return model.eval()


class Tensors:
    """Named weight tensors, their shapes known before any is read (GGUF writes its index first)."""

    def __init__(self, shapes: dict[str, tuple[int, ...]], get):
        self.shapes = shapes
        self._get = get

    def get(self, name: str):
        return self._get(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.shapes)


def safetensors_tensors(folder: Path) -> Tensors:
    """The tensors of a folder's *.safetensors files, each read only when asked for (a 7B model
    is converted one tensor at a time instead of all at once)."""
    from safetensors import safe_open  # noqa: PLC0415

    where: dict[str, Path] = {}
    shapes: dict[str, tuple[int, ...]] = {}
    for file in sorted(folder.glob("*.safetensors")):
        with safe_open(str(file), framework="pt") as f:
            for name in f.keys():  # noqa: SIM118 - safe_open has no __iter__
                where[name] = file
                shapes[name] = tuple(f.get_slice(name).get_shape())

    def get(name: str):
        with safe_open(str(where[name]), framework="pt") as f:
            return f.get_tensor(name)

    return Tensors(shapes, get)


def model_tensors(model) -> Tensors:
    state = model.state_dict()
    return Tensors({k: tuple(v.shape) for k, v in state.items()}, state.__getitem__)
