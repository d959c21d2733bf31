"""Pure: the index in, every feed file out as bytes (RSS 2.0, Atom 1.0 and each topic's
RFC 5005 archives, JSON Feed 1.1, the daily RSS, OPML).

Feeds are read by programs that remember what they saw, so each item's
identity is the story's permalink here (never the build, never the original
URL, which the curator may correct), and every date comes from the stories
themselves: the same content always gives byte-identical files, and a rebuild
never makes readers see old stories as new. Nothing here writes files or
knows MkDocs; the adapter writes the bytes where the paths say.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from html import escape
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseExtension
from feedgen.ext.dc import DcEntryExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from generator.content.article import Article, RelatedLink
from generator.content.topics import Topic
from generator.site.index import StoryIndex, finished_days, plural
from generator.site.markup import absolute_link, render_note
from generator.site.pages import (
    HOME_URL,
    TOPICS_URL,
    article_url,
    day_url,
    long_date,
    paginate,
    stories,
    topic_page_url,
    topic_url,
)

SITE_RSS = "feed.xml"
SITE_ATOM = "atom.xml"
TOPIC_RSS = "topics/{slug}/feed.xml"
TOPIC_ATOM = "topics/{slug}/atom.xml"
SITE_JSON = "feed.json"
TOPIC_JSON = "topics/{slug}/feed.json"
DAILY_RSS = "daily.xml"
# RFC 5005 archive documents: a topic's numbered page `n` as Atom, beside that page. Such a
# page is full and its stories never move (`paginate`), so neither do the archive's entries.
TOPIC_ARCHIVE = "topics/{slug}/page/{n}/atom.xml"
HISTORY_NS = "http://purl.org/syndication/history/1.0"
PREV_ARCHIVE, NEXT_ARCHIVE, CURRENT = "prev-archive", "next-archive", "current"
# What a browser that opens an RSS or Atom file shows instead of its XML: a page that says
# what a feed is and lists its stories. The theme provides it; feed readers ignore it.
FEED_STYLE = "assets/feed.xsl"
# One subscription per channel: readers that import both formats of a channel show each
# story twice, or split a channel's stories between the twins (newsboat keeps one copy per
# id). Atom's, since an Atom entry says when it was last changed apart from when it was
# published, which lets a reader show a correction as an update, not a new story.
OPML = "feeds.opml"
OPML_RSS = "feeds-rss.opml"  # the same channels in RSS, for readers that prefer it

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_TYPE = "application/feed+json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# A fixed name: feedgen's default carries its own version, which would make the
# bytes depend on what happens to be installed.
GENERATOR = "news-digest"
# The date of a feed with nothing in it from an index with nothing in it:
# any clock reading would break byte-identical rebuilds.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class FeedSite:
    """What every feed says about the site; `url` is where the site is served, ending in `/`."""

    title: str
    description: str
    url: str
    language: str = "en"

    def __post_init__(self) -> None:
        # Feeds are read away from the site, so every URL in them must be
        # absolute; without the trailing slash, joining would lose a project
        # site's `/repo/` prefix.
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"feed site url must be an absolute http(s) URL, not {self.url!r}")
        if not self.url.endswith("/"):
            raise ValueError(f"feed site url must end with '/', not {self.url!r}")

    @property
    def summary(self) -> str:
        """The site's description, or what stands for it when mkdocs.yml gives none."""
        return self.description or f"The latest stories from {self.title}"

    def absolute(self, path: str) -> str:
        """The absolute URL of a site-relative path like `topics/ai/feed.xml`.

        The generator's paths never start with `/` or hold `..`, so joining is
        appending; urljoin would parse both URLs, for each of tens of thousands.
        """
        return self.url + path


@dataclass(frozen=True)
class FeedSettings:
    limit: int = 50
    daily_days: int = 30
    # Each topic's numbered pages as RFC 5005 archive documents (about 1 KB a story).
    archives: bool = True


class FeedLink(NamedTuple):
    """One feed as a page's `<link rel="alternate">` and the OPML list name it.

    `path` is the feed and `page` the HTML page it follows, both site-relative
    like page URLs, so the adapter can make them relative to each page.
    """

    path: str
    type: str
    title: str
    page: str


@dataclass(frozen=True)
class _Channel:
    title: str
    description: str
    page: str
    rss: str
    atom: str
    json: str


