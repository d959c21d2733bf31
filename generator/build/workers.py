"""Pages written over the machine's cores: forked workers that share one renderer.

Forked, not spawned: the workers inherit the renderer, the pages and the
stories as they are in memory, where pickling them for each worker would cost
more than rendering. The month pages are rendered first, in this process: they
show every story's card between them, so each card is rendered once before
forking rather than once per worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from generator.build.output_store import OutputStore
from generator.build.progress import progress
from generator.build.render import PageRenderer
from generator.lifetime import start_worker
from generator.site.pages import MONTH_TEMPLATE, GeneratedPage


def render_all(
    renderer: PageRenderer,
    pages: Sequence[GeneratedPage],
    site_dir: str,
    workers: int,
    store: OutputStore | None,
    yielding: bool = False,
) -> dict[str, str]:
    """Write `pages`, split over `workers` forked processes that share the renderer.

    Gives the pages' output-cache keys by their files' paths in the site, in
    the order of `pages`.
    `yielding`: the search index is being made at the same time, so the
    workers run at a lower priority. The last part of Pagefind's work runs
    on one core: competing with the workers, it finished a second or more
    after the pages, with the other core idle; given way to, it finishes
    while pages are still being written.
    """
    make_folders(site_dir, (page.url for page in pages))
    keys: dict[str, str] = {}
    with progress(len(pages), "pages", "Writing pages") as bar:
        if workers <= 1 or len(pages) <= _CHUNK:
            for start in range(0, len(pages), _CHUNK):
                for page in pages[start : start + _CHUNK]:
                    keys[page.path] = renderer.write(page, site_dir, store)
                bar.update(min(_CHUNK, len(pages) - start))
            return keys
        # The month pages first, here: between them they show every story's card, so
        # every card is rendered once, before forking, instead of by each worker, since
        # nearly every worker's pages show nearly every story.
        first = [page for page in pages if page.template == MONTH_TEMPLATE]
        for page in first:
            keys[page.path] = renderer.write(page, site_dir, store)
        bar.update(len(first))
        rest = [page for page in pages if page.template != MONTH_TEMPLATE]
        chunks = [(start, min(start + _CHUNK, len(rest))) for start in range(0, len(rest), _CHUNK)]
        global _FORKED
        _FORKED = (renderer, rest, site_dir, store)
        niceness = _YIELDING_NICENESS if yielding else 0
        # An executor rather than multiprocessing's Pool: a worker killed with the build
        # (SIGTERM to its process group) leaves a Pool waiting for ever; an executor fails.
        pool = ProcessPoolExecutor(
            workers, multiprocessing.get_context("fork"), _start_worker, (niceness,)
        )
        try:
            # In order, so that keys line up with pages; the bar moves as chunks end.
            for (start, end), (written, damaged) in zip(
                chunks, pool.map(_write_chunk, chunks), strict=True
            ):
                keys.update(zip((page.path for page in rest[start:end]), written, strict=True))
                if store is not None:
                    store.damaged += damaged
                bar.update(len(written))
        finally:
            pool.shutdown(cancel_futures=True)
            _FORKED = None
    return {page.path: keys[page.path] for page in pages}


def hash_files(root: str) -> dict[str, str]:
    """Every file under `root` by its path inside it, with a hash of its bytes."""
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as fh:
                hashed = hashlib.file_digest(fh, lambda: hashlib.blake2b(digest_size=16))
            found[os.path.relpath(path, root)] = hashed.hexdigest()
    return found


def make_folders(root: str, urls: Iterable[str]) -> None:
    """Every page's folder under `root`, parents first: one mkdir each, no lookups."""
    wanted = set()
    for url in urls:
        parts = url.rstrip("/").split("/")
        wanted.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    wanted.discard("")
    for folder in sorted(wanted, key=lambda f: (f.count("/"), f)):
        with contextlib.suppress(FileExistsError):
            os.mkdir(os.path.join(root, folder))


# Pages per task handed to a worker: small enough for a smooth progress bar and an even
# split between workers, large enough that task overhead does not show.
_CHUNK = 250
# How far page workers lower their priority while the search index is being made:
# enough that Pagefind's threads get nearly all of a core they share with one.
_YIELDING_NICENESS = 10
# Set just before forking so the workers inherit it instead of pickling the renderer.
_FORKED: tuple[PageRenderer, Sequence[GeneratedPage], str, OutputStore | None] | None = None


def _start_worker(niceness: int) -> None:
    """A page worker (see `lifetime.start_worker`), at the niceness asked for."""
    start_worker()
    if niceness:
        os.nice(niceness)


def _write_chunk(chunk: tuple[int, int]) -> tuple[list[str], int]:
    """A worker's pages: their keys, and how many stored pages it found damaged."""
    assert _FORKED is not None
    renderer, pages, site_dir, store = _FORKED
    start, end = chunk
    before = store.damaged if store is not None else 0
    keys = [renderer.write(page, site_dir, store) for page in pages[start:end]]
    return keys, (store.damaged - before if store is not None else 0)
