"""`doctor`: what this Python can do for Langbridge (packages, GPUs, disk), as JSON."""

from __future__ import annotations

import importlib
import platform
import shutil
import sys
from pathlib import Path
from typing import Any

# The packages the trainer uses, and why; checked without importing them
# eagerly elsewhere so that `doctor` works on a bare Python.
PACKAGES = {
    "torch": "training and evaluation",
    "transformers": "Qwen2-family model classes and tokenizers",
    "tokenizers": "fast batch tokenisation of the dataset",
    "safetensors": "loading and saving weights without pickle",
    "numpy": "the token cache",
    "peft": "LoRA for small GPUs",
    "accelerate": "device placement helpers (needed by peft)",
}


def _version(name: str) -> str | None:
    try:
        module = importlib.import_module(name)
    except Exception:  # noqa: BLE001 - any import failure means "not usable"
        return None
    return str(getattr(module, "__version__", "unknown"))


def _torch() -> dict[str, Any] | None:
    try:
        import torch  # noqa: PLC0415 - optional dependency
    except Exception:  # noqa: BLE001
        return None
    cuda = torch.cuda.is_available()
    return {
        "version": torch.__version__,
        "cuda": torch.version.cuda,
        "cuda_available": cuda,
        "gpus": _gpus(torch) if cuda else [],
    }


def _gpus(torch) -> list[dict[str, Any]]:
    out = []
    for i in range(torch.cuda.device_count()):
        props = torch.cuda.get_device_properties(i)
        out.append(
            {
                "index": i,
                "name": props.name,
                "memory_bytes": int(props.total_memory),
                "memory_gib": round(props.total_memory / 2**30, 1),
                "compute_capability": f"{props.major}.{props.minor}",
                # bf16 tensor cores arrived with Ampere (8.0); asked per device, not of the current one.
                "bf16": props.major >= 8,
            }
        )
    return out


def _disk(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    target = path.resolve()
    # The folder may not exist yet (a workspace about to be created): measure the nearest parent.
    probe = next((p for p in [target, *target.parents] if p.exists()), None)
    if probe is None:
        return {"path": str(target), "free_bytes": None, "total_bytes": None}
    usage = shutil.disk_usage(probe)
    return {"path": str(target), "free_bytes": usage.free, "total_bytes": usage.total}


def report(path: Path | None = None) -> dict[str, Any]:
    packages = {name: {"version": _version(name), "purpose": why} for name, why in PACKAGES.items()}
    missing = [name for name, p in packages.items() if p["version"] is None]
    torch_info = _torch()
    return {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "packages": packages,
        "missing": missing,
        "torch": torch_info,
        "gpus": torch_info["gpus"] if torch_info else [],
        "disk": _disk(path),
        "ready_to_train": not {"torch", "transformers", "safetensors", "tokenizers", "numpy"} & set(missing),
    }
