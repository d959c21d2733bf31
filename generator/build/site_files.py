"""The site's files besides its pages: every feed, the OPML, and the sitemaps.

Each is made from its sources (the stories and values it shows), and taken
from the output cache when those are unchanged: at archive scale, writing the
feeds of hundreds of topics is a second of every build otherwise.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
from collections.abc import Sequence
from functools import partial
from importlib.metadata import version

from generator.build.page_cache import PageStore
from generator.content.cache import code_key
from generator.site.feeds import FeedFile, FeedSettings, FeedSite, plan_feeds
from generator.site.index import Digest
from generator.site.pages import TOPIC_TEMPLATE, GeneratedPage, topic_url
from generator.site.sitemap import build_sitemap, gzipped

log = logging.getLogger(__name__)


def plan_site_files(
    digest: Digest, site: FeedSite, settings: FeedSettings, pages: Sequence[GeneratedPage]
) -> list[FeedFile]:
    """Every feed and sitemap of the site, not yet made."""
    planned = plan_feeds(digest, site, settings)
    newest = digest.articles[0].published if digest.articles else None
    if newest is None:
        return planned
    urls = tuple(page.url for page in pages)
    # Made once for both files, and only when the cache lacks one of them.
    sitemap = functools.cache(partial(build_sitemap, site.url, urls, newest))
    planned.append(FeedFile("sitemap.xml", (urls, newest), sitemap))
    planned.append(FeedFile("sitemap.xml.gz", (urls, newest), lambda: gzipped(sitemap(), newest)))
    # Material's JavaScript takes every <link rel="alternate"> for a translation of
    # the site and fetches a sitemap.xml beside it; topic feeds sit in the topic's
    # folder, so each topic gets the sitemap of its own pages (valid in that scope).
    for name, topic_urls in _topic_page_urls(pages).items():
        entry = digest.by_topic[name]
        lastmod = entry.latest or newest
        planned.append(
            FeedFile(
                f"{topic_url(entry.topic.slug)}sitemap.xml",
                (tuple(topic_urls), lastmod),
                partial(build_sitemap, site.url, topic_urls, lastmod),
            )
        )
    return planned


def make_site_files(
    planned: Sequence[FeedFile], site: FeedSite, settings: FeedSettings, store: PageStore | None
) -> tuple[dict[str, bytes], list[str]]:
    """Each file's bytes by its path, from `store` when its sources are unchanged, and the
    store's keys of them (which its pruning must keep)."""
    if store is None:
        return {feed.path: feed.make() for feed in planned}, []
    h = hashlib.blake2b(code_key(), digest_size=16)
    h.update(repr((version("feedgen"), version("lxml"), site, settings)).encode())
    base = h.digest()
    files, keys = {}, []
    for feed in planned:
        key = hashlib.blake2b(base, digest_size=20)
        key.update(pickle.dumps((feed.path, feed.sources), protocol=5))
        name = key.hexdigest()
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
