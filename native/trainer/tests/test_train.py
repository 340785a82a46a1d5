import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_dataset, of_kind, run_events, validate_events

from langbridge_trainer import checkpoint
from langbridge_trainer.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


def step_losses(events):
    return {e["step"]: e["loss"] for e in of_kind(events, "step")}


def test_loss_falls_over_30_steps_on_a_repeated_corpus(make_spec, tmp_path):
    # One stage, 30 steps of one 32-token row: the 12 documents come round several times.
    spec = make_spec(stages=[{"directory": "stage-1", "tokens": 30 * 32, "peakLr": 3e-3, "warmupSteps": 3}])
    assert main(["train", "--spec", str(spec)]) == 0
    events = run_events(tmp_path / "runs" / "run")
    losses = [e["loss"] for e in of_kind(events, "step")]
    assert len(losses) == 30
    first, last = sum(losses[:5]) / 5, sum(losses[-5:]) / 5
    assert last < first - 1.0, (first, last)
    evals = of_kind(events, "eval")
    assert evals[0]["step"] == 0 and evals[-1]["step"] == 30
    assert evals[-1]["meanLoss"] < evals[0]["meanLoss"]
    assert of_kind(events, "finished")[-1]["status"] == "succeeded"


@pytest.mark.parametrize("method", ["full", "lora"])
def test_resume_continues_exactly(make_spec, tmp_path, method):
    # LoRA has dropout, so its case also proves the random states come back; it stops mid-stage.
    # The full run stops exactly at the switch to stage 2 (its checkpoint holds stage 1, step 0),
    # which must re-warm from its own peak as in the uninterrupted run.
    stages = [{"directory": "stage-1", "tokens": 40 * 32, "peakLr": 2e-3, "warmupSteps": 4}]
    if method == "full":
        stages = [{"directory": "stage-1", "tokens": 10 * 32, "peakLr": 2e-3, "warmupSteps": 4},
                  {"directory": "stage-2", "tokens": 10 * 32, "peakLr": 1e-3, "warmupSteps": 2, "schedule": "wsd"}]
    common = dict(method=method, stages=stages, evalInterval=None)
    straight = make_spec("straight", maxSteps=20, **common)
    assert main(["train", "--spec", str(straight)]) == 0
    split = make_spec("split", maxSteps=10, **common)
    assert main(["train", "--spec", str(split)]) == 0
    assert main(["train", "--resume", str(tmp_path / "runs" / "split"), "--max-steps", "20"]) == 0

    a = step_losses(run_events(tmp_path / "runs" / "straight"))
    b_events = run_events(tmp_path / "runs" / "split")
    b = step_losses(b_events)
    assert sorted(a) == sorted(b) == list(range(1, 21))
    for step in range(11, 21):
        assert b[step] == pytest.approx(a[step], abs=1e-5), step
    started = of_kind(b_events, "started")
    assert started[0]["resumedFrom"] is None
    assert started[1]["resumedFrom"]["step"] == 10
    a_steps = {e["step"]: e for e in of_kind(run_events(tmp_path / "runs" / "straight"), "step")}
    b_steps = {e["step"]: e for e in of_kind(b_events, "step")}
    for step in range(11, 21):
        assert (b_steps[step]["lr"], b_steps[step]["stage"], b_steps[step]["stageStep"]) == \
            (a_steps[step]["lr"], a_steps[step]["stage"], a_steps[step]["stageStep"])
    if method == "full":
        state = json.loads((tmp_path / "runs" / "split" / "checkpoints" / "step-10" / "state.json").read_text())
        assert (state["stage"], state["stageStep"]) == (1, 0)
        assert (b_steps[11]["stage"], b_steps[11]["stageStep"], b_steps[11]["lr"]) == (1, 1, pytest.approx(5e-4))
        assert [(e["index"], e["phase"]) for e in of_kind(b_events, "stage")] == [(0, "start"), (0, "end"),
                                                                                 (1, "start"), (1, "end")]


def test_checkpoints_are_complete_and_pruned(make_spec, tmp_path):
    spec = make_spec(maxSteps=8, checkpointInterval=2, keepCheckpoints=2,
                     stages=[{"directory": "stage-1", "tokens": 20 * 32, "peakLr": 1e-3}])
    assert main(["train", "--spec", str(spec)]) == 0
    run = tmp_path / "runs" / "run"
    events = run_events(run)
    assert {e["kind"] for e in events} == {"started", "progress", "plan", "stage", "step", "eval", "checkpoint",
                                           "finished"}
    ckpts = of_kind(events, "checkpoint")
    assert [c["step"] for c in ckpts] == [2, 4, 6, 8]
    assert all(c["evalLoss"] is not None for c in ckpts)
    best = min(ckpts, key=lambda c: c["evalLoss"])["step"]
    left = sorted(int(p.name.split("-")[1]) for p in (run / "checkpoints").iterdir())
    assert left == sorted({6, 8, best})
    assert not list((run / "checkpoints").glob(".tmp-*"))
    step8 = run / "checkpoints" / "step-8"
    for name in ("model/model.safetensors", "model/config.json", "model/tokenizer.json", "optimizer.pt",
                 "rng-rank-0.pt", "state.json"):
        assert (step8 / name).is_file(), name
    state = json.loads((step8 / "state.json").read_text())
    assert (state["step"], state["stage"], state["stageStep"], state["tokens"]) == (8, 0, 8, 8 * 32)
    assert (run / "spec.json").is_file() and (run / "train.log").is_file()


