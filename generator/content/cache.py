"""A persistent cache of per-file results, so an unchanged article is never parsed again.

Parsing YAML and validating it is nearly all the cost of loading a corpus,
and between two runs almost every file is unchanged. So each file's result
(`Article | None` and its problems) is kept under its display path and a hash
of its bytes, in one folder per content folder whose name carries a
fingerprint of everything else the result depends on: the topic registry,
the source of the modules that parse and validate, and the libraries they
use. Changing any of them names another folder, so a stale result is never
served; an unreadable, corrupt or foreign cache file is treated as empty. The
folder may be deleted at any time.

The entries are split over `SEGMENTS` files by a hash of their path, and a
run rewrites only the files whose entries changed: at 20,000 stories,
pickling them all again after adding one story cost a second.

Cross-file rules (`check_corpus`) are not cached: they are cheap, and their
result depends on every file at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import io
import operator
import os
import pickle
import shutil
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import slugify
import yaml

import generator
from generator.content.article import Article, Image, Provider, RelatedLink
from generator.content.errors import ContentError

# Bump when the cache file's layout or the meaning of an entry changes.
CACHE_VERSION = 3
_MAGIC = b"DIGEST\x00" + bytes([CACHE_VERSION])
_CHECKSUM_BYTES = 16
# Files the entries are split over: few enough to read quickly, enough that one is small.
SEGMENTS = 64

# What validating one file gave: the story (None when it has an error) and its problems.
FileResult = tuple[Article | None, tuple[ContentError, ...]]
# What `os.stat` says of a file that has not changed: size, mtime, ctime, inode.
Stamp = tuple[int, int, int, int]
# A cached file: the hash of the bytes the result was made from, the file's stamp
# when it can be trusted (else None), then the result.
_Entry = tuple[bytes, Stamp | None, FileResult]
# A file changed this recently may change again within the file system's clock
# tick without its stamp changing (git's "racy" files): its bytes are compared.
_SETTLED_NS = 2_000_000_000


def file_stamp(stat: os.stat_result) -> Stamp:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def settled(stamp: Stamp, now_ns: int) -> Stamp | None:
    """`stamp` when it can be trusted next time, None when the file changed too recently."""
    return stamp if now_ns - max(stamp[1], stamp[2]) >= _SETTLED_NS else None


def file_digest(data: bytes) -> bytes:
    """The identity of a file's content: equal digests mean the same result."""
    return hashlib.blake2b(data, digest_size=16).digest()


def write_checked(path: str, data: bytes) -> bool:
    """Write a cache entry that `read_checked` can tell whole from damaged: the hash of its
    bytes, then the bytes, in one step (a temporary file renamed into place).

    False when the disk will not take it: a cache that cannot be written costs the next
    build its head start, never this build.
    """
    temp = None
    try:
        fd, temp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".entry-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(file_digest(data) + data)
        os.replace(temp, path)
    except OSError:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        return False
    return True


def read_checked(path: str) -> tuple[bytes | None, bool]:
    """The bytes of an entry `write_checked` wrote, and whether it was there but damaged.

    A damaged entry (a flipped byte, a truncated file) is deleted, so that it is written
    afresh; (None, False) means there was none.
    """
    try:
        with open(path, "rb") as fh:
            entry = fh.read()
    except OSError:
        return None, False
    stored, data = entry[:_CHECKSUM_BYTES], entry[_CHECKSUM_BYTES:]
    if stored != file_digest(data):
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None, True
    return data, False


def fingerprint(content_dir: Path) -> str:
    """A hash of everything besides a file's own bytes that its result depends on."""
    h = hashlib.blake2b(digest_size=16)
    versions = (CACHE_VERSION, sys.version, yaml.__version__, yaml.__with_libyaml__)
    h.update(repr((*versions, slugify.__version__)).encode())
    # All of the package's code, not a list of the modules that seem to matter: a module
    # added later could otherwise change results that the cache went on serving.
    h.update(code_key())
    topics = content_dir / "topics.yml"
    h.update(file_digest(topics.read_bytes()) if topics.is_file() else b"none")
    return h.hexdigest()


@functools.cache
def code_key() -> bytes:
    """A hash of this package's code, which decides every story, page, feed and search index."""
    h = hashlib.blake2b(digest_size=16)
    package = Path(generator.__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\x00" + path.read_bytes())
    return h.digest()


def _by_fields(cls: type) -> Callable[[Any], tuple[type, tuple]]:
    """Pickle a frozen slots dataclass as `cls(*fields)`.

    The default for slots dataclasses restores each object through a Python
    `__setstate__` that looks its fields up again every time; a constructor
    call is more than twice as fast to unpickle, which is most of a warm load.
    Entries are only read back by the code that wrote them (`code_key` is in
    the fingerprint), so the field order always matches.
    """
    values = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))
    return lambda obj: (cls, values(obj))


_DISPATCH = {cls: _by_fields(cls) for cls in (Article, Provider, Image, RelatedLink)}