class _History(NamedTuple):
    """An Atom document's place in its channel's history (RFC 5005): `links` as (rel, site
    path) pairs, and whether it is an archive, whose entries never change."""

    links: tuple[tuple[str, str], ...] = ()
    archived: bool = False


class _ArchiveMark(BaseExtension):  # type: ignore[misc]
    """RFC 5005's `<fh:archive/>`, which tells a reader it may keep this document's
    entries for good rather than poll it."""

    def extend_ns(self) -> dict[str, str]:
        return {"fh": HISTORY_NS}

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        etree.SubElement(feed, f"{{{HISTORY_NS}}}archive")
        return feed


def site_feed_links(site: FeedSite) -> list[FeedLink]:
    """The site-wide feeds: RSS, Atom, the daily digest and JSON Feed, in that order."""
    return [
        FeedLink(SITE_RSS, RSS_TYPE, f"{site.title} (RSS)", HOME_URL),
        FeedLink(SITE_ATOM, ATOM_TYPE, f"{site.title} (Atom)", HOME_URL),
        FeedLink(DAILY_RSS, RSS_TYPE, _daily_title(site), HOME_URL),
        FeedLink(SITE_JSON, JSON_TYPE, f"{site.title} (JSON Feed)", HOME_URL),
    ]


def topic_feed_links(topic: Topic, site: FeedSite) -> list[FeedLink]:
    """A topic's RSS, Atom and JSON feeds, for its pages' `<head>`."""
    channel = _topic_channel(topic, site)
    return [
        FeedLink(channel.rss, RSS_TYPE, f"{channel.title} (RSS)", channel.page),
        FeedLink(channel.atom, ATOM_TYPE, f"{channel.title} (Atom)", channel.page),
        FeedLink(channel.json, JSON_TYPE, f"{channel.title} (JSON Feed)", channel.page),
    ]


@dataclass(frozen=True)
class SiteFile:
    """A feed, OPML or sitemap file (an `Output`), its bytes made only when asked for."""

    path: str
    made_of: tuple[Any, ...]
    make: Callable[[], bytes] = field(repr=False, compare=False)


def plan_feeds(
    index: StoryIndex, site: FeedSite, settings: FeedSettings, per_page: int
) -> list[SiteFile]:
    """Every feed of the site: RSS, Atom and JSON for the site and each topic, each topic's
    Atom archives (one per numbered page of `per_page` stories), daily, OPML."""
    entries = _Entries(site)
    fallback = index.articles[0].published if index.articles else EPOCH
    home = _Channel(
        site.title,
        site.summary,
        HOME_URL,
        SITE_RSS,
        SITE_ATOM,
        SITE_JSON,
    )
    feeds = _channel_files(home, index.articles[: settings.limit], _History(), fallback, entries)
    channels = [home]
    for entry in index.topics:
        channel = _topic_channel(entry.topic, site)
        channels.append(channel)
        if not settings.archives:
            shown = entry.articles[: settings.limit]
            feeds += _channel_files(channel, shown, _History(), fallback, entries)
            continue
        front, numbered = paginate(entry.articles, per_page)
        # Together with the archives, the subscription document holds every story
        # (RFC 5005), so it carries at least the front page's.
        shown = entry.articles[: max(settings.limit, len(front))]
        last = len(numbered)
        history = _History(((PREV_ARCHIVE, _archive(entry.topic.slug, last)),) if last else ())
        feeds += _channel_files(channel, shown, history, fallback, entries)
        feeds += _archive_files(channel, entry.topic.slug, numbered, entries)
    days = finished_days(index, settings.daily_days)
    daily = [a for _, group in days for a in group]
    feeds.append(
        SiteFile(DAILY_RSS, (fallback, stories(daily)), partial(_daily, days, site, fallback))
    )
    topics = tuple(entry.topic for entry in index.topics)
    feeds.append(SiteFile(OPML, (topics, "atom"), partial(_opml, channels, site, True)))
    feeds.append(SiteFile(OPML_RSS, (topics, "rss"), partial(_opml, channels, site, False)))
    return feeds


def _archive(slug: str, number: int) -> str:
    return TOPIC_ARCHIVE.format(slug=slug, n=number)


