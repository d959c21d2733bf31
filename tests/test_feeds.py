"""Feeds from the core alone: a 600-story corpus in, RSS / Atom / daily / OPML bytes out.

Every feed is parsed back (feedparser, lxml), every Atom feed is validated
against the RELAX NG schema of RFC 4287, and every RSS feed against the rules
a feed validator applies. A failure names the feed path; reproduce the corpus
with `python3 bench/make_corpus.py 600 /tmp/c/articles --seed 3` and
build it with `build()` below.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import lxml.html
import pytest
from jsonschema import Draft202012Validator
from lxml import etree

from generator.content.article import Article, Provider, RelatedLink
from generator.content.corpus import load_corpus
from generator.content.topics import Topic
from generator.site.feeds import (
    FeedSettings,
    FeedSite,
    plan_feeds,
    site_feed_links,
    topic_feed_links,
)
from generator.site.index import StoryIndex, build_index, group_by_day
from generator.site.pages import PageSettings, article_url, paginate
from support import MAKE_CORPUS

SCHEMAS = Path(__file__).resolve().parent / "schemas"
ATOM_RNG = SCHEMAS / "atom.rng"
SITE = FeedSite("AI News Digest", "Curated AI news", "https://owner.github.io/repo/")
SETTINGS = FeedSettings()
PAGES = PageSettings()
UTC = ZoneInfo("UTC")

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "fh": "http://purl.org/syndication/history/1.0",
}
A = "{http://www.w3.org/2005/Atom}"
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)


def _feed_files(digest, site, settings, per_page=PAGES.per_page) -> dict[str, bytes]:
    """Every feed file of the site by its path, as the build writes them."""
    return {feed.path: feed.make() for feed in plan_feeds(digest, site, settings, per_page)}


@dataclass
class Built:
    drafts: frozenset[str]
    digest: StoryIndex
    feeds: dict[str, bytes]
    again: dict[str, bytes]
    reproduce: str

    def channels(self) -> list[tuple[str, str, tuple[Article, ...]]]:
        """(RSS path, Atom path, stories) for the site and for every topic."""
        out = [("feed.xml", "atom.xml", self.digest.articles)]
        for entry in self.digest.topics:
            rss, atom, _ = (link.path for link in topic_feed_links(entry.topic, SITE))
            out.append((rss, atom, entry.articles))
        return out


def build(corpus_dir: Path) -> tuple[StoryIndex, dict[str, bytes]]:
    corpus = load_corpus(corpus_dir)
    assert corpus.errors == [], corpus.errors[:3]
    digest = build_index(corpus.articles, corpus.topics, UTC)
    return digest, _feed_files(digest, SITE, SETTINGS)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """600 stories (about 3% drafts), built twice from two separate loads."""
    assert MAKE_CORPUS.is_file(), f"corpus generator missing: expected {MAKE_CORPUS}"
    folder = tmp_path_factory.mktemp("corpus")
    command = [sys.executable, str(MAKE_CORPUS), "600", str(folder / "articles"), "--seed", "3"]
    subprocess.run(command, check=True, capture_output=True, text=True)
    drafts = frozenset(
        SITE.absolute(article_url(a)) for a in load_corpus(folder).articles if a.is_draft
    )
    digest, feeds = build(folder)
    _, again = build(folder)
    return Built(drafts, digest, feeds, again, " ".join(command[1:]))


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    """RFC 4287 Appendix B (see the file's comment for how it was converted)."""
    return etree.RelaxNG(etree.parse(str(ATOM_RNG)))


def permalink(article: Article) -> str:
    return SITE.absolute(article_url(article))


def rss_items(xml: bytes) -> list[etree._Element]:
    return etree.fromstring(xml).findall("channel/item")


def atom_entries(xml: bytes) -> list[etree._Element]:
    return etree.fromstring(xml).findall(f"{A}entry")


# --- which files, and that they are reproducible -------------------------------------------


def test_every_site_and_topic_feed_is_built(built: Built):
    expected = {"feed.xml", "atom.xml", "feed.json", "daily.xml", "feeds.opml", "feeds-rss.opml"}
    for entry in built.digest.topics:
        slug = entry.topic.slug
        expected |= {f"topics/{slug}/{name}" for name in ("feed.xml", "atom.xml", "feed.json")}
        _, numbered = paginate(entry.articles, PAGES.per_page)
        expected |= {f"topics/{slug}/page/{n}/atom.xml" for n in range(1, len(numbered) + 1)}
    assert set(built.feeds) == expected
    assert any("/page/" in path for path in expected), "the corpus should give archives"
    assert len(built.digest.topics) == 60


def test_link_helpers_name_built_feeds(built: Built):
    paths = [link.path for link in site_feed_links(SITE)]
    for entry in built.digest.topics:
        paths += [link.path for link in topic_feed_links(entry.topic, SITE)]
    archives = {path for path in built.feeds if "/page/" in path}
    assert set(paths) == set(built.feeds) - {"feeds.opml", "feeds-rss.opml"} - archives
    assert [link.type for link in site_feed_links(SITE)] == [
        "application/rss+xml",
        "application/atom+xml",
        "application/rss+xml",
        "application/feed+json",
    ]


def test_two_builds_are_byte_identical(built: Built):
    changed = [path for path in built.feeds if built.feeds[path] != built.again[path]]
    assert changed == [], f"differ between two builds of {built.reproduce}: {changed[:5]}"


def test_guids_are_stable_across_builds(built: Built):
    for rss, atom, _ in built.channels():
        first = [i.findtext("guid") for i in rss_items(built.feeds[rss])]
        assert first == [i.findtext("guid") for i in rss_items(built.again[rss])], rss
        ids = [e.findtext(f"{A}id") for e in atom_entries(built.feeds[atom])]
        assert ids == [e.findtext(f"{A}id") for e in atom_entries(built.again[atom])], atom


# --- what the items are --------------------------------------------------------------------


def test_feedparser_reads_every_feed_without_complaint(built: Built):
    for path, data in built.feeds.items():
        if path.endswith((".opml", ".json")):  # JSON Feed: its own test, with its schema
            continue
        parsed = feedparser.parse(data)
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version in ("rss20", "atom10"), path


def test_json_feeds_follow_json_feed_1_1_and_carry_what_atom_does(built: Built):
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text("utf-8"))
    for _, atom, stories in built.channels():
        path = atom.replace("atom.xml", "feed.json")
        feed = json.loads(built.feeds[path])
        problems = [e.message for e in Draft202012Validator(schema).iter_errors(feed)]
        assert not problems, f"{path}: {problems[:3]}"
        assert feed["feed_url"] == SITE.url + path
        entries = atom_entries(built.feeds[atom])
        assert [i["id"] for i in feed["items"]] == [e.findtext(f"{A}id") for e in entries]
        for item, a in zip(feed["items"], stories, strict=False):
            assert item["url"] == item["id"] == permalink(a)
            assert item["external_url"] == a.web_url and item["title"] == a.title
            assert dt.datetime.fromisoformat(item["date_published"]) == a.published
            assert item.get("tags") == (list(a.topics) or None)
            assert item.get("authors") == ([{"name": a.provider.name}] if a.provider else None)
            fragment = lxml.html.fragment_fromstring(item["content_html"], create_parent="div")
            for href in fragment.xpath(".//a/@href"):
                assert_absolute_http(href, path)


