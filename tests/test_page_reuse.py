"""Story pages reused from an earlier build (as a live preview does) equal pages built afresh.

Hypothesis writes a small archive of real article files on few topics, so
stories crowd each other's "earlier in this topic" lists, then changes it the
ways a curator does: a story added, edited (title, date, topics), made a
draft or deleted. The reload reuses the unchanged stories, as `digest
serve` does; the pages built with the earlier pages at hand must be the
pages built without them, context and all.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.corpus import load_corpus
from generator.site.index import build_index
from generator.site.pages import BuiltPages, GeneratedPage, PageSettings, build_pages

TOPICS = ["AI", "Chips", "Robotics"]
REGISTRY = "".join(f"- name: {name}\n  description: Stories about {name}.\n" for name in TOPICS)
SETTINGS = PageSettings(home_limit=4, per_page=3, topic_stories=2)
UTC = ZoneInfo("UTC")

story = st.fixed_dictionaries(
    {
        "title": st.sampled_from(["Alpha", "Beta", "Gamma", "Delta"]),
        "day": st.integers(1, 6),
        "hour": st.integers(0, 23),
        "topics": st.lists(st.sampled_from(TOPICS), min_size=1, max_size=2, unique=True),
        "draft": st.just(False),
    }
)
change = st.one_of(
    st.tuples(st.just("add"), story),
    st.tuples(st.just("edit"), story),
    st.tuples(st.just("draft"), st.booleans()),
    st.tuples(st.just("delete"), st.none()),
)


def _text(s: dict, n: int) -> str:
    return (
        f'---\ntitle: "{s["title"]} {n}"\n'
        f"publishedDateTime: 2024-05-{s['day']:02d}T{s['hour']:02d}:00:00Z\n"
        f'webUrl: "https://example.com/{n}"\n'
        f"topics: [{', '.join(s['topics'])}]\n"
        f"{'draft: true' if s['draft'] else ''}\n---\n"
    )


def _pages(content: Path, previous_corpus=None, previous: BuiltPages | None = None):
    corpus = load_corpus(content, None, workers=1, previous=previous_corpus)
    assert not corpus.errors, corpus.errors
    digest = build_index(corpus.accepted, corpus.topics, UTC)
    return corpus, digest, build_pages(digest, SETTINGS, previous)


def _plain(page: GeneratedPage) -> tuple:
    return (page.url, page.title, page.template, page.made_of, page.topics, page.in_nav)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stories=st.lists(story, min_size=1, max_size=14),
    changes=st.lists(st.tuples(change, st.integers(0, 100)), min_size=1, max_size=3),
)
def test_reused_story_pages_equal_pages_built_afresh(stories, changes):
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp)
        (content / "articles").mkdir()
        (content / "topics.yml").write_text(REGISTRY, encoding="utf-8")
        files = []
        for n, s in enumerate(stories):
            path = content / "articles" / f"2024-05-{s['day']:02d}-story-{n}.md"
            path.write_text(_text(s, n), encoding="utf-8")
            files.append((path, s, n))
        corpus, digest, pages = _pages(content)
        for (kind, value), pick in changes:
            at = pick % len(files) if files else None
            if kind == "add":
                n = 100 + len(files)
                path = content / "articles" / f"2024-05-{value['day']:02d}-story-{n}.md"
                files.append((path, value, n))
                path.write_text(_text(value, n), encoding="utf-8")
            elif kind == "edit" and at is not None:
                path, _, n = files[at]
                files[at] = (path, value, n)
                path.write_text(_text(value, n), encoding="utf-8")
            elif kind == "draft" and at is not None:
                path, s, n = files[at]
                files[at] = (path, {**s, "draft": value}, n)
                path.write_text(_text(files[at][1], n), encoding="utf-8")
            elif kind == "delete" and at is not None and len(files) > 1:
                files.pop(at)[0].unlink()
            built = BuiltPages(digest, SETTINGS, pages)
            corpus, digest, pages = _pages(content, corpus, built)
            afresh = build_pages(digest, SETTINGS)
            assert [_plain(p) for p in pages] == [_plain(p) for p in afresh]
            for reused, fresh in zip(pages, afresh, strict=True):
                assert reused.context == fresh.context, reused.url


def test_a_title_edit_rebuilds_only_the_pages_that_show_the_story(tmp_path: Path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "topics.yml").write_text(REGISTRY, encoding="utf-8")
    paths = []
    for n in range(12):
        s = {"title": "Alpha", "day": 1 + n % 6, "hour": n, "topics": ["AI"], "draft": False}
        paths.append(tmp_path / "articles" / f"2024-05-0{s['day']}-story-{n}.md")
        paths[-1].write_text(_text(s, n), encoding="utf-8")
    corpus, digest, pages = _pages(tmp_path)
    edited = {"title": "Edited", "day": 3, "hour": 2, "topics": ["AI"], "draft": False}
    paths[2].write_text(_text(edited, 2), encoding="utf-8")
    _, digest2, pages2 = _pages(tmp_path, corpus, BuiltPages(digest, SETTINGS, pages))
    before = {p.url: p for p in pages}
    kept = [p.url for p in pages2 if before.get(p.url) is p]
    story_pages = [p for p in pages2 if p.url.startswith("news/")]
    # The story itself and the two stories listing it as "earlier" are built again.
    assert len(kept) == len(story_pages) - 3
    assert [_plain(p) for p in pages2] == [_plain(p) for p in build_pages(digest2, SETTINGS)]