def _channel_files(
    channel: _Channel,
    shown: Sequence[Article],
    history: _History,
    fallback: dt.datetime,
    entries: _Entries,
) -> list[SiteFile]:
    """A channel's RSS, Atom and JSON feeds of the same stories, newest first."""
    site = entries.site
    updated = shown[0].published if shown else fallback
    about = (site, channel.title, channel.description, channel.page)
    made_of = (about[1:], updated, stories(shown))
    feeds = [
        SiteFile(
            channel.rss,
            made_of,
            partial(_channel_feed, about, channel.rss, RSS_TYPE, entries, shown, updated, history),
        ),
        SiteFile(
            channel.atom,
            (*made_of, history),
            partial(
                _channel_feed, about, channel.atom, ATOM_TYPE, entries, shown, updated, history
            ),
        ),
    ]
    json_feed = partial(_json_feed, about, channel.json, entries, shown)
    return [*feeds, SiteFile(channel.json, made_of, json_feed)]


def _archive_files(
    channel: _Channel, slug: str, numbered: Sequence[Sequence[Article]], entries: _Entries
) -> Iterable[SiteFile]:
    """A topic's numbered pages as RFC 5005 archive documents, linked oldest to newest and
    each to the subscription document (`current`), their entries brief (`_Entries.brief`)."""
    site, last = entries.site, len(numbered)
    for number, chunk in enumerate(numbered, start=1):
        path = _archive(slug, number)
        links = [(CURRENT, channel.atom)]
        if number > 1:
            links.append((PREV_ARCHIVE, _archive(slug, number - 1)))
        if number < last:
            links.append((NEXT_ARCHIVE, _archive(slug, number + 1)))
        history = _History(tuple(links), archived=True)
        title = f"{channel.title} (page {number})"
        about = (site, title, channel.description, topic_page_url(slug, number))
        updated = chunk[0].published
        yield SiteFile(
            path,
            (about[1:], updated, stories(chunk), history),
            partial(_channel_feed, about, path, ATOM_TYPE, entries.brief, chunk, updated, history),
        )


def _channel_feed(
    about: tuple[FeedSite, str, str, str],
    path: str,
    mime: str,
    entries: Callable[[Article], FeedEntry],
    shown: Sequence[Article],
    updated: dt.datetime,
    history: _History,
) -> bytes:
    fg = _generator(*about, path, mime)
    if mime == RSS_TYPE:
        return _styled(_with_entries(fg, map(entries, shown), updated).rss_str(pretty=True), path)
    site = about[0]
    for rel, target in history.links:
        fg.link(href=site.absolute(target), rel=rel, type=ATOM_TYPE)
    if history.archived:
        fg.register_extension("fh", _ArchiveMark, atom=True, rss=False)
    return _styled(_with_entries(fg, map(entries, shown), updated).atom_str(pretty=True), path)


def _styled(xml: bytes, path: str) -> bytes:
    """The feed with the processing instruction that points browsers at `FEED_STYLE`,
    relative to the feed so that it holds under a project site's sub-path."""
    declaration, rest = xml.split(b"\n", 1)
    href = "../" * path.count("/") + FEED_STYLE
    return b'%s\n<?xml-stylesheet type="text/xsl" href="%s"?>\n%s' % (
        declaration,
        href.encode(),
        rest,
    )


def _topic_channel(topic: Topic, site: FeedSite) -> _Channel:
    return _Channel(
        f"{topic.name} — {site.title}",
        topic.description or f"Stories about {topic.name} from {site.title}",
        topic_url(topic.slug),
        TOPIC_RSS.format(slug=topic.slug),
        TOPIC_ATOM.format(slug=topic.slug),
        TOPIC_JSON.format(slug=topic.slug),
    )


def _daily_title(site: FeedSite) -> str:
    return f"{site.title} — daily"


def _generator(
    site: FeedSite, title: str, description: str, page: str, path: str, mime: str
) -> FeedGenerator:
    """A feed's channel; `path` is the file itself, whose URL is also its Atom id."""
    fg = FeedGenerator()
    # RSS authors must be e-mail addresses; a story's source goes in dc:creator.
    fg.load_extension("dc", atom=False)
    fg.id(site.absolute(path))
    fg.title(title)
    # RSS readers show a channel's description as HTML; Atom's subtitle is text.
    fg.description(escape(description, quote=False) if mime == RSS_TYPE else description)
    fg.language(site.language)
    fg.generator(GENERATOR)
    # Atom needs an author for every entry; a story without a source is the site's.
    fg.author(name=site.title)
    fg.link(href=site.absolute(path), rel="self", type=mime)
    # Last, because feedgen makes the last link() the RSS channel <link>.
    fg.link(href=site.absolute(page), rel="alternate", type="text/html")
    return fg


