"""Errors the trainer reports in words, each with the class the app shows the user.

The classification travels in the `error` event so the app can offer the right next step
(smaller batch for out_of_memory, install for missing_dependency, rebuild the dataset for bad_data).

A full disk rarely shows up as OSError(ENOSPC): torch.save fails with a RuntimeError from its C++
stream writer ("unexpected pos ..."), safetensors with a SafetensorError whose text says
"No space left on device (os error 28)", numpy's np.save with an OSError without errno. So writes
go through `writing(path)`, which turns a failed write on a nearly full disk into DiskFull naming
the file, and `classify` also recognises the messages along the exception's chain.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import traceback
from collections.abc import Iterator
from pathlib import Path

CLASSIFICATIONS = (
    "out_of_memory",
    "missing_dependency",
    "bad_data",
    "bad_spec",
    "bad_model",
    "disk_full",
    "other",
)

# After a write failed, less free space than this means the disk filled up (a failed write of a
# checkpoint leaves its partial file, so the disk is then all but full).
LOW_DISK_BYTES = 64 << 20
_DISK_FULL_TEXT = ("no space left on device", "os error 28", "disk quota exceeded", "os error 122", "storagefull")


class TrainerError(Exception):
    """An error whose message is written for the user; no traceback needed to understand it."""

    classification = "other"


class SpecError(TrainerError):
    """A spec field is missing or wrong; the message starts with the field's path."""

    classification = "bad_spec"

    def __init__(self, field: str, problem: str):
        super().__init__(f"spec field '{field}': {problem}")
        self.field = field


class DataError(TrainerError):
    classification = "bad_data"


class ModelError(TrainerError):
    classification = "bad_model"


class MissingDependency(TrainerError):
    classification = "missing_dependency"


class DiskFull(TrainerError):
    classification = "disk_full"


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _says_disk_full(exc: BaseException) -> bool:
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if any(t in str(e).lower() for t in _DISK_FULL_TEXT):
            return True
    return False


def free_bytes(path: Path) -> int | None:
    """Free space of the file system holding `path` (or its nearest existing parent)."""
    p = Path(path)
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        return shutil.disk_usage(p).free
    except OSError:
        return None


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Re-raise a write that failed because the disk is full as DiskFull naming `path`."""
    try:
        yield
    except TrainerError:
        raise
    except Exception as exc:
        free = free_bytes(path)
        if _says_disk_full(exc) or (free is not None and free < LOW_DISK_BYTES):
            shown = "unknown" if free is None else f"{free / 2**20:.1f} MiB"
            raise DiskFull(f"the disk is full: writing {path} failed ({type(exc).__name__}: {str(exc)[:200]}); "
                           f"{shown} free. Free some space (old runs, checkpoints, the token cache) and resume"
                           ) from exc
        raise


def classify(exc: BaseException) -> str:
    if isinstance(exc, TrainerError):
        return exc.classification
    # torch.OutOfMemoryError (CUDA) subclasses RuntimeError; CPU allocation failures are MemoryError.
    if type(exc).__name__ == "OutOfMemoryError" or isinstance(exc, MemoryError):
        return "out_of_memory"
    if isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower():
        return "out_of_memory"
    if isinstance(exc, ImportError):
        return "missing_dependency"
    if _says_disk_full(exc):
        return "disk_full"
    return "other"


def describe(exc: BaseException) -> dict:
    """The fields of an `error` event for this exception."""
    return {
        "message": str(exc) or type(exc).__name__,
        "classification": classify(exc),
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }
