"""Knowing which files a curator changed while `digest serve` runs.

MkDocs' own watch polls, and tells only that something changed; the preview
updates the served site in place, which needs to know what, and whether
anything besides the article files changed (`other_inputs`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from typing import Any

import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger(__name__)


class ChangeObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """A native observer that reports changes to files, not reads of them.

    Rebuilding reads the stories, and a rebuild for each read would never end.
    """

    def schedule(self, event_handler: Any, path: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("event_filter", _CHANGES)
        return super().schedule(event_handler, path, **kwargs)


_CHANGES: list[type[watchdog.events.FileSystemEvent]] = [
    watchdog.events.FileCreatedEvent,
    watchdog.events.FileModifiedEvent,
    watchdog.events.FileClosedEvent,
    watchdog.events.FileDeletedEvent,
    watchdog.events.FileMovedEvent,
    watchdog.events.DirCreatedEvent,
    watchdog.events.DirDeletedEvent,
    watchdog.events.DirMovedEvent,
]


class Changes(watchdog.events.FileSystemEventHandler):
    """The files changed since the last `take`: MkDocs' own watch tells only that some did.

    After a folder came, went or moved, which files changed is not known
    (None) until the next `take`: the caller then looks at them all.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: set[str] | None = set()

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        with self._lock:
            if event.is_directory:
                self._paths = None
            elif self._paths is not None:
                self._paths.update(os.fsdecode(p) for p in (event.src_path, event.dest_path) if p)

    def take(self) -> set[str] | None:
        with self._lock:
            paths, self._paths = self._paths, set()
        return paths


def start_watching(folder: str) -> tuple[watchdog.observers.api.BaseObserver, Changes] | None:
    """Watch `folder` with the system's change notifications, from before the first load, so
    that each refresh knows which files changed (see `Changes`); None where that cannot be."""
    observer, changes = ChangeObserver(), Changes()
    observer.schedule(changes, folder, recursive=True)
    try:
        observer.start()
    except OSError as exc:  # no inotify here, or too many watches: MkDocs polls, we stat
        log.info("digest: cannot watch %s for changes (%s)", folder, exc)
        return None
    return observer, changes


def watch_natively(server: Any, folder: str, native: Any) -> None:
    """Move MkDocs' watch of the content folder onto `native`, the plugin's observer.

    MkDocs polls what it watches every half second, listing and stat-ing
    every file each time: at archive scale that is a steady load on the
    server and up to 0.6 s before a save is even noticed. The plugin's
    observer is told of a change at once (inotify on Linux); MkDocs' own
    callback goes with the watch, so MkDocs still decides when to rebuild.
    """
    polling = server.observer
    if native is None or not isinstance(polling, watchdog.observers.polling.PollingObserver):
        return
    server.unwatch(folder)
    server.observer = native
    try:
        server.watch(folder)
    finally:
        server.observer = polling


def other_inputs(config: MkDocsConfig) -> dict[str, tuple[int, int]]:
    """Size and modification time of every input besides the article files.

    That is mkdocs.yml, the theme's own folder and the docs folder without
    its articles: a change to any of them needs MkDocs to build again.
    """
    found: dict[str, tuple[int, int]] = {}
    roots = [config.docs_dir] + ([config.theme.custom_dir] if config.theme.custom_dir else [])
    for root in roots:
        for folder, dirnames, filenames in os.walk(root):
            if folder == root and root == config.docs_dir:
                dirnames[:] = [d for d in dirnames if d != "articles"]
            for name in filenames:
                path = os.path.join(folder, name)
                with contextlib.suppress(OSError):
                    stat = os.stat(path)
                    found[path] = (stat.st_size, stat.st_mtime_ns)
    if config.config_file_path:
        stat = os.stat(config.config_file_path)
        found[config.config_file_path] = (stat.st_size, stat.st_mtime_ns)
    return found
