"""`export`: a model as Hugging Face (safetensors), ONNX (transformers.js) or GGUF (llama.cpp) files.

    python -m langbridge_trainer export --model DIR [--base DIR] --format hf|onnx|gguf --out DIR
                                        [--lora merged|adapter]

Events on stdout, one JSON object per line (same envelope as training's: v, kind, time):
  progress  {step, done, total, unit}: step names the stage ("load-model", "export-onnx",
            "write-gguf-q8_0", ...); unit "steps" counts stages, "tensors" counts within a GGUF file
  finished  {status: "succeeded", format, lora, out, files: [{path, bytes}], checks, seconds};
            status "cancelled" (files empty) after SIGTERM/SIGINT, exit 0
  error     {message, classification, traceback}, exit 1
The files are written into a hidden sibling folder (.<out>.export-<pid>) that is renamed to --out only
when complete, so --out never holds half an export; --out must be new or empty. A folder left by an
export that was killed is removed by the next export to the same place.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

from .errors import DiskFull, describe
from .events import Events
from .export_source import ExportError, Source, load_model, load_tokenizer, model_tensors, resolve_source, \
    safetensors_tensors

FORMATS = ("hf", "onnx", "gguf")
LORA_MODES = ("merged", "adapter")
STAGES = {
    "hf": ["load-model", "write-hf"],
    "hf-adapter": ["copy-adapter"],
    "onnx": ["load-model", "export-onnx", "check-onnx", "quantize-int8", "check-int8"],
    "gguf": ["load-model", "write-gguf-f16", "check-gguf-f16", "write-gguf-q8_0", "check-gguf-q8_0"],
}


class Cancelled(BaseException):
    """SIGTERM or SIGINT: stop, remove the partial folder, report `cancelled`."""


class Progress:
    def __init__(self, events: Events, stages: list[str]):
        self.events, self.stages = events, stages

    def __call__(self, step: str, done: int | None = None, total: int | None = None, unit: str = "steps") -> None:
        if done is None:  # a stage starts: done = the stages finished before it
            done, total = self.stages.index(step) if step in self.stages else 0, len(self.stages)
        self.events.emit("progress", step=step, done=done, total=total, unit=unit)
        self.events.log(f"export: {step} ({done}/{total} {unit})")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _staging(out: Path) -> Path:
    prefix = f".{out.name}.export-"
    for stale in out.parent.glob(prefix + "*"):
        pid = stale.name[len(prefix):]
        if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = out.parent / f"{prefix}{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"the output folder {out} is not empty; choose a new or empty folder "
                          f"(an export never writes over files)")


def _files(folder: Path) -> list[dict]:
    return [{"path": p.relative_to(folder).as_posix(), "bytes": p.stat().st_size}
            for p in sorted(folder.rglob("*")) if p.is_file()]


def _onnx(source: Source, tokenizer, tmp: Path, progress) -> dict:
    import torch  # noqa: PLC0415

    from .export_hf import copy_tokenizer, generation_config, write_config  # noqa: PLC0415
    from .export_onnx import export_onnx, transformers_js_config  # noqa: PLC0415

    progress("load-model")
    model = load_model(source, torch.float32)
    config = model.config
    gen = generation_config(config, source, tokenizer)
    holder = [model]
    del model  # export_onnx drops the last reference once the graph is written
    checks = export_onnx(holder.pop(), tokenizer, tmp, progress)
    config.use_cache = True
    write_config(config, tmp, transformers_js_config(checks["external"]))
    gen.save_pretrained(str(tmp))
    copy_tokenizer(source, tmp)
    return checks


def _gguf(source: Source, tokenizer, tmp: Path, progress) -> dict:
    from transformers import AutoConfig  # noqa: PLC0415

    from .export_gguf import FILES, Vocab, check_gguf, write_gguf  # noqa: PLC0415
    from .export_hf import generation_config  # noqa: PLC0415

    progress("load-model")
    if source.lora:
        model = load_model(source, "auto")  # merged in memory; its state dict is the source
        config, tensors = model.config, model_tensors(model)
    else:
        config = AutoConfig.from_pretrained(str(source.weights), local_files_only=True)
        tensors = safetensors_tensors(source.weights)
    gen = generation_config(config, source, tokenizer)
    name = (source.adapter or source.weights).resolve().name
    if name == "model":  # a checkpoint's model/ folder: call it after the checkpoint
        name = (source.adapter or source.weights).resolve().parent.name
    rows = tensors.shapes["model.embed_tokens.weight"][0]  # one token per embedding row
    vocab = Vocab(tokenizer, gen, rows)
    checks = {}
    for kind, file in FILES.items():
        progress(f"write-gguf-{kind}")
        count = write_gguf(tensors, config, vocab, tmp / file, kind, name, progress)
        progress(f"check-gguf-{kind}")
        checks[kind] = check_gguf(tmp / file, tensors, config, kind, count, token_count=rows)
    return checks


def run_export(model: Path, base: Path | None, fmt: str, out: Path, lora: str, events: Events) -> dict:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    out = Path(out).absolute()
    _check_out(out)
    source = resolve_source(model, base)
    adapter_only = source.lora and lora == "adapter"
    if adapter_only and fmt != "hf":
        raise ExportError(f"a LoRA adapter on its own can only be exported in Hugging Face format; {fmt} needs "
                          f"the adapter merged into the base weights (--lora merged)")
    if lora == "adapter" and not source.lora:
        raise ExportError(f"--lora adapter: {model} is a full model, not a LoRA adapter")
    progress = Progress(events, STAGES["hf-adapter" if adapter_only else fmt])
    started = time.monotonic()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _staging(out)
    try:
        tokenizer = load_tokenizer(source)
        if adapter_only:
            from .export_hf import write_adapter  # noqa: PLC0415

            progress("copy-adapter")
            write_adapter(source, tmp)
            checks: dict = {}
        elif fmt == "hf":
            from .export_hf import write_hf  # noqa: PLC0415

            progress("load-model")
            loaded = load_model(source, "auto")
            progress("write-hf")
            write_hf(loaded, source, tokenizer, tmp)
            checks = {}
        elif fmt == "onnx":
            checks = _onnx(source, tokenizer, tmp, progress)
        else:
            checks = _gguf(source, tokenizer, tmp, progress)
        _check_out(out)  # nothing appeared there meanwhile
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {"status": "succeeded", "format": fmt, "lora": (lora if source.lora else None), "out": str(out),
            "files": _files(out), "checks": checks, "seconds": round(time.monotonic() - started, 3)}


def _cancel(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise Cancelled(signal.Signals(signum).name)


def export_command(model: Path, base: Path | None, fmt: str, out: Path, lora: str) -> int:
    events = Events(None)
    previous = {s: signal.signal(s, _cancel) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        result = run_export(model, base, fmt, out, lora, events)
    except Cancelled as why:
        events.log(f"export cancelled ({why}); nothing was written to {out}")
        events.emit("finished", status="cancelled", format=fmt, lora=None, out=str(Path(out).absolute()),
                    files=[], checks={}, seconds=None)
        return 0
    except Exception as exc:  # noqa: BLE001 - every failure becomes one `error` event
        if isinstance(exc, OSError) and not isinstance(exc, DiskFull):
            from .errors import free_bytes  # noqa: PLC0415

            free = free_bytes(Path(out))
            if free is not None and free < (64 << 20):
                exc = DiskFull(f"the disk is full while exporting to {out}: {exc}")
        events.emit("error", **describe(exc))
        print(f"export: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    events.emit("finished", **result)
    return 0
