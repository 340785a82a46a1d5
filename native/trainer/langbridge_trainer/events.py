"""Events: one JSON object per line on stdout and in <runDir>/events.jsonl; a plain log beside them.

stdout carries nothing but events, so the app can parse every line; human-readable lines go to
stderr and <runDir>/train.log. The shape of each kind is fixed by events.schema.json, the one
source of truth the TypeScript side imports too.
"""

from __future__ import annotations

import json
import math
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("events.schema.json")


def _finite(value: Any) -> Any:
    # JSON has no NaN or Infinity; a non-finite number (an fp16 overflow's grad norm) becomes null.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Events:
    """Writes events on the process that owns the run (rank 0); other ranks only log to stderr."""

    def __init__(self, run_dir: Path | None, enabled: bool = True, stdout: TextIO | None = None,
                 log_name: str = "train.log"):
        self.enabled = enabled
        self.stdout = stdout if stdout is not None else sys.stdout
        self._events = self._log = None
        if enabled and run_dir is not None:
            run_dir.mkdir(parents=True, exist_ok=True)
            # Appending: a resumed run continues the same files, so the app sees one history.
            self._events = open(run_dir / "events.jsonl", "a", encoding="utf-8")
            self._log = open(run_dir / log_name, "a", encoding="utf-8")

    def emit(self, kind: str, **fields: Any) -> dict:
        event = {"v": SCHEMA_VERSION, "kind": kind, "time": now_iso(), **_finite(fields)}
        if self.enabled:
            line = json.dumps(event)  # ASCII escapes: safe whatever the pipe's encoding
            if self._events is not None:
                try:
                    self._events.write(line + "\n")
                    self._events.flush()
                except OSError as exc:
                    # A full disk must not keep the event (above all, the error saying the disk is
                    # full) from reaching the app on stdout.
                    broken, self._events = self._events, None
                    try:
                        broken.close()
                    except OSError:
                        pass
                    print(f"cannot append to events.jsonl any more: {exc}", file=sys.stderr, flush=True)
            self.stdout.write(line + "\n")
            self.stdout.flush()
        return event

    def log(self, message: str, always: bool = False) -> None:
        """A line for people: on rank 0, or on any rank when `always` (its own errors)."""
        if not (self.enabled or always):
            return
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}"
        print(line, file=sys.stderr, flush=True)
        if self._log is not None:
            try:
                self._log.write(line + "\n")
                self._log.flush()
            except OSError:
                self._log = None  # full disk: stderr still has it

    def close(self) -> None:
        for f in (self._events, self._log):
            if f is not None:
                try:
                    f.close()
                except OSError:
                    pass
        self._events = self._log = None


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
