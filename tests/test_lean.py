"""An archive that must stay small: `lean_chrome` and `compact_archive` (README: "Lean pages").

The lean site (conftest's `lean_site`) is the served site built with both options; each test
compares it with the default build of the same stories (`served_site`), page by page.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from support import LINKED_DATA, PAGE_TYPES, Reader, Served, resolve

STORY = PAGE_TYPES["article"]
LEAN_PAGES = [STORY, "topics/ai/page/1/", PAGE_TYPES["topic"], PAGE_TYPES["month"]]
NAV_PAGES = [PAGE_TYPES["home"], PAGE_TYPES["topics"], PAGE_TYPES["archive"]]


def _html(site: Served, url: str) -> str:
    """The page, with the site's address (its server's port) as `SITE/`."""
    return (site.site.root / url / "index.html").read_text("utf-8").replace(site.url, "SITE/")


def _page(site: Served, url: str) -> BeautifulSoup:
    return BeautifulSoup(_html(site, url), "lxml")


def _bytes(site: Served, url: str) -> int:
    return len(_html(site, url).encode())


def _scripts(page: BeautifulSoup) -> list[str]:
    """The page's scripts that run (not its JSON-LD data)."""
    return [s.get("src", "inline") for s in page.find_all("script") if s.get("type") != LINKED_DATA]


@pytest.mark.parametrize("url", LEAN_PAGES)
def test_lean_pages_keep_the_content_and_drop_material_s_machinery(
    served_site: Served, lean_site: Served, url: str
):
    full, lean = _page(served_site, url), _page(lean_site, url)
    assert any("bundle." in src for src in _scripts(full))
    assert not [s for s in _scripts(lean) if "bundle." in s or s == "inline"], _scripts(lean)
    assert not lean.select("input.md-toggle, .md-footer, .md-dialog, #__config")
    for part in ("title", "link[rel=canonical]", "a.md-logo", ".md-tabs", ".dg-search"):
        assert str(lean.select_one(part)) == str(full.select_one(part)), part
    assert [str(a) for a in lean.select("head link[rel=alternate]")] == [
        str(a) for a in full.select("head link[rel=alternate]")
    ]
    styles = [link["href"] for link in full.select("link[rel=stylesheet]")]
    assert [link["href"] for link in lean.select("link[rel=stylesheet]")] == styles
    assert _bytes(lean_site, url) < _bytes(served_site, url) - 1500, "the chrome is lighter"


def test_a_lean_story_page_shows_what_the_full_one_does(served_site: Served, lean_site: Served):
    """All but what repeats on every story page: the "Latest in" line under each "Earlier in"
    list (its heading links the same page) and og:description (previews take the page's
    description in its place)."""
    full, lean = _page(served_site, STORY), _page(lean_site, STORY)
    assert str(lean.select_one("article.dg-story")) == str(full.select_one("article.dg-story"))
    latest = full.select(".dg-elsewhere__latest")
    assert latest and not lean.select(".dg-elsewhere__latest")
    for line in latest:
        heading = line.find_parent("section").select_one("h2 a")
        assert line.a["href"] == heading["href"]
        line.decompose()
    assert [" ".join(str(s).split()) for s in lean.select(".dg-elsewhere")] == [
        " ".join(str(s).split()) for s in full.select(".dg-elsewhere")
    ]
    shared = {str(m) for m in full.select("head meta[property], head meta[name]")}
    lean_shared = {str(m) for m in lean.select("head meta[property], head meta[name]")}
    dropped = {m for m in shared - lean_shared if 'name="generator"' not in m}  # material's
    assert len(dropped) == 1 and 'property="og:description"' in dropped.pop()
    assert lean_shared <= shared and lean.find("meta", attrs={"name": "description"})
    assert str(lean.find("script", type=LINKED_DATA)) == str(full.find("script", type=LINKED_DATA))


@pytest.mark.parametrize("url", NAV_PAGES)
def test_the_home_topics_and_archive_pages_keep_material_s_page(
    served_site: Served, lean_site: Served, url: str
):
    assert any("bundle." in src for src in _scripts(_page(lean_site, url)))
    assert _html(lean_site, url) == _html(served_site, url)


@pytest.mark.parametrize("url", ["topics/ai/page/1/", PAGE_TYPES["month"]])
def test_older_listings_name_every_story_as_a_headline_under_its_day(
    served_site: Served, lean_site: Served, url: str
):
    full, lean = _page(served_site, url), _page(lean_site, url)
    assert lean.select(".dg-day") and not lean.select(".dg-card")
    for full_day, lean_day in zip(full.select(".dg-day"), lean.select(".dg-day"), strict=True):
        assert lean_day.h2 == full_day.h2
        cards = full_day.select(".dg-card")
        lines = lean_day.select("ul.dg-earlier > li")
        assert len(lines) == len(cards) > 0
        for card, line in zip(cards, lines, strict=True):
            link = line.a
            assert link.get_text() == card.select_one(".dg-card__title a").get_text()
            assert resolve(url, link["href"]) == resolve(url, card.select_one("h3 a")["href"])
            source = card.select_one(".dg-card__source")
            meta = line.select_one(".dg-earlier__meta")
            assert (meta.get_text() if meta else None) == (source.get_text() if source else None)
            assert not line.select("time"), "the day's heading dates them"


def test_a_topic_s_front_page_keeps_its_cards(lean_site: Served):
    front = _page(lean_site, PAGE_TYPES["topic"])
    assert front.select(".dg-card") and not front.select(".dg-day ul.dg-earlier")


def test_a_lean_page_switches_dark_and_light_and_material_pages_remember_it(
    open_reader: Callable[..., Reader], lean_site: Served
):
    reader = open_reader(site=lean_site, color_scheme="light")
    page = reader.open(STORY)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    expect(page.locator("label[title='Switch to light mode']")).to_be_hidden()
    page.locator("label[title='Switch to dark mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    expect(page.locator("label[title='Switch to dark mode']")).to_be_hidden()

    reader.open("")  # material's page, with its bundle
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("label[title='Switch to light mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    reader.open("topics/ai/page/1/")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    expect(page.locator("label[title='Switch to dark mode']")).to_be_visible()


def test_a_lean_page_follows_a_dark_system_until_the_reader_chooses(
    open_reader: Callable[..., Reader], lean_site: Served
):
    page = open_reader(site=lean_site, color_scheme="dark").open(STORY)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(page.locator("label[title='Switch to light mode']")).to_be_visible()


def test_on_a_lean_page_search_tabs_and_headlines_lead_on(
    open_reader: Callable[..., Reader], lean_site: Served
):
    reader = open_reader(site=lean_site)
    page = reader.open("topics/ai/page/1/")
    page.locator(".dg-earlier a").first.click()
    expect(page.locator("h1.dg-story__title")).to_be_visible()
    page.get_by_role("searchbox", name="Search stories").fill("Alpha")
    expect(page.locator(".dg-search__result > a").first).to_have_text("Alpha: the first story")
    page.locator(".md-tabs__link", has_text="Archive").click()
    expect(page.locator("h1")).to_have_text("Archive")
