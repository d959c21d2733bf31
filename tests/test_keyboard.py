"""The site by keyboard alone, in Chromium: a skip link first, focus plain to see on every
stop, and two stops a story card."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from support import Reader

FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  const label = e.matches('.md-option') ? e.nextElementSibling : null;
  const ring = label ? getComputedStyle(label) : s;
  return {tag: e.tagName, cls: e.className, text: (e.textContent || '').trim(),
          href: e.getAttribute('href'), card: !!e.closest('.dg-card'),
          part: e.closest('.dg-card__title') ? 'title'
              : e.matches('.dg-card__original') ? 'original' : 'other',
          outline: ring.outlineStyle, width: parseFloat(ring.outlineWidth),
          id: e.id};
}"""


def _tab(page: Page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def test_the_first_tab_stop_skips_to_the_content(open_reader: Callable[..., Reader]):
    for url in ("", "news/2024/03/01/alpha-first-story/"):
        page = open_reader().open(url)
        first = _tab(page)
        assert first["text"] == "Skip to content" and first["href"] == "#dg-content"
        expect(page.locator(".md-skip")).to_have_css("opacity", "1")  # shown once focused
        expect(page.locator(".md-skip")).to_be_in_viewport()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "dg-content"
        expect(page.get_by_role("searchbox", name="Search stories")).to_be_visible()
        assert _tab(page)["cls"].startswith("dg-search__input"), "next: the search box"


def test_every_tab_stop_shows_its_focus(open_reader: Callable[..., Reader]):
    for scheme in ("light", "dark"):
        page = open_reader(color_scheme=scheme).open("")
        for _ in range(25):
            stop = _tab(page)
            assert stop["outline"] != "none" and stop["width"] >= 2, (scheme, stop)


def test_a_story_card_costs_two_tab_stops(open_reader: Callable[..., Reader]):
    page = open_reader().open("")
    stops = [_tab(page) for _ in range(30)]
    in_cards = [s["part"] for s in stops if s["card"]]
    assert len(in_cards) >= 10
    # The story, then the original, card after card: never a topic or related coverage.
    assert in_cards == ["title", "original"] * (len(in_cards) // 2) + ["title"] * (
        len(in_cards) % 2
    )
    # The topics stay one click away on cards, and in the Tab order on the story's page.
    story = open_reader().open("news/2024/03/01/alpha-first-story/")
    stops = [_tab(story)["cls"] for _ in range(20)]
    assert any("dg-topic" in c for c in stops)
