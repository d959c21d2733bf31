"""The mode the site's own folder gets: what the umask gives a folder made the ordinary way.

`tempfile.mkdtemp` makes private folders (0700) whatever the umask says,
which is right for a temporary folder and wrong for the site, which a web
server must read: the folder a build makes with it and publishes gets this
mode instead (0755 under the usual umask of 022).
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


def folder_mode() -> int:
    return 0o777 & ~umask()
