"""A whole `content/` folder read and validated: what `digest check` and a build share.

Every file is accounted for: it becomes an Article or it carries at least
one error, so no story is ever dropped without a message.

Files whose bytes are unchanged since the last run come from the cache
(`generator.content.cache`); the rest are parsed in several processes when there are
enough of them to repay starting those processes. Results are put back in
path order, so the output never depends on the cache or the number of workers.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import time
from collections.abc import Iterable, Set
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.article import Article
from generator.content.cache import (
    ArticleCache,
    FileResult,
    Stamp,
    dumps,
    file_digest,
    file_stamp,
    paused_gc,
    settled,
)
from generator.content.content_files import content_files, file_status, read_file
from generator.content.errors import ContentError, Level
from generator.content.loader import display_path, find_articles, is_article_name, load_article
from generator.content.site_pictures import missing_pictures
from generator.content.topics import Topic, load_registry
from generator.content.validate import check_corpus, validate_article
from generator.lifetime import start_worker

# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 500
# Files sent to a worker at a time: large enough that the hand-over is cheap,
# small enough that the workers finish together.
BATCH_FILES = 100

# A file to parse: (display path, file name, bytes).
_Job = tuple[str, str, bytes]


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    topics: dict[str, Topic]
    problems: tuple[ContentError, ...]
    files: int
    # How many files came from the cache and how many were parsed, for a progress line.
    cache_hits: int = 0
    # The per-file results of this load, for the next load in the same process.
    cache: ArticleCache | None = field(default=None, repr=False, compare=False)
    # The article files of this load (path, path as shown), for the same.
    paths: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)
    # The content folder's other files that a build may publish (see content_files).
    site_files: frozenset[str] = frozenset()

    @property
    def errors(self) -> list[ContentError]:
        return [p for p in self.problems if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[ContentError]:
        return [p for p in self.problems if p.level is Level.WARNING]

    @property
    def rejected(self) -> int:
        """Article files with an error: those that gave no Article, and those a rule
        across files (a shared URL, a shared topic slug) refused."""
        refused = {p.path for p in self.errors}
        return self.files - len(self.articles) + sum(a.path in refused for a in self.articles)

    @property
    def accepted(self) -> list[Article]:
        """The stories without an error: what a build would publish or hold back."""
        refused = {p.path for p in self.errors}
        return [a for a in self.articles if a.path not in refused]


def load_corpus(
    content_dir: Path,
    cache_dir: Path | None = None,
    workers: int | None = None,
    previous: Corpus | None = None,
    changed: Set[str] | None = None,
) -> Corpus:
    """Read, validate and cross-check every article under `content_dir`.

    `cache_dir` keeps per-file results between runs (None: no cache);
    `workers` is how many processes parse the files not in the cache
    (default: one per CPU; fewer than PARALLEL_MIN_FILES are parsed here).
    With `previous`, an earlier load of the same folder in this process,
    its results are reused from memory and the cache folder is not touched.
    With `changed` too, every file (as `previous` lists them) that may
    differ from that load, as a file watcher reports them: the folder is
    not listed again and no other file is even looked at.
    """
    workers = workers or os.cpu_count() or 1
    if previous is not None and previous.cache is not None:
        cache = previous.cache.reopen()
    else:
        cache = ArticleCache.open(cache_dir, content_dir)
    registry, problems = load_registry(content_dir)
    prefix = _shown_prefix(content_dir)
    others = content_files(content_dir, prefix)
    problems.extend(others.problems)
    root = os.path.realpath(content_dir)
    if previous is not None and previous.cache is not None and changed is not None:
        files = _files_after(previous.paths, changed, content_dir, prefix)
    else:
        left_out: list[tuple[str, str]] = []
        files, changed = _article_files(content_dir, prefix, left_out), None
        problems.extend(ContentError(prefix + p, 1, Level.WARNING, why) for p, why in left_out)
    results: list[FileResult | None] = [None] * len(files)
    misses: list[tuple[int, str, bytes, Stamp | None]] = []  # position, shown path, digest, stamp
    todo: list[_Job] = []
    batches: list[Future[bytes]] = []
    with paused_gc(), contextlib.ExitStack() as stack:
        pool: ProcessPoolExecutor | None = None
        now_ns = time.time_ns()
        for i, (file, path) in enumerate(files):
            if changed is not None and file not in changed:
                results[i] = cache.get_known(path)
                if results[i] is not None:
                    continue
            looked = _look(file, path, root, cache, now_ns)
            if not isinstance(looked, _Miss):
                results[i] = looked
                continue
            misses.append((i, path, looked.content_hash, looked.trusted))
            todo.append((path, os.path.basename(file), looked.data))
            if pool is None and workers > 1 and len(misses) >= PARALLEL_MIN_FILES:
                pool = stack.enter_context(_process_pool(workers))
            if pool is not None and len(todo) >= BATCH_FILES:
                batches.append(pool.submit(_parse_pickled, todo, registry))
                todo = []
        if pool is None:
            parsed = _parse(todo, registry)
        else:
            if todo:
                batches.append(pool.submit(_parse_pickled, todo, registry))
            # Each batch's results taken in as it comes back, while the workers parse the
            # rest: taken in after the last batch, they kept one core idle at the end.
            back = {batch: pickle.loads(batch.result()) for batch in as_completed(batches)}
            parsed = [result for batch in batches for result in back[batch]]
        for (i, path, content_hash, trusted), result in zip(misses, parsed, strict=True):
            results[i] = result
            cache.put(path, content_hash, trusted, result)
    cache.save()
    articles: list[Article] = []
    for result in results:
        assert result is not None
        article, found = result
        problems.extend(found)
        if article is not None:
            articles.append(article)
    topics, cross = check_corpus(articles, registry)
    problems.extend(cross)
    problems.extend(missing_pictures(articles, others.published, prefix))
    return Corpus(
        tuple(articles),
        topics,
        tuple(sorted(problems)),
        len(files),
        cache_hits=len(files) - len(misses),
        cache=cache,
        paths=tuple(files),
        site_files=others.published,
    )


@dataclass(frozen=True, slots=True)
class _Miss:
    """A story file neither the cache nor a reading error answers: its bytes, to parse."""

    content_hash: bytes
    trusted: Stamp | None
    data: bytes


def _look(file: str, path: str, root: str, cache: ArticleCache, now_ns: int) -> FileResult | _Miss:
    """A story file's result from the cache, or the error that stops it being read, or its
    bytes to parse. The status is taken before reading: a file changed in between is read
    again next time."""
    found = file_status(file, root)
    if isinstance(found, str):
        return (None, [ContentError(path, 1, Level.ERROR, found)])
    stamp = file_stamp(found)
    known = cache.get_unchanged(path, stamp)
    if known is not None:
        return known
    data = read_file(file)
    if isinstance(data, str):
        return (None, [ContentError(path, 1, Level.ERROR, data)])
    content_hash, trusted = file_digest(data), settled(stamp, now_ns)
    hit = cache.get(path, content_hash, trusted)
    return hit if hit is not None else _Miss(content_hash, trusted, data)


def _article_files(
    content_dir: Path, prefix: str, left_out: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Every article file with the path reports show for it, in `find_articles` order.

    The shown path is `display_path(content_dir) / <path inside content_dir>`,
    joined as text (`prefix` is `_shown_prefix(content_dir)`): building Path
    objects per file would cost more than reading a cached file.
    """
    root = str(content_dir)
    names = find_articles(content_dir, left_out)
    return [(os.path.join(root, name), prefix + name) for name in names]


