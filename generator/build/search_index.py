"""The search index made while the pages are written: Pagefind over each shard's documents.

Each shard (see `generator.site.search`) is indexed in a process of its own
(`pagefind_run`), and its bundle kept in the cache until one of its stories
changes, so publishing a story re-indexes the newest shard, not the archive.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from generator.build.output_store import output_key
from generator.build.pagefind_run import BUNDLE_FILES, DOCUMENTS, file_hash
from generator.build.trash import remove_in_background, sweep
from generator.content.article import Article
from generator.content.cache import code_key
from generator.site.pages import stories as stories_of
from generator.site.search import FOLDER, search_documents

log = logging.getLogger(__name__)

# The indexing process (see pagefind_run), told the build's process to die with.
_INDEXER = (sys.executable, "-m", "generator.build.pagefind_run")
# Work folders: in the cache folder, or else in the system's temporary folder.
_WORK = ".search-"
_TEMPORARY = "digest-search-"
_CACHED = "search-"


@dataclass
class SearchJob:
    """Indexing that runs in its own process while the caller writes pages.

    `start` writes the documents of every shard the cache lacks and starts
    Pagefind on them, one shard after another; `finish` waits for it and puts
    every shard's bundle into the site. A cache folder that cannot be written
    costs speed, never the build.
    """

    target: Path
    bundles: dict[str, Path]
    keys: dict[str, str]
    work: Path
    cache_dir: Path | None
    process: subprocess.Popen[str] | None
    # Every shard's stories, and those this job indexes: for a second try, outside a cache
    # folder that is full, or for a bundle found damaged in the cache.
    shards: dict[str, list[Article]]
    missing: list[str]

    @classmethod
    def start(
        cls, shards: dict[str, list[Article]], target: Path, cache_dir: Path | None
    ) -> SearchJob:
        keys = {name: _key(name, stories) for name, stories in shards.items()}
        store = cache_dir
        if store is not None:
            try:
                store.mkdir(parents=True, exist_ok=True)
                sweep(store, _WORK)
                work = Path(tempfile.mkdtemp(prefix=f"{_WORK}{os.getpid()}-", dir=store))
            except OSError:
                store = None
        if store is None:
            sweep(Path(tempfile.gettempdir()), _TEMPORARY)
            work = Path(tempfile.mkdtemp(prefix=f"{_TEMPORARY}{os.getpid()}-"))
        bundles: dict[str, Path] = {}
        missing: list[str] = []
        try:
            for name, stories in shards.items():
                cached = store / f"{_CACHED}{name}-{keys[name]}" if store is not None else None
                if cached is not None and cached.is_dir():
                    bundles[name] = cached
                    continue
                bundles[name] = work / name / "bundle"
                # One file here; the indexing process writes the tens of thousands of
                # small source files, while this one writes the pages.
                (work / name).mkdir()
                documents = search_documents(stories)
                (work / name / DOCUMENTS).write_bytes(pickle.dumps(documents, protocol=5))
                missing.append(name)
        except OSError:
            shutil.rmtree(work, ignore_errors=True)
            if store is None:
                raise
            return cls.start(shards, target, None)  # a full cache folder: index elsewhere
        process = None
        if missing:
            process = subprocess.Popen(
                [*_INDEXER, str(os.getpid()), str(work), *missing],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                # A group of its own, so that stopping it stops the Pagefind it runs too.
                process_group=0,
            )
        return cls(target, bundles, keys, work, store, process, shards, missing)

    @property
    def indexing(self) -> bool:
        """Whether Pagefind is still at work on the shards this job started."""
        return self.process is not None and self.process.poll() is None

    def finish(self, prune: bool = True, present: Mapping[str, str] | None = None) -> None:
        """Wait for the indexing, keep its bundles in the cache, and put every shard in the site.

        `prune` drops cached bundles of other shards: right when this job
        indexed the whole site, not when it indexed only some of its shards.
        `present`: the keys of the shards the target holds already, which
        stay as they are when their key is this job's.
        """
        try:
            self._wait()
            damaged = [n for n, bundle in self.bundles.items() if not self._put(n, bundle, present)]
            if damaged:
                log.warning(
                    "digest: the search index in the cache was damaged (%s); it is made afresh",
                    ", ".join(damaged),
                )
                again = {name: self.shards[name] for name in damaged}
                SearchJob.start(again, self.target, self.cache_dir).finish(prune=False)
            if self.cache_dir is not None and prune:
                self._prune()
        finally:
            self.cancel()

    def _wait(self) -> None:
        """Wait for the indexing; where it failed in the cache folder, index again elsewhere."""
        if self.process is None:
            return
        output = self.process.communicate()[0]
        if self.process.returncode == 0:
            return
        if self.cache_dir is None:
            raise RuntimeError(f"pagefind failed:\n{_last_lines(output)}")
        # Most likely the cache folder's disk is full: the cache is a head start, never a
        # reason for the build to fail.
        self.cancel()
        again = {name: self.shards[name] for name in self.missing}
        SearchJob.start(again, self.target, None).finish(prune=False)
        self.bundles = {n: b for n, b in self.bundles.items() if n not in self.missing}
        self.process = None

    def _put(self, name: str, bundle: Path, present: Mapping[str, str] | None) -> bool:
        """Put a shard's bundle in the site, a fresh one in the cache first; False when the
        cache's bundle was damaged (and is now gone)."""
        dest, fresh = self.target / name, bundle.is_relative_to(self.work)
        if fresh and self.cache_dir is not None:
            cached = self.cache_dir / f"{_CACHED}{name}-{self.keys[name]}"
            with contextlib.suppress(OSError):
                os.replace(bundle, cached)
                bundle = cached
        if (present or {}).get(name) == self.keys[name]:
            return True
        shutil.rmtree(dest, ignore_errors=True)
        if not fresh:
            if copy_checked(bundle, dest):
                return True
            shutil.rmtree(dest, ignore_errors=True)
            shutil.rmtree(bundle, ignore_errors=True)
            return False
        # Made by this job, so not checked: moved in when it is not kept (and the disk is
        # the same), else copied.
        dest.parent.mkdir(parents=True, exist_ok=True)
        if bundle.is_relative_to(self.work):
            with contextlib.suppress(OSError):
                os.replace(bundle, dest)
                (dest / BUNDLE_FILES).unlink(missing_ok=True)
                return True
        unlisted = shutil.ignore_patterns(BUNDLE_FILES)
        shutil.copytree(bundle, dest, copy_function=shutil.copyfile, ignore=unlisted)
        return True

    def cancel(self) -> None:
        """Stop the indexing and clean up after it: the build failed elsewhere."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if self.process is None:  # nothing was indexed: the folder is empty
            shutil.rmtree(self.work, ignore_errors=True)
        else:  # tens of thousands of documents: not worth making the build wait
            remove_in_background([self.work])

    def _prune(self) -> None:
        assert self.cache_dir is not None
        kept = {f"{_CACHED}{name}-{key}" for name, key in self.keys.items()}
        for old in self.cache_dir.glob(f"{_CACHED}*"):
            if old.name not in kept:
                shutil.rmtree(old, ignore_errors=True)


def copy_checked(bundle: Path, target: Path) -> bool:
    """Copy a bundle into the site, each file checked against the bundle's list of hashes
    (written by the indexer); False when a file is missing, extra or changed.

    Copies, not links: the site never shares a file with the cache.
    """
    try:
        expected = json.loads((bundle / BUNDLE_FILES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    found = {
        os.path.relpath(os.path.join(folder, name), bundle): os.path.join(folder, name)
        for folder, _, names in os.walk(bundle)
        for name in names
        if not (folder == str(bundle) and name == BUNDLE_FILES)
    }
    if found.keys() != expected.keys():
        return False
    for relative, source in sorted(found.items()):
        with open(source, "rb") as fh:
            data = fh.read()
        if file_hash(data) != expected[relative]:
            return False
        dest = target / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    return True


def _last_lines(output: str, lines: int = 20) -> str:
    """The end of Pagefind's output, where its error is: the whole can be megabytes."""
    return "\n".join(output.rstrip().splitlines()[-lines:])


def _key(name: str, stories: list[Article]) -> str:
    """Everything a bundle depends on: its stories and the Pagefind that indexes them.

    Its stories as they are made of (see `generator.site.outputs`), which with
    this package's code decide their documents: keying by the documents meant
    making every shard's, at tens of thousands of stories, to find that one
    shard changed.
    """
    base = hashlib.blake2b(version("pagefind").encode() + code_key(), digest_size=16).digest()
    return output_key(base, (f"{FOLDER}/{name}", stories_of(stories)))