def dumps(value: object) -> bytes:
    """`value` pickled with the fast reductions for the article types (protocol 5)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside, restoring the caller's setting after.

    Building many long-lived objects triggers collections that find nothing
    to free, and cost up to a third of the time of a bulk unpickle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class ArticleCache:
    """Per-file results of one content folder, read at open and rewritten by `save`.

    Only the entries looked up or stored since `open` are written back, so
    files that are gone drop out. Without a folder (`open(None, …)`) nothing
    is found or kept.
    """

    def __init__(self, content_dir: Path, folder: Path | None, entries: dict[str, _Entry]):
        self.content_dir = content_dir
        self.folder = folder
        self._old = entries
        self._new: dict[str, _Entry] = {}
        # The segments holding entries stored or re-stamped since `open`.
        self._dirty: set[int] = set()

    @classmethod
    def open(cls, folder: Path | None, content_dir: Path) -> ArticleCache:
        """The cache of `content_dir` in `folder`; empty when absent, unreadable or stale."""
        if folder is None:
            return cls(content_dir, None, {})
        own = folder / f"{_folder_prefix(content_dir)}{fingerprint(content_dir)}"
        return cls(content_dir, own, _read(own))

    def get_unchanged(self, path: str, stamp: Stamp) -> FileResult | None:
        """The result kept for `path` when the file is untouched since: its stat is the same.

        Size, modification and change times and inode all equal is what git
        and make trust too; a file's change time cannot be set back. Only
        stamps taken a while after the file's last change are kept
        (`settled`), so an edit within the same clock tick is never missed.
        """
        entry = self._old.get(path)
        if entry is None or entry[1] != stamp:
            return None
        self._new[path] = entry
        return entry[2]

    def get_known(self, path: str) -> FileResult | None:
        """The result kept for `path`, for a caller that knows the file is unchanged."""
        entry = self._old.get(path)
        if entry is None:
            return None
        self._new[path] = entry
        return entry[2]

    def get(self, path: str, content_hash: bytes, stamp: Stamp | None) -> FileResult | None:
        """The result kept for `path` when its bytes are still those of `digest`."""
        entry = self._old.get(path)
        if entry is None or entry[0] != content_hash:
            return None
        if entry[1] != stamp:
            entry = (content_hash, stamp, entry[2])
            self._dirty.add(segment(path))
        self._new[path] = entry
        return entry[2]

    def put(self, path: str, content_hash: bytes, stamp: Stamp | None, result: FileResult) -> None:
        """Keep the result of a file that was parsed, for the next run."""
        self._new[path] = (content_hash, stamp, result)
        self._dirty.add(segment(path))

    def reopen(self) -> ArticleCache:
        """This run's entries as the next run's cache, without reading the file again.

        `digest serve` keeps the cache in memory between rebuilds: reading
        and saving tens of thousands of entries would cost most of a rebuild.
        """
        return ArticleCache(self.content_dir, None, dict(self._new))

    def save(self) -> None:
        """Write the segments whose entries differ from those read, each atomically.

        Nothing is written when the fingerprint changed during the run (say,
        topics.yml was edited): results made under two registries must not be
        kept under either one's name. The content folder's older cache folders
        are removed, so the cache does not grow with every edit of topics.yml.
        A folder that cannot be written costs speed, never the build: the
        cache is only ever an optimisation.
        """
        folder = self.folder
        if folder is None or (not self._dirty and len(self._new) == len(self._old)):
            return
        prefix = _folder_prefix(self.content_dir)
        if folder.name != f"{prefix}{fingerprint(self.content_dir)}":
            return
        # Besides those stored or re-stamped, a segment changed only by losing an entry.
        changed = self._dirty | {segment(path) for path in self._old.keys() - self._new.keys()}
        new = _by_segment(self._new)
        with contextlib.suppress(OSError):
            for n in sorted(changed):
                _write(folder / _segment_name(n), new.get(n, {}))
            for stale in folder.parent.glob(f"{prefix}*"):
                if stale == folder:
                    continue
                if stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
                else:  # a cache file of the one-file layout (CACHE_VERSION 2)
                    stale.unlink(missing_ok=True)


def segment(path: str) -> int:
    """The segment an entry is kept in: the same in every run (unlike `hash`)."""
    return zlib.crc32(path.encode("utf-8", errors="surrogateescape")) % SEGMENTS


def _segment_name(n: int) -> str:
    return f"{n:02d}.pickle"


def _by_segment(entries: dict[str, _Entry]) -> dict[int, dict[str, _Entry]]:
    found: dict[int, dict[str, _Entry]] = {}
    for path, entry in entries.items():
        found.setdefault(segment(path), {})[path] = entry
    return found


def _folder_prefix(content_dir: Path) -> str:
    """The start of a content folder's cache name, so content folders can share a cache folder."""
    folder = hashlib.blake2b(str(content_dir.resolve()).encode(), digest_size=8).hexdigest()
    return f"articles-{folder}-"


def _read(folder: Path) -> dict[str, _Entry]:
    """Every entry in the segments of `folder`; a segment that is missing or damaged has none."""
    entries: dict[str, _Entry] = {}
    for n in range(SEGMENTS):
        entries.update(_read_segment(folder / _segment_name(n)))
    return entries


def _read_segment(file: Path) -> dict[str, _Entry]:
    """The entries of a cache file, or none when it is missing or not one we wrote intact.

    Any exception means "no cache": a half-written, truncated or foreign file
    may fail to unpickle in many ways, and a cache must never stop a build.
    """
    try:
        data = file.read_bytes()
    except OSError:
        return {}
    head = len(_MAGIC) + _CHECKSUM_BYTES
    checksum = data[len(_MAGIC) : head]
    if not data.startswith(_MAGIC) or checksum != file_digest(memoryview(data)[head:]):
        return {}
    try:
        with paused_gc():
            entries = pickle.loads(memoryview(data)[head:])
    except Exception:
        return {}
    return entries if isinstance(entries, dict) else {}


def _write(file: Path, entries: dict[str, _Entry]) -> None:
    """Replace `file` in one step, so a reader never sees half of it."""
    payload = dumps(entries)
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_MAGIC + file_digest(payload) + payload)
        os.replace(temp, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