def test_items_are_the_newest_stories_newest_first_without_drafts(built: Built):
    assert built.drafts, "the corpus should hold drafts"
    for rss, atom, stories in built.channels():
        expected = [permalink(a) for a in stories[: SETTINGS.limit]]
        for path in (rss, atom):
            entries = feedparser.parse(built.feeds[path]).entries
            assert len(entries) == min(SETTINGS.limit, len(stories)), path
            assert [e.id for e in entries] == expected, path
            times = [
                dt.datetime(*e.published_parsed[:6], tzinfo=dt.UTC).timestamp() for e in entries
            ]
            assert times == sorted(times, reverse=True), f"{path} is not newest first"
            assert not built.drafts & {e.id for e in entries}, f"{path} carries a draft"
            assert [e.link for e in entries] == [a.web_url for a in stories[: SETTINGS.limit]]


def test_site_feeds_are_full_and_unique(built: Built):
    assert len(built.digest.articles) > SETTINGS.limit
    for path in ("feed.xml", "atom.xml"):
        ids = [e.id for e in feedparser.parse(built.feeds[path]).entries]
        assert len(ids) == SETTINGS.limit
        assert len(set(ids)) == len(ids)
    for rss, atom, _ in built.channels():
        guids = [i.findtext("guid") for i in rss_items(built.feeds[rss])]
        assert len(set(guids)) == len(guids), rss
        ids = [e.findtext(f"{A}id") for e in atom_entries(built.feeds[atom])]
        assert len(set(ids)) == len(ids), atom


