"""The site's files besides its pages: every feed, the OPML, the sitemaps, the logos.

Each is made from what it shows (see `generator.site.outputs`), and taken
from the output cache when that is unchanged: at archive scale, writing the
feeds of hundreds of topics is a second of every build otherwise.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from importlib.metadata import version
from pathlib import Path

from generator.build.output_store import OutputStore, output_key
from generator.content.article import Article
from generator.content.cache import code_key
from generator.content.logos import LOGO_SITE_FOLDER, logo_key, remote_logos
from generator.site.feeds import FeedSettings, FeedSite, SiteFile, plan_feeds
from generator.site.index import StoryIndex
from generator.site.pages import TOPIC_TEMPLATE, GeneratedPage, topic_url
from generator.site.sitemap import (
    SITEMAP,
    URL_LIMIT,
    Entry,
    build_sitemap,
    build_sitemap_index,
    gzipped,
    newest_day,
    split_by_year,
    w3c_day,
)

log = logging.getLogger(__name__)


def plan_site_files(
    index: StoryIndex,
    site: FeedSite,
    settings: FeedSettings,
    pages: Sequence[GeneratedPage],
    per_page: int,
    sitemap_limit: int = URL_LIMIT,
) -> list[SiteFile]:
    """Every feed and sitemap of the site, not yet made; `per_page`: the stories of a
    topic's numbered page (its archive feed's too); `sitemap_limit`: the URLs one sitemap
    file may hold."""
    planned = plan_feeds(index, site, settings, per_page)
    newest = index.articles[0].published if index.articles else None
    if newest is None:
        return planned
    entries = tuple((page.url, w3c_day(page.changed)) for page in pages)
    sitemap = _plan_sitemap(planned, site, entries, sitemap_limit)
    planned.append(SiteFile(f"{SITEMAP}.gz", (entries, newest), lambda: gzipped(sitemap(), newest)))
    # Material's JavaScript takes every <link rel="alternate"> for a translation of
    # the site and fetches a sitemap.xml beside it; topic feeds sit in the topic's
    # folder, so each topic gets the sitemap of its own pages (valid in that scope).
    for name, topic_entries in _topic_entries(pages).items():
        entry = index.by_topic[name]
        planned.append(
            SiteFile(
                f"{topic_url(entry.topic.slug)}{SITEMAP}",
                (tuple(topic_entries),),
                partial(build_sitemap, site.url, topic_entries),
            )
        )
    return planned


def logo_files(
    articles: Iterable[Article], logos: Mapping[str, str], folder: Path | None
) -> list[SiteFile]:
    """The saved logos (`logos`, file name by `logo_key`, in `folder`) of the sources of
    `articles`, published beside the pages; each is known by its bytes."""
    files = []
    for url in remote_logos(articles):
        name = logos.get(logo_key(url))
        if name is None or folder is None:
            continue
        data = (folder / name).read_bytes()
        digest = hashlib.blake2b(data, digest_size=16).digest()
        files.append(SiteFile(LOGO_SITE_FOLDER + name, (name, digest), lambda data=data: data))
    return files


def _plan_sitemap(
    planned: list[SiteFile], site: FeedSite, entries: tuple[Entry, ...], limit: int
) -> Callable[[], bytes]:
    """Plan `sitemap.xml` (one file, or past the protocol's limit an index of a file per
    year); gives what makes its bytes, once for it and its gzipped twin."""
    if len(entries) <= limit:
        sitemap = functools.cache(partial(build_sitemap, site.url, entries))
        planned.append(SiteFile(SITEMAP, (entries,), sitemap))
        return sitemap
    parts = split_by_year(entries, limit)
    for path, part in parts.items():
        planned.append(SiteFile(path, (tuple(part),), partial(build_sitemap, site.url, part)))
    listed = tuple((path, newest_day(part)) for path, part in parts.items())
    sitemap = functools.cache(partial(build_sitemap_index, site.url, listed))
    planned.append(SiteFile(SITEMAP, (listed,), sitemap))
    return sitemap


def make_site_files(
    planned: Sequence[SiteFile], site: FeedSite, settings: FeedSettings, store: OutputStore | None
) -> tuple[dict[str, bytes], list[str]]:
    """Each file's bytes by its path, from `store` when what it is made of is unchanged, and the
    store's keys of them (which its pruning must keep)."""
    if store is None:
        return {feed.path: feed.make() for feed in planned}, []
    h = hashlib.blake2b(code_key(), digest_size=16)
    h.update(repr((version("feedgen"), version("lxml"), site, settings)).encode())
    base = h.digest()
    files, keys = {}, []
    for feed in planned:
        name = output_key(base, (feed.path, feed.made_of))
        data = store.get(name)
        if data is None:
            data = feed.make()
            store.keep(name, data)
        keys.append(name)
        files[feed.path] = data
    if store.damaged:
        log.warning("digest: %d damaged feed(s) in the cache were made afresh", store.damaged)
    return files, keys


def _topic_entries(pages: Sequence[GeneratedPage]) -> dict[str, list[Entry]]:
    """Each topic's own pages (its list pages) with their dates, for the topic's sitemap."""
    found: dict[str, list[Entry]] = {}
    for page in pages:
        if page.template == TOPIC_TEMPLATE:
            found.setdefault(page.topics[0], []).append((page.url, w3c_day(page.changed)))
    return found
