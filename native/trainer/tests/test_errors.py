"""Failures are classified so the app can say what to do: here, the ones that do not say so themselves."""

import errno

import pytest

from langbridge_trainer import errors
from langbridge_trainer.errors import DiskFull, classify, describe, writing


class SafetensorError(Exception):  # what safetensors raises, by name and message
    pass


def test_a_full_disk_is_recognised_whatever_library_reports_it():
    assert classify(OSError(errno.ENOSPC, "No space left on device")) == "disk_full"
    assert classify(OSError(errno.EDQUOT, "Disk quota exceeded")) == "disk_full"
    # Regression: only OSError(ENOSPC) counted, but safetensors (the model weights of every
    # checkpoint) reports a full disk like this:
    assert classify(SafetensorError("Error while serializing: I/O error: No space left on device (os error 28)")) \
        == "disk_full"
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as inner:
            raise RuntimeError("saving failed") from inner
    except RuntimeError as outer:
        assert classify(outer) == "disk_full"
    assert classify(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")) == "out_of_memory"
    assert classify(ModuleNotFoundError("No module named 'peft'")) == "missing_dependency"
    assert classify(ValueError("something else")) == "other"


def test_a_write_failing_on_a_full_disk_becomes_disk_full_naming_the_file(tmp_path, monkeypatch):
    target = tmp_path / "checkpoints" / ".tmp-step-3" / "optimizer.pt"
    # torch.save's own words for a full disk (torch 2.11, on a full tmpfs): nothing says "disk".
    opaque = RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 704 vs 598")
    monkeypatch.setattr(errors, "free_bytes", lambda path: 0)
    with pytest.raises(DiskFull) as info, writing(target):
        raise opaque
    assert str(target) in str(info.value) and describe(info.value)["classification"] == "disk_full"
    # With room on the disk the same failure is not blamed on it.
    monkeypatch.setattr(errors, "free_bytes", lambda path: 10 << 30)
    with pytest.raises(RuntimeError, match="unexpected pos"), writing(target):
        raise opaque
