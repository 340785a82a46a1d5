"""`doctor`: what this Python can do for Langbridge (packages, GPUs), as JSON."""

from __future__ import annotations

import importlib
import platform
import sys
from typing import Any

# The packages the trainer uses, and why; checked without importing them
# eagerly elsewhere so that `doctor` works on a bare Python.
PACKAGES = {
    "torch": "training and evaluation",
    "transformers": "Qwen2-family model classes and tokenizers",
    "safetensors": "loading and saving weights without pickle",
    "peft": "LoRA for small GPUs",
    "accelerate": "device placement helpers",
}


def _version(name: str) -> str | None:
    try:
        module = importlib.import_module(name)
    except Exception:  # noqa: BLE001 - any import failure means "not usable"
        return None
    return str(getattr(module, "__version__", "unknown"))


def _gpus() -> list[dict[str, Any]]:
    try:
        import torch  # noqa: PLC0415 - optional dependency
    except Exception:  # noqa: BLE001
        return []
    if not torch.cuda.is_available():
        return []
    out = []
    for i in range(torch.cuda.device_count()):
        props = torch.cuda.get_device_properties(i)
        out.append(
            {
                "index": i,
                "name": props.name,
                "memory_gib": round(props.total_memory / 2**30, 1),
                "bf16": bool(torch.cuda.is_bf16_supported()),
            }
        )
    return out


def report() -> dict[str, Any]:
    packages = {name: {"version": _version(name), "purpose": why} for name, why in PACKAGES.items()}
    missing = [name for name, p in packages.items() if p["version"] is None]
    return {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "packages": packages,
        "missing": missing,
        "gpus": _gpus(),
        "ready_to_train": not {"torch", "transformers", "safetensors"} & set(missing),
    }
