"""Feeds as a built site carries them: files, autodiscovery, visible links, reproducible bytes."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import yaml
from lxml import etree

from generator.cli import main as digest
from support import FIXTURES, MAKE_CORPUS, Site, build, resolve, write_config

BASE = "https://owner.github.io/repo/"
TOPICS = ["ai", "ai-in-finance", "microsoft-ai", "robotics"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    code, built = build(
        tmp_path_factory.mktemp("feeds"), FIXTURES / "valid", site_url=BASE, per_page=3
    )
    assert code == 0, built.command
    return built


JSON = "application/feed+json"
ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"atom": "http://www.w3.org/2005/Atom"}


def alternates(site: Site, url: str) -> list[tuple[str, str]]:
    """(type, absolute href) of a page's feed autodiscovery links."""
    page = site.page(url)
    return [
        (link["type"], urljoin(BASE + url, link["href"]))
        for link in page.select('head link[rel="alternate"]')
        if link.get("type") in ("application/rss+xml", "application/atom+xml", JSON)
    ]


def test_every_feed_file_is_written(site: Site):
    expected = ["feed.xml", "atom.xml", "feed.json", "daily.xml", "feeds.opml", "feeds-rss.opml"]
    names = ("feed.xml", "atom.xml", "feed.json")
    expected += [f"topics/{slug}/{name}" for slug in TOPICS for name in names]
    for path in expected:
        assert (site.root / path).is_file(), f"{path} missing; reproduce: {site.command}"
    parsed = feedparser.parse((site.root / "topics" / "robotics" / "feed.xml").read_bytes())
    assert not parsed.bozo and parsed.entries == []


def test_every_page_links_the_site_feeds_and_a_topic_page_its_own_first(site: Site):
    site_feeds = [
        ("application/rss+xml", BASE + "feed.xml"),
        ("application/atom+xml", BASE + "atom.xml"),
        ("application/rss+xml", BASE + "daily.xml"),
        (JSON, BASE + "feed.json"),
    ]
    assert alternates(site, "") == site_feeds
    assert alternates(site, "archive/") == site_feeds
    # A reader that takes a topic page's first feed gets the topic, not the whole site.
    for url in ("topics/ai-in-finance/", "topics/ai/page/1/"):
        topic = url.split("/")[1]
        assert alternates(site, url) == [
            ("application/rss+xml", BASE + f"topics/{topic}/feed.xml"),
            ("application/atom+xml", BASE + f"topics/{topic}/atom.xml"),
            (JSON, BASE + f"topics/{topic}/feed.json"),
            *site_feeds,
        ], url
    story = alternates(site, "news/2024/03/01/alpha-first-story/")
    assert story == site_feeds
    for _, href in story:
        assert (site.root / urlsplit(href).path.removeprefix("/repo/")).is_file(), href


def test_topic_pages_show_a_feed_link_and_topics_links_the_opml(site: Site):
    page = site.page("topics/ai/page/1/")
    visible = [resolve("topics/ai/page/1/", a["href"]) for a in page.select("a.dg-feed")]
    assert visible == ["topics/ai/feed.xml", "topics/ai/atom.xml", "topics/ai/feed.json"]
    assert page.select_one("a.dg-feed .dg-icon--rss") is not None, "the RSS icon"
    topics = site.page("topics/")
    assert [a["href"] for a in topics.select("a.dg-opml")] == [
        "../feeds.opml",
        "../feeds-rss.opml",
    ]


def test_daily_items_point_at_day_anchors_that_exist(site: Site):
    daily = feedparser.parse((site.root / "daily.xml").read_bytes())
    assert not daily.bozo and daily.entries
    for entry in daily.entries:
        parts = urlsplit(entry.link)
        path, anchor = parts.path.removeprefix("/repo/"), parts.fragment
        assert site.page(path).find(id=anchor) is not None, entry.link


