"""Deleting large folders without waiting for it, and what builds that died left behind.

Deleting tens of thousands of files takes seconds, and a build that did it
before finishing would make its user wait for nothing: it happens in a
detached process instead, which outlives the build.

A build names its work folders for its process (`PREFIX<pid>-…`), so that a
later build can tell the folders of a build that was killed (`kill -9`, a
lost machine) from those of one still running beside it, and delete them.
"""

from __future__ import annotations

import os
import re
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


def sweep(folder: Path, prefix: str) -> None:
    """Delete, in the background, the `prefix<pid>-…` folders in `folder` of dead processes."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)-")
    dead = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = pattern.match(entry.name)
        if found and entry.is_dir(follow_symlinks=False) and not _alive(int(found[1])):
            dead.append(Path(entry.path))
    if dead:
        remove_in_background(sorted(dead))


def _alive(pid: int) -> bool:
    """Whether process `pid` runs: a zombie (dead, not yet reaped, as an orphan whose
    container has no init to reap it stays) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):  # no /proc here
        return True
