"""Checkpoints: <runDir>/checkpoints/step-N, written whole or not at all.

Each is written into checkpoints/.tmp-step-N and renamed to step-N only once complete, so a crash
or a SIGKILL mid-write leaves an ignorable .tmp folder, never a half checkpoint that resume would
pick; such leftovers (a full model and optimizer state each) are deleted before the next checkpoint
is written and when a run resumes. Contents:
    model/        full fine-tuning: the model as a Hugging Face folder (config, safetensors, tokenizer),
                  loadable on its own; LoRA: the adapter (adapter_model.safetensors) and tokenizer
    optimizer.pt  AdamW state (tensors and numbers only)
    rng-rank-R.pt random states of rank R (python, numpy, torch CPU, CUDA) and the fp16 loss scaler
    state.json    step counters, data position, held-out loss, best checkpoint so far
Everything torch-serialised is read back with weights_only=True: a checkpoint cannot run code.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .errors import writing

STEP_DIR = re.compile(r"^step-(\d+)$")


def root(run_dir: Path) -> Path:
    return run_dir / "checkpoints"


def complete(run_dir: Path) -> list[tuple[int, Path]]:
    """Complete checkpoints, oldest first."""
    base = root(run_dir)
    if not base.is_dir():
        return []
    found = []
    for p in base.iterdir():
        m = STEP_DIR.match(p.name)
        if m and (p / "state.json").exists():
            found.append((int(m.group(1)), p))
    return sorted(found)


def latest(run_dir: Path) -> tuple[int, Path] | None:
    done = complete(run_dir)
    return done[-1] if done else None


def tmp_dir(run_dir: Path, step: int) -> Path:
    return root(run_dir) / f".tmp-step-{step}"


def final_dir(run_dir: Path, step: int) -> Path:
    return root(run_dir) / f"step-{step}"


def clean_stale(run_dir: Path) -> list[str]:
    """Delete .tmp-step-* folders: left by a process that died while writing (SIGKILL, full disk).

    Only rank 0 writes checkpoints, one at a time, so no .tmp folder is in use when this runs.
    """
    base = root(run_dir)
    removed = []
    if base.is_dir():
        for stale in sorted(base.glob(".tmp-step-*")):
            shutil.rmtree(stale, ignore_errors=True)
            removed.append(str(stale))
    return removed


def begin(run_dir: Path, step: int) -> Path:
    clean_stale(run_dir)
    tmp = tmp_dir(run_dir, step)
    with writing(tmp):
        tmp.mkdir(parents=True)
    return tmp


def commit(run_dir: Path, step: int, state: dict) -> Path:
    tmp = tmp_dir(run_dir, step)
    with writing(tmp / "state.json"):
        _write_json(tmp / "state.json", state)
        _fsync_tree(tmp)
    final = final_dir(run_dir, step)
    os.replace(tmp, final)
    _fsync_dir(final.parent)
    return final


def prune(run_dir: Path, keep: int, best_step: int | None) -> list[str]:
    """Delete all but the last `keep` checkpoints and the best one; return what was deleted."""
    done = complete(run_dir)
    keep_steps = {s for s, _ in done[-keep:]}
    if best_step is not None:
        keep_steps.add(best_step)
    removed = []
    for step, path in done:
        if step not in keep_steps:
            shutil.rmtree(path)
            removed.append(str(path))
    return removed


def read_state(path: Path) -> dict:
    return json.loads((path / "state.json").read_text(encoding="utf-8"))


def rng_state() -> dict[str, Any]:
    py = random.getstate()
    np_state = np.random.get_state()
    return {
        # Python's state is (version, tuple of ints, gauss) and numpy's holds an array: both are
        # turned into tensors and plain numbers so the weights_only loader accepts them.
        "python_version": py[0],
        "python_state": torch.tensor(py[1], dtype=torch.int64),
        "python_gauss": py[2],
        "numpy_keys": torch.from_numpy(np_state[1].astype(np.int64)),
        "numpy_pos": int(np_state[2]),
        "numpy_has_gauss": int(np_state[3]),
        "numpy_cached_gaussian": float(np_state[4]),
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }


def restore_rng(state: dict[str, Any]) -> None:
    random.setstate((state["python_version"], tuple(int(x) for x in state["python_state"].tolist()),
                     state["python_gauss"]))
    np.random.set_state(("MT19937", state["numpy_keys"].numpy().astype(np.uint32), state["numpy_pos"],
                         state["numpy_has_gauss"], state["numpy_cached_gaussian"]))
    torch.set_rng_state(state["torch"])
    if state["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"][: torch.cuda.device_count()])


def save_torch(obj: Any, path: Path) -> None:
    with writing(path):  # torch.save reports a full disk as an opaque RuntimeError
        torch.save(obj, path)


def load_torch(path: Path) -> Any:
    return torch.load(path, map_location="cpu", weights_only=True)


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2), encoding="utf-8")


def _fsync_tree(folder: Path) -> None:
    # The rename is atomic, but only durable once the files it publishes have reached the disk.
    for p in folder.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported on every platform (Windows); the data itself is synced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