def _with_entries(
    fg: FeedGenerator, entries: Iterable[FeedEntry], updated: dt.datetime
) -> FeedGenerator:
    """Add newest-first entries and date the feed by its newest story, never by the clock."""
    for entry in entries:
        # add_entry() prepends by default, which would turn newest-first upside down.
        fg.add_entry(entry, order="append")
    fg.updated(updated)
    fg.pubDate(updated)
    return fg


class _Entries:
    """Builds each story's feed entry once, however many feeds carry it.

    feedgen renders an entry afresh for every feed it is serialised in, so one
    entry object can be shared by the site feeds and all of its topics' feeds;
    so can a JSON Feed item (`item`). Both carry the story's HTML (`html`),
    made once: its note is Markdown, the dearest part of a feed.
    """

    def __init__(self, site: FeedSite):
        self.site = site
        self.scheme = site.absolute(TOPICS_URL)
        self._entries: dict[str, FeedEntry] = {}
        self._briefs: dict[str, FeedEntry] = {}
        self._items: dict[str, dict[str, Any]] = {}
        self._html: dict[str, str] = {}

    def html(self, article: Article) -> str:
        """The story's HTML for feeds (see `_story_html`)."""
        found = self._html.get(article.path)
        if found is None:
            permalink = self.site.absolute(article_url(article))
            found = self._html[article.path] = _story_html(article, permalink, self.site)
        return found

    def item(self, article: Article) -> dict[str, Any]:
        """The story as a JSON Feed item (see `_json_item`)."""
        found = self._items.get(article.path)
        if found is None:
            found = self._items[article.path] = _json_item(article, self.site, self.html(article))
        return found

    def __call__(self, article: Article) -> FeedEntry:
        entry = self._entries.get(article.path)
        if entry is None:
            entry = self._entries[article.path] = self._make(article, full=True)
        return entry

    def brief(self, article: Article) -> FeedEntry:
        """The entry as archive documents carry it: what names the story (its id, which is
        its page here, title, link and dates), so a reader that walks a topic's history
        learns of every story and reads it on its page. With the whole entry, archives
        took 76 MB of a 20,000-story site (3.9 KB a story), three times this."""
        entry = self._briefs.get(article.path)
        if entry is None:
            entry = self._briefs[article.path] = self._make(article, full=False)
        return entry

    def _make(self, a: Article, full: bool) -> FeedEntry:
        permalink = self.site.absolute(article_url(a))
        entry = FeedEntry()
        # Registered by class: `load_extension` first tries to import a module
        # feedgen lacks (`feedgen.ext.dc_entry`), a failed path search per entry.
        entry.register_extension("dc", DcEntryExtension, atom=False)
        entry.guid(permalink, permalink=True)
        entry.title(a.title)
        entry.link(href=a.web_url, rel="alternate")
        entry.published(a.published)
        entry.updated(a.updated or a.published)
        if not full:
            return entry
        if a.provider is not None:
            entry.author(name=a.provider.name)
            entry.dc.dc_creator(a.provider.name)
        if a.topics:
            entry.category([{"term": name, "scheme": self.scheme} for name in a.topics])
        if a.excerpt:
            # Also the RSS <description>; both are HTML, so the excerpt's own
            # `<` and `&` are escaped here and then once more by lxml as XML.
            entry.summary(escape(a.excerpt, quote=False), type="html")
        if full:
            entry.content(self.html(a), type="html")
        return entry


def _story_html(a: Article, permalink: str, site: FeedSite) -> str:
    """The story as a reader sees it here: excerpt, note, other coverage, a way back."""
    parts = [f"<p>{escape(a.excerpt, quote=False)}</p>"] if a.excerpt else []
    note = render_note(a.body, absolute_link(article_url(a), site.url))
    if note:
        parts.append(note)
    if a.related:
        parts.append("<p>More coverage:</p>")
        parts.append(_list(map(_related_line, a.related)))
    name = escape(site.title, quote=False)
    parts.append(f'<p><a href="{escape(permalink)}">Read on {name}</a></p>')
    return "\n".join(parts)


