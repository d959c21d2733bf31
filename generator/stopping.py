"""A command stopped by Ctrl-C or SIGTERM: how it says so, and the exit code the shell expects."""

from __future__ import annotations

import signal
from typing import NoReturn


class Terminated(KeyboardInterrupt):
    """SIGTERM (`timeout`, `docker stop`, a CI job cancelled), taken as Ctrl-C is: the
    command stops where it is, cleans up after itself and says so."""


def terminate(signum: int, frame: object) -> NoReturn:
    raise Terminated


def stopped_by(exc: KeyboardInterrupt) -> str:
    return "SIGTERM" if isinstance(exc, Terminated) else "Ctrl-C"


def stop_code(exc: KeyboardInterrupt) -> int:
    """The shell's exit code for a process ended by the signal: 128 + its number."""
    return 128 + (signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT)


def shortened(text: str, limit: int = 2_000) -> str:
    """An error's text for one line of a log: a full disk's can be hundreds of kilobytes."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit} more characters)"
