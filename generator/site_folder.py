"""The site folder a build replaces, and the earlier site kept beside it for the next build.

A build never writes into the site readers see: it makes a whole new tree
beside it and swaps that in with two renames, so a failed build leaves the
site as it was. Making the tree from nothing costs, at archive scale, tens of
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
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.modes import folder_mode
from generator.trash import remove_in_background

# In every site a build writes: the mark that the folder may be replaced by the next build.
MARKER = ".news-digest"
MARKER_TEXT = b"Built by news-digest: digest build replaces this folder whole.\n"
_MANIFEST = "manifest.pickle"
_TREE = "site"
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
        """A new empty folder for a build to write into."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
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
        """Replace the target with `tree` in two renames, so readers never see half a site.

        `tree` is the build's `staging` folder or the tree of the `spare` it
        patched; whichever it is not is spent. The old site becomes the spare
        when its manifest still describes it; otherwise it is deleted (which
        takes as long as writing a large site) in a detached process, and
        leftovers of an interrupted deletion are swept by the next build.
        """
        live = self._live_manifest()
        leftovers = sorted(self.target.parent.glob(f".{self.target.name}.old-*"))
        old = None
        os.chmod(tree, folder_mode())  # made by mkdtemp, for this process alone
        if self.target.exists():
            old = self._beside("old")
            os.rename(self.target, old / _TREE)
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
        """A new empty folder beside the target, named for the target and what it is for."""
        prefix = f".{self.target.name}.{kind}-"
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.target.parent))

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