def test_feed_date_is_its_newest_item_date(built: Built):
    newest_anywhere = built.digest.articles[0].published
    for rss, atom, stories in built.channels():
        expected = stories[0].published if stories else newest_anywhere
        channel = etree.fromstring(built.feeds[rss]).find("channel")
        for tag in ("lastBuildDate", "pubDate"):
            assert parsedate_to_datetime(channel.findtext(tag)) == expected, f"{rss} {tag}"
        items = channel.findall("item")
        if items:
            assert channel.findtext("lastBuildDate") == items[0].findtext("pubDate")
        feed = etree.fromstring(built.feeds[atom])
        assert dt.datetime.fromisoformat(feed.findtext(f"{A}updated")) == expected, atom


def test_story_with_three_topics_is_in_each_topic_feed(built: Built):
    story = next(a for a in built.digest.articles[:100] if len(a.topics) == 3)
    for name in story.topics:
        for link in topic_feed_links(built.digest.by_topic[name].topic, SITE):
            if link.path.endswith(".json"):
                ids = {i["id"] for i in json.loads(built.feeds[link.path])["items"]}
            else:
                ids = {e.id for e in feedparser.parse(built.feeds[link.path]).entries}
            assert permalink(story) in ids, f"{story.path} missing from {link.path}"


def test_items_carry_source_topics_and_content(built: Built):
    by_link = {permalink(a): a for a in built.digest.articles}
    for item in rss_items(built.feeds["feed.xml"]):
        story = by_link[item.findtext("guid")]
        assert item.find("guid").get("isPermaLink") == "true"
        assert [c.text for c in item.findall("category")] == list(story.topics)
        content = lxml.html.fragment_fromstring(
            item.findtext("content:encoded", namespaces=NS), create_parent="div"
        )
        hrefs = content.xpath(".//a/@href")
        # Links of the curator's note come first, then the related coverage, then the way back.
        assert hrefs[-1] == permalink(story)
        assert hrefs[len(hrefs) - 1 - len(story.related) : -1] == [r.web_url for r in story.related]
        if story.excerpt:
            assert unescape(item.findtext("description")) == story.excerpt
    for entry in atom_entries(built.feeds["atom.xml"]):
        story = by_link[entry.findtext(f"{A}id")]
        assert entry.findtext(f"{A}published") == entry.findtext(f"{A}updated")
        assert entry.findtext(f"{A}author/{A}name") == story.provider.name
        assert entry.find(f"{A}content").get("type") == "html"


def test_urls_keep_the_sites_sub_path(built: Built):
    for rss, atom, _ in built.channels():
        channel = etree.fromstring(built.feeds[rss]).find("channel")
        assert channel.findtext("link").startswith(SITE.url), rss
        for guid in channel.findall("item/guid"):
            assert guid.text.startswith("https://owner.github.io/repo/news/"), rss
        feed = etree.fromstring(built.feeds[atom])
        assert feed.findtext(f"{A}id") == SITE.url + atom
        for entry in feed.findall(f"{A}entry"):
            assert entry.findtext(f"{A}id").startswith("https://owner.github.io/repo/news/")


# --- Atom: the RFC 4287 schema -------------------------------------------------------------


def test_every_atom_feed_is_valid_rfc4287(built: Built, atom_schema: etree.RelaxNG):
    for atom in (path for path in built.feeds if path.endswith("atom.xml")):
        doc = etree.fromstring(built.feeds[atom])
        assert atom_schema.validate(doc), f"{atom}: {atom_schema.error_log}"
        assert_atom_schematron_rules(doc, atom)
        (self_link,) = doc.findall(f"{A}link[@rel='self']")
        assert self_link.get("href") == doc.findtext(f"{A}id") == SITE.absolute(atom)


