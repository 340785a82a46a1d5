"""Graceful stop: SIGTERM or SIGINT asks the run to finish its step, checkpoint and exit 0.

The app cancels with SIGTERM and sends SIGKILL after a grace period, so the handler only sets a
flag; the loop checks it between optimizer steps. A second Ctrl-C from a person at a terminal
stops at once (KeyboardInterrupt), as they would expect.
"""

from __future__ import annotations

import signal
import threading


class StopRequest:
    def __init__(self) -> None:
        self.requested = False
        self.signal_name: str | None = None
        self._previous: dict[int, object] = {}

    def _handle(self, signum, frame) -> None:  # noqa: ARG002 - signal handler signature
        if self.requested and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.requested = True
        self.signal_name = signal.Signals(signum).name

    def install(self) -> StopRequest:
        # Handlers can only be set from the main thread (in-process test runs may not be on it).
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()
