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
import hashlib
import io
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FOLDER = "pages"


class PageStore:
    """Content-addressed rendered pages: one file per key, under the first two characters."""

    def __init__(self, cache_dir: Path):
        self.root = cache_dir / FOLDER

    def _path(self, key: str) -> str:
        return os.path.join(self.root, key[:2], key)

    def place(self, key: str, dest: str) -> bool:
        """Put the stored page for `key` at `dest`; False when the store does not hold it."""
        source = self._path(key)
        try:
            _replace_with_link(source, dest)
        except FileNotFoundError:
            return False
        except OSError:  # another file system, a link limit, an unusable store: try a copy
            try:
                _replace_with_copy(source, dest)
            except OSError:
                return False
        return True

    def put(self, key: str, data: bytes, dest: str) -> None:
        """Store a freshly rendered page and put it at `dest`.

        A store that cannot be written costs speed, never the page.
        """
        try:
            folder = os.path.dirname(self._path(key))
            os.makedirs(folder, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".page-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temp, self._path(key))
        except OSError:
            write_page(dest, data)
            return
        if not self.place(key, dest):
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


def write_page(dest: str, data: bytes) -> None:
    """Write a page as a new file, so a stored page linked at `dest` is never overwritten."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dest)
    with open(dest, "wb") as fh:
        fh.write(data)


def _replace_with_link(source: str, dest: str) -> None:
    try:
        os.link(source, dest)
    except FileExistsError:
        os.unlink(dest)
        os.link(source, dest)


def _replace_with_copy(source: str, dest: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dest)
    shutil.copyfile(source, dest)


class Fingerprints:
    """Content hashes of values made of frozen dataclasses and builtin containers.

    Objects of the `shared` types (a story's card, which appears on many
    pages) are hashed once, remembered by identity, and stand in every value
    that holds them by that hash: hashing them again for each page would cost
    more than the cache saves. Equal values give equal hashes across builds.
    """

    def __init__(self, shared: tuple[type, ...] = ()) -> None:
        self.shared = shared
        self._memo: dict[int, tuple[object, bytes]] = {}

    def __call__(self, value: Any) -> bytes:
        buffer = io.BytesIO()
        _Pickler(buffer, self).dump(value)
        return hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()

    def shared_hash(self, obj: object) -> bytes:
        known = self._memo.get(id(obj))
        if known is None:
            known = self._memo[id(obj)] = (obj, self(_fields(obj)))
        return known[1]


def _fields(obj: Any) -> tuple[str, list[Any]]:
    cls = type(obj)
    return cls.__qualname__, [getattr(obj, name) for name in cls.__dataclass_fields__]


def _made_of(*parts: Any) -> None:
    """Stands for an object in a fingerprint's pickle, which is hashed and never loaded."""


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, prints: Fingerprints):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.prints = prints

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, self.prints.shared):
            return _made_of, (self.prints.shared_hash(obj),)
        if hasattr(type(obj), "__dataclass_fields__") and not isinstance(obj, type):
            return _made_of, _fields(obj)
        return NotImplemented
