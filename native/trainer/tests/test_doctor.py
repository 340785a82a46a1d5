import json
import subprocess
import sys
from pathlib import Path

from langbridge_trainer.doctor import PACKAGES, report

ROOT = Path(__file__).resolve().parents[1]


def test_report_lists_every_package_and_what_is_missing():
    r = report()
    assert set(r["packages"]) == set(PACKAGES)
    assert r["missing"] == [n for n, p in r["packages"].items() if p["version"] is None]
    assert r["python"].count(".") == 2


def test_cli_prints_json_and_strict_fails_without_torch():
    out = subprocess.run(
        [sys.executable, "-m", "langbridge_trainer", "doctor"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    r = json.loads(out.stdout)
    strict = subprocess.run([sys.executable, "-m", "langbridge_trainer", "doctor", "--strict"], cwd=ROOT)
    assert strict.returncode == (0 if r["ready_to_train"] else 1)


def test_help_lists_commands():
    out = subprocess.run(
        [sys.executable, "-m", "langbridge_trainer", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "doctor" in out.stdout


def test_report_gives_torch_and_free_disk_of_a_path(tmp_path):
    r = report(tmp_path / "not-yet-created")
    assert r["disk"]["path"].endswith("not-yet-created")
    assert r["disk"]["free_bytes"] > 0 and r["disk"]["total_bytes"] >= r["disk"]["free_bytes"]
    if r["torch"] is not None:
        assert r["torch"]["version"] == r["packages"]["torch"]["version"]
        for gpu in r["gpus"]:
            assert {"name", "memory_bytes", "bf16"} <= set(gpu)


def test_help_lists_every_command():
    out = subprocess.run(
        [sys.executable, "-m", "langbridge_trainer", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    for command in ("doctor", "create-tiny", "train"):
        assert command in out.stdout
    train = subprocess.run(
        [sys.executable, "-m", "langbridge_trainer", "train", "--help"], cwd=ROOT, capture_output=True, text=True,
        check=True,
    )
    assert "--spec" in train.stdout and "--resume" in train.stdout
