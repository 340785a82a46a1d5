import json
import math

import pytest
from conftest import DATASET

from langbridge_trainer.errors import SpecError
from langbridge_trainer.manifest import load_manifest
from langbridge_trainer.schedule import learning_rate
from langbridge_trainer.spec import load_spec, parse_spec, resolve_stages, spec_to_json

MINIMAL = {"specVersion": 1, "baseModel": "models/qwen", "dataset": "datasets/1-marco-1", "runDir": "runs/7"}


def manifest_stages():
    return [(s.name, s.directory, s.peak_lr) for s in load_manifest(DATASET).stages]


def test_defaults_and_paths_relative_to_the_spec_file(tmp_path):
    ws = tmp_path / "ws"
    path = ws / "spec.json"
    ws.mkdir()
    path.write_text(json.dumps(MINIMAL))
    spec = load_spec(path)
    assert spec.base_model == ws / "models" / "qwen"
    assert spec.run_dir == ws / "runs" / "7"
    assert spec.cache_dir == ws / "cache" / "tokens"
    assert (spec.seq_len, spec.micro_batch, spec.precision, spec.method) == (2048, 1, "auto", "full")


def test_stages_default_to_the_manifest_with_marco_learning_rates(tmp_path):
    spec = resolve_stages(parse_spec(MINIMAL, tmp_path), manifest_stages())
    assert [(s.name, s.directory, s.peak_lr) for s in spec.stages] == [
        ("Stage I", "stage-1", 1e-5), ("Stage II", "stage-2", 6e-6)]
    no_lr = [(n, d, None) for n, d, _ in manifest_stages()]
    assert [s.peak_lr for s in resolve_stages(parse_spec(MINIMAL, tmp_path), no_lr).stages] == [1e-5, 6e-6]
    assert spec_to_json(spec)["stages"][1]["peakLr"] == 6e-6


@pytest.mark.parametrize(("change", "field"), [
    ({"specVersion": 2}, "specVersion"),
    ({"baseModel": None}, "baseModel"),
    ({"seqLen": "long"}, "seqLen"),
    ({"seqLen": 2048.5}, "seqLen"),
    ({"globalBatchTokens": 3000}, "globalBatchTokens"),
    ({"microBatch": 0}, "microBatch"),
    ({"precision": "int8"}, "precision"),
    ({"method": "qlora"}, "method"),
    ({"lora": {"r": 0}}, "lora.r"),
    ({"lora": {"targetModules": []}}, "lora.targetModules"),
    ({"activationCheckpointing": "yes"}, "activationCheckpointing"),
    ({"learningRate": 1e-5}, "learningRate"),
    ({"stages": []}, "stages"),
    ({"stages": [{"directory": "stage-1", "peakLR": 1e-5}]}, "stages[0].peakLR"),
])
def test_errors_name_the_field(tmp_path, change, field):
    with pytest.raises(SpecError) as info:
        parse_spec({**MINIMAL, **change}, tmp_path)
    assert info.value.field == field
    assert f"'{field}'" in str(info.value)


@pytest.mark.parametrize(("stages", "field"), [
    ([{"directory": "stage-1"}, {"directory": "stage-1", "peakLr": -1}], "stages[1].peakLr"),
    ([{"directory": "stage-9"}], "stages[0].directory"),
    ([{"directory": "stage-1", "warmupSteps": 10, "warmupRatio": 0.1}], "stages[0].warmupSteps"),
    ([{"directory": "stage-1", "schedule": "linear"}], "stages[0].schedule"),
    ([{"directory": "stage-1", "peakLr": 1e-5, "minLr": 1e-4}], "stages[0].minLr"),
    ([{"directory": "stage-1", "tokens": 0}], "stages[0].tokens"),
])
def test_stage_errors_name_the_field(tmp_path, stages, field):
    spec = parse_spec({**MINIMAL, "stages": stages}, tmp_path)
    with pytest.raises(SpecError) as info:
        resolve_stages(spec, manifest_stages())
    assert info.value.field == field


def test_invalid_json_names_the_file_and_line(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text('{"specVersion": 1,\n "baseModel": }')
    with pytest.raises(SpecError, match=r"spec.json is not valid JSON: .* line 2"):
        load_spec(path)


def stage(**fields):
    base = {"directory": "stage-1", "peakLr": 1e-3, "minLr": 1e-4}
    return resolve_stages(parse_spec({**MINIMAL, "stages": [{**base, **fields}]}, "."), manifest_stages()).stages[0]


def test_cosine_warms_up_then_decays_to_min():
    s = stage(warmupSteps=10, schedule="cosine")
    lrs = [learning_rate(s, i, 110) for i in range(110)]
    assert lrs[0] == pytest.approx(1e-4) and lrs[9] == pytest.approx(1e-3)
    assert all(a >= b for a, b in zip(lrs[9:], lrs[10:]))
    assert lrs[60] == pytest.approx(1e-4 + 0.9e-3 * 0.5 * (1 + math.cos(math.pi * 0.5)))
    assert lrs[-1] == pytest.approx(1e-4, rel=1e-2)


def test_wsd_holds_the_peak_then_decays_over_its_fraction():
    s = stage(warmupRatio=0.1, schedule="wsd", decayFraction=0.2)
    lrs = [learning_rate(s, i, 100) for i in range(100)]
    assert lrs[9] == pytest.approx(1e-3) and lrs[79] == pytest.approx(1e-3)
    assert lrs[80] < 1e-3 and lrs[99] == pytest.approx(1e-4)