def assert_atom_schematron_rules(feed: etree._Element, where: str) -> None:
    """The two `s:rule`s of Appendix B, which lxml's RELAX NG leaves out as annotations."""
    entries = feed.findall(f"{A}entry")
    assert feed.find(f"{A}author") is not None or all(
        e.find(f"{A}author") is not None for e in entries
    ), f"{where}: an entry has no author and the feed has none"
    for entry in entries:
        links = entry.xpath("atom:link[@rel='alternate' or not(@rel)]", namespaces=NS)
        assert links or entry.find(f"{A}content") is not None, where


def test_schema_rejects_a_feed_without_id(built: Built, atom_schema: etree.RelaxNG):
    """The converted schema really validates: drop a required element and it fails."""
    doc = etree.fromstring(built.feeds["atom.xml"])
    doc.remove(doc.find(f"{A}id"))
    assert not atom_schema.validate(doc)


# --- RSS 2.0: what a validator checks -----------------------------------------------------


def assert_rfc822(value: str | None, where: str) -> dt.datetime:
    assert value and RFC822.match(value), f"{where}: not an RFC 822 date: {value!r}"
    return parsedate_to_datetime(value)


def assert_absolute_http(url: str | None, where: str) -> None:
    parts = urlsplit(url or "")
    assert parts.scheme in ("http", "https") and parts.netloc, f"{where}: {url!r}"


def assert_valid_rss(data: bytes, path: str, providers: dict[str, Provider | None]) -> None:
    root = etree.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0", path
    channel = root.find("channel")
    for tag in ("title", "link", "description"):
        assert (channel.findtext(tag) or "").strip(), f"{path}: channel has no {tag}"
    assert_absolute_http(channel.findtext("link"), f"{path} channel link")
    assert_rfc822(channel.findtext("lastBuildDate"), f"{path} lastBuildDate")
    assert_rfc822(channel.findtext("pubDate"), f"{path} pubDate")
    selfs = channel.findall("atom:link[@rel='self']", namespaces=NS)
    assert [s.get("href") for s in selfs] == [SITE.absolute(path)], path
    for item in channel.findall("item"):
        guid = item.findtext("guid")
        where = f"{path} item {guid}"
        assert item.findtext("title") or item.findtext("description"), where
        assert_absolute_http(item.findtext("link"), where)
        assert guid, f"{path}: item without guid"
        assert_rfc822(item.findtext("pubDate"), where)
        if guid in providers:
            provider = providers[guid]
            creators = [c.text for c in item.findall("dc:creator", namespaces=NS)]
            assert creators == ([provider.name] if provider else []), where
            assert item.find("author") is None, f"{where}: RSS <author> needs an e-mail"


def test_every_rss_feed_passes_rss_rules(built: Built):
    providers = {permalink(a): a.provider for a in built.digest.articles}
    for rss, _, _ in built.channels():
        assert_valid_rss(built.feeds[rss], rss, providers)
    assert_valid_rss(built.feeds["daily.xml"], "daily.xml", providers)


# --- daily.xml and feeds.opml --------------------------------------------------------------


def test_daily_has_one_item_per_day_with_that_days_stories(built: Built):
    days = group_by_day(built.digest.articles, built.digest.tz)
    items = rss_items(built.feeds["daily.xml"])
    assert len(items) == min(SETTINGS.daily_days, len(days))
    for item, (day, stories) in zip(items, days, strict=False):
        url = f"https://owner.github.io/repo/archive/{day:%Y}/{day:%m}/#{day.isoformat()}"
        assert item.findtext("link") == item.findtext("guid") == url
        assert day.strftime("%B") in item.findtext("title")
        assert item.findtext("title").startswith(f"{SITE.title} — ")
        assert parsedate_to_datetime(item.findtext("pubDate")) == stories[0].published
        summary = unescape(item.findtext("description"))
        assert summary.startswith(f"{len(stories)} stor") and stories[-1].title in summary
        content = item.findtext("content:encoded", namespaces=NS)
        listed = lxml.html.fragment_fromstring(content, create_parent="div")
        lines = listed.xpath(".//li")
        assert len(lines) == len(stories), f"daily.xml {day}"
        for line, a in zip(lines, stories, strict=True):
            links = line.xpath(".//a/@href")
            assert links == [permalink(a), a.web_url], f"daily.xml {day}"
            text = line.text_content()
            assert a.title in text and (a.excerpt or "") in text
            assert a.provider is None or a.provider.name in text


