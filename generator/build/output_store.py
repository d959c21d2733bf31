"""Made outputs kept between builds, so a rebuild makes only the pages and feeds that changed.

Each output is stored under a key that hashes everything its bytes are made
from (`output_key`), in a folder of its own inside the cache folder. A
page already there is copied into the site instead of being rendered again:
at tens of thousands of pages, rendering is most of a build. Keys never go
stale, they only stop being used; entries a build did not use are pruned
after it. The folder may be deleted at any time.

Each entry holds a hash of its page's bytes and is checked before it is
used: a damaged one (a flipped byte, a truncated file) is dropped and the
page rendered afresh, never published. And the site never shares a file
with the store (no hard links): a page edited in the site cannot change the
store, nor a damaged entry a published page.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
from collections.abc import Iterable
from pathlib import Path

from generator.content.cache import read_checked, write_checked


def output_key(base: bytes, made_of: object) -> str:
    """An output's key in the store: `base` (the code, the settings, the chrome) and what
    the output is made of (see `generator.site.outputs`)."""
    h = hashlib.blake2b(base, digest_size=20)
    h.update(pickle.dumps(made_of, protocol=5))
    return h.hexdigest()


class OutputStore:
    """Content-addressed made outputs: one file per key, under the first two characters."""

    def __init__(self, cache_dir: Path, folder: str = "pages"):
        self.root = cache_dir / folder
        # Entries found damaged (and dropped) by this object; workers report theirs back.
        self.damaged = 0

    def _path(self, key: str) -> str:
        return os.path.join(self.root, key[:2], key)

    def place(self, key: str, dest: str) -> bool:
        """Write the stored page for `key` at `dest`; False when the store does not hold it."""
        data = self.get(key)
        if data is None:
            return False
        write_output(dest, data)
        return True

    def get(self, key: str) -> bytes | None:
        """The stored bytes for `key`, None when the store does not hold them whole."""
        data, damaged = read_checked(self._path(key))
        self.damaged += damaged
        return data

    def keep(self, key: str, data: bytes) -> bool:
        """Store `data` under `key`; False when the store cannot be written."""
        path = self._path(key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        except OSError:
            return False
        return write_checked(path, data)

    def put(self, key: str, data: bytes, dest: str) -> None:
        """Store a freshly rendered page and write it at `dest`.

        A store that cannot be written costs speed, never the page.
        """
        self.keep(key, data)
        write_output(dest, data)

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


def write_output(dest: str, data: bytes) -> None:
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
