"""The `eval` spec and its items: validated field by field and line by line.

The app (main/services/eval) builds the prompts and writes one item per line of items.jsonl; this
command only scores them, so every mistake it can see is reported with the file and line
(`/run/items.jsonl line 14: unknown type 'gen'`). Unknown fields are refused, as in the training
spec: a misspelt `maxNewToken` must not silently fall back to the default.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataError, SpecError
from .spec import SPEC_VERSION, _Reader

ITEM_TYPES = ("generate", "choices", "loglik-text")
_TOP_FIELDS = {"specVersion", "kind", "model", "baseModel", "adapter", "runDir", "items", "device", "precision",
               "batchSize", "maxNewTokens"}
_ITEM_FIELDS = {
    "generate": {"id", "type", "prompt", "maxNewTokens", "stop"},
    "choices": {"id", "type", "context", "continuations"},
    "loglik-text": {"id", "type", "lang", "text"},
}
OUTPUTS_FILE = "outputs.jsonl"


@dataclass(frozen=True)
class EvalSpec:
    model: Path
    base_model: Path | None
    adapter: Path | None
    run_dir: Path
    items: Path
    device: str = "auto"
    precision: str = "auto"
    batch_size: int | None = None
    max_new_tokens: int = 256
    spec_version: int = SPEC_VERSION


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    line: int
    prompt: str = ""
    max_new_tokens: int = 0
    stop: tuple[str, ...] = ()
    context: str = ""
    continuations: tuple[str, ...] = ()
    lang: str = ""
    text: str = ""


def parse_eval_spec(obj: Any, base_dir: Path) -> EvalSpec:
    r = _Reader(obj, "", _TOP_FIELDS)
    version = r.int("specVersion", None)
    if version != SPEC_VERSION:
        raise SpecError("specVersion", f"this trainer reads spec version {SPEC_VERSION}, got {version}")
    r.str("kind", None, ("eval",))
    run_dir = r.path("runDir", base_dir)
    model = r.path("model", base_dir)
    adapter = r.path("adapter", base_dir) if r.has("adapter") else None
    base_model = r.path("baseModel", base_dir) if r.has("baseModel") else None
    lora_checkpoint = (model / "adapter_config.json").exists()
    if lora_checkpoint and base_model is None:
        raise SpecError("baseModel", f"{model} is a LoRA adapter (it has adapter_config.json): name the model it "
                                     f"adapts in baseModel")
    if lora_checkpoint and adapter is not None:
        raise SpecError("adapter", f"model {model} is already a LoRA adapter; give either a LoRA checkpoint as "
                                   f"model or a full model with an adapter, not both")
    if base_model is not None and not lora_checkpoint:
        raise SpecError("baseModel", f"only used when model is a LoRA adapter folder, and {model} has no "
                                     f"adapter_config.json")
    if adapter is not None and not (adapter / "adapter_config.json").exists():
        raise SpecError("adapter", f"{adapter} is not a LoRA adapter folder: it has no adapter_config.json")
    return EvalSpec(
        spec_version=version,
        model=model,
        base_model=base_model,
        adapter=adapter,
        run_dir=run_dir,
        items=r.path("items", base_dir),
        device=r.str("device", "auto", ("auto", "cpu", "cuda")),
        precision=r.str("precision", "auto", ("auto", "bf16", "fp16", "fp32")),
        batch_size=r.int("batchSize", None, minimum=1, nullable=True),
        max_new_tokens=r.int("maxNewTokens", 256, minimum=1),
    )


def load_eval_spec(path: str | Path) -> EvalSpec:
    path = Path(path).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError("(file)", f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError("(file)", f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
                        ) from exc
    return parse_eval_spec(obj, path.parent)


def eval_spec_to_json(spec: EvalSpec) -> dict:
    def p(x: Path | None) -> str | None:
        return None if x is None else str(x)

    return {
        "specVersion": spec.spec_version, "kind": "eval", "model": p(spec.model), "baseModel": p(spec.base_model),
        "adapter": p(spec.adapter), "runDir": p(spec.run_dir), "items": p(spec.items), "device": spec.device,
        "precision": spec.precision, "batchSize": spec.batch_size, "maxNewTokens": spec.max_new_tokens,
    }


def _string(obj: dict, key: str, where: str, *, empty: bool = False) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or (not empty and not value):
        shown = "missing" if key not in obj else f"got {json.dumps(value)[:80]}"
        raise DataError(f"{where}: '{key}' must be a{'' if empty else ' non-empty'} string ({shown})")
    return value


def _strings(obj: dict, key: str, where: str, default: list | None) -> tuple[str, ...]:
    value = obj.get(key, default)
    if not isinstance(value, list) or (default is None and not value) or \
            not all(isinstance(s, str) and s for s in value):
        shown = "missing" if key not in obj else f"got {json.dumps(value)[:80]}"
        raise DataError(f"{where}: '{key}' must be a {'' if default is not None else 'non-empty '}list of "
                        f"non-empty strings ({shown})")
    return tuple(value)


def parse_item(obj: Any, path: Path, line: int, default_max_new_tokens: int) -> Item:
    where = f"{path} line {line}"
    if not isinstance(obj, dict):
        raise DataError(f"{where}: an item must be a JSON object")
    kind = obj.get("type")
    if kind not in ITEM_TYPES:
        shown = "no 'type'" if "type" not in obj else f"unknown type {kind!r}"
        raise DataError(f"{where}: {shown} (expected {', '.join(ITEM_TYPES)})")
    unknown = sorted(set(obj) - _ITEM_FIELDS[kind])
    if unknown:
        raise DataError(f"{where}: unknown field '{unknown[0]}' for a {kind} item "
                        f"(allowed: {', '.join(sorted(_ITEM_FIELDS[kind]))})")
    item_id = _string(obj, "id", where)
    if kind == "generate":
        max_new = obj.get("maxNewTokens", default_max_new_tokens)
        if isinstance(max_new, bool) or not isinstance(max_new, int) or max_new < 1:
            raise DataError(f"{where}: 'maxNewTokens' must be a whole number of at least 1 (got {json.dumps(max_new)})")
        return Item(id=item_id, type=kind, line=line, prompt=_string(obj, "prompt", where), max_new_tokens=max_new,
                    stop=_strings(obj, "stop", where, []))
    if kind == "choices":
        return Item(id=item_id, type=kind, line=line, context=_string(obj, "context", where, empty=True),
                    continuations=_strings(obj, "continuations", where, None))
    return Item(id=item_id, type=kind, line=line, lang=_string(obj, "lang", where), text=_string(obj, "text", where))


def read_items(path: Path, default_max_new_tokens: int) -> list[Item]:
    try:
        f = open(path, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot read the items file {path}: {exc.strerror or exc}") from exc
    items: list[Item] = []
    seen: dict[str, int] = {}
    with f:
        try:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                where = f"{path} line {n}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
                item = parse_item(obj, path, n, default_max_new_tokens)
                if item.id in seen:
                    raise DataError(f"{where}: id {json.dumps(item.id)} was already used on line {seen[item.id]}")
                seen[item.id] = n
                items.append(item)
        except UnicodeDecodeError as exc:
            raise DataError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start} of a line)") from exc
    return items


def read_done(path: Path) -> set[str]:
    """Item ids already in outputs.jsonl; a torn last line (a killed write) is cut off the file.

    Cutting it matters: the next batch's lines are appended, and would otherwise be glued to the
    fragment, making a good line unreadable too.
    """
    if not path.exists():
        return set()
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        with open(path, "r+b") as f:
            f.truncate(end)
            f.flush()
            os.fsync(f.fileno())
    done: set[str] = set()
    for n, line in enumerate(data[:end].decode("utf-8", errors="replace").split("\n"), 1):
        if not line.strip():
            continue
        try:
            done.add(json.loads(line)["id"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DataError(f"{path} line {n} is not an output line ({exc}); the file was changed by something "
                            f"else. Delete it to score every item again") from exc
    return done
