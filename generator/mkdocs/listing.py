"""MkDocs' file listing, made to pass over what a digest build never publishes.

MkDocs has no way to leave a folder unlisted, so its own listing runs once per
build with the walk pruned (see `prune_next_listing`); all else about it
(sorting, exclusions, README/index conflicts) stays MkDocs' own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import jinja2
import jinja2.loaders
import mkdocs.commands.build as mkdocs_build
import mkdocs.structure.files as mkdocs_files
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files


class _PrunedWalk:
    """The `os` module as one listing sees it, with `os.walk` leaving out some folders.

    `skip(top, folder, name)` says whether the walk from `top` leaves out
    `name`, a folder inside `folder`.
    """

    def __init__(self, real: Any, skip: Callable[[str, str, str], bool]):
        self._real = real
        self._skip = skip

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def walk(self, top: str, **kwargs: Any) -> Iterator[tuple[str, list[str], list[str]]]:
        for folder, dirnames, filenames in self._real.walk(top, **kwargs):
            dirnames[:] = [d for d in dirnames if not self._skip(top, folder, d)]
            yield folder, dirnames, filenames


def _is_articles_or_link(top: str, folder: str, name: str) -> bool:
    """The stories' folder, and any linked folder: MkDocs follows links, and a link to `/`
    would have it walk (and publish) the whole machine."""
    return (folder == top and name == "articles") or os.path.islink(os.path.join(folder, name))


def _is_hidden(top: str, folder: str, name: str) -> bool:
    return name.startswith(".")


_get_files = mkdocs_build.get_files


def prune_next_listing() -> None:
    """Keep the article files and the theme's hidden folders out of MkDocs' next listing.

    The articles are the plugin's input, never files of the site, and making
    a File for each of tens of thousands (then dropping it) was a second and
    a half of every build. MkDocs has no way to leave a folder unlisted, so
    its own listing runs once with `articles/` pruned from the walk; all else
    about it (sorting, exclusions, README/index conflicts) stays MkDocs' own.

    Then MkDocs lists the theme's files to copy them, and leaves out every
    name with a part starting with "." after walking them: material's 14,000
    icons under `.icons/`, a tenth of a second of every build. The same walk
    skips hidden folders, which gives the same files.
    """

    def listing(config: MkDocsConfig) -> Files:
        restore_listing()
        real = mkdocs_files.os
        mkdocs_files.os = _PrunedWalk(real, _is_articles_or_link)
        try:
            files = _get_files(config)
        finally:
            mkdocs_files.os = real
        files.add_files_from_theme = partial(_add_theme_files, files)
        return files

    mkdocs_build.get_files = listing


def _add_theme_files(files: Files, env: jinja2.Environment, config: MkDocsConfig) -> None:
    """MkDocs' `add_files_from_theme`, with the theme's hidden folders left out of the walk."""
    del files.add_files_from_theme
    real = jinja2.loaders.os
    jinja2.loaders.os = _PrunedWalk(real, _is_hidden)
    try:
        Files.add_files_from_theme(files, env, config)
    finally:
        jinja2.loaders.os = real


def restore_listing() -> None:
    mkdocs_build.get_files = _get_files


# Material's search plugin's scripts: its index worker and the languages it stems.
_MATERIAL_SEARCH = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")


def drop_material_search(files: Files, config: MkDocsConfig) -> None:
    """Leave out the theme's search scripts unless mkdocs.yml turns its search plugin on.

    The digest's search is Pagefind's; material's 36 files (1.8 MB) would be
    copied into every build, and published, for nothing.
    """
    if "search" in config.plugins or "material/search" in config.plugins:
        return
    for file in [f for f in files if f.src_uri.startswith(_MATERIAL_SEARCH)]:
        files.remove(file)
