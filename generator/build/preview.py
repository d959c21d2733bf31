"""A preview's site (`digest serve`), updated in place when only article files changed.

A full build at archive scale takes seconds: the engine cleans its site
folder and every page is written again. When only stories changed, the
shells, the templates and the last load are all still good: the corpus is
reloaded from memory, and only the pages, feeds and sitemaps that changed
are written, so the page shows the edit within a second. Anything else
(the engine's configuration, the theme, topics.yml, content errors, a page
of a shape the engine never drew, other search shards) is for a full build.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import time
from pathlib import Path
from typing import Any

from generator.build.errors import BuildError
from generator.build.output_store import write_output
from generator.build.pipeline import Build
from generator.build.served_search import ServedSearch
from generator.build.shells import shape
from generator.build.workers import make_folders
from generator.content.cache import paused_gc
from generator.site.pages import BuiltPages, GeneratedPage, build_pages
from generator.site.search import shards

log = logging.getLogger(__name__)


class Preview:
    """What a preview keeps between builds: the last build, and what each served file is made of."""

    def __init__(self) -> None:
        self.build: Build | None = None
        # Each served page's identity (`PageRenderer.identity`), compared as it is: hashing
        # costs more.
        self._served: dict[str, tuple[Any, ...]] = {}
        self._served_files: dict[str, bytes] = {}
        # The last pages made, and the output key they were made under.
        self._built: BuiltPages | None = None
        self._base = b""
        self.search = ServedSearch()

    def starting(self, build: Build) -> None:
        """A full build begins: until it ends, nothing is served that a refresh could patch."""
        self.search.wait()
        self.build, self._served = build, {}

    def built(self, build: Build) -> None:
        """A full build ended: its pages and files are what is served."""
        assert build.renderer is not None and build.index is not None
        self._built = BuiltPages(build.index, build.settings.pages, build.pages)
        self._base = build.base
        self._served = {page.url: build.renderer.identity(page) for page in build.pages}
        self._served_files = build.site_files
        self.search.built(build.search_shards)

    def refresh(self, content_dir: Path, site_dir: Path, changed: set[str] | None) -> bool:
        """Update the served site for the stories in `changed` (None: any); False when a
        full build is needed instead."""
        started = time.perf_counter()
        build = self.build
        if build is None or not self._served:
            return False
        # The server's threads run: forked workers would copy them mid-step.
        build.may_fork = False
        with paused_gc():
            written = self._update(build, content_dir, site_dir, changed)
            # Kept out of later collections, as in a build: re-enabling the collector
            # after this much allocation would otherwise walk the whole heap at once.
            gc.freeze()
        if written is None:
            return False
        self.search.later(build.search_shards, site_dir, build.settings.cache_dir)
        log.info(
            "digest: %s; %d of %d pages updated in %.2f s",
            build.tally,
            written,
            len(build.pages),
            time.perf_counter() - started,
        )
        return True

    def _update(
        self, build: Build, content_dir: Path, site_dir: Path, changed: set[str] | None
    ) -> int | None:
        """Load, plan and write what changed; gives how many pages were written, or None."""
        renderer = build.renderer
        assert renderer is not None
        try:
            index = build.load(content_dir, changed)
        except BuildError:
            return None  # the full build reports the errors
        base, settings = build.output_key(), build.settings.pages
        previous = self._built if base == self._base else None
        pages = build_pages(index, settings, previous, logos=build.logos)
        search_shards = shards(index, build.settings.search_shard_size)
        if list(search_shards) != list(build.search_shards) or any(
            shape(page) not in renderer.shells for page in pages
        ):
            return None
        build.pages, build.search_shards = pages, search_shards
        renderer.forget_cards()
        self._built, self._base = BuiltPages(index, settings, pages), base
        renderer.key_shells(base)
        served = {page.url: renderer.identity(page) for page in pages}
        fresh = [page for page in pages if self._served.get(page.url) != served[page.url]]
        self._write_pages(build, fresh, site_dir, self._served.keys() - served.keys())
        files = build.site_files_of(index)
        for path, data in files.items():
            if self._served_files.get(path) != data:
                os.makedirs(os.path.dirname(os.path.join(site_dir, path)), exist_ok=True)
                write_output(os.path.join(site_dir, path), data)
        self._served, self._served_files = served, files
        return len(fresh)

    @staticmethod
    def _write_pages(
        build: Build, pages: list[GeneratedPage], site_dir: Path, gone: set[str]
    ) -> None:
        """Write `pages` into the served site, and remove the pages at the URLs in `gone`."""
        assert build.renderer is not None
        store = build.store()
        make_folders(str(site_dir), (page.url for page in pages))
        for page in pages:
            build.renderer.write(page, str(site_dir), store)
        for url in gone:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(site_dir, url, "index.html"))
