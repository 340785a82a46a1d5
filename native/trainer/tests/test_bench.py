"""The training benchmark (bench/bench_train.py) runs end to end in its CPU smoke mode.

The real benchmark needs a CUDA GPU; here both arms (Langbridge's `train` and a plain Hugging Face
Trainer) run on the tiny model for two steps each, through the same processes, files and event
parsing a GPU run uses. The synthetic tokenizer is the one a GPU machine without node_modules gets.
About 20 s on 2 idle cores, most of it three Python processes importing torch and transformers.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "bench_train.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_train", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_tiny_cpu_runs_both_arms(tmp_path, capsys, monkeypatch):
    import torch

    bench = _bench_module()
    # The orchestration runs here (it holds no model); each arm runs in its own process, as on a GPU.
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    out = tmp_path / "bench.json"
    rc = bench.main(["--tiny", "--device", "cpu", "--seq-len", "128", "--steps", "1", "--warmup", "1",
                     "--grad-accum", "1", "--tokenizer", "synthetic", "--work-dir", str(tmp_path / "work"),
                     "--out", str(out)])
    printed = capsys.readouterr()
    assert rc == 0, printed.out[-2000:] + printed.err[-4000:]
    report = json.loads(out.read_text())
    arms = {r["arm"]: r for r in report["results"]}
    assert set(arms) == {"langbridge", "baseline"}
    for arm in arms.values():
        assert arm["model"] == "tiny"
        assert not arm.get("error"), arm.get("error")
        assert arm["tokensPerSecond"] > 0
        assert arm["measuredSteps"] == 1
        assert arm["flopsPerToken"] > 0
    # The same FLOP formula for both arms, from the same model.
    assert arms["langbridge"]["flopsPerToken"] == arms["baseline"]["flopsPerToken"]
    assert arms["langbridge"]["attention"] == "sdpa"
    assert arms["langbridge"]["trainerReported"]["tokensPerSecond"] > 0
    assert arms["baseline"]["ratioVsBaseline"] == 1.0
    assert report["settings"]["globalBatchTokens"] == 128
    # The documents became real token streams, and every process read the same token cache entry.
    assert report["dataset"]["meanDocumentTokens"] > 100
    assert report["dataset"]["tokenCacheEntries"] == 1
    assert "| tiny | langbridge |" in printed.out and "| tiny | baseline |" in printed.out

    # Without --device cpu and without CUDA it refuses, with exit code 2.
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert bench.main([]) == 2
    assert "No CUDA GPU" in capsys.readouterr().err