def test_daily_holds_only_days_that_are_over_in_the_site_s_zone():
    """The build's day in the site's zone is still going on: its stories wait for the first
    build after its midnight, so an item never changes once published."""
    tokyo = ZoneInfo("Asia/Tokyo")
    # 1 March 10:00 and 20:00 UTC: in Tokyo 19:00 on the 1st and 05:00 on the 2nd.
    times = [dt.datetime(2024, 3, 1, hour, tzinfo=dt.UTC) for hour in (10, 20)]
    stories = [story(f"s{i}", when) for i, when in enumerate(times)]
    topics = {"AI": Topic("AI", "ai")}

    def feeds_on(today: dt.date) -> dict[str, bytes]:
        return _feed_files(build_index(stories, topics, tokyo, today=today), SITE, SETTINGS)

    (item,) = rss_items(feeds_on(dt.date(2024, 3, 2))["daily.xml"])
    assert "1 March 2024" in item.findtext("title")
    assert item.findtext("description").startswith("1 story: s0")
    # The day's stories reach the site's other feeds at once.
    assert len(rss_items(feeds_on(dt.date(2024, 3, 2))["feed.xml"])) == 2
    later = rss_items(feeds_on(dt.date(2024, 3, 3))["daily.xml"])
    assert ["2 March 2024" in i.findtext("title") for i in later] == [True, False]
    assert etree.tostring(later[1]) == etree.tostring(item), "a published day never changes"


def test_daily_counts_days_with_stories_not_calendar_days():
    """Stories months apart still fill the daily feed: "now" plays no part."""
    stories = [story(f"s{i}", dt.datetime(2020 + i, 1, 1, 12, tzinfo=dt.UTC)) for i in range(3)]
    digest = build_index(stories, {"AI": Topic("AI", "ai")}, UTC)
    feeds = _feed_files(digest, SITE, FeedSettings(daily_days=2))
    titles = [i.findtext("title") for i in rss_items(feeds["daily.xml"])]
    assert titles == [
        f"{SITE.title} — Saturday, 1 January 2022",
        f"{SITE.title} — Friday, 1 January 2021",
    ]


@pytest.mark.parametrize(("opml", "kind"), [("feeds.opml", "atom"), ("feeds-rss.opml", "rss")])
def test_an_opml_lists_each_channel_once_in_one_format(built: Built, opml: str, kind: str):
    root = etree.fromstring(built.feeds[opml])
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == SITE.title
    feeds = root.xpath("//outline[@xmlUrl]")
    assert all(o.get("type") == "rss" and o.get("text") for o in feeds)
    urls = [o.get("xmlUrl") for o in feeds]
    for url in urls:
        assert_absolute_http(url, opml)
        assert url.startswith(SITE.url) and url[len(SITE.url) :] in built.feeds, url
    channels = [(rss, atom) for rss, atom, _ in built.channels()]
    expected = [SITE.url + (atom if kind == "atom" else rss) for rss, atom in channels]
    # Each channel once, in the OPML's format; the daily digest (RSS only) too.
    assert sorted(urls) == sorted([*expected, SITE.url + "daily.xml"])
    (topics,) = root.xpath("/opml/body/outline[@text='Topics']")
    assert len(topics) == len(built.digest.topics)
    names = {o.get("text") for o in topics}
    assert names == {f"{entry.topic.name} — {SITE.title}" for entry in built.digest.topics}


# --- edge cases on small digests -----------------------------------------------------------


def story(slug: str, when: dt.datetime, **fields: object) -> Article:
    values: dict[str, object] = {
        "path": f"articles/{when:%Y-%m-%d}-{slug}.md",
        "slug": slug,
        "date": when.date(),
        "title": slug,
        "published": when,
        "web_url": f"https://example.com/{slug}",
        "topics": ("AI",),
        "provider": Provider("Example", "example.com"),
    }
    return Article(**{**values, **fields})


HOSTILE = "<script>alert(1)</script> & Co"