def _shown_prefix(content_dir: Path) -> str:
    """What goes before a path inside `content_dir` in reports: "" when shown as ".", else "x/"."""
    return str(Path(display_path(content_dir), "_"))[:-1]


def _files_after(
    before: Iterable[tuple[str, str]], changed: Set[str], content_dir: Path, prefix: str
) -> list[tuple[str, str]]:
    """`_article_files` as it is now, from what it was and the files changed since."""
    root = str(content_dir)
    files = dict(before)
    added = False
    for file in changed:
        name = os.path.relpath(file, root)
        if not is_article_name(name):
            continue
        # As the walk lists it: a dangling link or a fifo is a file, to be reported.
        if os.path.lexists(file) and not os.path.isdir(file):
            added = added or file not in files
            files[file] = prefix + name
        else:
            files.pop(file, None)
    found = list(files.items())
    if added:  # in `find_articles` order: by the path's parts inside the content folder
        found.sort(key=lambda item: item[1][len(prefix) :].split(os.sep))
    return found


def _process_pool(workers: int) -> ProcessPoolExecutor:
    """Workers forked where the platform can: they start at once, with the modules loaded."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker)


def _parse(jobs: list[_Job], registry: dict[str, Topic] | None) -> list[FileResult]:
    """Each file's Article (or None) and problems, in the order given."""
    results: list[FileResult] = []
    for path, name, data in jobs:
        raw = load_article(data, path, name)
        if isinstance(raw, ContentError):
            results.append((None, (raw,)))
        else:
            article, found = validate_article(raw, registry)
            results.append((article, tuple(found)))
    return results


def _parse_pickled(jobs: list[_Job], registry: dict[str, Topic] | None) -> bytes:
    """`_parse` in a worker process, its results pickled the fast way for the trip back."""
    with paused_gc():
        return dumps(_parse(jobs, registry))
