"""Site search: Pagefind bundles (chunked indexes fetched piece by piece) over every story.

Material's own search ships one index file to every reader, which at tens of
thousands of stories is several megabytes, and it only sees pages MkDocs
renders itself. Pagefind splits an index into small chunks a browser fetches
as a query needs them. It is fed one tiny document per story (title, source,
excerpt) rather than the rendered pages, so it parses a few hundred bytes per
story instead of the whole chrome.

Search is indexed in shards that the search box merges: the newest month on
its own, and the stories before it in one more (past the number one Pagefind
run should hold, about 40 KB of memory per story, one per year, or per
quarter for a year too big for one run). A shard's bundle depends only on its
documents, so it is kept in the cache and reused until one of its stories
changes: publishing a story re-indexes the newest month, never the archive,
at any size; the earlier shard is indexed again once a month, when a new
month starts. The price: Pagefind answers a word missing from a shard with
the shard's stories that hold its longest indexed part (pagefind/pagefind#793,
#315): "alpha" finds every story of the shard with an "a". The search box
drops such results (theme/assets/javascripts/search.js). The runs happen in a
process of their own while the pages are written.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Sequence

from generator.content.article import Article
from generator.site.feeds import SiteFile
from generator.site.index import StoryIndex
from generator.site.pages import article_url

# The site folder that holds one bundle per shard.
FOLDER = "search"
# The newest month's shard, and the one of every story before it while they fit one index.
RECENT = "recent"
EARLIER = "earlier"
# Stories one Pagefind index may hold before the earlier stories are split by year.
SHARD_SIZE = 8000
# The shards' folders, newest first, for the search box to load: a file rather than an
# attribute of every page, which at 100,000 stories (21 shards) was 0.4 KB of each, and
# made every page change whenever a shard was added.
SHARD_LIST = f"{FOLDER}/shards.json"


def shard_list(names: Sequence[str]) -> SiteFile:
    """The file that names the search shards (`SHARD_LIST`), for the site's files."""
    folders = tuple(f"{FOLDER}/{name}/" for name in names)
    return SiteFile(SHARD_LIST, folders, lambda: json.dumps(folders).encode())


def shards(index: StoryIndex, limit: int) -> dict[str, list[Article]]:
    """Shown stories by shard name, newest shard first; no stories, no shards."""
    if not index.articles:
        return {}
    tz = index.tz
    newest = index.articles[0].published.astimezone(tz)
    found: dict[str, list[Article]] = {RECENT: []}
    earlier: list[Article] = []
    for article in index.articles:
        local = article.published.astimezone(tz)
        same_month = (local.year, local.month) == (newest.year, newest.month)
        (found[RECENT] if same_month else earlier).append(article)
    if len(earlier) <= limit:
        if earlier:
            found[EARLIER] = earlier
        return found
    by_year: dict[str, list[Article]] = {}
    for article in earlier:
        by_year.setdefault(str(article.published.astimezone(tz).year), []).append(article)
    for name, stories in by_year.items():
        if len(stories) <= limit:
            found[name] = stories
            continue
        for article in stories:
            quarter = (article.published.astimezone(tz).month - 1) // 3 + 1
            found.setdefault(f"{name}-q{quarter}", []).append(article)
    return found


def search_documents(stories: Iterable[Article], language: str = "en") -> dict[str, bytes]:
    """One small HTML document per story, at its page's path (`news/…/index.html`).

    Title, source and excerpt are what a search matches; the search box shows
    them from the document's metadata, with the moment of publication (UTC,
    for the reader's browser to show in the reader's zone) that also sorts
    results newest first.
    """
    documents = {}
    for article in stories:
        source = html.escape(article.provider.name) if article.provider else ""
        excerpt = html.escape(article.excerpt or "")
        title = html.escape(article.title)
        moment = f"{article.published.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"
        documents[article_url(article) + "index.html"] = (
            f'<!doctype html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
            f"<title>{title}</title></head><body>"
            f'<main data-pagefind-body data-pagefind-meta="date:{moment}" '
            f'data-pagefind-sort="date:{moment}">'
            f'<h1>{title}</h1><p data-pagefind-meta="source">{source}</p>'
            f'<p data-pagefind-meta="excerpt">{excerpt}</p>'
            "</main></body></html>"
        ).encode()
    return documents
