"""Errors the trainer reports in words, each with the class the app shows the user.

The classification travels in the `error` event so the app can offer the right next step
(smaller batch for out_of_memory, install for missing_dependency, rebuild the dataset for bad_data).
"""

from __future__ import annotations

import errno
import traceback

CLASSIFICATIONS = (
    "out_of_memory",
    "missing_dependency",
    "bad_data",
    "bad_spec",
    "bad_model",
    "disk_full",
    "other",
)


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
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk_full"
    return "other"


def describe(exc: BaseException) -> dict:
    """The fields of an `error` event for this exception."""
    return {
        "message": str(exc) or type(exc).__name__,
        "classification": classify(exc),
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }
