"""The site folder a build replaces, and the earlier site kept beside it for the next build.

A build never writes into the site readers see: it makes a whole new tree
beside it and swaps that in with one exchange of names, so a failed build
leaves the site as it was. Making the tree from nothing costs, at archive scale, tens of
thousands of folders and links: more than all the rest of a rebuild that
added one story. So the site a swap replaces is not deleted but kept as the
*spare* (`.site.spare/`), with its *manifest*: a key for each of its files
that changes whenever the file's bytes would. The next build takes the spare
and patches it (writes the files whose keys differ, deletes those it no
longer makes) instead of starting from an empty folder; then it is swapped in.

A build only ever replaces a folder that is missing, empty, or a site this
tool built: every site holds `MARKER` (the plugin writes it with the feeds).
Anything else, and the project's own folders or any folder holding them, is
refused before anything is touched (`refusal`).

A tree is only ever patched from a manifest this module wrote for it. The
live site's manifest (`.site.manifest`) records the site folder's inode and
modification time, and a site changed at its top since (a file added by
hand, say) is not kept as a spare. Keys never go stale: they are the output
cache's keys and hashes of bytes, so deleting the cache, or any of these
files, only costs the next build its head start.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build.modes import folder_mode
from generator.build.trash import remove_in_background, sweep

# In every site a build writes: the mark that the folder may be replaced by the next build.
MARKER = ".news-digest"
MARKER_TEXT = b"Built by news-digest: digest build replaces this folder whole.\n"
_MANIFEST = "manifest.pickle"
_TREE = "site"
# The folders a build makes beside the target (see `_beside`).
_KINDS = ("building", "patching", "old")
# The names `refusal` gives the project's folders by, and its content folder by.
PROJECT = "the project's folder (where mkdocs.yml is)"
CONTENT = "the content folder"
CACHE = "the cache folder"
# Bump when the layout of a manifest changes: an older one is then no manifest.
_VERSION = 1


@dataclass(frozen=True)
class Manifest:
    """What each file of a built tree holds, by a key that differs whenever its bytes do.

    `folders` are folders whose whole contents one key stands for (search
    bundles): written and deleted as a whole.
    """

    files: dict[str, str] = field(default_factory=dict)
    folders: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Spare:
    """An earlier build's tree, taken by this build to patch into its own."""

    holder: Path
    manifest: Manifest

    @property
    def tree(self) -> Path:
        return self.holder / _TREE


