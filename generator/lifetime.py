"""Helper processes that end with the build that started them, and are stopped by it alone.

A build killed outright (`kill -9`, a runner that lost its machine) cannot
stop its workers or its indexing process: each of them asks the system
(Linux's `PR_SET_PDEATHSIG`) to be killed when its parent dies. Elsewhere
nothing is done, and they end when their work or their input does.
"""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """Be killed when the process `parent` (this one's parent) dies."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the call
        os._exit(1)


def start_worker() -> None:
    """Set up a forked worker (parsing stories, writing pages) to be stopped by its build only.

    Ctrl-C reaches every process of the terminal's group, and the build's own
    handler for SIGTERM is inherited: either would end a worker with a
    traceback of its own while the build is already stopping its workers. And
    a worker dies with its build.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with(os.getppid())
