"""The search of a site `digest serve` updates in place, brought up to date in a thread.

The pages are written first, so the page shows at once and its search
catches up a moment later. A refresh never waits for an earlier one's
indexing: the one thread indexes the newest stories once it is free.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from generator.build.search_index import SearchJob
from generator.content.article import Article
from generator.site.pages import stories as stories_of
from generator.site.search import FOLDER

log = logging.getLogger(__name__)


class ServedSearch:
    """The served site's search shards and the stories each was last indexed with."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._wanted: tuple[dict[str, list[Article]], Path, Path | None] | None = None
        self.indexed: dict[str, tuple[bytes, ...]] = {}

    def built(self, search_shards: dict[str, list[Article]]) -> None:
        """A full build indexed these shards."""
        self.indexed = {name: stories_of(found) for name, found in search_shards.items()}

    def later(
        self, search_shards: dict[str, list[Article]], site_dir: Path, cache_dir: Path | None
    ) -> None:
        """Index `search_shards` into `site_dir` once the thread is free."""
        with self._lock:
            self._wanted = (search_shards, site_dir, cache_dir)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, daemon=True)
                self._thread.start()

    def wait(self) -> None:
        """Let the indexing thread finish (it ends once no refresh waits for it)."""
        thread = self._thread
        if thread is not None:
            thread.join()

    def _loop(self) -> None:
        while True:
            with self._lock:
                wanted, self._wanted = self._wanted, None
                if wanted is None:
                    self._thread = None
                    return
            self._reindex(*wanted)

    def _reindex(
        self, search_shards: dict[str, list[Article]], site_dir: Path, cache_dir: Path | None
    ) -> None:
        """Index the shards whose stories changed, and swap each into the site's search folder.

        Only those: relinking every shard's thousands of files would keep the
        disk and the processor busy through the curator's next save.
        """
        current = {name: stories_of(stories) for name, stories in search_shards.items()}
        changed = {
            name: stories
            for name, stories in search_shards.items()
            if self.indexed.get(name) != current[name]
        }
        if not changed:
            return
        fresh = Path(tempfile.mkdtemp(prefix=".search-", dir=site_dir))
        try:
            job = SearchJob.start(changed, fresh, cache_dir)
            job.finish(prune=False)
            for name in changed:
                target, old = site_dir / FOLDER / name, fresh / f"{name}.old"
                if target.exists():
                    os.rename(target, old)
                os.rename(fresh / name, target)
                self.indexed[name] = current[name]
        except (OSError, RuntimeError) as exc:
            log.error("digest: updating the search index failed: %s", exc)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
