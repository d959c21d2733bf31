"""Site search: Pagefind bundles (chunked indexes fetched piece by piece) over every story.

Material's own search ships one index file to every reader, which at tens of
thousands of stories is several megabytes, and it only sees pages MkDocs
renders itself. Pagefind splits an index into small chunks a browser fetches
as a query needs them. It is fed one tiny document per story (title, source,
excerpt) rather than the rendered pages, so it parses a few hundred bytes per
story instead of the whole chrome.

A site with more stories than one Pagefind run should hold (it needs about
40 KB of memory per story) is indexed in shards: the newest month on its own,
then one per year (per quarter for a year too big for one run), which the
search box merges. A shard's bundle depends only on its documents, so it is
kept in the cache and reused until one of its stories changes: publishing a
story re-indexes the newest month, not the archive. The price: Pagefind
answers a word missing from a shard with the shard's stories that hold its
longest indexed part (pagefind/pagefind#793), so a rare word can bring a few
weak matches along; a site under the limit has one index and no such
results. The runs happen in a process of their own while the pages are
written.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from generator.content.article import Article
from generator.site.index import StoryIndex
from generator.site.pages import article_url

# The site folder that holds one bundle per shard.
FOLDER = "search"
WHOLE = "all"
RECENT = "recent"
# Stories one Pagefind index may hold before search is split into shards.
SHARD_SIZE = 8000


def shards(index: StoryIndex, limit: int) -> dict[str, list[Article]]:
    """Shown stories by shard name, newest shard first; no stories, no shards.

    Up to `limit` stories, one index holds them all.
    """
    if len(index.articles) <= limit:
        return {WHOLE: list(index.articles)} if index.articles else {}
    tz = index.tz
    newest = index.articles[0].published.astimezone(tz)
    by_year: dict[str, list[Article]] = {RECENT: []}
    for article in index.articles:
        local = article.published.astimezone(tz)
        if (local.year, local.month) == (newest.year, newest.month):
            by_year[RECENT].append(article)
        else:
            by_year.setdefault(str(local.year), []).append(article)
    found: dict[str, list[Article]] = {}
    for name, stories in by_year.items():
        if name == RECENT or len(stories) <= limit:
            found[name] = stories
            continue
        for article in stories:
            quarter = (article.published.astimezone(tz).month - 1) // 3 + 1
            found.setdefault(f"{name}-q{quarter}", []).append(article)
    return found


def search_documents(stories: Iterable[Article], language: str = "en") -> dict[str, bytes]:
    """One small HTML document per story, at its page's path (`news/…/index.html`)."""
    documents = {}
    for article in stories:
        source = html.escape(article.provider.name) if article.provider else ""
        excerpt = html.escape(article.excerpt or "")
        title = html.escape(article.title)
        documents[article_url(article) + "index.html"] = (
            f'<!doctype html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
            f"<title>{title}</title></head><body><main data-pagefind-body>"
            f'<h1>{title}</h1><p data-pagefind-meta="source">{source}</p><p>{excerpt}</p>'
            "</main></body></html>"
        ).encode()
    return documents
