"""The index: SPEC ordering, groupings and drafts, computed once, without MkDocs."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from generator.content.corpus import load_corpus
from generator.site.index import build_index, group_by_day
from support import FIXTURES

UTC = ZoneInfo("UTC")


def _digest(include_drafts: bool = False, tz: ZoneInfo = UTC):
    corpus = load_corpus(FIXTURES / "valid")
    return build_index(corpus.articles, corpus.topics, tz, include_drafts)


def test_newest_first_then_higher_heat_then_slug():
    slugs = [a.slug for a in _digest().articles]
    assert slugs[:4] == [
        "bravo-high-heat",
        "charlie-low-heat",
        "delta-low-heat",
        "alpha-first-story",
    ]
    times = [a.published for a in _digest().articles]
    assert times == sorted(times, reverse=True)


def test_drafts_are_left_out_unless_asked_for():
    assert "juliet-draft" not in {a.slug for a in _digest().articles}
    with_drafts = _digest(include_drafts=True)
    assert with_drafts.articles[0].slug == "juliet-draft"
    assert "juliet-draft" in {a.slug for a in with_drafts.by_topic["AI"].articles}


def test_topics_hold_their_stories_in_order_and_empty_topics_stay():
    digest = _digest()
    assert [t.topic.name for t in digest.topics] == [
        "AI",
        "AI in Finance",
        "Microsoft AI",
        "Robotics",
    ]
    finance = [a.slug for a in digest.by_topic["AI in Finance"].articles]
    assert finance == ["alpha-first-story", "kilo-leap-day", "golf-finance"]
    assert digest.by_topic["Robotics"].articles == ()
    assert digest.by_topic["Robotics"].latest is None


def test_months_and_days_follow_the_site_time_zone():
    utc = _digest()
    assert list(utc.by_month)[-1] == (2023, 12)
    berlin = _digest(tz=ZoneInfo("Europe/Berlin"))
    assert (2023, 12) not in berlin.by_month, "23:30 UTC on 31 Dec is 1 Jan in Berlin"
    days = group_by_day(berlin.by_month[(2024, 1)], berlin.tz)
    assert [d.isoformat() for d, _ in days] == ["2024-01-20", "2024-01-05", "2024-01-01"]
    newest_two = group_by_day(berlin.by_month[(2024, 1)], berlin.tz, limit=2)
    assert newest_two == days[:2]
