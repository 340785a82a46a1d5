"""Shared fixtures: one tiny Qwen2 per session, spec files, and reading a run's events."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

# The tiny model's matrices are so small that waking a second OpenMP thread costs more than the
# work (5x slower steps on a busy 2-core machine). Set before torch is first imported; subprocess
# runs inherit it.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
DATASET = FIXTURES / "dataset-small"


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    from langbridge_trainer.__main__ import main

    out = tmp_path_factory.mktemp("tiny") / "qwen2-tiny"
    assert main(["create-tiny", "--out", str(out), "--seed", "0"]) == 0
    return out


@pytest.fixture(scope="session")
def token_cache(tmp_path_factory) -> Path:
    # Shared by the runs on dataset-small: later runs find the tokens cached, as in the app.
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def make_spec(tmp_path, tiny_model, token_cache):
    """Write a spec for a small CPU run; keyword arguments override its fields (camelCase)."""

    def make(name: str = "run", **fields) -> Path:
        spec = {
            "specVersion": 1,
            "baseModel": str(tiny_model),
            "dataset": str(DATASET),
            "runDir": str(tmp_path / "runs" / name),
            "cacheDir": str(token_cache),
            "seqLen": 32,
            "globalBatchTokens": 32,
            "microBatch": 1,
            "device": "cpu",
            "evalInterval": None,
            "checkpointInterval": None,
            "evalMaxDocumentsPerLanguage": 1,
            "seed": 7,
        }
        spec.update(fields)
        path = tmp_path / f"{name}.spec.json"
        path.write_text(json.dumps(spec))
        return path

    return make


def read_events(run_dir: Path) -> list[dict]:
    lines = (Path(run_dir) / "events.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def copy_dataset(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def validate_events(events: list[dict]) -> None:
    """Every event must match events.schema.json, the contract the app imports."""
    import jsonschema

    from langbridge_trainer.events import load_schema

    validator = jsonschema.Draft202012Validator(load_schema(), format_checker=jsonschema.FormatChecker())
    for event in events:
        errors = sorted(validator.iter_errors(event), key=lambda e: e.path)
        assert not errors, f"{event.get('kind')} event does not match the schema: {errors[0].message}\n{event}"


def run_events(run_dir: Path) -> list[dict]:
    events = read_events(run_dir)
    validate_events(events)
    return events


def of_kind(events: list[dict], kind: str) -> list[dict]:
    return [e for e in events if e["kind"] == kind]


def write_dataset(root: Path, stages: list[list[str]], held_out: dict[str, list[str]] | None = None) -> Path:
    """A dataset version in the pipeline's layout from plain texts, with correct sha256s."""
    import gzip
    import hashlib

    def write(rel: str, texts: list[str], lang: str) -> dict:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(json.dumps({"text": t, "lang": lang, "group": "english", "origin": {"kind": "document"}},
                                   ensure_ascii=False) + "\n" for t in texts)
        with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as g:
            g.write(lines.encode("utf-8"))
        raw = path.read_bytes()
        return {"path": rel, "sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}

    manifest = {
        "formatVersion": 1,
        "shardFormat": "jsonl.gz",
        "stages": [
            {"name": f"Stage {i + 1}", "directory": f"stage-{i + 1}",
             "shards": [{**write(f"stage-{i + 1}/shard-00000.jsonl.gz", texts, "eng_Latn"), "records": len(texts)}]}
            for i, texts in enumerate(stages)
        ],
        "heldOut": [
            {"lang": lang, **write(f"heldout/{lang}.jsonl.gz", texts, lang), "documents": len(texts),
             "characters": sum(len(t) for t in texts)}
            for lang, texts in (held_out or {}).items()
        ],
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return root
