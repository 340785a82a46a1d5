"""Two processes (torchrun, gloo on CPU) train exactly like one process accumulating two micro-batches."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import of_kind, run_events

from langbridge_trainer.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
TORCHRUN = shutil.which("torchrun", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(TORCHRUN is None, reason="torchrun is not installed beside this Python")
def test_two_ranks_match_one_process_with_accumulation(make_spec, tmp_path):
    # 2 rows per step: one process does 2 micro-batches, two processes one each.
    fields = dict(globalBatchTokens=64, maxSteps=3, stages=[{"directory": "stage-1", "peakLr": 1e-3,
                                                               "warmupSteps": 1}])
    assert main(["train", "--spec", str(make_spec("one", **fields))]) == 0
    spec = make_spec("two", **fields)
    done = subprocess.run([TORCHRUN, "--nproc_per_node", "2", "-m", "langbridge_trainer", "train", "--spec",
                           str(spec)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    one = of_kind(run_events(tmp_path / "runs" / "one"), "step")
    two_events = run_events(tmp_path / "runs" / "two")
    two = of_kind(two_events, "step")
    assert of_kind(two_events, "started")[0]["worldSize"] == 2
    assert len(one) == len(two) == 3
    for a, b in zip(one, two):
        assert b["loss"] == pytest.approx(a["loss"], abs=1e-5)
        assert b["gradNorm"] == pytest.approx(a["gradNorm"], rel=1e-4)
    # Only rank 0 writes: one copy of each event, one checkpoint folder.
    assert len(of_kind(two_events, "finished")) == 1
    assert [p.name for p in (tmp_path / "runs" / "two" / "checkpoints").iterdir()] == ["step-3"]
