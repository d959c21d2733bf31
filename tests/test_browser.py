"""The built site in a real browser (headless Chromium), used the way readers use it.

The served site is the `valid` fixture plus one long-headline story (see conftest's
`served_site`); every page any test visits must log no console or script error and load no
missing file, which `open_reader` checks after each test.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, expect

from support import FIXTURES, PAGE_TYPES, REPO, QuietHandler, Reader, Served, write_config

NON_LATIN = "微软发布新一代人工智能模型"
LONG_TITLE_START = "Zulu: a regulator's"


def rgb(color: str) -> tuple[float, float, float, float]:
    """`rgb(r, g, b)` or `rgba(r, g, b, a)` as computed by the browser."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", color)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)  # type: ignore[return-value]


def contrast(color: str, background: str) -> float:
    """WCAG contrast ratio of text in `color` (alpha blended) over an opaque `background`."""
    r, g, b, a = rgb(color)
    br, bg, bb, _ = rgb(background)
    blended = (r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a))

    def luminance(c: tuple[float, ...]) -> float:
        def channel(v: float) -> float:
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])

    light, dark = sorted([luminance(blended), luminance((br, bg, bb))], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def style(locator: Locator, prop: str) -> str:
    return locator.evaluate(f"e => getComputedStyle(e).getPropertyValue('{prop}')")


def px(locator: Locator, prop: str) -> float:
    return float(style(locator, prop).removesuffix("px"))


def test_a_reader_clicks_from_home_to_a_topic_its_older_page_a_story_its_coverage_and_back(
    open_reader: Callable[..., Reader], served_site: Served
):
    reader = open_reader()
    page = reader.open("")
    first_card = page.locator(".dg-card").filter(has_text="Bravo: same minute")
    first_card.get_by_role("link", name="AI", exact=True).click()
    expect(page).to_have_url(served_site.url + "topics/ai/")
    expect(page.get_by_role("heading", level=1)).to_have_text("AI")

    pages = page.get_by_role("navigation", name="Pages")
    pages.get_by_role("link", name="Older →").click()
    expect(page).to_have_url(served_site.url + "topics/ai/page/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("AI page 1")
    pages.get_by_role("link", name="← Newer").click()
    expect(page).to_have_url(served_site.url + "topics/ai/")

    page.get_by_role("link", name="Alpha: the first story").click()
    story = served_site.url + "news/2024/03/01/alpha-first-story/"
    expect(page).to_have_url(story)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha: the first story")

    related = page.locator(".dg-related")
    expect(related.get_by_role("heading", name="Related coverage")).to_be_visible()
    links = related.get_by_role("link")
    expect(links).to_have_text(
        ["Beta covers the first story too", "Gamma's take on the first story"]
    )
    links.first.click()
    expect(page).to_have_url("https://betawire.com/first")  # answered offline by the test
    page.go_back()
    expect(page).to_have_url(story)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha: the first story")
    page.go_back()
    expect(page).to_have_url(served_site.url + "topics/ai/")


def test_a_reader_who_clicks_a_feed_icon_is_told_what_a_feed_is_and_sees_its_stories(
    open_reader: Callable[..., Reader], served_site: Served
):
    """The RSS and Atom files name a stylesheet (XSLT); Chromium 156 still applies it, under
    a banner about its coming removal of XSLT (README: "Subscribing")."""
    reader = open_reader()
    page = reader.open("topics/ai/")
    feeds = page.locator(".dg-feeds").first
    for name, path in (("RSS", "topics/ai/feed.xml"), ("Atom", "topics/ai/atom.xml")):
        feeds.get_by_role("link", name=name, exact=True).click()
        expect(page).to_have_url(served_site.url + path)
        expect(page.get_by_role("heading", name="This is a web feed")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("AI — AI News Digest")
        expect(page.locator("code.address")).to_have_text(served_site.url + path)
        expect(page.get_by_role("link", name="Alpha: the first story")).to_be_visible()
        page.go_back()
    page.locator(".dg-feeds").first.get_by_role("link", name="Atom", exact=True).click()
    page.get_by_role("link", name="Alpha: the first story").click()
    expect(page).to_have_url(served_site.url + "news/2024/03/01/alpha-first-story/")
    page.goto(served_site.url + "topics/ai/page/1/atom.xml")
    expect(page.get_by_role("heading", level=1)).to_have_text("AI — AI News Digest (page 1)")
    expect(page.locator("main li")).to_have_count(3)


def _search(page: Page, words: str) -> Locator:
    """Type into the search box as a reader does; the result links (they update as Pagefind
    answers, so assert on them with `expect`, which waits)."""
    page.get_by_role("searchbox", name="Search stories").fill(words)
    return page.locator(".dg-search__result > a")


def test_search_finds_a_story_by_a_word_of_its_title_and_by_its_source(
    open_reader: Callable[..., Reader], served_site: Served
):
    page = open_reader().open("archive/")
    by_source = _search(page, "Zulu Times")
    expect(by_source).to_contain_text([LONG_TITLE_START])
    expect(by_source).to_have_count(1)
    # From the bundle of the stories before the newest month, merged with the newest's.
    earlier = _search(page, "Hotel")
    expect(earlier).to_have_text(["Hotel: a general AI story"])
    by_title = _search(page, "Alpha")
    expect(by_title).to_have_text(["Alpha: the first story"])
    by_title.first.click()
    expect(page).to_have_url(served_site.url + "news/2024/03/01/alpha-first-story/")


def _story_dates(results: Locator) -> list[str]:
    """The `YYYY/MM/DD` of each result's story, from its link."""
    return [
        re.search(r"/news/(\d{4}/\d{2}/\d{2})/", h)[1]
        for h in results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    ]


def test_search_lists_newest_first_across_shards_or_by_best_match(
    open_reader: Callable[..., Reader],
):
    page = open_reader().open("")
    results = _search(page, "Source Example")
    # Every shown story of that source: March 2024 in one shard, the months before in another.
    expect(results).to_have_count(10)
    newest = _story_dates(results)
    assert newest == sorted(newest, reverse=True) and newest[-1] == "2023/12/31", newest
    titles = results.all_inner_texts()
    page.get_by_label("Order of results").select_option(label="Best match")
    expect(results).not_to_have_text(titles)
    expect(results).to_have_count(10)  # the reordered list drawn whole
    assert sorted(results.all_inner_texts()) == sorted(titles)
    expect(page.locator(".dg-search__status")).to_have_text("10 stories")


def test_a_search_result_shows_source_and_date_and_the_excerpt_once(
    open_reader: Callable[..., Reader],
):
    page = open_reader(timezone_id="UTC").open("")
    results = _search(page, "Echo")
    expect(results).to_have_text(["Echo: Microsoft ships a model"])
    result = page.locator(".dg-search__result")
    expect(result.locator(".dg-search__meta")).to_have_text("Source Example · 15 Feb 2024")
    excerpt = result.locator(".dg-search__excerpt")
    expect(excerpt).to_have_text("Excerpt of echo-microsoft.")


def test_search_finds_a_non_latin_title_and_answers_when_nothing_matches(
    open_reader: Callable[..., Reader],
):
    page = open_reader().open("")
    expect(_search(page, NON_LATIN)).to_have_text([NON_LATIN])
    expect(_search(page, "zzyzx")).to_have_count(0)
    expect(page.locator(".dg-search__status")).to_have_text("No stories match.")


def test_the_palette_toggle_switches_dark_and_light_and_is_remembered(
    open_reader: Callable[..., Reader],
):
    reader = open_reader(color_scheme="light")
    page = reader.open("")
    body = page.locator("body")
    light = style(body, "background-color")
    expect(body).to_have_attribute("data-md-color-scheme", "default")

    page.locator("label[title='Switch to dark mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    dark = style(body, "background-color")
    assert contrast(dark, light) > 10, f"dark mode background {dark} vs light {light}"
    title = page.locator(".dg-card__title a").first
    assert contrast(style(title, "color"), dark) >= 4.5, "story titles must stay legible in dark"

    reader.open("topics/")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("label[title='Switch to light mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert style(body, "background-color") == light


@pytest.mark.parametrize("lean", [False, True])
def test_the_header_takes_a_palette_without_a_switch_and_a_homepage(
    browser: Browser, tmp_path: Path, lean: bool
):
    config = write_config(tmp_path, FIXTURES / "valid", lean_chrome=lean)
    data = yaml.safe_load(config.read_text("utf-8"))
    data["theme"]["palette"] = [{"scheme": "slate", "primary": "indigo"}]  # no toggle, no media
    data["extra"] = {"homepage": "https://example.com/"}
    del data["theme"]["logo"]  # material's way without one: the stylesheet's icon
    config.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    argv = [sys.executable, "-m", "generator", "build", "-f", str(config), "--no-cache"]
    argv += ["--site-dir", str(tmp_path / "site")]
    result = subprocess.run(argv, capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    handler = partial(QuietHandler, directory=str(tmp_path / "site"))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for url in ["", "news/2024/03/01/alpha-first-story/"]:
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{url}")
            option = page.locator("form[data-md-component=palette] input")
            expect(option).to_have_attribute("aria-hidden", "true")
            expect(page.locator("label[for^=__palette]")).to_have_count(0)
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
            expect(page.locator("a.md-logo")).to_have_attribute("href", "https://example.com/")
            expect(page.locator("a.md-logo .dg-icon--logo")).to_be_visible()
        context.close()
        server.shutdown()
    assert not errors


def test_on_a_phone_the_tabs_lead_to_topics_and_the_archive(open_reader: Callable[..., Reader]):
    reader = open_reader(viewport={"width": 375, "height": 812})
    page = reader.open("news/2024/03/01/alpha-first-story/")
    tabs = page.locator(".md-tabs__link")
    expect(tabs).to_have_text(["Home", "Topics", "Archive"])
    for tab in tabs.all():
        box = tab.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 375, f"tab off screen: {box}"
    tabs.nth(1).click()
    expect(page.locator("h1")).to_have_text("Topics")
    page.locator(".md-tabs__link", has_text="Archive").click()
    expect(page.locator("h1")).to_have_text("Archive")


@pytest.mark.parametrize("url", ["", "topics/ai/"])
def test_icons_come_from_the_stylesheet_and_show(
    open_reader: Callable[..., Reader], served_site: Served, url: str
):
    reader = open_reader(color_scheme="light")
    page = reader.open(url)
    assert "<svg" not in page.content(), f"/{url} carries an inline SVG"
    icons = page.locator(".dg-icon:visible")
    names = icons.evaluate_all("els => els.map(e => e.className)")
    expected = {"dg-icon--weather-night"} | ({"dg-icon--rss"} if url else set())
    assert expected <= {n for name in names for n in name.split()}, names
    for icon in icons.all():
        box = icon.bounding_box()
        assert box is not None and box["width"] >= 10 and box["height"] >= 10, box
        assert "data:image/svg+xml" in style(icon, "mask-image"), icon.get_attribute("class")


def test_the_site_s_logo_and_favicon_are_its_own(open_reader: Callable[..., Reader]):
    """mkdocs.yml names the digest's mark and tab icon (theme/assets/images/), not
    material's defaults."""
    reader = open_reader(color_scheme="dark")
    phone = open_reader(viewport={"width": 375, "height": 812}).open("")
    expect(phone.locator("a.md-logo img")).to_be_visible()  # no menu button stands there
    for url in ("", "news/2024/03/01/alpha-first-story/", "no/such/page/"):
        page = reader.page
        page.goto(reader.base + url)
        logo = page.locator("a.md-logo img")
        expect(logo).to_be_visible()
        assert logo.get_attribute("src").endswith("assets/images/logo.svg")
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
        box = logo.bounding_box()
        assert box is not None and 20 <= box["height"] <= 32, box
        icon = page.locator("link[rel=icon]").get_attribute("href")
        assert icon.endswith("assets/images/favicon.svg")
        answer = page.request.get(urljoin(page.url, icon))
        assert answer.ok and answer.headers["content-type"] == "image/svg+xml"
    reader.problems = [p for p in reader.problems if "no/such/page" not in p]


@pytest.mark.parametrize("url", [*PAGE_TYPES.values(), "topics/ai/page/1/"])
def test_at_375px_nothing_overflows_and_story_cards_stay_readable(
    open_reader: Callable[..., Reader], served_site: Served, url: str
):
    reader = open_reader(viewport={"width": 375, "height": 812})
    page = reader.open(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"/{url} is {width} px wide on a 375 px phone: it scrolls sideways"
    wide = page.evaluate(
        """() => [...document.querySelectorAll('.md-content *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .map(e => e.outerHTML.slice(0, 120))"""
    )
    assert not wide, f"/{url}: elements reach past the right edge: {wide}"
    for card in page.locator(".dg-card, .dg-story").all():
        box = card.bounding_box()
        assert box is not None and box["width"] >= 300, f"/{url}: a card squeezed to {box}"
        title = card.locator(".dg-card__title, .dg-story__title")
        assert px(title, "font-size") >= 16, f"/{url}: card title too small to read"
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth"), f"/{url}: title clipped"
        for excerpt in card.locator(".dg-card__excerpt, .dg-lead").all():
            assert px(excerpt, "font-size") >= 13, f"/{url}: excerpt too small to read"


def test_story_cards_show_source_logo_date_and_topics_at_a_glance(
    open_reader: Callable[..., Reader],
):
    page = open_reader().open("")
    cards = page.locator(".dg-card").all()
    assert len(cards) == 11
    for card in cards:
        logo = card.locator(".dg-card__logo")
        logo.scroll_into_view_if_needed()  # logos load lazily, as the reader scrolls
        expect(logo).to_be_visible()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=logo.element_handle()
        )
        date = card.locator(".dg-card__meta time")
        expect(date).to_be_visible()
        expect(date).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\dT"))
        expect(card.locator(".dg-card__source")).to_be_visible()
        expect(card.locator(".dg-topic").first).to_be_visible()
        # Above the headline: where the eye lands before reading it.
        meta, title = card.locator(".dg-card__meta"), card.locator(".dg-card__title")
        assert meta.bounding_box()["y"] < title.bounding_box()["y"]  # type: ignore[index]


def test_related_coverage_is_visually_subordinate_to_the_story(
    open_reader: Callable[..., Reader],
):
    page = open_reader().open("")
    background = style(page.locator("body"), "background-color")
    card = page.locator(".dg-card").filter(has_text="Alpha: the first story")
    title = card.locator(".dg-card__title a")
    for line in card.locator(".dg-more a").all():
        assert px(line, "font-size") < px(title, "font-size") * 0.8
        assert contrast(style(line, "color"), background) < contrast(
            style(title, "color"), background
        ), "related coverage should be muted next to the headline"
        assert contrast(style(line, "color"), background) >= 4.5, "but still legible"

    page = open_reader().open("news/2024/03/01/alpha-first-story/")
    headline = page.locator(".dg-story__title")
    for link in page.locator(".dg-related li > a").all():
        assert px(link, "font-size") < px(headline, "font-size") / 1.5
    for meta in page.locator(".dg-related__meta").all():
        assert px(meta, "font-size") < px(page.locator(".dg-lead"), "font-size")


def test_long_titles_wrap_and_non_latin_titles_render(open_reader: Callable[..., Reader]):
    for width in (375, 1280):
        page = open_reader(viewport={"width": width, "height": 800}).open("")
        long_title = page.locator(".dg-card__title a").filter(has_text=LONG_TITLE_START)
        lines = long_title.evaluate("e => e.getClientRects().length")
        assert lines >= 2, f"the long headline should wrap at {width} px"
        box = long_title.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
        assert style(page.locator(".dg-card__title").first, "overflow-wrap") == "anywhere"

        non_latin = page.get_by_role("link", name=NON_LATIN, exact=True)
        expect(non_latin).to_have_text(NON_LATIN)
        box = non_latin.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    selector = "a[href='news/2024/02/10/foxtrot-non-latin/']"
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    charset = " ".join(f"{ord(ch):x}" for ch in NON_LATIN)
    for font in fonts:
        # The font the browser drew the title with has its glyphs: no empty boxes ("tofu").
        found = subprocess.run(
            ["fc-list", f":family={font['familyName']}:charset={charset}", "family"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert found.strip(), (
            f"{NON_LATIN} drawn in {font}, which lacks its glyphs: no CJK font "
            "(`bash .ci/run` installs one)"
        )


def test_recent_dates_say_today_and_yesterday_with_the_full_date_kept(
    open_reader: Callable[..., Reader],
):
    # The reader's evening of 1 March 2024, in UTC like the site.
    page = open_reader().open("")
    headings = page.locator(".dg-day__heading time")
    expect(headings.nth(0)).to_have_text("Today")
    expect(headings.nth(0)).to_have_attribute("title", "Friday, 1 March 2024")
    expect(headings.nth(0)).to_have_attribute("datetime", "2024-03-01")
    expect(headings.nth(1)).to_have_text("Yesterday")
    expect(headings.nth(1)).to_have_attribute("title", "Thursday, 29 February 2024")
    expect(headings.nth(2)).to_have_text("Thursday, 15 February 2024")
    card = page.locator(".dg-card").filter(has_text="Bravo: same minute")
    expect(card.locator("time")).to_have_text("Today, 12:00")
    expect(card.locator("time")).to_have_attribute("title", "1 Mar 2024, 12:00")
    kilo = page.locator(".dg-card").filter(has_text="Kilo:").locator("time")
    expect(kilo).to_have_text("Yesterday, 15:45")
    old = page.locator(".dg-card").filter(has_text="Echo:").locator("time")
    expect(old).to_have_text("15 Feb 2024")
    expect(page.locator(".dg-zone")).to_have_text("Days and times in your time zone (UTC)")

    page = open_reader().open("news/2024/03/01/alpha-first-story/")
    when = page.locator(".dg-story .dg-card__meta time")
    expect(when).to_have_text("Today, 09:00 UTC")
    expect(when).to_have_attribute("title", "Friday, 1 March 2024, 09:00 UTC")


def _days_as_shown(page: Page) -> list[tuple[str, list[str]]]:
    """Each day section as the reader sees it: (its heading's date, its stories' moments)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.md-content section.dg-day')].map(s => [
             s.querySelector('.dg-day__heading time').getAttribute('datetime'),
             [...s.querySelectorAll('.dg-card, .dg-earlier > li')].map(e =>
               e.getAttribute('data-at') ||
               e.querySelector('.dg-card__meta time').getAttribute('datetime'))])"""
    )


@pytest.mark.parametrize(
    "zone", ["UTC", "America/New_York", "Asia/Tokyo", "Pacific/Kiritimati", "America/Adak"]
)
def test_each_story_sits_under_the_reader_s_own_day(
    open_reader: Callable[..., Reader], served_site: Served, lean_site: Served, zone: str
):
    """The site's days are UTC; in any zone each story is under the heading of its day
    there, no story is lost or doubled, and links to a site's day still land."""
    tz = ZoneInfo(zone)
    for site, url in [
        (served_site, ""),
        (served_site, "topics/ai/"),
        (served_site, "archive/2024/03/"),
        (lean_site, "topics/ai/page/1/"),  # headlines under days, not cards
        (lean_site, "archive/2024/02/"),
    ]:
        page = open_reader(site=site, timezone_id=zone).open(url)
        shown = _days_as_shown(page)
        served = site.site.page(url)
        moments = [
            e.get("data-at") or e.select_one(".dg-card__meta time")["datetime"]
            for e in served.select("section.dg-day .dg-card, section.dg-day .dg-earlier > li")
        ]
        assert [m for _, ms in shown for m in ms] == moments, (zone, url)
        days = [day for day, _ in shown]
        assert days == sorted(set(days), reverse=True), (zone, url, days)
        for day, ms in shown:
            for moment in ms:
                local = dt.datetime.fromisoformat(moment).astimezone(tz).date().isoformat()
                assert local == day, (zone, url, moment, day)
        for section in served.select("section.dg-day"):
            assert page.locator(f"[id='{section['id']}']").count() == 1, section["id"]
        expect(page.locator(".dg-zone")).to_have_text(f"Days and times in your time zone ({zone})")


def test_today_is_the_readers_day_in_the_readers_time_zone(open_reader: Callable[..., Reader]):
    # 03:00 on 2 March in Tokyo. Zulu (16:00 UTC on 1 March) was 01:00 there today; the rest
    # of the site's 1 March, and Kilo (15:45 UTC on the site's 29 February, 00:45 on 1 March
    # in Tokyo), were yesterday there: each under the day it says.
    tokyo = open_reader(timezone_id="Asia/Tokyo").open("")
    today, yesterday = tokyo.locator(".dg-day").nth(0), tokyo.locator(".dg-day").nth(1)
    expect(today.locator(".dg-day__heading")).to_have_text("Today")
    expect(today.locator(".dg-card time")).to_have_text(["Today, 01:00"])
    expect(yesterday.locator(".dg-day__heading")).to_have_text("Yesterday")
    bravo = yesterday.locator(".dg-card").filter(has_text="Bravo: same minute").locator("time")
    expect(bravo).to_have_text("Yesterday, 21:00")
    kilo = yesterday.locator(".dg-card").filter(has_text="Kilo:").locator("time")
    expect(kilo).to_have_text("Yesterday, 00:45")
    expect(tokyo.locator(".dg-day__heading").nth(2)).to_have_text("Thursday, 15 February 2024")

    story = open_reader(timezone_id="Asia/Tokyo").open("news/2024/02/15/echo-microsoft/")
    when = story.locator(".dg-story .dg-card__meta time").first
    expect(when).to_have_text("Thursday, 15 February 2024, 17:30 GMT+9")  # zone named

    late = dt.datetime(2024, 3, 2, 3, 0, tzinfo=dt.UTC)  # 22:00 on 1 March in New York
    new_york = open_reader(now=late, timezone_id="America/New_York").open("")
    expect(new_york.locator(".dg-day__heading time").first).to_have_text("Today")
    bravo = new_york.locator(".dg-card").filter(has_text="Bravo: same minute").locator("time")
    expect(bravo).to_have_text("Today, 07:00")
    kilo = new_york.locator(".dg-day").nth(1)
    expect(kilo.locator(".dg-day__heading")).to_have_text("Yesterday")
    expect(kilo.locator(".dg-card time")).to_have_text(["Yesterday, 10:45"])


def test_without_javascript_pages_keep_their_full_dates_in_the_named_site_zone(
    open_reader: Callable[..., Reader], served_site: Served
):
    page = open_reader(java_script_enabled=False, timezone_id="Asia/Tokyo").open("")
    expect(page.locator(".dg-zone")).to_have_text("Days and times in UTC")
    expect(page.locator(".dg-day__heading time").first).to_have_text("Friday, 1 March 2024")
    bravo = page.locator(".dg-card").filter(has_text="Bravo: same minute").locator("time")
    expect(bravo).to_have_text("1 Mar 2024")
    expect(bravo).to_have_attribute("title", "1 Mar 2024 12:00 UTC")
    # No box, and no empty gap (its margin) where it would be.
    expect(page.locator(".dg-search")).to_have_css("display", "none")
    story = open_reader(java_script_enabled=False).open("news/2024/03/01/alpha-first-story/")
    expect(story.locator(".dg-story .dg-card__meta time")).to_have_text(
        "Friday, 1 March 2024, 09:00 UTC"
    )
    for path in served_site.site.pages():
        html = path.read_text(encoding="utf-8")
        assert "Today" not in html and "Yesterday" not in html, f"{path}: a build-time clock"


def test_no_page_logs_an_error_in_the_browser(open_reader: Callable[..., Reader]):
    reader = open_reader()
    for url in [*PAGE_TYPES.values(), "topics/ai/page/1/", "topics/robotics/"]:
        reader.open(url)
        reader.page.wait_for_load_state("networkidle")
    assert not reader.problems, "\n".join(reader.problems)


def test_a_missing_page_offers_search_the_latest_stories_and_the_way_home(
    open_reader: Callable[..., Reader], served_site: Served
):
    reader = open_reader()
    page = reader.open("")
    newest = page.locator(".dg-card__title a").all_inner_texts()[:10]
    missing = served_site.url + "news/2024/03/01/no-such-story/"
    response = page.goto(missing)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    latest = page.locator(".dg-earlier a")
    expect(latest).to_have_text(newest)
    found = _search(page, "Alpha")
    expect(found).to_have_text(["Alpha: the first story"])
    latest.nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(newest[1])
    page.go_back()
    page.get_by_role("link", name="Topics", exact=True).last.click()
    expect(page).to_have_url(served_site.url + "topics/")
    # The only errors a reader's browser reports here are the page itself, not found (the
    # response and the console saying so, each time it is shown): no file it links is missing.
    own = [p for p in reader.problems if "404" in p and "no-such-story" in p]
    assert own and own == reader.problems, reader.problems
    reader.problems.clear()
