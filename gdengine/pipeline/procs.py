"""Child processes that never outlive their parent (kill -9 of ``make render`` included)."""

from __future__ import annotations

import ctypes
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """``preexec_fn``: the kernel sends SIGKILL to this child when its parent dies (Linux)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
        except (OSError, AttributeError):
            pass


def interrupt_on_sigterm() -> None:
    """Turn SIGTERM (``timeout``, a CI cancel) into ``KeyboardInterrupt``, so the same
    clean-up as Ctrl-C runs: work folders removed, children stopped, no partial files."""

    def handler(signum: int, frame: object) -> None:
        # ``timeout`` signals the whole process group, and may repeat: one interrupt is
        # enough, and a second must not cut the clean-up short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