def test_content_is_escaped_never_live_markup():
    article = story(
        "hostile",
        dt.datetime(2024, 2, 21, 13, 31, tzinfo=dt.UTC),
        title=HOSTILE,
        excerpt=HOSTILE,
        body=f"A note {HOSTILE}\n\n<script>alert(2)</script>",
        provider=Provider("A & B <i>", "ab.example"),
        related=(RelatedLink(HOSTILE, "https://example.org/x?a=1&b=2"),),
    )
    digest = build_index([article], {"AI": Topic("AI", "ai")}, UTC)
    feeds = _feed_files(digest, SITE, SETTINGS)
    for path in ("feed.xml", "atom.xml", "topics/ai/feed.xml", "daily.xml"):
        assert not feedparser.parse(feeds[path]).bozo, path
    (item,) = rss_items(feeds["feed.xml"])
    (entry,) = atom_entries(feeds["atom.xml"])
    (day,) = rss_items(feeds["daily.xml"])
    assert item.findtext("title") == entry.findtext(f"{A}title") == HOSTILE
    decoded = [
        item.findtext("description"),
        item.findtext("content:encoded", namespaces=NS),
        entry.findtext(f"{A}content"),
        entry.findtext(f"{A}summary"),
        day.findtext("description"),
    ]
    for html in decoded:
        tree = lxml.html.fragment_fromstring(html, create_parent="div")
        assert tree.xpath("//script") == [], html
        assert "<script>alert(1)</script>" in tree.text_content(), html
    content = lxml.html.fragment_fromstring(decoded[1], create_parent="div")
    assert "https://example.org/x?a=1&b=2" in content.xpath(".//a/@href")
    assert "alert(2)" not in decoded[1]


def test_topic_without_stories_gets_valid_empty_feeds(atom_schema: etree.RelaxNG):
    when = dt.datetime(2024, 2, 21, 13, 31, tzinfo=dt.UTC)
    topics = {"AI": Topic("AI", "ai"), "Quiet": Topic("Quiet", "quiet", "Nothing yet")}
    digest = build_index([story("one", when)], topics, UTC)
    feeds = _feed_files(digest, SITE, SETTINGS)
    rss, atom = feeds["topics/quiet/feed.xml"], feeds["topics/quiet/atom.xml"]
    assert rss_items(rss) == [] and atom_entries(atom) == []
    assert_valid_rss(rss, "topics/quiet/feed.xml", {})
    assert atom_schema.validate(etree.fromstring(atom)), atom_schema.error_log
    channel = etree.fromstring(rss).find("channel")
    assert channel.findtext("title") == f"Quiet — {SITE.title}"
    assert channel.findtext("description") == "Nothing yet"
    assert channel.findtext("link") == "https://owner.github.io/repo/topics/quiet/"
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == when
    ai = etree.fromstring(feeds["topics/ai/feed.xml"]).find("channel")
    assert ai.findtext("description") == f"Stories about AI from {SITE.title}"


def test_empty_digest_is_dated_at_the_epoch(atom_schema: etree.RelaxNG):
    feeds = _feed_files(build_index([], {}, UTC), SITE, SETTINGS)
    assert set(feeds) == {
        *("feed.xml", "atom.xml", "feed.json", "daily.xml", "feeds.opml", "feeds-rss.opml")
    }
    feed = etree.fromstring(feeds["atom.xml"])
    assert atom_schema.validate(feed), atom_schema.error_log
    assert dt.datetime.fromisoformat(feed.findtext(f"{A}updated")) == dt.datetime(
        1970, 1, 1, tzinfo=dt.UTC
    )
    for path in ("feed.xml", "daily.xml"):
        assert_valid_rss(feeds[path], path, {})
        when = etree.fromstring(feeds[path]).findtext("channel/lastBuildDate")
        assert when == "Thu, 01 Jan 1970 00:00:00 +0000"


def test_limit_is_respected_per_feed():
    stories = [
        story(f"s{i:02d}", dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=i))
        for i in range(12)
    ]
    digest = build_index(stories, {"AI": Topic("AI", "ai")}, UTC)
    # Two stories a page: the topic's front page (4) is within the limit.
    feeds = _feed_files(digest, SITE, FeedSettings(limit=5), per_page=2)
    for path in ("feed.xml", "atom.xml", "topics/ai/feed.xml", "topics/ai/atom.xml"):
        ids = [e.id for e in feedparser.parse(feeds[path]).entries]
        assert ids == [permalink(a) for a in stories[::-1][:5]], path


