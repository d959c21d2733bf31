"""Links in curators' notes that lead to no page of the site, for `digest check`.

A note may link to another page of the site by a path (`../../28/x/`, `/news/2024/…`).
Pages and feeds make such links work wherever the site is served (`markup`), but a
mistyped date or slug gives a link every reader finds broken, on the story's page and in
every feed reader, and only a build's visitors would notice. The pages a build makes follow
from the stories alone, so the check can tell without building: story pages, topic and
month pages, the site's fixed pages, feeds and the pictures of the content folder. A topic's
numbered pages are taken as there for any number: how many there are depends on
`per_page`, which only the build reads.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence, Set
from pathlib import Path
from urllib.parse import unquote, urljoin

from generator.content.article import Article
from generator.content.errors import ContentError, Level
from generator.content.topics import Topic
from generator.site.feeds import (
    DAILY_RSS,
    OPML,
    OPML_RSS,
    SITE_ATOM,
    SITE_JSON,
    SITE_RSS,
    TOPIC_ATOM,
    TOPIC_JSON,
    TOPIC_RSS,
)
from generator.site.markup import render_note, split_url
from generator.site.pages import (
    ARCHIVE_URL,
    HOME_URL,
    TOPICS_URL,
    article_url,
    month_url,
    topic_url,
)

# A link destination without a scheme (Markdown inline or reference link, HTML href): most
# notes have none, and only those that do are rendered to find their links.
_NO_SCHEME = r"<?(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|\s|\)|>)"
_MAY_LINK_HERE = re.compile(
    rf"\]\(\s*{_NO_SCHEME}|^ {{0,3}}\[[^\]]+\]:\s*{_NO_SCHEME}|href\s*=\s*[\"']?{_NO_SCHEME}",
    re.MULTILINE | re.IGNORECASE,
)
_NUMBERED_PAGE = re.compile(r"topics/([^/]+)/page/[1-9][0-9]*/")
FIX = (
    "give a story's page as /news/YYYY/MM/DD/<slug>/ (its file's date and name), a topic's "
    "as /topics/<slug>/, or the full https:// address"
)


class SitePaths:
    """The site paths a build of these stories makes, and those of drafts' pages."""

    def __init__(
        self,
        articles: Sequence[Article],
        topics: Mapping[str, Topic],
        files: Set[str],
        tz: dt.tzinfo,
    ):
        published = [a for a in articles if not a.is_draft]
        self.drafts = {article_url(a) for a in articles if a.is_draft}
        slugs = {topics[name].slug for a in published for name in a.topics if name in topics}
        self.topic_slugs = slugs
        paths = {HOME_URL, TOPICS_URL, ARCHIVE_URL, SITE_RSS, SITE_ATOM, SITE_JSON, DAILY_RSS}
        paths |= {OPML, OPML_RSS, *files}
        paths |= {article_url(a) for a in published}
        # A month's page holds the stories published in it in the site's zone.
        local = [a.published.astimezone(tz) for a in published]
        paths |= {month_url(moment.year, moment.month) for moment in local}
        for slug in slugs:
            paths.add(topic_url(slug))
            paths |= {f.format(slug=slug) for f in (TOPIC_RSS, TOPIC_ATOM, TOPIC_JSON)}
        self.paths = paths

    def has(self, path: str) -> bool:
        """Whether `path` (a site path, no query or fragment) leads to one of the site's
        files: a folder's page with or without its final slash or `index.html`."""
        folder = path.removesuffix("index.html")
        if path in self.paths or folder in self.paths or path + "/" in self.paths:
            return True
        numbered = _NUMBERED_PAGE.fullmatch(folder if folder.endswith("/") else folder + "/")
        return numbered is not None and numbered.group(1) in self.topic_slugs


def unresolved_note_links(
    articles: Sequence[Article],
    topics: Mapping[str, Topic],
    files: Set[str],
    tz: dt.tzinfo,
) -> list[ContentError]:
    """A warning for each link of a published story's note to a site path with no page;
    `files`: the content folder's files that the site publishes (pictures); `tz`: the
    site's zone, whose months the month pages are."""
    linking = [a for a in articles if not a.is_draft and _MAY_LINK_HERE.search(a.body)]
    if not linking:
        return []
    site = SitePaths(articles, topics, files, tz)
    problems = []
    for article in linking:
        for url, target in _site_links(article):
            if site.has(target):
                continue
            why = "no page of the site"
            if target in site.drafts:
                why = "a draft's page, which the site does not publish"
            problems.append(
                ContentError(
                    article.path,
                    _line_of(article, url),
                    Level.WARNING,
                    f"the note links to '{url}', which leads to /{target}: {why}; {FIX}",
                )
            )
    return problems


def _site_links(article: Article) -> list[tuple[str, str]]:
    """(link as the note writes it, the site path it leads to) for each relative link."""
    found: list[str] = []

    def keep(url: str) -> str:
        found.append(url)
        return url

    render_note(article.body, keep)
    here = "/" + article_url(article)
    links = []
    for url in found:
        path, _ = split_url(url)
        if path:  # `#part` and `?q` stay on the story's page
            links.append((url, unquote(urljoin(here, path)).lstrip("/")))
    return links


def _line_of(article: Article, url: str) -> int:
    """The line of the story's file that holds `url`; its first line if it cannot be read."""
    try:
        lines = Path(article.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, start=1) if url in line), 1)
