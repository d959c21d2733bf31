"""The site's files besides its pages: every feed, the OPML, and the sitemaps.

Each is made from what it shows (see `generator.site.outputs`), and taken
from the output cache when that is unchanged: at archive scale, writing the
feeds of hundreds of topics is a second of every build otherwise.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Sequence
from functools import partial
from importlib.metadata import version

from generator.build.output_store import OutputStore, output_key
from generator.content.cache import code_key
from generator.site.feeds import FeedSettings, FeedSite, SiteFile, plan_feeds
from generator.site.index import StoryIndex
from generator.site.pages import TOPIC_TEMPLATE, GeneratedPage, topic_url
from generator.site.sitemap import build_sitemap, gzipped

log = logging.getLogger(__name__)


def plan_site_files(
    index: StoryIndex, site: FeedSite, settings: FeedSettings, pages: Sequence[GeneratedPage]
) -> list[SiteFile]:
    """Every feed and sitemap of the site, not yet made."""
    planned = plan_feeds(index, site, settings)
    newest = index.articles[0].published if index.articles else None
    if newest is None:
        return planned
    urls = tuple(page.url for page in pages)
    # Made once for both files, and only when the cache lacks one of them.
    sitemap = functools.cache(partial(build_sitemap, site.url, urls, newest))
    planned.append(SiteFile("sitemap.xml", (urls, newest), sitemap))
    planned.append(SiteFile("sitemap.xml.gz", (urls, newest), lambda: gzipped(sitemap(), newest)))
    # Material's JavaScript takes every <link rel="alternate"> for a translation of
    # the site and fetches a sitemap.xml beside it; topic feeds sit in the topic's
    # folder, so each topic gets the sitemap of its own pages (valid in that scope).
    for name, topic_urls in _topic_page_urls(pages).items():
        entry = index.by_topic[name]
        lastmod = entry.latest or newest
        planned.append(
            SiteFile(
                f"{topic_url(entry.topic.slug)}sitemap.xml",
                (tuple(topic_urls), lastmod),
                partial(build_sitemap, site.url, topic_urls, lastmod),
            )
        )
    return planned


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


def _topic_page_urls(pages: Sequence[GeneratedPage]) -> dict[str, list[str]]:
    """Each topic's own pages (its list pages), for the topic's sitemap."""
    found: dict[str, list[str]] = {}
    for page in pages:
        if page.template == TOPIC_TEMPLATE:
            found.setdefault(page.topics[0], []).append(page.url)
    return found
