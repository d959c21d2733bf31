"""Deleting large folders without waiting for it.

Deleting tens of thousands of files takes seconds, and a build that did it
before finishing would make its user wait for nothing: it happens in a
detached process instead, which outlives the build.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def remove_in_background(folders: list[Path]) -> None:
    """Delete `folders` in a detached process; whatever it leaves is left for a later sweep."""
    subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import shutil, sys; [shutil.rmtree(p, True) for p in sys.argv[1:]]",
            *map(str, folders),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