class SiteFolder:
    """The target site folder and the build's folders beside it (same file system, for renames)."""

    def __init__(self, target: Path):
        self.target = target
        self._spare = target.parent / f".{target.name}.spare"
        self._manifest = target.parent / f".{target.name}.manifest"

    def refusal(self, keep: dict[str, Path]) -> str | None:
        """Why the target may not be replaced by a build, or None when it may.

        `keep` names the project's folders (its root, the content, the cache):
        the target may be none of them, hold none of them, nor lie inside the
        content (whose files would then become pages of the next build).
        """
        target = self.target
        for what, folder in keep.items():
            if target == folder:
                return f"it is {what}; the site needs a folder of its own"
            if target in folder.parents:
                return f"it holds {what} ({folder}); the site needs a folder of its own"
        content = keep.get(CONTENT)
        if content is not None and content in target.parents:
            return f"it is inside {CONTENT} ({content}); the site needs a folder of its own"
        if not target.exists():
            return None
        if not target.is_dir():
            return "it is a file, not a folder"
        if (target / MARKER).is_file():
            return None
        with os.scandir(target) as entries:
            if next(entries, None) is None:
                return None
        return (
            f"it holds files that news-digest did not build (there is no {MARKER} in it); "
            "choose another folder, or empty this one"
        )

    def staging(self) -> Path:
        """A new empty folder for a build to write into; what killed builds left goes."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
        for kind in _KINDS:
            sweep(self.target.parent, self._prefix(kind))
        return self._beside("building")

    def take_spare(self) -> Spare | None:
        """The spare tree, renamed to a folder of this build's own; None when there is none.

        The rename is what takes it: of two builds that try at once, one gets it.
        """
        holder = self._beside("patching")
        try:
            os.rename(self._spare, holder)  # replaces the empty folder
        except OSError:
            holder.rmdir()
            return None
        manifest = _load(holder / _MANIFEST)
        if not isinstance(manifest, Manifest) or not (holder / _TREE).is_dir():
            remove_in_background([holder])
            return None
        (holder / _MANIFEST).unlink()  # the tree is about to change: the manifest is no more
        return Spare(holder, manifest)

    def discard(self, spare: Spare) -> None:
        """Delete a spare a failed build may have half patched, in the background."""
        old = self._beside("old")
        os.rename(spare.holder, old)  # replaces the empty folder, under a name builds sweep
        remove_in_background([old])

    def swap_in(
        self, tree: Path, manifest: Manifest | None, staging: Path, spare: Spare | None
    ) -> None:
        """Replace the target with `tree` in one step, so readers never see half a site.

        One exchange of the two names where the system has it (Linux), so that
        a build killed at any moment leaves a whole site under the target's
        name; elsewhere two renames, between which there is none.

        `tree` is the build's `staging` folder or the tree of the `spare` it
        patched; whichever it is not is spent. The old site becomes the spare
        when its manifest still describes it; otherwise it is deleted (which
        takes as long as writing a large site) in a detached process, and
        leftovers of an interrupted deletion are swept by the next build.
        """
        live = self._live_manifest()
        leftovers: list[Path] = []
        old = None
        os.chmod(tree, folder_mode())  # made by mkdtemp, for this process alone
        if self.target.exists():
            old = self._beside("old")
            if exchange(tree, self.target):  # `tree` now names the old site
                os.rename(tree, old / _TREE)
            else:
                os.rename(self.target, old / _TREE)
                os.rename(tree, self.target)
        else:
            os.rename(tree, self.target)
        self._manifest.unlink(missing_ok=True)
        if manifest is not None:
            stat = os.stat(self.target)
            _dump(self._manifest, ((stat.st_dev, stat.st_ino, stat.st_mtime_ns), manifest))
        if old is not None and live is not None and not self._spare.exists():
            _dump(old / _MANIFEST, live)
            with contextlib.suppress(OSError):
                os.rename(old, self._spare)
                old = None
        if old is not None:
            leftovers.append(old)
        if tree != staging:  # MkDocs' own few files, linked into the tree where they changed
            shutil.rmtree(staging, ignore_errors=True)
        if spare is not None and tree != spare.tree:
            leftovers.append(spare.holder)
        elif spare is not None:
            with contextlib.suppress(OSError):
                spare.holder.rmdir()
        if leftovers:
            remove_in_background(leftovers)

    def _beside(self, kind: str) -> Path:
        """A new empty folder beside the target, named for the target, what it is for and
        the build's process (see `trash.sweep`)."""
        prefix = f"{self._prefix(kind)}{os.getpid()}-"
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.target.parent))

    def _prefix(self, kind: str) -> str:
        return f".{self.target.name}.{kind}-"

    def _live_manifest(self) -> Manifest | None:
        """The target's manifest, when the target is still as the build that wrote it left it."""
        found = _load(self._manifest)
        if found is None:
            return None
        with contextlib.suppress(OSError, TypeError, ValueError):
            stamp, manifest = found
            stat = os.stat(self.target)
            if stamp == (stat.st_dev, stat.st_ino, stat.st_mtime_ns) and isinstance(
                manifest, Manifest
            ):
                return manifest
        return None


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Any:
    """The C library's renameat2 (Linux, glibc 2.28 on), or None."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    path, at = ctypes.c_char_p, ctypes.c_int
    function.argtypes = [at, path, at, path, ctypes.c_uint]
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap what two paths name in one atomic step; False where the system cannot do it."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # no such call on this disk
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


def remove_stale(tree: Path, old: Manifest, new: Manifest) -> None:
    """Delete from `tree` (built as `old` says) what `new` does not hold as it is there.

    Files `new` holds with another key are left for the caller to replace.
    Folders that end up empty go too.
    """
    emptied = set()
    for path in old.files.keys() - new.files.keys():
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(tree, path))
        emptied.add(os.path.dirname(path))
    for path, key in old.folders.items():
        if new.folders.get(path) != key:
            shutil.rmtree(os.path.join(tree, path), ignore_errors=True)
            emptied.add(os.path.dirname(path))
    for folder in sorted(emptied, key=lambda f: -f.count("/")):
        while folder:
            try:
                os.rmdir(os.path.join(tree, folder))
            except OSError:  # not empty (or already gone with a deeper one)
                break
            folder = os.path.dirname(folder)


def _dump(path: Path, value: object) -> None:
    """Write `value` to `path` in one step, so a reader never sees half of it."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((_VERSION, value), fh, protocol=5)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _load(path: Path) -> object | None:
    """What `_dump` wrote to `path`; None when it is missing, damaged or of another version."""
    try:
        with open(path, "rb") as fh:
            version, value = pickle.load(fh)
    except Exception:  # missing, truncated or foreign: no manifest
        return None
    return value if version == _VERSION else None