def test_feed_items_link_the_original_and_identify_by_permalink(site: Site):
    feed = feedparser.parse((site.root / "topics" / "ai-in-finance" / "feed.xml").read_bytes())
    first = feed.entries[0]
    assert first.link == "https://source.example.com/alpha-first-story"
    assert first.id == BASE + "news/2024/03/01/alpha-first-story/"
    assert (site.root / "news/2024/03/01/alpha-first-story/index.html").is_file()


def test_sitemap_lists_every_page_dated_by_what_it_shows_not_the_clock(site: Site):
    """A story page by its story's day; a list by its newest story's; a page that lists no
    story (the archive) by the newest story of the site. Read from the pages' own times."""
    sitemap = (site.root / "sitemap.xml").read_text(encoding="utf-8")
    listed = re.findall(r"<loc>(.*?)</loc>\s*(?:<lastmod>(.*?)</lastmod>)?", sitemap)
    assert len(listed) == sitemap.count("<url>")
    dated = {url: day for url, day in listed if day}
    pages = {
        BASE + p.relative_to(site.root).parent.as_posix().removeprefix(".") + "/"
        for p in site.root.rglob("index.html")
    }
    assert {url for url, _ in listed} == {url.replace("repo//", "repo/") for url in pages}
    shown = {url: _times(site, url.removeprefix(BASE)) for url, _ in listed}
    newest = max(max(times) for times in shown.values() if times)
    for url, day in listed:
        if not day:  # a topic with no story yet: nothing on it has a date
            assert not shown[url] and "/topics/" in url, url
            continue
        expected = max(shown[url]) if shown[url] else newest
        assert day == expected.astimezone(dt.UTC).date().isoformat(), url
    assert len(set(dated.values())) > 2, "every page dated alike"
    assert gzip.decompress((site.root / "sitemap.xml.gz").read_bytes()) == sitemap.encode()
    assert "SOURCE_DATE_EPOCH" not in os.environ, "the build must not leak its epoch"


def _times(site: Site, url: str) -> list[dt.datetime]:
    """The times of the stories a page shows (day headings, which carry no time, left out)."""
    found = site.page(url).select("main time[datetime]")
    return [dt.datetime.fromisoformat(t["datetime"]) for t in found if "T" in t["datetime"]]


def test_a_build_without_site_url_is_an_error_that_says_so(tmp_path: Path, capsys):
    config = write_config(tmp_path, FIXTURES / "valid")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    del data["site_url"]
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert digest(["build", "-f", str(config), "--site-dir", str(tmp_path / "site")]) == 1
    assert "set 'site_url' in mkdocs.yml" in capsys.readouterr().err


def test_two_builds_of_a_600_story_corpus_are_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Also when one build parses and renders in worker processes and the other in one."""
    assert MAKE_CORPUS.is_file(), f"corpus generator missing at {MAKE_CORPUS}"
    content = tmp_path / "content"
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), "600", str(content / "articles"), "--seed", "2"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    sites = []
    for name, cores in (("one", 2), ("two", 1)):
        (tmp_path / name).mkdir()
        monkeypatch.setattr(os, "cpu_count", lambda cores=cores: cores)
        code, built = build(tmp_path / name, content, site_url=BASE)
        assert code == 0, built.command
        sites.append(built.root)
    files = [{p.relative_to(s): p.read_bytes() for p in s.rglob("*") if p.is_file()} for s in sites]
    assert files[0].keys() == files[1].keys()
    differ = [str(p) for p in files[0] if files[0][p] != files[1][p]]
    assert differ == [], f"differ between two builds: {differ[:10]}"
    topic_feeds = [p for p in files[0] if p.match("topics/*/feed.xml")]
    assert len(topic_feeds) == 60
    for path in topic_feeds:
        assert not feedparser.parse(files[0][path]).bozo, path


def test_daily_publishes_a_day_once_the_build_s_clock_has_passed_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The fixture's newest day is 1 March 2024 (UTC, the site's zone): a build late that
    day leaves it out of daily.xml, the first build after midnight adds it, and the items
    of the days before stay as they were."""

    def daily_at(moment: dt.datetime, folder: str) -> list[dict]:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
        code, site = build(tmp_path / folder, FIXTURES / "valid", "--no-cache")
        assert code == 0, site.command
        return feedparser.parse((site.root / "daily.xml").read_bytes()).entries

    (tmp_path / "late").mkdir()
    (tmp_path / "after").mkdir()
    late = daily_at(dt.datetime(2024, 3, 1, 23, 59, tzinfo=dt.UTC), "late")
    after = daily_at(dt.datetime(2024, 3, 2, 0, 1, tzinfo=dt.UTC), "after")
    assert late and "1 March 2024" not in late[0].title
    assert "1 March 2024" in after[0].title
    kept = len(after) - 1  # past daily_days, the oldest day leaves as the new one arrives
    assert [(e.id, e.content[0].value) for e in after[1:]] == [
        (e.id, e.content[0].value) for e in late[:kept]
    ]


