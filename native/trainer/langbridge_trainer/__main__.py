"""Command line of the trainer: `python -m langbridge_trainer <command>`."""

from __future__ import annotations

import argparse
import json
import sys

from . import __version__
from .doctor import report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="langbridge_trainer",
        description="Langbridge's trainer. Commands grow with the training milestone (train, eval, export).",
    )
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)
    doctor = sub.add_parser("doctor", help="report Python, packages and GPUs as JSON")
    doctor.add_argument("--strict", action="store_true", help="exit 1 unless training packages are present")
    args = parser.parse_args(argv)
    if args.command == "doctor":
        r = report()
        json.dump(r, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0 if (r["ready_to_train"] or not args.strict) else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