# --- RFC 5005: a topic's archive documents -------------------------------------------------

HISTORY_RELS = ("current", "prev-archive", "next-archive")


def _hourly(count: int) -> list[Article]:
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    return [story(f"s{i:02d}", start + dt.timedelta(hours=i)) for i in range(count)]


def _archived(stories: list[Article], limit: int = 3) -> dict[str, bytes]:
    """The feeds of one topic of `stories`, four stories to a numbered page."""
    digest = build_index(stories, {"AI": Topic("AI", "ai")}, UTC)
    return _feed_files(digest, SITE, FeedSettings(limit=limit), per_page=4)


def _history(doc: etree._Element) -> dict[str, str]:
    """A document's RFC 5005 links by rel, as site paths."""
    links = {link.get("rel"): link.get("href") for link in doc.findall(f"{A}link")}
    return {rel: links[rel].removeprefix(SITE.url) for rel in HISTORY_RELS if rel in links}


def test_walking_a_topic_s_archives_from_its_feed_gives_every_story_once(atom_schema):
    stories = _hourly(41)  # 9 numbered pages of 4 and a front page of 5
    feeds = _archived(stories)
    path, walked, seen = "topics/ai/atom.xml", [], []
    while path:  # as an RFC 5005 client does: the subscription document, then back
        doc = etree.fromstring(feeds[path])
        assert atom_schema.validate(doc), f"{path}: {atom_schema.error_log}"
        walked.append(path)
        seen += [e.findtext(f"{A}id") for e in doc.findall(f"{A}entry")]
        path = _history(doc).get("prev-archive")
    assert walked[1:] == [f"topics/ai/page/{n}/atom.xml" for n in range(9, 0, -1)]
    assert len(seen) == len(set(seen)) == len(stories)
    assert set(seen) == {permalink(a) for a in stories}
    # The subscription document holds the whole front page, past the limit of 3.
    subscription = etree.fromstring(feeds["topics/ai/atom.xml"])
    assert len(subscription.findall(f"{A}entry")) == 5
    assert subscription.find("fh:archive", NS) is None
    assert all(a in feeds["feed.xml"].decode() for a in ("s40", "s38")) and "s37" not in (
        feeds["feed.xml"].decode()
    ), "the site feed keeps its limit"


def test_each_archive_is_its_numbered_page_linked_to_its_neighbours():
    stories = _hourly(41)
    feeds = _archived(stories)
    for n in range(1, 10):
        path = f"topics/ai/page/{n}/atom.xml"
        doc = etree.fromstring(feeds[path])
        assert doc.find("fh:archive", NS) is not None, path
        expected = {"current": "topics/ai/atom.xml"}
        if n > 1:
            expected["prev-archive"] = f"topics/ai/page/{n - 1}/atom.xml"
        if n < 9:
            expected["next-archive"] = f"topics/ai/page/{n + 1}/atom.xml"
        assert _history(doc) == expected, path
        (alternate,) = doc.xpath("atom:link[@rel='alternate']/@href", namespaces=NS)
        assert alternate == SITE.absolute(f"topics/ai/page/{n}/")
        ids = [e.findtext(f"{A}id") for e in doc.findall(f"{A}entry")]
        oldest = 4 * (n - 1)
        assert ids == [permalink(a) for a in stories[oldest : oldest + 4][::-1]], path
        assert doc.findtext(f"{A}id") == SITE.absolute(path)
        # Each story as a brief entry (id, title, link, dates): its page has the rest.
        for entry in doc.findall(f"{A}entry"):
            assert entry.find(f"{A}content") is None and entry.findtext(f"{A}title"), path
            assert entry.findtext(f"{A}published") and entry.find(f"{A}link") is not None
    subscription = etree.fromstring(feeds["topics/ai/atom.xml"])
    assert all(e.find(f"{A}content") is not None for e in subscription.findall(f"{A}entry"))


