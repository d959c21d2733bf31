"""What a shared link previews and what search engines read: per-page description,
OpenGraph and Twitter card tags, schema.org JSON-LD (`NewsArticle`, `CollectionPage`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup

from support import LINKED_DATA, Reader, Site, build, copy_fixture, is_linked_data

BASE = "https://owner.github.io/repo/"
LONG = " ".join(["A long excerpt that goes on and on about a model release."] * 8)
PICTURED = f"""---
title: "Lima: a story with a picture"
excerpt: "{LONG}"
publishedDateTime: 2024-03-04T09:00:00Z
updatedDateTime: 2024-03-04T12:30:00Z
webUrl: "https://source.example.com/lima"
topics: [AI]
provider:
  name: Source Example
  domain: source.example.com
images:
  - url: "https://cdn.example.com/lima.jpg"
    width: 1200
    height: 675
---
"""
LISTINGS = ["", "topics/", "topics/ai/", "topics/ai/page/1/", "archive/", "archive/2024/03/"]
# What Google's structured data guidelines recommend for an article (schema.org itself
# requires nothing), and what a preview needs of OpenGraph.
ARTICLE_FIELDS = {"headline", "datePublished", "dateModified", "author", "publisher"}
OPENGRAPH = ("og:type", "og:title", "og:description", "og:url")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("share")
    content = copy_fixture("valid", root)
    (content / "articles" / "2024" / "2024-03-04-lima-pictured.md").write_text(
        PICTURED, encoding="utf-8"
    )
    code, built = build(root, content, site_url=BASE, per_page=3)
    assert code == 0, built.command
    return built


def _tags(page: BeautifulSoup) -> dict[str, str]:
    """The page's OpenGraph, article and Twitter tags by property or name."""
    tags = {}
    for meta in page.select("head meta[property], head meta[name]"):
        tags[meta.get("property") or meta["name"]] = meta["content"]
    return tags


def _linked_data(page: BeautifulSoup) -> dict:
    (block,) = page.find_all("script", type=LINKED_DATA)
    assert is_linked_data(block.get_text())
    return json.loads(block.get_text())


def _story_pages(site: Site) -> list[str]:
    return sorted(
        p.parent.relative_to(site.root).as_posix() + "/"
        for p in site.root.glob("news/*/*/*/*/index.html")
    )


def test_each_story_page_previews_as_its_story(site: Site):
    stories = _story_pages(site)
    assert len(stories) >= 10
    for url in stories:
        page = site.page(url)
        tags, data = _tags(page), _linked_data(page)
        title = page.select_one("h1").get_text(strip=True)
        canonical = page.select_one('link[rel="canonical"]')["href"]
        assert canonical == BASE + url
        assert all(tags.get(name) for name in OPENGRAPH), (url, tags)
        assert (tags["og:type"], tags["og:title"], tags["og:url"]) == ("article", title, canonical)
        assert tags["og:description"] == tags["description"] != "Curated AI news"
        assert tags["twitter:card"] in ("summary", "summary_large_image")
        assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
        assert set(data) >= ARTICLE_FIELDS, (url, sorted(data))
        assert data["headline"] == title
        published = dt.datetime.fromisoformat(data["datePublished"])
        assert published.tzinfo is not None
        assert published == dt.datetime.fromisoformat(tags["article:published_time"])
        assert dt.datetime.fromisoformat(data["dateModified"]) >= published
        assert data["publisher"] == {"@type": "Organization", "name": "AI News Digest"}
        assert data["isBasedOn"] == page.select_one(".dg-story__title a")["href"]
        assert data["author"]["name"] == page.select_one(".dg-story .dg-card__source").get_text()


def test_a_picture_a_correction_and_a_long_excerpt_reach_the_preview(site: Site):
    page = site.page("news/2024/03/04/lima-pictured/")
    tags, data = _tags(page), _linked_data(page)
    assert tags["og:image"] == "https://cdn.example.com/lima.jpg"
    assert data["image"] == ["https://cdn.example.com/lima.jpg"]
    assert tags["twitter:card"] == "summary_large_image"
    assert data["dateModified"] == tags["article:modified_time"] == "2024-03-04T12:30:00+00:00"
    description = tags["description"]
    assert len(description) <= 160 and description.endswith("…")
    assert LONG.startswith(description[:-1]) and not description[:-1].endswith(" ")
    # A story without a picture or a correction says neither.
    plain = _tags(site.page("news/2024/03/01/alpha-first-story/"))
    assert "og:image" not in plain and "article:modified_time" not in plain
    assert plain["twitter:card"] == "summary"


def test_each_listing_previews_as_a_collection_of_the_site(site: Site):
    descriptions = set()
    for url in LISTINGS:
        page = site.page(url)
        tags, data = _tags(page), _linked_data(page)
        assert tags["og:type"] == "website" and tags["og:url"] == BASE + url
        assert data["@type"] == "CollectionPage" and data["url"] == BASE + url
        assert data["isPartOf"] == {"@type": "WebSite", "name": "AI News Digest", "url": BASE}
        assert data["name"] == tags["og:title"]
        descriptions.add(tags["description"])
    topic = _tags(site.page("topics/ai/"))["description"]
    assert topic == "Artificial intelligence in general."
    assert _tags(site.page("archive/2024/03/"))["description"].endswith("of March 2024, day by day")
    assert (
        _tags(site.page(""))["description"]
        == site.page("").find("meta", attrs={"name": "description"})["content"]
    )
    assert len(descriptions) >= 3


def test_a_browser_reads_the_story_s_linked_data(open_reader: Callable[..., Reader]):
    page = open_reader().open("news/2024/03/01/alpha-first-story/")
    blocks = page.evaluate(
        """() => [...document.querySelectorAll('script[type="application/ld+json"]')]
                 .map(s => JSON.parse(s.textContent))"""
    )
    assert [b["@type"] for b in blocks] == ["NewsArticle"]
    assert blocks[0]["headline"] == "Alpha: the first story"
    og = page.locator('meta[property="og:title"]').get_attribute("content")
    assert og == "Alpha: the first story"


def test_no_preview_tag_is_left_over_from_the_site_s_one_description(site: Site):
    for path in site.pages():
        html = path.read_text("utf-8")
        assert html.count('name="description"') == 1, path
        assert "@@digest-" not in html, path