def test_sigterm_checkpoints_and_finishes_cancelled(make_spec, tmp_path):
    spec = make_spec(stages=[{"directory": "stage-1", "tokens": 10_000 * 32}])
    proc = subprocess.Popen([sys.executable, "-m", "langbridge_trainer", "train", "--spec", str(spec)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if json.loads(line)["kind"] == "step":
                proc.send_signal(signal.SIGTERM)
                break
        lines += proc.stdout.readlines()
        rc = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rc == 0
    stdout_events = [json.loads(line) for line in lines]
    validate_events(stdout_events)
    run = tmp_path / "runs" / "run"
    assert run_events(run) == stdout_events  # stdout and events.jsonl carry the same events
    finished = stdout_events[-1]
    assert finished["kind"] == "finished" and finished["status"] == "cancelled"
    ckpt = of_kind(stdout_events, "checkpoint")[-1]
    assert ckpt["reason"] == "cancel" and ckpt["step"] == finished["step"] >= 1
    assert Path(ckpt["path"]).is_dir() and finished["checkpoint"] == ckpt["path"]


def test_tampered_shard_is_refused_naming_the_file(make_spec, tmp_path):
    dataset = copy_dataset(FIXTURES / "dataset-tampered", tmp_path / "dataset")
    spec = make_spec(dataset=str(dataset), cacheDir=str(tmp_path / "cache"))
    assert main(["train", "--spec", str(spec)]) == 1
    error = of_kind(run_events(tmp_path / "runs" / "run"), "error")[-1]
    assert error["classification"] == "bad_data"
    assert str(dataset / "stage-1" / "shard-00000.jsonl.gz") in error["message"]
    assert not list((tmp_path / "cache").rglob("*.tokens.npy"))


def test_bad_spec_reports_the_field_as_an_event(make_spec, capsys):
    spec = make_spec(seqLen="long")
    assert main(["train", "--spec", str(spec)]) == 1
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    validate_events(events)
    assert events[-1]["kind"] == "error" and events[-1]["classification"] == "bad_spec"
    assert "seqLen" in events[-1]["message"]


def test_model_folder_without_safetensors_is_refused(make_spec, tmp_path, tiny_model):
    folder = tmp_path / "pickled-model"
    folder.mkdir()
    (folder / "config.json").write_text((tiny_model / "config.json").read_text())
    (folder / "pytorch_model.bin").write_bytes(b"not loaded")
    assert main(["train", "--spec", str(make_spec(baseModel=str(folder)))]) == 1
    error = of_kind(run_events(tmp_path / "runs" / "run"), "error")[-1]
    assert error["classification"] == "bad_model" and str(folder) in error["message"]
    assert "safetensors" in error["message"]


def test_new_run_refuses_a_run_dir_with_checkpoints(make_spec, tmp_path, capsys):
    spec = make_spec(maxSteps=1)
    assert main(["train", "--spec", str(spec)]) == 0
    capsys.readouterr()
    assert main(["train", "--spec", str(spec)]) == 1
    error = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert error["classification"] == "bad_spec" and "--resume" in error["message"]


def test_full_disk_is_reported_and_a_dead_write_is_cleaned_up(make_spec, tmp_path, monkeypatch):
    import torch

    from langbridge_trainer import errors

    # torch.save's own failure on a full disk (torch 2.11 on a full tmpfs): a RuntimeError that
    # never says "disk". Regression: it was classified "other".
    def full(*args, **kwargs):
        raise RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 704 vs 598")

    spec = make_spec(maxSteps=1)
    run = tmp_path / "runs" / "run"
    with monkeypatch.context() as m:
        m.setattr(torch, "save", full)
        m.setattr(errors, "free_bytes", lambda path: 0)
        assert main(["train", "--spec", str(spec)]) == 1
    error = of_kind(run_events(run), "error")[-1]
    assert error["classification"] == "disk_full" and "optimizer.pt" in error["message"]
    assert (run / "checkpoints" / ".tmp-step-1").is_dir() and checkpoint.latest(run) is None
    # Another leftover, as from a process killed while writing step 7 (a whole model each).
    # Regression: only a leftover of the very step being written was removed; others piled up.
    (run / "checkpoints" / ".tmp-step-7" / "model").mkdir(parents=True)
    assert main(["train", "--resume", str(run)]) == 0
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == ["step-1"]


def test_an_error_on_another_rank_reaches_the_app(make_spec, tmp_path, monkeypatch, capsys):
    # Regression: only rank 0 wrote events, so a failure on rank 1 (its own OOM, a shard only it
    # tokenised) left rank 0 waiting in a collective and the app without an `error` event.
    from langbridge_trainer import distributed
    from langbridge_trainer.errors import DataError
    from langbridge_trainer.spec import load_spec
    from langbridge_trainer.train import Trainer

    monkeypatch.setattr(distributed, "init", lambda use_cuda: distributed.World(rank=1, size=2, local_rank=1))

    def fail(self):
        raise DataError("shard-00003.jsonl.gz line 12: not valid JSON")

    monkeypatch.setattr(Trainer, "_run", fail)
    spec = load_spec(make_spec())
    assert Trainer(spec, resume=False).run() == 1
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    validate_events(out)
    assert [e["kind"] for e in out] == ["error"]
    assert out[0]["classification"] == "bad_data" and out[0]["message"].startswith("rank 1: shard-00003")
    assert run_events(spec.run_dir) == out


def test_missing_torch_is_an_error_event(monkeypatch, capsys):
    # Regression: `train` imported torch before any handler, so a missing package was a bare traceback.
    monkeypatch.setitem(sys.modules, "langbridge_trainer.train", None)  # importing it now raises ImportError
    assert main(["train", "--spec", "x.json"]) == 1
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    validate_events(events)
    assert events[-1]["kind"] == "error" and events[-1]["classification"] == "missing_dependency"
