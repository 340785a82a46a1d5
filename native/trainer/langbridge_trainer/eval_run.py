"""`eval`: score the items of a run folder with one model, batched, resumable and cancellable.

Events go to stdout and <runDir>/events.jsonl like training's (started, progress, finished, error;
events.schema.json), the log to stderr and <runDir>/eval.log. Each batch's output lines are
appended to <runDir>/outputs.jsonl in one write, so a killed process leaves whole lines (and at
most one torn last line, which a resume cuts off); `eval --resume RUN_DIR` skips the ids found there.
SIGTERM / SIGINT let the current batch finish and be written, then `finished: cancelled`, exit 0.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterator
from pathlib import Path

import torch

from .errors import DiskFull, ModelError, SpecError, TrainerError, describe, writing
from .eval_score import encode, generate, score_choices, score_texts
from .eval_spec import OUTPUTS_FILE, EvalSpec, Item, eval_spec_to_json, load_eval_spec, read_done, read_items
from .events import SCHEMA_VERSION, Events
from .model import check_model_folder, load_model, load_tokenizer, resolve_device, resolve_precision
from .signals import StopRequest
from .train import SPEC_FILE, _device_names, _versions, _write_json_atomic

PROGRESS_SECONDS = 1.0
# Without a batchSize in the spec: rows per batch, and tokens per batch (rows x longest row).
CPU_ROWS, CPU_TOKENS = 8, 8192
GPU_MAX_ROWS = 256
# Share of the free GPU memory a batch's activations and KV cache may take (the rest is headroom
# for the allocator and the logits chunks); a batch that still runs out of memory is halved.
GPU_MEMORY_SHARE = 0.4


def eval_from_spec(spec_path: str | Path) -> int:
    try:
        spec = load_eval_spec(spec_path)
        outputs = spec.run_dir / OUTPUTS_FILE
        if outputs.exists() and outputs.stat().st_size > 0:
            raise SpecError("runDir", f"{spec.run_dir} already holds {OUTPUTS_FILE}; continue it with "
                                      f"`eval --resume {spec.run_dir}` or choose another runDir")
    except TrainerError as exc:
        return _early_error(exc)
    return EvalRun(spec).run()


def eval_resume(run_dir: str | Path) -> int:
    run_dir = Path(run_dir).resolve()
    try:
        if not (run_dir / SPEC_FILE).exists():
            raise SpecError("runDir", f"{run_dir} has no {SPEC_FILE}: it is not a Langbridge evaluation folder")
        spec = load_eval_spec(run_dir / SPEC_FILE)
        if spec.run_dir != run_dir:  # the folder was moved; it is still the same run
            spec = dataclasses.replace(spec, run_dir=run_dir)
    except TrainerError as exc:
        return _early_error(exc)
    return EvalRun(spec).run()


def _early_error(exc: BaseException) -> int:
    Events(None).emit("error", **describe(exc), step=None)
    return 1


class EvalRun:
    def __init__(self, spec: EvalSpec):
        self.spec = spec
        self.started_at = time.perf_counter()
        self.scored = 0
        self.scoring_seconds = 0.0

    def run(self) -> int:
        try:
            from transformers.utils import logging as hf_logging  # noqa: PLC0415

            hf_logging.disable_progress_bar()
        except ImportError:
            pass
        try:
            self.events = Events(self.spec.run_dir, log_name="eval.log")
        except Exception as exc:  # noqa: BLE001 - no run folder: say so on stdout
            return _early_error(exc)
        self.stop = StopRequest().install()
        try:
            self._run()
            return 0
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the app as an event
            self.events.emit("error", **describe(exc), step=None)
            self.events.log(f"error: {exc}")
            return 1
        finally:
            self.stop.restore()
            self.events.close()

    # ---- set-up ------------------------------------------------------------------------------

    def _run(self) -> None:
        spec = self.spec
        self.device = resolve_device(spec.device)
        self.precision = resolve_precision(spec.precision, self.device)
        if self.precision == "fp16" and self.device.type == "cpu":
            raise SpecError("precision", "fp16 needs a CUDA GPU; use fp32 or bf16 on CPU")
        items = read_items(spec.items, spec.max_new_tokens)
        outputs = spec.run_dir / OUTPUTS_FILE
        done = read_done(outputs)
        todo = [i for i in items if i.id not in done]
        already = len(items) - len(todo)
        _write_json_atomic(spec.run_dir / SPEC_FILE, eval_spec_to_json(spec))
        self.events.emit(
            "started", schemaVersion=SCHEMA_VERSION, config=eval_spec_to_json(spec), model=str(spec.model),
            baseModel=str(spec.base_model) if spec.base_model else None,
            adapter=str(spec.adapter) if spec.adapter else None,
            device=self.device.type, devices=_device_names(self.device), precision=self.precision,
            batchSize=spec.batch_size, items=len(items), done=already, pid=os.getpid(), versions=_versions(),
        )
        self.events.log(f"evaluating {spec.model} on {self.device.type} ({self.precision}): {len(todo)} of "
                        f"{len(items)} items to score")
        self._load()
        self.total, self.done = len(items), already
        self._last_progress = 0.0
        self._progress(force=True)
        with open(outputs, "ab", buffering=0) as self.out:
            for kind in ("choices", "loglik-text", "generate"):
                mine = [i for i in todo if i.type == kind]
                if mine and not self.stop.requested:
                    self._score_all(kind, mine)
        status = "cancelled" if self.done < self.total else "succeeded"
        seconds = time.perf_counter() - self.started_at
        self.events.emit("finished", status=status, items=self.done, total=self.total, seconds=seconds,
                         itemsPerSecond=self.scored / self.scoring_seconds if self.scoring_seconds else None)
        self.events.log(f"finished: {status}, {self.done} of {self.total} items")

    def _load(self) -> None:
        from peft import PeftModel  # noqa: PLC0415
        from transformers import GenerationConfig  # noqa: PLC0415

        spec = self.spec
        base = spec.base_model or spec.model
        adapter = spec.model if spec.base_model else spec.adapter
        check_model_folder(base)
        if adapter is not None and not any(adapter.glob("adapter_model*.safetensors")):
            raise ModelError(f"{adapter} has no adapter_model.safetensors; Langbridge loads safetensors only")
        # The checkpoint's own tokenizer when it has one (training saves it beside the adapter).
        tok_folder = adapter if adapter is not None and (adapter / "tokenizer.json").exists() else base
        self.tokenizer = load_tokenizer(tok_folder) if tok_folder == base else _load_adapter_tokenizer(tok_folder)
        dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(self.precision, torch.float32)
        self.events.emit("progress", task="load-model", done=0, total=1, unit="models")
        model = load_model(base, dtype, "sdpa")
        if adapter is not None:
            try:
                model = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
            except (ValueError, KeyError, OSError) as exc:
                raise ModelError(f"cannot apply the LoRA adapter {adapter} to {base}: {exc}") from exc
        model.to(self.device).eval()
        tok = self.tokenizer
        self.pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        eos = model.generation_config.eos_token_id
        eos = [eos] if isinstance(eos, int) else list(eos or [])
        self.eos_ids = sorted({tok.eos_token_id, *eos})
        # A bare generation config: the model's own may ask for sampling or a repetition penalty,
        # and transformers fills unset fields from it. Scores must be plain greedy ones.
        model.generation_config = GenerationConfig(eos_token_id=self.eos_ids, pad_token_id=self.pad_id)
        self.model = model
        from tokenizers import Tokenizer  # noqa: PLC0415 - as tokcache.py: special-token strings are text

        self.text_backend = Tokenizer.from_str(tok.backend_tokenizer.to_str())
        self.text_backend.encode_special_tokens = True
        self.text_backend.no_truncation()
        self.text_backend.no_padding()
        self.events.emit("progress", task="load-model", done=1, total=1, unit="models")
        self.max_rows, self.max_tokens = self._batch_limits()

    def _batch_limits(self) -> tuple[int, int | None]:
        if self.spec.batch_size is not None:
            return self.spec.batch_size, None
        if self.device.type != "cuda":
            return CPU_ROWS, CPU_TOKENS
        cfg = self.model.config
        elt = next(self.model.parameters()).element_size()
        heads = cfg.num_attention_heads
        head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // heads
        kv = 2 * cfg.num_hidden_layers * getattr(cfg, "num_key_value_heads", heads) * head_dim * elt
        # One layer's activations live at a time in inference: hidden states, q/k/v, the MLP's three.
        act = elt * (6 * cfg.hidden_size + 3 * getattr(cfg, "intermediate_size", 4 * cfg.hidden_size))
        free, _ = torch.cuda.mem_get_info(self.device)
        return GPU_MAX_ROWS, max(int(free * GPU_MEMORY_SHARE / (kv + act)), 2048)

    # ---- the loop ----------------------------------------------------------------------------

    def _cost(self, kind: str, item: Item) -> tuple[int, int]:
        """(rows, tokens of the longest row) an item adds to a batch; an estimate from characters."""
        if kind == "generate":
            return 1, len(item.prompt) // 3 + item.max_new_tokens
        if kind == "choices":
            return len(item.continuations), (len(item.context) + max(len(c) for c in item.continuations)) // 3
        return 1, len(item.text) // 3

    def _batches(self, kind: str, items: list[Item]) -> Iterator[list[Item]]:
        # Similar lengths together (less padding); the longest first, so a batch too large for the
        # GPU fails at once rather than after an hour. Generation batches share their stop strings.
        if kind == "generate":
            lengths = {i.id: len(encode(self.tokenizer, i.prompt)) for i in items}
            items = sorted(items, key=lambda i: (i.stop, -(lengths[i.id] + i.max_new_tokens)))
        else:
            items = sorted(items, key=lambda i: -self._cost(kind, i)[1])
        pending = list(items)
        while pending:
            batch, rows, width = [], 0, 0
            for item in pending:
                r, w = self._cost(kind, item)
                if kind == "generate" and batch and item.stop != batch[0].stop:
                    break
                w = max(width, w)
                if batch and (rows + r > self.max_rows or
                              (self.max_tokens is not None and (rows + r) * w > self.max_tokens)):
                    break
                batch.append(item)
                rows, width = rows + r, w
            yield batch
            pending = pending[len(batch):]

    def _score_all(self, kind: str, items: list[Item]) -> None:
        queue: list[list[Item]] = list(self._batches(kind, items))
        while queue:
            if self.stop.requested:
                return
            batch = queue.pop(0)
            t0 = time.perf_counter()
            try:
                lines = self._score(kind, batch)
            except torch.OutOfMemoryError:
                if len(batch) == 1:
                    raise
                # lm-eval's remedy too: smaller batches from here on.
                torch.cuda.empty_cache()
                self.max_rows = max(1, self.max_rows // 2)
                if self.max_tokens is not None:
                    self.max_tokens //= 2
                self.events.log(f"out of GPU memory on a batch of {len(batch)}; continuing with at most "
                                f"{self.max_rows} rows per batch")
                queue = [batch[: len(batch) // 2], batch[len(batch) // 2:], *queue]
                continue
            self._write(lines)
            self.scoring_seconds += time.perf_counter() - t0
            self.scored += len(batch)
            self.done += len(batch)
            self._progress()

    def _score(self, kind: str, batch: list[Item]) -> list[dict]:
        if kind == "generate":
            return generate(self.model, self.tokenizer, batch, self.eos_ids, self.pad_id, self.device)
        if kind == "choices":
            return score_choices(self.model, self.tokenizer, batch, self.pad_id, self.tokenizer.eos_token_id,
                                 self.device)
        return score_texts(self.model, self.text_backend, batch, self.tokenizer.eos_token_id, self.pad_id,
                           self.device, self.max_rows)

    def _write(self, lines: list[dict]) -> None:
        import json  # noqa: PLC0415

        data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")
        path = self.spec.run_dir / OUTPUTS_FILE
        with writing(path):
            view = memoryview(data)
            while view:  # one write on a regular file; the loop only guards a short write
                n = self.out.write(view)
                if not n:
                    raise DiskFull(f"the disk is full: writing {path} failed")
                view = view[n:]

    def _progress(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._last_progress < PROGRESS_SECONDS and self.done < self.total:
            return
        self._last_progress = now
        self.events.emit("progress", task="evaluate", done=self.done, total=self.total, unit="items",
                         itemsPerSecond=self.scored / self.scoring_seconds if self.scoring_seconds else None)


def _load_adapter_tokenizer(folder: Path):
    from transformers import AutoTokenizer  # noqa: PLC0415

    try:
        tok = AutoTokenizer.from_pretrained(str(folder))
    except Exception as exc:  # noqa: BLE001 - any failure here means the folder's tokenizer is unusable
        raise ModelError(f"cannot load the tokenizer of {folder}: {exc}") from exc
    if not getattr(tok, "is_fast", False) or tok.eos_token_id is None:
        raise ModelError(f"the tokenizer of {folder} is not a fast tokenizer with an eos token")
    return tok