def _feed_paths(site: Site) -> list[str]:
    """Every RSS and Atom file of the site, as site paths."""
    return sorted(
        path.relative_to(site.root).as_posix()
        for path in site.root.rglob("*.xml")
        if path.name in ("feed.xml", "atom.xml", "daily.xml")
    )


def test_each_numbered_topic_page_has_its_archive_feed_beside_it(site: Site):
    pages = {p.parent for p in site.root.glob("topics/*/page/*/index.html")}
    archives = {p.parent for p in site.root.glob("topics/*/page/*/atom.xml")}
    assert pages and archives == pages, site.command
    for folder in sorted(archives):
        doc = etree.parse(str(folder / "atom.xml")).getroot()
        links = {link.get("rel"): link.get("href") for link in doc.findall(f"{ATOM}link")}
        here = folder.relative_to(site.root).as_posix() + "/"
        assert links["alternate"] == BASE + here
        assert links["current"] == BASE + here.split("page/")[0] + "atom.xml"
        for rel in ("prev-archive", "next-archive"):
            if rel in links:
                assert (site.root / links[rel].removeprefix(BASE)).is_file(), (here, rel)
        assert doc.find("{http://purl.org/syndication/history/1.0}archive") is not None


def test_a_browser_opening_a_feed_is_shown_what_it_is_and_its_stories(site: Site):
    """Every RSS and Atom file names the theme's stylesheet, relative to itself; applied (by
    libxslt, as browsers do), it gives a page with the feed's title, its address to copy
    into a feed reader and a link per story."""
    paths = _feed_paths(site)
    assert any("/page/" in path for path in paths) and "daily.xml" in paths
    for path in paths:
        tree = etree.parse(str(site.root / path))
        (instruction,) = [
            node
            for node in tree.xpath("/processing-instruction('xml-stylesheet')")
            if node.get("type") == "text/xsl"
        ]
        stylesheet = site.root / resolve(path, instruction.get("href"))
        assert stylesheet.is_file(), (path, instruction.get("href"))
        page = etree.XSLT(etree.parse(str(stylesheet)))(tree).getroot()
        feed = tree.getroot()
        title = feed.findtext("channel/title") or feed.findtext(f"{ATOM}title")
        assert page.findtext(".//h1") == title, path
        (address,) = page.xpath("//code[@class='address']/text()")
        assert address == BASE + path
        items = feed.xpath("channel/item/guid/text() | atom:entry/atom:id/text()", namespaces=NS)
        assert page.xpath("//li/a/@href") == items, path
        assert "This is a web feed" in page.findtext(".//h2")


def test_topic_archives_false_leaves_the_archive_feeds_out(tmp_path: Path):
    code, site = build(
        tmp_path, FIXTURES / "valid", site_url=BASE, per_page=3, topic_archives=False
    )
    assert code == 0, site.command
    assert list(site.root.glob("topics/*/page/*/index.html"))
    assert not list(site.root.glob("topics/*/page/*/atom.xml"))
    assert 'rel="prev-archive"' not in (site.root / "topics" / "ai" / "atom.xml").read_text("utf-8")
