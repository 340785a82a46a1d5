"""Two processes (torchrun, gloo on CPU) train exactly like one process accumulating micro-batches."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import of_kind, run_events

from langbridge_trainer.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
TORCHRUN = shutil.which("torchrun", path=str(Path(sys.executable).parent))
# Predicted tokens per chunk of the loss's output projection (loss.CHUNK_TOKENS, 1024 in a real run):
# rows of 31 predicted tokens are cut into 12 + 12 + 7, so every run below projects several chunks,
# recomputes them in backward (torch.utils.checkpoint) and has a ragged last one, through DDP's and
# FSDP2's forwards, with the lm_head applied outside the wrapper's forward.
CHUNK = 12
RUNNER = """import sys
sys.path.insert(0, {root!r})
from langbridge_trainer import loss
loss.CHUNK_TOKENS = {chunk}
from langbridge_trainer.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(TORCHRUN is None, reason="torchrun is not installed beside this Python")
def test_two_ranks_match_one_process_with_accumulation(make_spec, tmp_path, monkeypatch):
    # 4 rows per step: one process does them in one micro-batch of 4, each of two processes in 2
    # micro-batches of 1 (so DDP's no_sync and FSDP2's set_requires_gradient_sync are exercised).
    # The rows hold different numbers of labelled tokens (documents start at different places), so
    # a mean of micro-batch or per-rank means would not match the one process's mean over tokens.
    fields = dict(globalBatchTokens=128, maxSteps=3, stages=[{"directory": "stage-1", "peakLr": 1e-3,
                                                                "warmupSteps": 1}])
    from langbridge_trainer import loss

    monkeypatch.setattr(loss, "CHUNK_TOKENS", CHUNK)
    runner = tmp_path / "run_chunked.py"
    runner.write_text(RUNNER.format(root=str(ROOT), chunk=CHUNK))
    assert main(["train", "--spec", str(make_spec("one", microBatch=4, **fields))]) == 0
    one = of_kind(run_events(tmp_path / "runs" / "one"), "step")
    # FSDP2 too: regression for an optimizer built over the root's unsharded tensors after the
    # start-up isolation check's forward (losses drifted from step 2, the checkpoint failed).
    for kind in ("ddp", "fsdp"):
        spec = make_spec(kind, distributed=kind, **fields)
        done = subprocess.run([TORCHRUN, "--nproc_per_node", "2", str(runner), "train", "--spec", str(spec)], cwd=ROOT,
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr[-3000:]
        two_events = run_events(tmp_path / "runs" / kind)
        two = of_kind(two_events, "step")
        assert of_kind(two_events, "started")[0]["worldSize"] == 2
        assert len(one) == len(two) == 3
        for a, b in zip(one, two):
            assert b["loss"] == pytest.approx(a["loss"], abs=1e-5), kind
            assert b["gradNorm"] == pytest.approx(a["gradNorm"], rel=1e-4), kind
        # Only rank 0 writes: one copy of each event, one checkpoint folder.
        assert len(of_kind(two_events, "finished")) == 1
        assert [p.name for p in (tmp_path / "runs" / kind / "checkpoints").iterdir()] == ["step-3"]
