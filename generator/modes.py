"""The modes published files and folders get: what the umask gives one made the ordinary way.

`tempfile.mkstemp` and `mkdtemp` make private files (0600) and folders (0700)
whatever the umask says, which is right for a temporary file and wrong for a
page or the site's own folder, which a web server must read. Whatever a build
makes through them and publishes is given these modes instead: 0644 and 0755
under the usual umask of 022.
"""

from __future__ import annotations

import functools
import os


@functools.cache
def umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # set and put back at once, at the first call, before any thread
    os.umask(mask)
    return mask


def file_mode() -> int:
    return 0o666 & ~umask()


def folder_mode() -> int:
    return 0o777 & ~umask()
