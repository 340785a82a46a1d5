"""The training spec: a JSON file the app writes, validated here field by field.

Every error names the field's path (`stages[1].peakLr`) so the app can point at it. Unknown keys
are refused rather than ignored: a misspelt `peakLR` silently falling back to a default would
train a different model than the one asked for.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SpecError

SPEC_VERSION = 1

# Marco-LLM's published peak learning rates for its two stages; later stages reuse the last one.
MARCO_PEAK_LRS = (1e-5, 6e-6)
DEFAULT_WARMUP_RATIO = 0.01
DEFAULT_DECAY_FRACTION = 0.1
DEFAULT_MIN_LR_FACTOR = 0.1
DEFAULT_LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class StageSpec:
    name: str
    directory: str
    tokens: int | None
    peak_lr: float
    warmup_steps: int | None
    warmup_ratio: float | None
    schedule: str
    decay_fraction: float
    min_lr: float


@dataclass(frozen=True)
class LoraSpec:
    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: tuple[str, ...] = DEFAULT_LORA_TARGETS


@dataclass(frozen=True)
class TrainSpec:
    base_model: Path
    dataset: Path
    run_dir: Path
    cache_dir: Path
    # None until resolved against the dataset manifest (see resolve_stages).
    stages: tuple[StageSpec, ...] | None
    stages_given: tuple[dict, ...] | None = None
    seq_len: int = 2048
    global_batch_tokens: int = 524_288
    micro_batch: int = 1
    precision: str = "auto"
    seed: int = 42
    eval_interval: int | None = 200
    checkpoint_interval: int | None = 500
    keep_checkpoints: int = 3
    method: str = "full"
    lora: LoraSpec = field(default_factory=LoraSpec)
    activation_checkpointing: bool = False
    max_steps: int | None = None
    device: str = "auto"
    distributed: str = "ddp"
    attention: str = "auto"
    eval_max_documents_per_language: int | None = 200
    log_interval: int = 1
    spec_version: int = SPEC_VERSION


class _Reader:
    """Reads typed fields from one JSON object, naming `prefix + key` in every error."""

    def __init__(self, obj: Any, prefix: str, allowed: set[str]):
        label = prefix.rstrip(".") or "(top level)"
        if not isinstance(obj, dict):
            raise SpecError(label, f"must be a JSON object, got {_kind(obj)}")
        unknown = sorted(set(obj) - allowed)
        if unknown:
            raise SpecError(prefix + unknown[0], f"unknown field (allowed: {', '.join(sorted(allowed))})")
        self.obj = obj
        self.prefix = prefix

    def name(self, key: str) -> str:
        return self.prefix + key

    def has(self, key: str) -> bool:
        return self.obj.get(key) is not None

    def raw(self, key: str) -> Any:
        return self.obj.get(key)

    def int(self, key: str, default: Any, minimum: int | None = None, nullable: bool = False) -> int | None:
        value = self.obj.get(key, default)
        if value is None:
            if nullable:
                return None
            raise SpecError(self.name(key), "is required")
        # JSON has one number type; accept 4.0 but not 4.5, and never booleans.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
            raise SpecError(self.name(key), f"must be a whole number, got {json.dumps(value)}")
        value = int(value)
        if minimum is not None and value < minimum:
            raise SpecError(self.name(key), f"must be at least {minimum}, got {value}")
        return value

    def float(self, key: str, default: Any, minimum: float | None = None, maximum: float | None = None,
              exclusive_min: bool = False, nullable: bool = False) -> float | None:
        value = self.obj.get(key, default)
        if value is None:
            if nullable:
                return None
            raise SpecError(self.name(key), "is required")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise SpecError(self.name(key), f"must be a number, got {json.dumps(value)}")
        value = float(value)
        if minimum is not None and (value <= minimum if exclusive_min else value < minimum):
            bound = "greater than" if exclusive_min else "at least"
            raise SpecError(self.name(key), f"must be {bound} {minimum:g}, got {value:g}")
        if maximum is not None and value > maximum:
            raise SpecError(self.name(key), f"must be at most {maximum:g}, got {value:g}")
        return value

    def str(self, key: str, default: Any, choices: tuple[str, ...] | None = None) -> str:
        value = self.obj.get(key, default)
        if value is None:
            raise SpecError(self.name(key), "is required")
        if not isinstance(value, str) or not value:
            raise SpecError(self.name(key), f"must be a non-empty string, got {json.dumps(value)}")
        if choices is not None and value not in choices:
            raise SpecError(self.name(key), f"must be one of {', '.join(repr(c) for c in choices)}, got {value!r}")
        return value

    def bool(self, key: str, default: bool) -> bool:
        value = self.obj.get(key, default)
        if not isinstance(value, bool):
            raise SpecError(self.name(key), f"must be true or false, got {json.dumps(value)}")
        return value

    def path(self, key: str, base: Path, default: Path | None = None) -> Path:
        value = self.obj.get(key)
        if value is None:
            if default is not None:
                return default
            raise SpecError(self.name(key), "is required")
        if not isinstance(value, str) or not value:
            raise SpecError(self.name(key), f"must be a path string, got {json.dumps(value)}")
        p = Path(value).expanduser()
        return (p if p.is_absolute() else base / p).resolve()


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(type(value), json.dumps(value))


_TOP_FIELDS = {
    "specVersion", "baseModel", "dataset", "runDir", "cacheDir", "stages", "seqLen", "globalBatchTokens",
    "microBatch", "precision", "seed", "evalInterval", "checkpointInterval", "keepCheckpoints", "method", "lora",
    "activationCheckpointing", "maxSteps", "device", "distributed", "attention", "evalMaxDocumentsPerLanguage",
    "logInterval",
}
_STAGE_FIELDS = {"name", "directory", "tokens", "peakLr", "warmupSteps", "warmupRatio", "schedule", "decayFraction",
                 "minLr"}
_LORA_FIELDS = {"r", "alpha", "dropout", "targetModules"}


def parse_spec(obj: Any, base_dir: Path) -> TrainSpec:
    """Validate a spec object; relative paths are taken from `base_dir` (the spec file's folder)."""
    r = _Reader(obj, "", _TOP_FIELDS)
    version = r.int("specVersion", None)
    if version != SPEC_VERSION:
        raise SpecError("specVersion", f"this trainer reads spec version {SPEC_VERSION}, got {version}")
    run_dir = r.path("runDir", base_dir)
    seq_len = r.int("seqLen", 2048, minimum=16)
    global_batch_tokens = r.int("globalBatchTokens", 524_288, minimum=1)
    if global_batch_tokens % seq_len:
        raise SpecError("globalBatchTokens", f"must be a multiple of seqLen ({seq_len}), got {global_batch_tokens}")

    stages_raw = r.raw("stages")
    if stages_raw is not None:
        if not isinstance(stages_raw, list) or not stages_raw:
            raise SpecError("stages", "must be a non-empty list of stages (or left out to follow the dataset)")
        for i, s in enumerate(stages_raw):
            _Reader(s, f"stages[{i}].", _STAGE_FIELDS)  # field names checked now; values when the manifest is read

    lora_raw = r.raw("lora")
    lora = LoraSpec()
    if lora_raw is not None:
        lr = _Reader(lora_raw, "lora.", _LORA_FIELDS)
        targets = lora_raw.get("targetModules", list(DEFAULT_LORA_TARGETS))
        if not isinstance(targets, list) or not targets or not all(isinstance(t, str) and t for t in targets):
            raise SpecError("lora.targetModules", "must be a non-empty list of module names")
        lora = LoraSpec(
            r=lr.int("r", 16, minimum=1),
            alpha=lr.int("alpha", 32, minimum=1),
            dropout=lr.float("dropout", 0.05, minimum=0.0, maximum=0.9),
            target_modules=tuple(targets),
        )

    return TrainSpec(
        spec_version=version,
        base_model=r.path("baseModel", base_dir),
        dataset=r.path("dataset", base_dir),
        run_dir=run_dir,
        # Beside the runs of the same workspace (workspace/runs/<run> -> workspace/cache/tokens), so that
        # a second run on the same dataset and tokenizer skips tokenisation.
        cache_dir=r.path("cacheDir", base_dir, default=(run_dir.parent.parent / "cache" / "tokens")),
        stages=None,
        stages_given=tuple(stages_raw) if stages_raw is not None else None,
        seq_len=seq_len,
        global_batch_tokens=global_batch_tokens,
        micro_batch=r.int("microBatch", 1, minimum=1),
        precision=r.str("precision", "auto", ("auto", "bf16", "fp16", "fp32")),
        seed=r.int("seed", 42, minimum=0),
        eval_interval=r.int("evalInterval", 200, minimum=1, nullable=True),
        checkpoint_interval=r.int("checkpointInterval", 500, minimum=1, nullable=True),
        keep_checkpoints=r.int("keepCheckpoints", 3, minimum=1),
        method=r.str("method", "full", ("full", "lora")),
        lora=lora,
        activation_checkpointing=r.bool("activationCheckpointing", False),
        max_steps=r.int("maxSteps", None, minimum=1, nullable=True),
        device=r.str("device", "auto", ("auto", "cpu", "cuda")),
        distributed=r.str("distributed", "ddp", ("ddp", "fsdp")),
        attention=r.str("attention", "auto", ("auto", "sdpa", "flex_attention", "eager")),
        eval_max_documents_per_language=r.int("evalMaxDocumentsPerLanguage", 200, minimum=1, nullable=True),
        log_interval=r.int("logInterval", 1, minimum=1),
    )


def load_spec(path: str | Path) -> TrainSpec:
    path = Path(path).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError("(file)", f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise SpecError("(file)", f"{path} is not valid JSON: {exc.msg} at {where}") from exc
    return parse_spec(obj, path.parent)


def resolve_stages(spec: TrainSpec, manifest_stages: list[tuple[str, str, float | None]]) -> TrainSpec:
    """Fill in the stages from the dataset manifest: (name, directory, peakLr) per manifest stage."""
    by_dir = {d: (n, lr) for n, d, lr in manifest_stages}

    def default_lr(directory: str) -> float:
        index = [d for _, d, _ in manifest_stages].index(directory)
        lr = by_dir[directory][1]
        return lr if lr is not None else MARCO_PEAK_LRS[min(index, len(MARCO_PEAK_LRS) - 1)]

    given = spec.stages_given
    if given is None:
        given = tuple({"directory": d} for _, d, _ in manifest_stages)
        if not given:
            raise SpecError("dataset", f"{spec.dataset} has no stages in its manifest")
    stages = []
    for i, raw in enumerate(given):
        r = _Reader(raw, f"stages[{i}].", _STAGE_FIELDS)
        directory = r.str("directory", None)
        if directory not in by_dir:
            known = ", ".join(by_dir) or "none"
            raise SpecError(r.name("directory"), f"{directory!r} is not a stage of the dataset (stages: {known})")
        peak = r.float("peakLr", default_lr(directory), minimum=0.0, exclusive_min=True)
        if r.has("warmupSteps") and r.has("warmupRatio"):
            raise SpecError(r.name("warmupSteps"), "give warmupSteps or warmupRatio, not both")
        warmup_steps = r.int("warmupSteps", None, minimum=0, nullable=True)
        warmup_ratio = None if warmup_steps is not None else r.float(
            "warmupRatio", DEFAULT_WARMUP_RATIO, minimum=0.0, maximum=0.5)
        min_lr = r.float("minLr", peak * DEFAULT_MIN_LR_FACTOR, minimum=0.0)
        if min_lr > peak:
            raise SpecError(r.name("minLr"), f"must not exceed peakLr ({peak:g}), got {min_lr:g}")
        stages.append(StageSpec(
            name=r.str("name", by_dir[directory][0]),
            directory=directory,
            tokens=r.int("tokens", None, minimum=1, nullable=True),
            peak_lr=peak,
            warmup_steps=warmup_steps,
            warmup_ratio=warmup_ratio,
            schedule=r.str("schedule", "cosine", ("cosine", "wsd")),
            decay_fraction=r.float("decayFraction", DEFAULT_DECAY_FRACTION, minimum=0.0, maximum=1.0,
                                   exclusive_min=True),
            min_lr=min_lr,
        ))
    return dataclasses.replace(spec, stages=tuple(stages))


def spec_to_json(spec: TrainSpec) -> dict:
    """The spec as the app wrote it (camelCase), with paths made absolute and stages filled in."""
    out: dict[str, Any] = {
        "specVersion": spec.spec_version,
        "baseModel": str(spec.base_model),
        "dataset": str(spec.dataset),
        "runDir": str(spec.run_dir),
        "cacheDir": str(spec.cache_dir),
        "seqLen": spec.seq_len,
        "globalBatchTokens": spec.global_batch_tokens,
        "microBatch": spec.micro_batch,
        "precision": spec.precision,
        "seed": spec.seed,
        "evalInterval": spec.eval_interval,
        "checkpointInterval": spec.checkpoint_interval,
        "keepCheckpoints": spec.keep_checkpoints,
        "method": spec.method,
        "lora": {
            "r": spec.lora.r,
            "alpha": spec.lora.alpha,
            "dropout": spec.lora.dropout,
            "targetModules": list(spec.lora.target_modules),
        },
        "activationCheckpointing": spec.activation_checkpointing,
        "maxSteps": spec.max_steps,
        "device": spec.device,
        "distributed": spec.distributed,
        "attention": spec.attention,
        "evalMaxDocumentsPerLanguage": spec.eval_max_documents_per_language,
        "logInterval": spec.log_interval,
    }
    stages = spec.stages
    if stages is not None:
        out["stages"] = [
            {
                "name": s.name,
                "directory": s.directory,
                "tokens": s.tokens,
                "peakLr": s.peak_lr,
                **({"warmupSteps": s.warmup_steps} if s.warmup_steps is not None else {"warmupRatio": s.warmup_ratio}),
                "schedule": s.schedule,
                "decayFraction": s.decay_fraction,
                "minLr": s.min_lr,
            }
            for s in stages
        ]
    elif spec.stages_given is not None:
        out["stages"] = list(spec.stages_given)
    return out
