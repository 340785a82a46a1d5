"""`train`: continual pretraining over a dataset version's stages, resumable and cancellable.

One optimizer step consumes globalBatchTokens / seqLen packed rows of the current stage, in order
(the pipeline already shuffled the records). With W ranks, micro-batch M and A accumulation steps
(A = rows per step / (M * W)), rank r's a-th micro-batch holds rows
    stage_step * rows_per_step + (a * W + r) * M + j,   j < M,
so the rows a step sees do not depend on W or M: only on the data position (stage, stage step),
which is all a checkpoint needs to continue the same sequence.

The loss of a step is the mean over every labelled token of all its rows (micro-batches and
ranks weighted by their token counts, not averaged per micro-batch), so gradient accumulation and
the number of GPUs change nothing but speed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import platform
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from . import checkpoint, distributed
from .errors import DataError, SpecError, TrainerError, describe, writing
from .evaluate import LanguageSet, evaluate, prepare
from .events import SCHEMA_VERSION, Events
from .flops import mfu, model_flops_per_token, peak_flops
from .loss import nll_sum
from .manifest import Manifest, load_manifest
from .model import (apply_lora, autocast, autocast_dtype, check_model_folder, choose_attention,
                    enable_activation_checkpointing, load_model, load_tokenizer, parameter_counts, resolve_device,
                    resolve_precision, settle_attention)
from .packing import TokenStream, collate, row_targets, rows_per_epoch, stream_row
from .schedule import learning_rate, warmup_steps
from .signals import StopRequest
from .spec import TrainSpec, load_spec, resolve_stages, spec_to_json
from .tokcache import TokenCache

BETAS = (0.9, 0.95)
WEIGHT_DECAY = 0.1
GRAD_CLIP = 1.0
SPEC_FILE = "spec.json"


class Diverged(TrainerError):
    pass


@dataclass
class StagePlan:
    index: int
    stream: TokenStream
    steps: int


@dataclass
class Position:
    step: int = 0
    stage: int = 0
    stage_step: int = 0
    tokens: int = 0


def train_from_spec(spec_path: str | Path) -> int:
    try:
        spec = load_spec(spec_path)
        if checkpoint.latest(spec.run_dir) is not None:
            raise SpecError("runDir", f"{spec.run_dir} already holds checkpoints of a run; continue it with "
                                      f"`train --resume {spec.run_dir}` or choose another runDir")
    except TrainerError as exc:
        return _early_error(exc)
    return Trainer(spec, resume=False).run()


def train_resume(run_dir: str | Path, max_steps: int | None = None) -> int:
    run_dir = Path(run_dir).resolve()
    try:
        if not (run_dir / SPEC_FILE).exists():
            raise SpecError("runDir", f"{run_dir} has no {SPEC_FILE}: it is not a Langbridge run folder")
        spec = load_spec(run_dir / SPEC_FILE)
        if spec.run_dir != run_dir:  # the folder was moved; it is still the same run
            spec = dataclasses.replace(spec, run_dir=run_dir)
        if max_steps is not None:
            spec = dataclasses.replace(spec, max_steps=max_steps)
    except TrainerError as exc:
        return _early_error(exc)
    return Trainer(spec, resume=True).run()


def _early_error(exc: BaseException) -> int:
    # Before the run folder is known, events can only go to stdout.
    if int(os.environ.get("RANK", "0")) == 0:
        Events(None).emit("error", **describe(exc), step=None)
    return 1


class Trainer:
    def __init__(self, spec: TrainSpec, resume: bool):
        self.spec = spec
        self.resume = resume
        self.pos = Position()
        self.started_at = time.perf_counter()
        self.last_loss: float | None = None
        self.last_eval: dict | None = None
        self.last_eval_step: int | None = None
        self.last_checkpoint: str | None = None
        self.best_step: int | None = None
        self.best_loss: float | None = None
        self._loss_window: list[float] = []

    # ---- entry -------------------------------------------------------------------------------

    def run(self) -> int:
        spec = self.spec
        try:
            from transformers.utils import logging as hf_logging  # noqa: PLC0415

            hf_logging.disable_progress_bar()  # tqdm bars on stderr would flood the log
        except ImportError:
            pass
        use_cuda = spec.device != "cpu" and torch.cuda.is_available()
        try:
            self.world = distributed.init(use_cuda)
            self.events = Events(spec.run_dir if self.world.main else None, enabled=self.world.main)
        except Exception as exc:  # noqa: BLE001 - no process group or no run folder: say so on stdout
            return _early_error(exc)
        self.stop = StopRequest().install()
        try:
            self._run()
            return 0
        except _Cancelled:
            self._finish("cancelled")  # stopped while preparing, before any step: nothing to save
            return 0
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the app as an event
            self._report_error(exc)
            return 1
        finally:
            self.stop.restore()
            self.events.close()
            distributed.shutdown(self.world)

    def _report_error(self, exc: BaseException) -> None:
        if self.world.main:
            self.events.emit("error", **describe(exc), step=self.pos.step)
            self.events.log(f"error: {exc}", always=True)
            return
        self.events.log(f"error on rank {self.world.rank}: {exc}", always=True)
        if isinstance(exc, KeyboardInterrupt):
            return  # a second Ctrl-C reaches every rank; rank 0 reports it
        # An error on another rank (its own OOM, a shard only it tokenised, its disk write) leaves
        # rank 0 waiting in a collective until torchrun kills it: the failing rank must tell the
        # app itself. Its stdout is torchrun's, which is the app's; events.jsonl is appended to.
        fields = describe(exc)
        fields["message"] = f"rank {self.world.rank}: {fields['message']}"
        try:
            events = Events(self.spec.run_dir, enabled=True)
        except OSError:  # no events.jsonl (a full disk): stdout still reaches the app
            events = Events(None, enabled=True)
        try:
            events.emit("error", **fields, step=self.pos.step)
        finally:
            events.close()

    def _run(self) -> None:
        spec, world = self.spec, self.world
        self.device = resolve_device(spec.device, world.local_rank)
        self.precision = resolve_precision(spec.precision, self.device)
        if spec.distributed == "fsdp" and world.active and self.precision == "fp16":
            raise SpecError("precision", "fp16 needs a loss scaler that FSDP2 runs do not have here; use bf16")
        resumed = checkpoint.latest(spec.run_dir) if self.resume else None
        if self.resume and world.main:
            checkpoint.clean_stale(spec.run_dir)  # a checkpoint the previous process died writing
        self.events.emit(
            "started", schemaVersion=SCHEMA_VERSION, config=spec_to_json(spec), worldSize=world.size,
            device=self.device.type, devices=_device_names(self.device), precision=self.precision,
            resumedFrom={"step": resumed[0], "path": str(resumed[1])} if resumed else None, pid=os.getpid(),
            versions=_versions(),
        )
        self.events.log(f"{'resuming ' + str(resumed[1]) if resumed else 'starting'} on {world.size} "
                        f"{self.device.type} process(es), {self.precision}")

        # Same seed on every rank while building the model (LoRA's initial weights must agree).
        _seed_everything(spec.seed)
        check_model_folder(spec.base_model)
        self.tokenizer = load_tokenizer(spec.base_model)
        manifest = load_manifest(spec.dataset)
        self.dataset_sha256 = manifest.sha256
        spec = self.spec = resolve_stages(spec, [(s.name, s.directory, s.peak_lr) for s in manifest.stages])
        if world.main:
            # The spec as resolved (stages filled in from the manifest) is what a resume replays;
            # rewritten on resume so that a --max-steps override sticks.
            _write_json_atomic(spec.run_dir / SPEC_FILE, spec_to_json(spec))

        rows_per_step = spec.global_batch_tokens // spec.seq_len
        per_pass = spec.micro_batch * world.size
        if rows_per_step % per_pass:
            raise SpecError("globalBatchTokens", (
                f"{spec.global_batch_tokens} tokens = {rows_per_step} rows of {spec.seq_len}, which is not a multiple "
                f"of microBatch ({spec.micro_batch}) x processes ({world.size})"))
        self.rows_per_step = rows_per_step
        self.accum = rows_per_step // per_pass

        self._prepare_data(manifest)
        self._build_model(resumed)
        self._build_optimizer(resumed)
        if resumed:
            self._restore_position(resumed[1])
        else:
            _seed_everything(spec.seed + world.rank)  # dropout masks differ between ranks
        self._emit_plan()
        self._loop()

    # ---- data --------------------------------------------------------------------------------

    def _prepare_data(self, manifest: Manifest) -> None:
        spec, world = self.spec, self.world
        cache = TokenCache(spec.cache_dir, manifest, self.tokenizer)
        by_dir = {s.directory: s for s in manifest.stages}
        files = []
        for stage in spec.stages:
            files += [f for f in by_dir[stage.directory].shards if f not in files]
        files += [h.file for h in manifest.held_out]
        # Processes on one machine share the work, file by file; the cache writes are atomic.
        local_size = int(os.environ.get("LOCAL_WORLD_SIZE", str(world.size)))
        mine = [f for i, f in enumerate(files) if i % local_size == world.local_rank]
        for i, f in enumerate(mine):
            if self.stop.requested:
                break  # the ranks agree below, so that none is left waiting at the barrier
            cache.ensure(f)
            self.events.emit("progress", task="tokenise", done=i + 1, total=len(mine), unit="files")
        distributed.barrier(world)
        if self._cancel_requested():
            raise _Cancelled()

        self.plans: list[StagePlan] = []
        for i, stage in enumerate(spec.stages):
            stream = TokenStream([cache.load(f) for f in by_dir[stage.directory].shards])
            if stream.total == 0:
                raise DataError(f"stage {stage.name!r} ({stage.directory}) has no documents to train on")
            if stage.tokens is not None:
                steps = -(-stage.tokens // spec.global_batch_tokens)
            else:
                steps = -(-rows_per_epoch(stream, spec.seq_len) // self.rows_per_step)
            self.plans.append(StagePlan(index=i, stream=stream, steps=steps))
        self.total_steps = sum(p.steps for p in self.plans)
        self.held_out: list[LanguageSet] = prepare(cache, manifest, spec.eval_max_documents_per_language,
                                                   spec.seq_len, self.tokenizer.pad_token_id
                                                   if self.tokenizer.pad_token_id is not None
                                                   else self.tokenizer.eos_token_id)

    # ---- model -------------------------------------------------------------------------------

    def _build_model(self, resumed: tuple[int, Path] | None) -> None:
        spec, device = self.spec, self.device
        lora = spec.method == "lora"
        # Trainable weights stay fp32 (autocast computes in bf16/fp16): at continual-pretraining
        # rates (1e-5) most bf16 weight updates would round away. LoRA's frozen base can be bf16.
        dtype = autocast_dtype(self.precision) if lora and autocast_dtype(self.precision) else torch.float32
        source = resumed[1] / "model" if resumed and not lora else spec.base_model
        attention, note = choose_attention(spec.attention, device, spec.seq_len)
        # Under FSDP the model stays in host memory until fully_shard moves each layer's shard to the
        # GPU: the whole model never has to fit one GPU, which is what FSDP is chosen for.
        fsdp = spec.distributed == "fsdp" and self.world.active
        self.fsdp = fsdp
        self.events.emit("progress", task="load-model", done=0, total=1, unit="models")
        model = load_model(source, dtype, attention)
        if not fsdp:
            model.to(device)
        self.events.emit("progress", task="load-model", done=1, total=1, unit="models")
        if spec.seq_len > getattr(model.config, "max_position_embeddings", spec.seq_len):
            raise SpecError("seqLen", f"{spec.seq_len} exceeds the model's max_position_embeddings "
                                      f"({model.config.max_position_embeddings})")
        if not fsdp:
            attention, fallback = settle_attention(model, attention, device)
            self.attention, self.attention_note = attention, fallback or note
        self.counts = parameter_counts(model)
        self.config = model.config
        if spec.activation_checkpointing:
            enable_activation_checkpointing(model)
        if lora:
            if resumed:
                from peft import PeftModel  # noqa: PLC0415

                model = PeftModel.from_pretrained(model, str(resumed[1] / "model"), is_trainable=True)
            else:
                model = apply_lora(model, spec.lora)
            if not fsdp:
                model.to(device)
        self.counts["trainable"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
        model.train()
        self.model = model
        self.wrapped = distributed.wrap(model, self.world, spec.distributed, device,
                                        autocast_dtype(self.precision) if fsdp else None)
        if fsdp:  # every rank runs the check: its forwards gather the shards
            attention, fallback = settle_attention(self.wrapped, attention, device)
            self.attention, self.attention_note = attention, fallback or note
            distributed.reshard(self.wrapped)  # else the optimizer would get the root's unsharded tensors
        # Under FSDP2 the mixed-precision policy casts; autocast on top would cast twice.
        self.compute_precision = "fp32" if fsdp else self.precision

    def _build_optimizer(self, resumed: tuple[int, Path] | None) -> None:
        # Norm weights and biases (1-D) are not decayed: shrinking them toward 0 only hurts.
        decay, no_decay = [], []
        for _, p in self.model.named_parameters():
            if p.requires_grad:
                (decay if p.ndim >= 2 else no_decay).append(p)
        groups = [{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": no_decay, "weight_decay": 0.0}]
        self.optimizer = torch.optim.AdamW([g for g in groups if g["params"]], lr=0.0, betas=BETAS, eps=1e-8,
                                           fused=self.device.type == "cuda")
        self.scaler = torch.amp.GradScaler(self.device.type) if self.precision == "fp16" else None
        if resumed:
            state = checkpoint.load_torch(resumed[1] / "optimizer.pt")
            if self.fsdp:
                from torch.distributed.checkpoint.state_dict import (StateDictOptions,  # noqa: PLC0415
                                                                     set_optimizer_state_dict)

                set_optimizer_state_dict(self.model, self.optimizer, optim_state_dict=state,
                                         options=StateDictOptions(full_state_dict=True))
            else:
                self.optimizer.load_state_dict(state)

    def _restore_position(self, path: Path) -> None:
        state = checkpoint.read_state(path)
        if state.get("datasetSha256") not in (None, self.dataset_sha256):
            # Rows are addressed by position in the dataset's token stream: another dataset (or the
            # same folder rebuilt) would silently continue on different data.
            raise DataError(f"{self.spec.dataset} is not the dataset version this run started on (its manifest "
                            f"changed); start a new run instead of resuming {self.spec.run_dir}")
        self.pos = Position(step=state["step"], stage=state["stage"], stage_step=state["stageStep"],
                            tokens=state["tokens"])
        self.best_step, self.best_loss = state.get("bestStep"), state.get("bestLoss")
        self.last_checkpoint = str(path)
        rng_file = path / f"rng-rank-{self.world.rank}.pt"
        if not rng_file.exists():  # resumed on more processes than it was saved from
            rng_file = path / "rng-rank-0.pt"
        saved = checkpoint.load_torch(rng_file)
        checkpoint.restore_rng(saved["rng"])
        if self.scaler is not None and saved.get("scaler"):
            self.scaler.load_state_dict(saved["scaler"])
        self.events.log(f"resumed at step {self.pos.step} (stage {self.pos.stage}, stage step {self.pos.stage_step})")

    def _emit_plan(self) -> None:
        spec, cfg = self.spec, self.config
        self.flops_per_token = model_flops_per_token(cfg, self.counts, spec.seq_len, lora=spec.method == "lora")
        self.peak = peak_flops(torch.cuda.get_device_name(self.device)) if self.device.type == "cuda" else None
        self.events.emit(
            "plan", attention=self.attention, attentionNote=self.attention_note,
            parameters=self.counts["parameters"], trainableParameters=self.counts["trainable"],
            nonEmbeddingParameters=self.counts["non_embedding"], flopsPerToken=float(self.flops_per_token),
            peakFlops=self.peak, gradAccumulation=self.accum, rowsPerStep=self.rows_per_step,
            totalSteps=self.total_steps, maxSteps=spec.max_steps,
            stages=[{
                "index": p.index, "name": s.name, "directory": s.directory, "steps": p.steps,
                "tokens": p.steps * spec.global_batch_tokens, "streamTokens": p.stream.total,
                "documents": p.stream.documents, "peakLr": s.peak_lr, "minLr": s.min_lr,
                "warmupSteps": warmup_steps(s, p.steps), "schedule": s.schedule,
            } for p, s in zip(self.plans, spec.stages)],
            heldOut=[{"lang": h.lang, "documents": h.documents, "tokens": h.tokens, "characters": h.characters}
                     for h in self.held_out],
        )

    # ---- the loop ----------------------------------------------------------------------------

    def _cancel_requested(self) -> bool:
        return distributed.any_true(self.world, self.stop.requested, self.device)

    def _loop(self) -> None:
        spec, pos = self.spec, self.pos
        cap = spec.max_steps
        if pos.step == 0 and self.held_out:
            self._evaluate()
        while pos.stage < len(self.plans):
            if cap is not None and pos.step >= cap:
                break
            # Checked between optimizer steps only: a step is never cut in half.
            if self._cancel_requested():
                return self._finish_cancelled()
            plan, stage = self.plans[pos.stage], spec.stages[pos.stage]
            if pos.stage_step == 0:
                self.events.emit("stage", index=pos.stage, name=stage.name, phase="start", step=pos.step)
            self._step(plan)
            stage_done = pos.stage_step >= plan.steps
            last = (stage_done and pos.stage == len(self.plans) - 1) or (cap is not None and pos.step >= cap)
            interval_eval = spec.eval_interval is not None and pos.step % spec.eval_interval == 0
            interval_ckpt = spec.checkpoint_interval is not None and pos.step % spec.checkpoint_interval == 0
            if stage_done:
                # The checkpoint records the next stage's start, so a resume opens that stage.
                finished_stage = pos.stage
                pos.stage, pos.stage_step = pos.stage + 1, 0
            if interval_eval or interval_ckpt or stage_done or last:
                # Every checkpoint carries a held-out loss, which is what "best" is chosen by.
                self._evaluate()
            if interval_ckpt or stage_done or last:
                self._save("final" if last else "stage-end" if stage_done else "interval")
            if stage_done:
                self.events.emit("stage", index=finished_stage, name=spec.stages[finished_stage].name, phase="end",
                                 step=pos.step)
        self._finish("succeeded")

    def _step(self, plan: StagePlan) -> None:
        spec, pos, world = self.spec, self.pos, self.world
        stage = spec.stages[pos.stage]
        lr = learning_rate(stage, pos.stage_step, plan.steps)
        for g in self.optimizer.param_groups:
            g["lr"] = lr
        t0 = time.perf_counter()
        base = pos.stage_step * self.rows_per_step
        batches = []
        local_targets = 0
        for a in range(self.accum):
            first = base + (a * world.size + world.rank) * spec.micro_batch
            rows = [stream_row(plan.stream, k, spec.seq_len) for k in range(first, first + spec.micro_batch)]
            local_targets += row_targets(rows)  # counted on the host: no GPU sync per micro-batch
            batches.append(collate(rows, self.device))
        global_targets = max(distributed.all_sum(world, [float(local_targets)], self.device)[0], 1.0)
        # DDP and FSDP average gradients over ranks; scaling by W / global count makes the result
        # the gradient of (sum of all ranks' NLL) / (all ranks' labelled tokens).
        scale = world.size / global_targets
        nll_total = torch.zeros((), device=self.device, dtype=torch.float64)
        for a, batch in enumerate(batches):
            final = a == self.accum - 1
            with self._grad_sync(final), autocast(self.device, self.compute_precision):
                nll = nll_sum(self.wrapped, batch)
            loss = nll * scale
            (self.scaler.scale(loss) if self.scaler else loss).backward()
            nll_total += nll.detach().double()
        if self.scaler:
            self.scaler.unscale_(self.optimizer)
        params = [p for p in self.model.parameters() if p.requires_grad]
        norm = torch.nn.utils.clip_grad_norm_(params, GRAD_CLIP)
        if hasattr(norm, "full_tensor"):  # FSDP2 returns a DTensor
            norm = norm.full_tensor()
        if self.scaler:
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        step_loss = distributed.all_sum(world, [float(nll_total)], self.device)[0] / global_targets
        elapsed = time.perf_counter() - t0
        pos.step += 1
        pos.stage_step += 1
        pos.tokens += self.rows_per_step * spec.seq_len
        if not math.isfinite(step_loss):
            raise Diverged(f"training diverged: the loss is {step_loss} at step {pos.step}; lower peakLr or use bf16")
        self.last_loss = step_loss
        self._loss_window.append(step_loss)
        if pos.step % spec.log_interval == 0 or pos.stage_step == plan.steps:
            tps = self.rows_per_step * spec.seq_len / elapsed
            cuda = self.device.type == "cuda"
            self.events.emit(
                "step", step=pos.step, totalSteps=self.total_steps, stage=pos.stage, stageStep=pos.stage_step,
                tokens=pos.tokens, loss=sum(self._loss_window) / len(self._loss_window), lr=lr,
                gradNorm=float(norm), tokensPerSecond=tps,
                mfu=mfu(tps, self.flops_per_token, self.peak, world.size),
                gpuMemoryAllocated=torch.cuda.memory_allocated(self.device) if cuda else None,
                gpuMemoryPeak=torch.cuda.max_memory_allocated(self.device) if cuda else None,
                elapsedSeconds=time.perf_counter() - self.started_at,
            )
            self._loss_window = []

    def _grad_sync(self, final: bool):
        """Skip the gradient all-reduce on all but the last micro-batch of a step."""
        if hasattr(self.wrapped, "no_sync") and not final:
            return self.wrapped.no_sync()
        if self.fsdp and hasattr(self.wrapped, "set_requires_gradient_sync"):
            self.wrapped.set_requires_gradient_sync(final)
        return contextlib.nullcontext()

    def _evaluate(self) -> None:
        if not self.held_out or self.last_eval_step == self.pos.step:
            return
        # Evaluation needs no gradient sync, so the DDP wrapper is bypassed; FSDP must keep it.
        model = self.wrapped if self.fsdp else self.model
        result = evaluate(model, self.held_out, self.spec.micro_batch, self.device, self.compute_precision,
                          self.world)
        self.last_eval, self.last_eval_step = result, self.pos.step
        self.events.emit("eval", step=self.pos.step, **result)
        if result["meanLoss"] is not None:
            self.events.log(f"step {self.pos.step}: held-out loss {result['meanLoss']:.4f}, "
                            f"bpc {result['meanBpc']:.4f}")

    # ---- checkpoints and the end -------------------------------------------------------------

    def _save(self, reason: str) -> None:
        spec, pos, world = self.spec, self.pos, self.world
        final = checkpoint.final_dir(spec.run_dir, pos.step)
        if final.exists():
            return
        if world.main:
            checkpoint.begin(spec.run_dir, pos.step)
        distributed.barrier(world)  # every rank writes its random state into the folder rank 0 made
        tmp = checkpoint.tmp_dir(spec.run_dir, pos.step)
        model_state = optim_state = None
        if self.fsdp:
            from torch.distributed.checkpoint.state_dict import (StateDictOptions,  # noqa: PLC0415
                                                                 get_model_state_dict, get_optimizer_state_dict)

            options = StateDictOptions(full_state_dict=True, cpu_offload=True)
            model_state = get_model_state_dict(self.model, options=options)
            optim_state = get_optimizer_state_dict(self.model, self.optimizer, options=options)
        if world.main:
            with writing(tmp / "model"):  # safetensors reports a full disk as a SafetensorError
                self.model.save_pretrained(str(tmp / "model"), state_dict=model_state)
                self.tokenizer.save_pretrained(str(tmp / "model"))
            checkpoint.save_torch(optim_state if self.fsdp else self.optimizer.state_dict(), tmp / "optimizer.pt")
        checkpoint.save_torch({"rng": checkpoint.rng_state(),
                               "scaler": self.scaler.state_dict() if self.scaler else None},
                              tmp / f"rng-rank-{world.rank}.pt")
        distributed.barrier(world)
        if world.main:
            eval_loss = self.last_eval["meanLoss"] if self.last_eval and self.last_eval_step == pos.step else None
            best = eval_loss is not None and (self.best_loss is None or eval_loss < self.best_loss)
            if best:
                self.best_step, self.best_loss = pos.step, eval_loss
            path = checkpoint.commit(spec.run_dir, pos.step, {
                "step": pos.step, "stage": pos.stage, "stageStep": pos.stage_step,
                "row": pos.stage_step * self.rows_per_step, "tokens": pos.tokens, "evalLoss": eval_loss,
                "bestStep": self.best_step, "bestLoss": self.best_loss, "method": spec.method,
                "worldSize": world.size, "reason": reason, "datasetSha256": self.dataset_sha256,
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            })
            removed = checkpoint.prune(spec.run_dir, spec.keep_checkpoints, self.best_step)
            self.last_checkpoint = str(path)
            self.events.emit("checkpoint", step=pos.step, path=str(path), best=best, reason=reason,
                             evalLoss=eval_loss, removed=removed)
            self.events.log(f"checkpoint {path} ({reason})")
        distributed.barrier(world)

    def _finish_cancelled(self) -> None:
        if self.pos.step > 0:
            self._save("cancel")
        self._finish("cancelled")

    def _finish(self, status: str) -> None:
        latest = checkpoint.latest(self.spec.run_dir)
        self.events.emit(
            "finished", status=status, step=self.pos.step, tokens=self.pos.tokens, loss=self.last_loss,
            evalLoss=self.last_eval["meanLoss"] if self.last_eval else None,
            checkpoint=str(latest[1]) if latest else None, elapsedSeconds=time.perf_counter() - self.started_at,
        )
        self.events.log(f"finished: {status} at step {self.pos.step}")


class _Cancelled(Exception):
    pass


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _device_names(device: torch.device) -> list[str]:
    if device.type == "cuda":
        return [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return [f"cpu ({platform.machine()}, {os.cpu_count()} cores)"]


def _versions() -> dict:
    out = {"python": sys.version.split()[0], "torch": torch.__version__, "cuda": torch.version.cuda}
    for name in ("transformers", "peft"):
        try:
            out[name] = __import__(name).__version__
        except ImportError:
            out[name] = None
    return out


def _write_json_atomic(path: Path, obj: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    with writing(tmp):
        tmp.write_text(json.dumps(obj, indent=2), encoding="utf-8")
    os.replace(tmp, path)