def test_archives_do_not_change_as_stories_are_added():
    before = _archived(_hourly(41))
    same_pages = _archived(_hourly(42))
    archives = [path for path in before if "/page/" in path]
    assert len(archives) == 9
    assert all(same_pages[path] == before[path] for path in archives)
    assert same_pages["topics/ai/atom.xml"] != before["topics/ai/atom.xml"]
    new_page = _archived(_hourly(45))  # a tenth page: the ninth gains a link, no entry
    assert all(new_page[path] == before[path] for path in archives if "/9/" not in path)
    ninth = "topics/ai/page/9/atom.xml"
    assert _history(etree.fromstring(new_page[ninth]))["next-archive"] == (
        "topics/ai/page/10/atom.xml"
    )
    ids = [e.findtext(f"{A}id") for e in atom_entries(new_page[ninth])]
    assert ids == [e.findtext(f"{A}id") for e in atom_entries(before[ninth])]
    current = _history(etree.fromstring(new_page["topics/ai/atom.xml"]))
    assert current == {"prev-archive": "topics/ai/page/10/atom.xml"}


@pytest.mark.parametrize("url", ["https://owner.github.io/repo", "/repo/", "ftp://x/"])
def test_site_url_must_be_absolute_with_trailing_slash(url: str):
    with pytest.raises(ValueError, match="feed site url"):
        FeedSite("T", "D", url)


def test_a_note_s_relative_links_reach_every_feed_absolute():
    """Readers show a feed away from the site: a link from the story's page (`../../28/x/`)
    or from the site's root (`/news/…`) must name the page on the site, under its sub-path."""
    body = "See [the day before](../../28/x/), [a month](/archive/2024/02/#p) and [this](#top)."
    when = dt.datetime(2024, 2, 29, 12, tzinfo=dt.UTC)
    article = story("noted", when, body=body, excerpt="With an excerpt.")
    digest = build_index([article], {"AI": Topic("AI", "ai")}, UTC)
    feeds = _feed_files(digest, SITE, SETTINGS)
    page = "https://owner.github.io/repo/news/2024/02/29/noted/"
    expected = [
        "https://owner.github.io/repo/news/2024/02/28/x/",
        "https://owner.github.io/repo/archive/2024/02/#p",
        page + "#top",
        page,  # "Read on …"
    ]
    contents = [
        rss_items(feeds["feed.xml"])[0].findtext("content:encoded", namespaces=NS),
        atom_entries(feeds["atom.xml"])[0].findtext(f"{A}content"),
        json.loads(feeds["feed.json"])["items"][0]["content_html"],
    ]
    for html in contents:
        fragment = lxml.html.fragment_fromstring(html, create_parent="div")
        assert fragment.xpath(".//a/@href") == expected


def test_a_corrected_story_is_updated_in_atom_and_json_under_the_same_id():
    published = dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC)
    corrected = dt.datetime(2024, 2, 3, 17, 30, tzinfo=dt.UTC)
    topics = {"AI": Topic("AI", "ai")}
    before = _feed_files(build_index([story("fixed", published)], topics, UTC), SITE, SETTINGS)
    after = _feed_files(
        build_index([story("fixed", published, updated=corrected)], topics, UTC), SITE, SETTINGS
    )
    (old,), (new,) = atom_entries(before["atom.xml"]), atom_entries(after["atom.xml"])
    assert new.findtext(f"{A}id") == old.findtext(f"{A}id")
    assert dt.datetime.fromisoformat(new.findtext(f"{A}published")) == published
    assert dt.datetime.fromisoformat(new.findtext(f"{A}updated")) == corrected
    assert dt.datetime.fromisoformat(old.findtext(f"{A}updated")) == published
    (item,) = json.loads(after["feed.json"])["items"]
    assert dt.datetime.fromisoformat(item["date_modified"]) == corrected
    assert dt.datetime.fromisoformat(item["date_published"]) == published


def test_without_archives_a_topic_s_feed_keeps_its_limit_and_links_no_history():
    digest = build_index(_hourly(41), {"AI": Topic("AI", "ai")}, UTC)
    feeds = _feed_files(digest, SITE, FeedSettings(limit=3, archives=False), per_page=4)
    assert not [path for path in feeds if "/page/" in path]
    subscription = etree.fromstring(feeds["topics/ai/atom.xml"])
    assert _history(subscription) == {} and len(subscription.findall(f"{A}entry")) == 3