def _json_feed(
    about: tuple[FeedSite, str, str, str], path: str, entries: _Entries, shown: Sequence[Article]
) -> bytes:
    """A channel as JSON Feed 1.1: each item's `id` and `url` the story's page here, as in
    the RSS and Atom feeds, and `external_url` the original (the spec's link-blog field)."""
    site, title, description, page = about
    feed = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": site.absolute(page),
        "feed_url": site.absolute(path),
        "description": description,
        "language": site.language,
        "authors": [{"name": site.title}],
        "items": [entries.item(a) for a in shown],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _json_item(a: Article, site: FeedSite, html: str) -> dict[str, Any]:
    permalink = site.absolute(article_url(a))
    item: dict[str, Any] = {
        "id": permalink,
        "url": permalink,
        "external_url": a.web_url,
        "title": a.title,
        "content_html": html,
    }
    if a.excerpt:
        item["summary"] = a.excerpt
    if a.language:
        item["language"] = a.language
    item["date_published"] = a.published.isoformat()
    item["date_modified"] = (a.updated or a.published).isoformat()
    if a.provider is not None:
        item["authors"] = [{"name": a.provider.name}]
    if a.topics:
        item["tags"] = list(a.topics)
    return item


def _related_line(link: RelatedLink) -> str:
    line = f'<a href="{escape(link.web_url)}">{escape(link.title, quote=False)}</a>'
    return f"{line} ({escape(link.provider.name, quote=False)})" if link.provider else line


def _list(lines: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


def _daily(
    days: list[tuple[dt.date, list[Article]]], site: FeedSite, fallback: dt.datetime
) -> bytes:
    """One item per local day that is over and has stories, the newest `daily_days` of them.

    Only finished days (`finished_days`): an item published while its day
    goes on would change afterwards under the same id, and readers that saw
    it never see the stories added later. Counted in days with stories
    rather than calendar days, so the items depend on the content alone.
    """
    fg = _generator(
        site,
        _daily_title(site),
        f"Every story of the day from {site.title}, one item a day",
        HOME_URL,
        DAILY_RSS,
        RSS_TYPE,
    )
    entries = [_day_entry(day, stories, site) for day, stories in days]
    updated = days[0][1][0].published if days else fallback
    return _styled(_with_entries(fg, entries, updated).rss_str(pretty=True), DAILY_RSS)


def _day_entry(day: dt.date, stories: Sequence[Article], site: FeedSite) -> FeedEntry:
    url = site.absolute(day_url(day))
    entry = FeedEntry()
    entry.guid(url, permalink=True)
    entry.title(f"{site.title} — {long_date(day)}")
    entry.link(href=url, rel="alternate")
    entry.published(stories[0].published)
    entry.updated(stories[0].published)
    count = f"{len(stories)} {plural(len(stories), 'story', 'stories')}"
    entry.summary(
        escape(f"{count}: " + "; ".join(a.title for a in stories), quote=False), type="html"
    )
    entry.content(_list(_day_line(a, site) for a in stories), type="html")
    return entry


def _day_line(a: Article, site: FeedSite) -> str:
    """A story of the day: headline (to its page here), source, the original, the excerpt."""
    line = f'<a href="{escape(site.absolute(article_url(a)))}">{escape(a.title, quote=False)}</a>'
    if a.provider is not None:
        line += f" — {escape(a.provider.name, quote=False)}"
    line += f' (<a href="{escape(a.web_url)}">original</a>)'
    return line + (f"<br>{escape(a.excerpt, quote=False)}" if a.excerpt else "")


def _opml(channels: Sequence[_Channel], site: FeedSite, atom: bool) -> bytes:
    """Every channel once, in one format (`atom`, or RSS), topics grouped under one outline;
    the daily digest, which is RSS only, in both lists."""
    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = site.title
    body = etree.SubElement(opml, "body")
    home, *topics = channels
    _outline(body, home.title, home.atom if atom else home.rss, home.page, site)
    _outline(body, _daily_title(site), DAILY_RSS, HOME_URL, site)
    if topics:
        group = etree.SubElement(body, "outline", text="Topics", title="Topics")
        for channel in topics:
            _outline(
                group, channel.title, channel.atom if atom else channel.rss, channel.page, site
            )
    return etree.tostring(opml, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def _outline(parent: etree._Element, title: str, feed: str, page: str, site: FeedSite) -> None:
    """One subscription; OPML 2.0 calls every feed type "rss", whatever its format."""
    etree.SubElement(
        parent,
        "outline",
        type="rss",
        text=title,
        title=title,
        xmlUrl=site.absolute(feed),
        htmlUrl=site.absolute(page),
    )
