#!/usr/bin/env python3
"""Training benchmark: Langbridge's trainer against a plain Hugging Face `Trainer`, same model and data.

    python native/trainer/bench/bench_train.py [--models qwen2-0.5b,qwen2-1.5b] [--seq-len 4096]
        [--steps 20] [--warmup 5] [--micro-batch 1] [--grad-accum 8] [--out FILE.json]
        [--device cuda|cpu] [--tiny]

For each model (real Qwen2 dimensions, random weights: nothing is downloaded) and each arm it reports
tokens/s per GPU, MFU and peak GPU memory, with medians over the measured steps (after --warmup).

Data. A synthetic dataset version in the pipeline's layout (manifest.json + a jsonl.gz shard with
sha256s) of random documents of 200-6000 tokens, tokenised by the trainer's own token cache and
packed by its own packing code into rows of exactly seqLen tokens (EOS after every document,
position_ids restarting at every document, the first token of each document unlabelled).

Arms, each in its own process (clean CUDA memory statistics, no state shared between arms):
  langbridge  the trainer's real `train` command (`langbridge_trainer.__main__.main(["train", "--spec",
              ...])`) on a generated spec with maxSteps; its `step` events are read back from the run's
              events.jsonl. Everything a real run does on the way is done: token cache, isolation check,
              attention choice (flex_attention on CUDA when seqLen % 128 == 0), fp32 master weights under
              bf16 autocast, fused AdamW, gradient accumulation, clipping. The one thing removed is the
              final checkpoint write (Trainer._save is patched out in that process unless
              --write-checkpoint): it happens after the last step and is not part of any step's time.
  baseline    `transformers.Trainer` with TrainingArguments(bf16, the same micro-batch, accumulation
              and steps, optim adamw_torch_fused, the same activation checkpointing, no logging, no
              saving), default attention (sdpa), fed the same packed rows as ordinary causal-LM
              examples (input_ids + labels, no position_ids, so no document masking: what a plain
              Trainer user gets).

Timing is the same for both arms: wall-clock between the ends of consecutive optimizer steps
(Langbridge: the `elapsedSeconds` of consecutive step events; baseline: a TrainerCallback that
synchronises CUDA at each `on_step_end`), tokens per step = seqLen x microBatch x gradAccum. The
Langbridge trainer's own per-step tokensPerSecond and mfu (which time the step body only) are kept
in the JSON too. MFU uses the trainer's own FLOPs per token (the Langbridge arm's `plan` event; the
baseline computes it with the same flops.py function from the same model) and its peak table
(flops.peak_flops) for both arms, so the comparison is fair.

Without CUDA the benchmark refuses to run (exit 2) unless --device cpu; `--tiny --device cpu` is an
end-to-end smoke run of the whole script (a 2-layer model, seqLen 256, a few steps) in seconds.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRAINER_ROOT = HERE.parent  # native/trainer, which holds the langbridge_trainer package
if str(TRAINER_ROOT) not in sys.path:
    sys.path.insert(0, str(TRAINER_ROOT))

NO_CUDA = "No CUDA GPU: the training benchmark needs one (run with --tiny --device cpu for a smoke run)"
QWEN2_VOCAB = 151_936
DOCUMENT_END = "<|endoftext|>"

# The public Qwen/Qwen2-0.5B and Qwen/Qwen2-1.5B config.json files (base models).
QWEN2_COMMON = {
    "vocab_size": QWEN2_VOCAB,
    "tie_word_embeddings": True,
    "hidden_act": "silu",
    "rms_norm_eps": 1e-6,
    "rope_theta": 1_000_000.0,
    "max_position_embeddings": 131_072,
    "attention_dropout": 0.0,
    "initializer_range": 0.02,
}
MODELS = {
    "qwen2-0.5b": {"hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24,
                   "num_attention_heads": 14, "num_key_value_heads": 2},
    "qwen2-1.5b": {"hidden_size": 1536, "intermediate_size": 8960, "num_hidden_layers": 28,
                   "num_attention_heads": 12, "num_key_value_heads": 2},
    # --tiny: create-tiny's shape (Qwen2's real 151,936-row tied embedding, 2 small layers).
    "tiny": {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
             "num_attention_heads": 4, "num_key_value_heads": 2},
}
ARMS = ("langbridge", "baseline")
FULL_DEFAULTS = {"models": "qwen2-0.5b,qwen2-1.5b", "seq_len": 4096, "steps": 20, "warmup": 5, "grad_accum": 8,
                 "doc_tokens": "200,6000"}
TINY_DEFAULTS = {"models": "tiny", "seq_len": 256, "steps": 3, "warmup": 1, "grad_accum": 2, "doc_tokens": "20,600"}
GIB = 2**30


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- command line ------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Benchmark Langbridge's trainer against a plain Hugging Face Trainer (tokens/s, MFU, memory).")
    p.add_argument("--models", default=None,
                   help=f"comma-separated, from {', '.join(MODELS)} (default {FULL_DEFAULTS['models']}; "
                        f"--tiny: tiny)")
    p.add_argument("--seq-len", type=int, default=None, help="tokens per packed row (default 4096; --tiny: 256)")
    p.add_argument("--steps", type=int, default=None, help="measured optimizer steps per arm (default 20; --tiny: 3)")
    p.add_argument("--warmup", type=int, default=None, help="steps run before measuring, at least 1 (default 5; "
                                                           "--tiny: 1)")
    p.add_argument("--micro-batch", type=int, default=1, help="rows per forward pass (default 1)")
    p.add_argument("--grad-accum", type=int, default=None, help="micro-batches per optimizer step (default 8; "
                                                                "--tiny: 2)")
    p.add_argument("--activation-checkpointing", action="store_true",
                   help="recompute activations in the backward pass, in both arms (default off)")
    p.add_argument("--attention", default="auto", choices=("auto", "sdpa", "flex_attention", "eager"),
                   help="the Langbridge arm's spec `attention` (default auto: flex_attention on CUDA when "
                        "seqLen %% 128 == 0); the baseline always uses transformers' default (sdpa)")
    p.add_argument("--arms", default=",".join(ARMS), help="which arms to run (default langbridge,baseline)")
    p.add_argument("--doc-tokens", default=None, help="document length range in tokens, MIN,MAX (default 200,6000)")
    p.add_argument("--device", choices=("cuda", "cpu"), default=None, help="default: cuda; cpu only for smoke runs")
    p.add_argument("--tiny", action="store_true", help="a 2-layer model, seqLen 256, 3 steps: a smoke run")
    p.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    p.add_argument("--tokenizer", default=None,
                   help="a folder with tokenizer.json, or 'synthetic' (default: the Qwen tokenizer in node_modules, "
                        "as create-tiny finds it; else a synthetic byte-level BPE of 18,535 tokens)")
    p.add_argument("--work-dir", type=Path, default=None,
                   help="where models, data and runs go (default: a temporary folder, removed at the end)")
    p.add_argument("--keep-work", action="store_true", help="keep the work folder")
    p.add_argument("--write-checkpoint", action="store_true",
                   help="let the Langbridge arm write its final checkpoint as a real run does (slow for 1.5B; "
                        "not part of any measured step)")
    p.add_argument("--arm-timeout", type=float, default=None, help="seconds allowed per arm process")
    p.add_argument("--seed", type=int, default=42)
    # Internal: the same file run as one arm's (or the model builder's) own process.
    p.add_argument("--_task", choices=("langbridge", "baseline", "make-model"), default=None, help=argparse.SUPPRESS)
    p.add_argument("--_job", type=Path, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args._task:
        return args
    defaults = TINY_DEFAULTS if args.tiny else FULL_DEFAULTS
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.models = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = [m for m in args.models if m not in MODELS]
    if unknown:
        p.error(f"unknown model {unknown[0]!r} (known: {', '.join(MODELS)})")
    args.arms = [a.strip() for a in args.arms.split(",") if a.strip()]
    if not args.arms or any(a not in ARMS for a in args.arms):
        p.error(f"--arms takes a comma-separated subset of {', '.join(ARMS)}")
    try:
        lo, hi = (int(x) for x in args.doc_tokens.split(","))
    except ValueError:
        p.error("--doc-tokens takes MIN,MAX")
    if not 1 <= lo <= hi:
        p.error("--doc-tokens needs 1 <= MIN <= MAX")
    args.doc_tokens = (lo, hi)
    # warmup >= 1: a measured step is timed from the end of the step before it (and the first
    # steps compile flex_attention's kernels anyway).
    if args.steps < 1 or args.warmup < 1 or args.micro_batch < 1 or args.grad_accum < 1 or args.seq_len < 16:
        p.error("--steps >= 1, --warmup >= 1, --micro-batch >= 1, --grad-accum >= 1 and --seq-len >= 16")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args._task == "langbridge":
        return task_langbridge(args._job)
    if args._task == "baseline":
        return task_baseline(args._job)
    if args._task == "make-model":
        return task_make_model(args._job)

    import torch  # noqa: PLC0415

    if args.device == "cpu":
        device = "cpu"
    elif torch.cuda.is_available():  # creates no CUDA context: this process never allocates on the GPU
        device = "cuda"
    else:
        print(NO_CUDA, file=sys.stderr)
        return 2
    return run_benchmark(args, device)


# ---- the orchestrating process ---------------------------------------------------------------

def run_benchmark(args: argparse.Namespace, device: str) -> int:
    import torch  # noqa: PLC0415
    import transformers  # noqa: PLC0415

    work = Path(args.work_dir).resolve() if args.work_dir else Path(tempfile.mkdtemp(prefix="langbridge-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    keep = args.keep_work or args.work_dir is not None
    started = time.perf_counter()
    try:
        rows_per_step = args.micro_batch * args.grad_accum
        total_steps = args.warmup + args.steps
        settings = {
            "seqLen": args.seq_len, "microBatch": args.micro_batch, "gradAccum": args.grad_accum,
            "globalBatchTokens": args.seq_len * rows_per_step, "steps": args.steps, "warmup": args.warmup,
            "activationCheckpointing": args.activation_checkpointing,
            "precision": "bf16" if device == "cuda" else "fp32", "langbridgeAttention": args.attention,
            "baselineAttention": "sdpa", "tiny": args.tiny, "seed": args.seed,
        }
        tok, tok_dir, tok_kind = prepare_tokenizer(work / "tokenizer", args.tokenizer)
        data = make_dataset(work / "dataset", tok, needed_tokens=total_steps * rows_per_step * args.seq_len,
                            doc_tokens=args.doc_tokens, seed=args.seed)
        data["tokenizer"] = tok_kind
        data.update(pretokenise(data["path"], tok, work / "cache", args.doc_tokens))
        log(f"dataset: {data['documents']} documents, {data['tokens']} tokens ({tok_kind} tokenizer), "
            f"{total_steps} steps x {rows_per_step} rows of {args.seq_len}")

        results = []
        for name in args.models:
            model_dir = work / "models" / name
            failed = make_model(name, model_dir, tok, tok_dir, device, args.arm_timeout)
            if failed:
                log(f"{name}: {failed}")
                results += [{"model": name, "arm": arm, "error": failed} for arm in args.arms]
                continue
            for arm in args.arms:
                log(f"{name}: {arm} arm")
                runner = run_langbridge if arm == "langbridge" else run_baseline
                res = runner(args, device, name, model_dir, data, work)
                res.update(model=name, arm=arm)
                results.append(res)
                if res.get("error"):
                    log(f"{name}: {arm} arm failed: {res['error']}")
            shutil.rmtree(model_dir, ignore_errors=True)  # 3 GB for 1.5B; the next model needs the disk
        add_ratios(results)
        # One cache entry: every process tokenised (or found) the same ids, so both arms saw the same rows.
        data["tokenCacheEntries"] = len([p for p in (work / "cache").iterdir()
                                         if p.is_dir() and p.name.startswith(data["manifestSha256"][:16])])
        if data["tokenCacheEntries"] != 1:
            log(f"warning: {data['tokenCacheEntries']} token cache entries: the arms' tokenizers differed")

        device_name = next((r["deviceName"] for r in results if r.get("deviceName")), None)
        if device == "cpu":
            device_name = device_name or f"cpu ({platform.machine()}, {os.cpu_count()} cores)"
        report = {
            "benchmark": "langbridge-train",
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "device": device_name,
            "deviceType": device,
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "cuda": torch.version.cuda,
            "transformers": transformers.__version__,
            "peakFlops": next((r["peakFlops"] for r in results if r.get("peakFlops")), None),
            "settings": settings,
            "dataset": {k: v for k, v in data.items() if k != "path"},
            "results": results,
            "targets": targets(results, device_name),
            "seconds": round(time.perf_counter() - started, 1),
        }
        print_report(report)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
            log(f"wrote {args.out}")
        return 1 if any(r.get("error") for r in results) else 0
    finally:
        if keep:
            log(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def prepare_tokenizer(out: Path, given: str | None):
    """The Qwen tokenizer as create-tiny sets it up (eos = <|endoftext|>), else a synthetic one.

    Which one does not change what is measured: tokenisation happens before training and is not
    timed, and either way the model has Qwen2's 151,936-row embedding.
    """
    from transformers import AutoTokenizer  # noqa: PLC0415

    from langbridge_trainer.errors import ModelError  # noqa: PLC0415
    from langbridge_trainer.tiny import find_tokenizer  # noqa: PLC0415

    source = None if given == "synthetic" else Path(given) if given else None
    if given is None:
        try:
            source = find_tokenizer()
        except ModelError as exc:
            log(f"{exc}; using a synthetic byte-level BPE tokenizer instead (tokenisation is not timed; "
                f"packed rows and model shapes are the same)")
    if source is not None:
        tok = AutoTokenizer.from_pretrained(str(source))
        if DOCUMENT_END in tok.get_vocab():
            tok.eos_token = DOCUMENT_END
            tok.pad_token = DOCUMENT_END
        kind = f"qwen ({source})"
    else:
        tok = synthetic_tokenizer()
        kind = "synthetic byte-level BPE"
    if tok.eos_token_id is None or len(tok) > QWEN2_VOCAB:
        raise SystemExit(f"the tokenizer in {source} has no eos token or more than {QWEN2_VOCAB} tokens")
    tok.save_pretrained(str(out))
    # Read back, as the arms will read it from the model folders: the token cache is keyed by the
    # tokenizer's serialised form, which must be the same in every process.
    return AutoTokenizer.from_pretrained(str(out)), out, kind


def synthetic_tokenizer():
    """A Qwen2-style byte-level BPE whose words are three lowercase letters after a space (one token each).

    Built as a Qwen2Tokenizer, so that it reads back the same from a model folder whose config says
    qwen2 (transformers 5 rebuilds the tokenizer from vocab and merges by model type).
    """
    from itertools import product  # noqa: PLC0415

    from tokenizers import pre_tokenizers  # noqa: PLC0415
    from transformers import Qwen2Tokenizer  # noqa: PLC0415

    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab: dict[str, int] = {}
    for ch in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[ch] = len(vocab)
    merges = []
    for n in (1, 2, 3):  # "Ġ a" -> "Ġa", "Ġa b" -> "Ġab", "Ġab c" -> "Ġabc"
        for combo in product(letters, repeat=n):
            left, right = "Ġ" + "".join(combo[:-1]), combo[-1]
            merges.append((left, right))
            vocab[left + right] = len(vocab)
    vocab[DOCUMENT_END] = len(vocab)
    return Qwen2Tokenizer(vocab=vocab, merges=merges, eos_token=DOCUMENT_END, pad_token=DOCUMENT_END,
                          unk_token=DOCUMENT_END)


def word_list(tok) -> list[str]:
    """Words that are one token each after a space, so a document of n words is about n tokens."""
    vocab = tok.get_vocab()
    words = [t[1:] for t in vocab if t.startswith("Ġ") and 3 <= len(t) - 1 <= 12 and t[1:].isascii()
             and t[1:].isalpha() and t[1:].islower()]
    if len(words) < 1000:
        raise SystemExit("the tokenizer has too few plain words to write documents with; use --tokenizer synthetic")
    return sorted(words)


def make_dataset(root: Path, tok, needed_tokens: int, doc_tokens: tuple[int, int], seed: int) -> dict:
    """A dataset version in the pipeline's layout: one stage, one jsonl.gz shard, sha256s, no held-out set."""
    rng = random.Random(seed)
    words = word_list(tok)
    target = int(needed_tokens * 1.05) + doc_tokens[1]
    texts, total = [], 0
    while total < target:
        n = rng.randint(*doc_tokens)
        texts.append(" ".join(rng.choices(words, k=n)))
        total += n + 1
    shard = root / "bench" / "shard-00000.jsonl.gz"
    shard.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps({"text": t, "lang": "eng_Latn", "group": "bench", "origin": {"kind": "synthetic"}})
                    + "\n" for t in texts)
    with open(shard, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, compresslevel=1) as g:
        g.write(lines.encode("utf-8"))
    raw = shard.read_bytes()
    manifest = {
        "formatVersion": 1,
        "shardFormat": "jsonl.gz",
        "stages": [{"name": "Benchmark", "directory": "bench", "shards": [{
            "path": "bench/shard-00000.jsonl.gz", "sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw),
            "records": len(texts)}]}],
        "heldOut": [],
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return {"path": str(root), "documents": len(texts), "docTokenRange": list(doc_tokens)}


def pretokenise(dataset: str, tok, cache_dir: Path, doc_tokens: tuple[int, int]) -> dict:
    """Fill the trainer's token cache once, so that neither arm tokenises (neither times it anyway).

    The cache folder is keyed by the tokenizer's fingerprint; the model folders get the same tokenizer
    files, so both arms find these entries.
    """
    from langbridge_trainer.manifest import load_manifest  # noqa: PLC0415
    from langbridge_trainer.tokcache import TokenCache  # noqa: PLC0415

    manifest = load_manifest(dataset)
    cache = TokenCache(cache_dir, manifest, tok)
    docs = [cache.ensure(f) for s in manifest.stages for f in s.shards]
    lengths = [int(x) for d in docs for x in (d.starts[1:] - d.starts[:-1])]
    mean = statistics.mean(lengths)
    if mean < 0.5 * statistics.mean(doc_tokens):
        raise SystemExit(f"the tokenizer turned documents of about {statistics.mean(doc_tokens):.0f} words into "
                         f"{mean:.0f} tokens on average: it does not fit the generated text")
    return {"tokens": sum(lengths), "meanDocumentTokens": round(mean, 1), "manifestSha256": manifest.sha256}


def make_model(name: str, out: Path, tok, tok_dir: Path, device: str, timeout: float | None) -> str | None:
    """Write the model folder; returns why it failed, or None."""
    job = out.parent / f"{name}.make-model.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    job.write_text(json.dumps({"name": name, "out": str(out), "tokenizer": str(tok_dir), "device": device}))
    if device == "cpu":
        task_make_model(job, tok)  # no CUDA memory to keep out of this process
        return None
    # On CUDA in a process of its own: this one stays without a CUDA context.
    try:
        rc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--_task", "make-model", "--_job",
                             str(job)], env=child_env(), timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        rc = 124
    return f"building the {name} model folder failed (exit {rc})" if rc else None


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(TRAINER_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env.setdefault("HF_HUB_OFFLINE", "1")  # nothing is downloaded; fail fast instead of timing out
    return env


def run_child(task: str, job: dict, path: Path, timeout: float | None, stdout=None) -> tuple[int, dict | None]:
    path.write_text(json.dumps(job, indent=2))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_task", task, "--_job", str(path)]
    relay = False
    if stdout is sys.stderr:
        try:
            sys.stderr.fileno()
        except (AttributeError, OSError, ValueError):  # a captured stderr (pytest): relay the text instead
            stdout, relay = subprocess.PIPE, True
    try:
        proc = subprocess.run(cmd, env=child_env(), timeout=timeout, stdout=stdout, text=True)
    except subprocess.TimeoutExpired:
        return 124, None
    rc = proc.returncode
    if relay and proc.stdout:
        sys.stderr.write(proc.stdout)
    result = Path(job["result"])
    return rc, json.loads(result.read_text()) if result.exists() else None


def run_langbridge(args, device: str, name: str, model_dir: Path, data: dict, work: Path) -> dict:
    run_dir = work / "runs" / f"{name}-langbridge"
    total = args.warmup + args.steps
    gbt = args.seq_len * args.micro_batch * args.grad_accum
    spec = {
        "specVersion": 1,
        "baseModel": str(model_dir),
        "dataset": data["path"],
        "runDir": str(run_dir),
        "cacheDir": str(work / "cache"),
        # A token budget of exactly the steps run: the stage never ends early, whatever the data size.
        "stages": [{"directory": "bench", "tokens": total * gbt}],
        "seqLen": args.seq_len,
        "globalBatchTokens": gbt,
        "microBatch": args.micro_batch,
        "precision": "bf16" if device == "cuda" else "fp32",
        "seed": args.seed,
        "evalInterval": None,
        "checkpointInterval": None,
        "activationCheckpointing": args.activation_checkpointing,
        "maxSteps": total,
        "device": device,
        "attention": args.attention,
        "logInterval": 1,
    }
    spec_path = work / "runs" / f"{name}-langbridge.spec.json"
    spec_path.parent.mkdir(parents=True, exist_ok=True)
    spec_path.write_text(json.dumps(spec, indent=2))
    job = {"spec": str(spec_path), "writeCheckpoint": args.write_checkpoint,
           "result": str(work / "runs" / f"{name}-langbridge.result.json")}
    # stdout carries the events, which are also in events.jsonl; the trainer's log lines stay on stderr.
    rc, _ = run_child("langbridge", job, work / "runs" / f"{name}-langbridge.job.json", args.arm_timeout,
                      stdout=subprocess.DEVNULL)
    events_file = run_dir / "events.jsonl"
    events = [json.loads(line) for line in events_file.read_text().splitlines()] if events_file.exists() else []
    by_kind: dict[str, list[dict]] = {}
    for e in events:
        by_kind.setdefault(e["kind"], []).append(e)
    res: dict = {
        "driver": ("langbridge_trainer `train --spec` (train.Trainer.run), in its own process; step events read "
                   "from the run's events.jsonl" + ("" if args.write_checkpoint else
                                                   "; final checkpoint write patched out (after the last step)")),
        "exitCode": rc,
    }
    if rc == 124:
        res["error"] = f"timed out after {args.arm_timeout} s"
    if by_kind.get("error"):
        err = by_kind["error"][-1]
        res["error"] = f"{err.get('classification')}: {err.get('message')}"
    elif rc != 0 and "error" not in res:
        res["error"] = f"trainer exited {rc} without an error event"
    started = (by_kind.get("started") or [{}])[0]
    plan = (by_kind.get("plan") or [{}])[0]
    steps = sorted(by_kind.get("step", []), key=lambda e: e["step"])
    res.update(
        deviceName=(started.get("devices") or [None])[0] if device == "cuda" else None,
        versions=started.get("versions"),
        precision=started.get("precision"),
        attention=plan.get("attention"),
        attentionNote=plan.get("attentionNote"),
        parameters=plan.get("parameters"),
        nonEmbeddingParameters=plan.get("nonEmbeddingParameters"),
        flopsPerToken=plan.get("flopsPerToken"),
        peakFlops=plan.get("peakFlops"),
        gradAccumulation=plan.get("gradAccumulation"),
        stepsRun=len(steps),
        finalLoss=steps[-1]["loss"] if steps else None,
    )
    if not steps:
        res.setdefault("error", "no step events")
        return res
    elapsed = {e["step"]: e["elapsedSeconds"] for e in steps}
    step_seconds = [elapsed[s] - elapsed[s - 1] for s in sorted(elapsed) if s > args.warmup and s - 1 in elapsed]
    measured = [e for e in steps if e["step"] > args.warmup]
    mems = [e["gpuMemoryPeak"] for e in steps if e.get("gpuMemoryPeak") is not None]
    res.update(summarise(step_seconds, gbt, res["flopsPerToken"], res["peakFlops"], max(mems) if mems else None))
    res["trainerReported"] = {
        "what": "the trainer's own step events: the step body only (batch build, forward/backward, clip, "
                "optimizer), medians over the measured steps",
        "tokensPerSecond": _median([e["tokensPerSecond"] for e in measured]),
        "mfu": _median([e["mfu"] for e in measured if e.get("mfu") is not None]),
        "gpuMemoryPeak": max(mems) if mems else None,
    }
    return res


def run_baseline(args, device: str, name: str, model_dir: Path, data: dict, work: Path) -> dict:
    out = work / "runs" / f"{name}-baseline"
    out.mkdir(parents=True, exist_ok=True)
    job = {
        "model": str(model_dir), "dataset": data["path"], "cache": str(work / "cache"), "out": str(out),
        "seqLen": args.seq_len, "microBatch": args.micro_batch, "gradAccum": args.grad_accum,
        "steps": args.warmup + args.steps, "warmup": args.warmup, "device": device,
        "activationCheckpointing": args.activation_checkpointing, "seed": args.seed,
        "result": str(out / "result.json"),
    }
    # Trainer prints its end-of-training metrics on stdout; stdout is kept for the report.
    rc, result = run_child("baseline", job, out / "job.json", args.arm_timeout, stdout=sys.stderr)
    res = {"driver": "transformers.Trainer (plain TrainingArguments, sdpa, rows as ordinary causal-LM examples), "
                     "in its own process; steps timed by a TrainerCallback", "exitCode": rc}
    if result is None:
        res["error"] = f"timed out after {args.arm_timeout} s" if rc == 124 else f"baseline exited {rc}"
        return res
    res.update(result)
    if rc != 0 and not res.get("error"):
        res["error"] = f"baseline exited {rc}"
    if not res.get("error"):
        gbt = args.seq_len * args.micro_batch * args.grad_accum
        res.update(summarise(result["stepSeconds"][args.warmup:], gbt, result["flopsPerToken"],
                             result["peakFlops"], result["gpuMemoryPeak"]))
    return res


def summarise(step_seconds: list[float], tokens_per_step: int, per_token: float | None, peak: float | None,
              memory: int | None) -> dict:
    from langbridge_trainer.flops import mfu  # noqa: PLC0415

    tps = [tokens_per_step / s for s in step_seconds if s > 0]
    med = _median(tps)
    return {
        "stepSeconds": [round(s, 5) for s in step_seconds],
        "measuredSteps": len(tps),
        "tokensPerSecond": med,
        "tokensPerSecondMin": min(tps) if tps else None,
        "tokensPerSecondMax": max(tps) if tps else None,
        "mfu": mfu(med, per_token, peak, 1) if med and per_token else None,
        "gpuMemoryPeak": memory,
        "gpuMemoryPeakGiB": round(memory / GIB, 2) if memory is not None else None,
    }


def _median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def add_ratios(results: list[dict]) -> None:
    base = {r["model"]: r.get("tokensPerSecond") for r in results if r["arm"] == "baseline" and not r.get("error")}
    for r in results:
        b = base.get(r["model"])
        r["ratioVsBaseline"] = r["tokensPerSecond"] / b if b and r.get("tokensPerSecond") and not r.get("error") \
            else None


def targets(results: list[dict], device_name: str | None) -> dict:
    """Issue requirement 13: MFU >= 45% for 1.5B on an H100/H200, at least 1.3x the baseline's tokens/s."""
    on_hopper = bool(device_name) and any(n in device_name for n in ("H100", "H200"))
    out: dict = {"mfuMin": 0.45, "ratioMin": 1.3, "applicable": on_hopper}
    lb = next((r for r in results if r["model"] == "qwen2-1.5b" and r["arm"] == "langbridge"), None)
    if lb is not None:
        out["mfu1.5b"] = lb.get("mfu")
        out["ratio1.5b"] = lb.get("ratioVsBaseline")
        out["mfuMet"] = lb.get("mfu") is not None and lb["mfu"] >= 0.45
        out["ratioMet"] = lb.get("ratioVsBaseline") is not None and lb["ratioVsBaseline"] >= 1.3
    return out


def print_report(report: dict) -> None:
    s = report["settings"]
    print(f"device: {report['device']}")
    print(f"torch {report['torch']} (CUDA {report['cuda']}), transformers {report['transformers']}, "
          f"Python {report['python']}")
    print(f"seqLen {s['seqLen']}, micro-batch {s['microBatch']} x grad-accum {s['gradAccum']} = "
          f"{s['globalBatchTokens']} tokens/step, {s['precision']}, activation checkpointing "
          f"{'on' if s['activationCheckpointing'] else 'off'}; medians over {s['steps']} steps after "
          f"{s['warmup']} warm-up; packed data: {report['dataset']['documents']} documents, "
          f"{report['dataset']['tokens']} tokens")
    print()
    print("| model | arm | tokens/s/GPU | MFU | peak memory GiB | ratio vs baseline | attention |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    for r in report["results"]:
        if r.get("error"):
            print(f"| {r['model']} | {r['arm']} | failed: {r['error'][:120]} | | | | |")
            continue
        tps = f"{r['tokensPerSecond']:,.0f}" if r.get("tokensPerSecond") else "n/a"
        mfu_ = f"{100 * r['mfu']:.1f}%" if r.get("mfu") is not None else "n/a"
        mem = f"{r['gpuMemoryPeakGiB']:.2f}" if r.get("gpuMemoryPeakGiB") is not None else "n/a"
        ratio = f"{r['ratioVsBaseline']:.2f}x" if r.get("ratioVsBaseline") else "n/a"
        att = r.get("attention") or "n/a"
        if r["arm"] == "langbridge" and "flex_attention was not usable" in (r.get("attentionNote") or ""):
            att += " (flex_attention fell back)"
        print(f"| {r['model']} | {r['arm']} | {tps} | {mfu_} | {mem} | {ratio} | {att} |")
    print()
    for r in report["results"]:
        tr = r.get("trainerReported")
        if tr and tr.get("tokensPerSecond"):
            m = f", MFU {100 * tr['mfu']:.1f}%" if tr.get("mfu") is not None else ""
            print(f"{r['model']}: Langbridge's own step events (step body only): {tr['tokensPerSecond']:,.0f} "
                  f"tokens/s{m}")
        if r.get("attentionNote") and r["arm"] == "langbridge":
            print(f"{r['model']}: attention note: {r['attentionNote']}")
    t = report["targets"]
    if "mfu1.5b" in t:
        where = "" if t["applicable"] else " (targets are for an H100/H200; not applicable on this device)"
        mfu_ = f"{100 * t['mfu1.5b']:.1f}%" if t.get("mfu1.5b") is not None else "n/a"
        ratio = f"{t['ratio1.5b']:.2f}x" if t.get("ratio1.5b") else "n/a"
        print(f"targets, qwen2-1.5b{where}: MFU {mfu_} (>= 45%: {'met' if t['mfuMet'] else 'NOT met'}), "
              f"{ratio} the baseline's tokens/s (>= 1.3x: {'met' if t['ratioMet'] else 'NOT met'})")
    print(f"total {report['seconds']} s")


# ---- the arms' own processes ------------------------------------------------------------------

def task_make_model(job_path: Path, tok=None) -> int:
    """A randomly initialised Qwen2 of the named shape as a local HF folder (bf16 safetensors + tokenizer)."""
    import torch  # noqa: PLC0415
    from transformers import AutoTokenizer, GenerationConfig, Qwen2Config, Qwen2ForCausalLM  # noqa: PLC0415

    from transformers.utils import logging as hf_logging  # noqa: PLC0415

    hf_logging.disable_progress_bar()
    job = json.loads(Path(job_path).read_text())
    if tok is None:
        tok = AutoTokenizer.from_pretrained(job["tokenizer"])
    dims = {**QWEN2_COMMON, **MODELS[job["name"]]}
    rope_theta = dims.pop("rope_theta")
    config = Qwen2Config(
        **dims,
        rope_parameters={"rope_type": "default", "rope_theta": rope_theta},
        use_sliding_window=False,
        max_window_layers=dims["num_hidden_layers"],
        bos_token_id=tok.eos_token_id,
        eos_token_id=tok.eos_token_id,
        use_cache=True,
    )
    device = torch.device("cuda" if job["device"] == "cuda" else "cpu")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        with device:  # initialising 1.5B parameters on the GPU takes a second, on the CPU a minute
            model = Qwen2ForCausalLM(config)
    if job["device"] == "cuda":
        model = model.to(torch.bfloat16)  # as Qwen2's own checkpoints; both arms load it as fp32
    model.generation_config = GenerationConfig(bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id)
    out = Path(job["out"])
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    n = sum(p.numel() for p in model.parameters())
    log(f"{job['name']}: {n / 1e6:.1f}M parameters (random init) in {out}")
    return 0


def task_langbridge(job_path: Path) -> int:
    """The trainer's real `train --spec`, minus the final checkpoint write unless asked for."""
    job = json.loads(Path(job_path).read_text())
    from langbridge_trainer import train as lb_train  # noqa: PLC0415
    from langbridge_trainer.__main__ import main as trainer_main  # noqa: PLC0415

    if not job.get("writeCheckpoint"):
        lb_train.Trainer._save = lambda self, reason: None  # after the last step; no step times it
    return trainer_main(["train", "--spec", job["spec"]])


def task_baseline(job_path: Path) -> int:
    """A plain Hugging Face Trainer on the same packed rows, as ordinary causal-LM examples."""
    job = json.loads(Path(job_path).read_text())
    result_path = Path(job["result"])
    try:
        result = _baseline(job)
    except Exception as exc:  # noqa: BLE001 - reported in the table, the other arms still run
        import traceback  # noqa: PLC0415

        traceback.print_exc()
        result = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
    result_path.write_text(json.dumps(result, indent=2))
    return 1 if result.get("error") else 0


def _baseline(job: dict) -> dict:
    import numpy as np  # noqa: PLC0415
    import torch  # noqa: PLC0415
    import transformers  # noqa: PLC0415
    from transformers import AutoModelForCausalLM, Trainer, TrainerCallback, TrainingArguments  # noqa: PLC0415

    from langbridge_trainer import flops as lb_flops  # noqa: PLC0415
    from langbridge_trainer.manifest import load_manifest  # noqa: PLC0415
    from langbridge_trainer.model import load_tokenizer, parameter_counts  # noqa: PLC0415
    from langbridge_trainer.packing import TokenStream, stream_row  # noqa: PLC0415
    from langbridge_trainer.tokcache import TokenCache  # noqa: PLC0415

    transformers.utils.logging.disable_progress_bar()
    cuda = job["device"] == "cuda"
    seq_len, mb, accum, steps = job["seqLen"], job["microBatch"], job["gradAccum"], job["steps"]

    # The very rows the Langbridge arm trains on (its step s uses rows [s*R, (s+1)*R)), without their
    # position_ids and document-start labels: a plain Trainer user feeds input_ids and labels.
    manifest = load_manifest(job["dataset"])
    cache = TokenCache(Path(job["cache"]), manifest, load_tokenizer(Path(job["model"])))
    stream = TokenStream([cache.ensure(f) for f in manifest.stages[0].shards])
    rows = [stream_row(stream, k, seq_len).input_ids.astype(np.int64) for k in range(steps * accum * mb)]

    class Rows(torch.utils.data.Dataset):
        def __len__(self) -> int:
            return len(rows)

        def __getitem__(self, i: int) -> dict:
            ids = torch.from_numpy(rows[i])
            return {"input_ids": ids, "labels": ids.clone()}

    class StepTimer(TrainerCallback):
        """Wall-clock between the ends of consecutive optimizer steps (the first from train start)."""

        def __init__(self):
            self.times: list[float] = []
            self.last = None

        def _now(self) -> float:
            if cuda:
                torch.cuda.synchronize()
            return time.perf_counter()

        def on_train_begin(self, args, state, control, **kwargs):
            self.last = self._now()

        def on_step_end(self, args, state, control, **kwargs):
            now = self._now()
            self.times.append(now - self.last)
            self.last = now

    torch.manual_seed(job["seed"])
    model = AutoModelForCausalLM.from_pretrained(job["model"], dtype=torch.float32, attn_implementation="sdpa",
                                                 local_files_only=True)
    # The cache is for generation; HF's own advice for training. (Langbridge passes use_cache=False.)
    model.config.use_cache = False
    counts = parameter_counts(model)
    cfg = model.config
    # The FLOPs per token `train` reports in its plan event: both arms' MFU use the same number.
    per_token = lb_flops.model_flops_per_token(cfg, counts, seq_len, lora=False)
    device_name = torch.cuda.get_device_name(0) if cuda else None

    ac = bool(job["activationCheckpointing"])
    fields = TrainingArguments.__dataclass_fields__
    ac_args = ({"activation_checkpointing": ac, "activation_checkpointing_kwargs": {"use_reentrant": False}}
               if "activation_checkpointing" in fields else
               {"gradient_checkpointing": ac, "gradient_checkpointing_kwargs": {"use_reentrant": False}})
    if not ac:
        ac_args = {k: v for k, v in ac_args.items() if not k.endswith("_kwargs")}
    args = TrainingArguments(
        output_dir=job["out"],
        bf16=cuda,
        per_device_train_batch_size=mb,
        gradient_accumulation_steps=accum,
        max_steps=steps,
        # The recipe's optimizer settings, so the optimizer does the same work as Langbridge's.
        optim="adamw_torch_fused" if cuda else "adamw_torch",
        learning_rate=1e-5,
        adam_beta1=0.9,
        adam_beta2=0.95,
        adam_epsilon=1e-8,
        weight_decay=0.1,
        max_grad_norm=1.0,
        logging_strategy="no",
        save_strategy="no",
        eval_strategy="no",
        report_to=[],
        disable_tqdm=True,
        use_cpu=not cuda,
        seed=job["seed"],
        **ac_args,
    )
    timer = StepTimer()
    trainer = Trainer(model=model, args=args, train_dataset=Rows(), callbacks=[timer])
    trainer.train()
    return {
        "deviceName": device_name,
        "attention": f"{getattr(model.config, '_attn_implementation', None) or 'sdpa'} (plain causal: documents "
                     f"not masked)",
        "parameters": counts["parameters"],
        "nonEmbeddingParameters": counts["non_embedding"],
        "flopsPerToken": float(per_token),
        "peakFlops": lb_flops.peak_flops(device_name) if cuda else None,
        "stepSeconds": timer.times,
        "stepsRun": len(timer.times),
        "gpuMemoryPeak": torch.cuda.max_memory_allocated() if cuda else None,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
    }


if __name__ == "__main__":
    sys.exit(main())
