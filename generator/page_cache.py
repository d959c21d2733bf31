"""Rendered pages kept between builds, so a rebuild renders only the pages whose inputs changed.

Each page is stored under a key that hashes everything its HTML is made
from (the caller's job), in a folder of its own inside the cache folder. A
page already there is hard-linked into the site instead of being rendered
and written again: at tens of thousands of pages, rendering and writing is
most of a build. Keys never go stale, they only stop being used; entries a
build did not use are pruned after it. The folder may be deleted at any time.

Pages in the site may share their inode with the store, so nothing may write
into a site file in place: every write here replaces the file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from generator.modes import file_mode


class PageStore:
    """Content-addressed rendered pages: one file per key, under the first two characters."""

    def __init__(self, cache_dir: Path, folder: str = "pages"):
        self.root = cache_dir / folder

    def _path(self, key: str) -> str:
        return os.path.join(self.root, key[:2], key)

    def place(self, key: str, dest: str) -> bool:
        """Put the stored page for `key` at `dest`; False when the store does not hold it."""
        try:
            replace_with(self._path(key), dest)
        except OSError:
            return False
        return True

    def get(self, key: str) -> bytes | None:
        """The stored bytes for `key`, None when the store does not hold them."""
        try:
            with open(self._path(key), "rb") as fh:
                return fh.read()
        except OSError:
            return None

    def keep(self, key: str, data: bytes) -> bool:
        """Store `data` under `key`; False when the store cannot be written."""
        try:
            folder = os.path.dirname(self._path(key))
            os.makedirs(folder, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".page-")
            os.fchmod(fd, file_mode())  # linked into the site, which a web server must read
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temp, self._path(key))
        except OSError:
            return False
        return True

    def put(self, key: str, data: bytes, dest: str) -> None:
        """Store a freshly rendered page and put it at `dest`.

        A store that cannot be written costs speed, never the page.
        """
        if not (self.keep(key, data) and self.place(key, dest)):
            write_page(dest, data)

    def prune(self, keep: Iterable[str]) -> None:
        """Delete stored pages not in `keep`, so the store holds one build's pages."""
        wanted = set(keep)
        with contextlib.suppress(OSError):
            for folder in os.scandir(self.root):
                if not folder.is_dir():
                    continue
                for entry in os.scandir(folder.path):
                    if entry.name not in wanted:
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)


# A file created here, or an error: never an existing file opened.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def write_page(dest: str, data: bytes) -> None:
    """Write a page as a new file, so a stored page linked at `dest` is never overwritten.

    Created exclusively, and removed first only when that fails: most pages
    go into an empty folder, where asking to remove them first was a wasted
    system call each.
    """
    try:
        fd = os.open(dest, _NEW_FILE, 0o666)
    except FileExistsError:
        os.unlink(dest)
        fd = os.open(dest, _NEW_FILE, 0o666)
    with open(fd, "wb", closefd=True) as fh:
        fh.write(data)


def replace_with(source: str, dest: str) -> None:
    """Make `dest` a new file with the bytes of `source`: a hard link, else a copy.

    Raises FileNotFoundError when `source` is missing; any other OSError when
    neither a link nor a copy could be made.
    """
    try:
        os.link(source, dest)
        return
    except FileExistsError:
        os.unlink(dest)
        with contextlib.suppress(OSError):
            os.link(source, dest)
            return
    except FileNotFoundError:
        raise
    except OSError:  # another file system, a link limit: try a copy
        pass
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dest)
    shutil.copyfile(source, dest)
