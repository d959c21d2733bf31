"""Scheduled stories: dated in the future, left out of every page and feed until their time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest

from generator.build.clock import build_time
from generator.content.corpus import load_corpus
from generator.site.index import build_index
from support import FIXTURES, Site, build

SCHEDULED = FIXTURES / "scheduled"
# 2024-06-01T00:00:00Z: after the first story, before the one of July 2024.
JUNE_2024 = "1717200000"


def _story_pages(site: Site) -> set[str]:
    return {p.parent.name for p in (site.root / "news").rglob("index.html")}


def _build(tmp_path: Path, *args: str) -> tuple[Site, str]:
    code, site = build(tmp_path, SCHEDULED, *args)
    assert code == 0, f"reproduce: {site.command}"
    return site, site.command


def test_index_leaves_out_stories_after_now_and_counts_them():
    corpus = load_corpus(SCHEDULED)
    now = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    digest = build_index(corpus.articles, corpus.topics, ZoneInfo("UTC"), now=now)
    assert [a.slug for a in digest.articles] == ["published"]
    assert digest.scheduled == 2
    assert [a.slug for a in digest.by_topic["AI"].articles] == ["published"]
    everything = build_index(corpus.articles, corpus.topics, ZoneInfo("UTC"))
    assert len(everything.articles) == 3 and everything.scheduled == 0


def test_build_time_is_the_users_source_date_epoch_else_the_clock():
    assert build_time({"SOURCE_DATE_EPOCH": JUNE_2024}) == dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    before = dt.datetime.now(dt.UTC)
    assert before <= build_time({}) <= dt.datetime.now(dt.UTC)


def test_a_story_is_on_no_page_or_feed_before_its_time(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JUNE_2024)
    site, command = _build(tmp_path)
    assert _story_pages(site) == {"published"}, command
    home = site.page("")
    assert "A story already out" in home.text
    assert "scheduled" not in home.text.lower(), command
    assert "July 2024" not in site.page("topics/ai/").text
    for feed in ("feed.xml", "atom.xml", "topics/ai/feed.xml"):
        titles = [e.title for e in feedparser.parse(site.root / feed).entries]
        assert titles == ["A story already out"], f"{feed}; reproduce: {command}"
    assert "scheduled" not in (site.root / "sitemap.xml").read_text()
    assert "1 published, 0 unpublished held back, 2 scheduled for later" in capsys.readouterr().err


def test_the_story_appears_once_its_time_has_come(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site, command = _build(tmp_path)
    assert _story_pages(site) == {"published", "scheduled"}, command
    assert "far-future" not in site.page("").decode_contents(), command


@pytest.mark.parametrize("how", ["flag", "option"])
def test_future_shows_scheduled_stories_now(tmp_path: Path, monkeypatch, how: str):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JUNE_2024)
    if how == "flag":
        site, command = _build(tmp_path, "--future")
    else:
        code, site = build(tmp_path, SCHEDULED, future=True)
        assert code == 0
        command = site.command
    assert _story_pages(site) == {"published", "scheduled", "far-future"}, command
    titles = [e.title for e in feedparser.parse(site.root / "feed.xml").entries]
    assert titles[0] == "A story scheduled for the year 2099"
