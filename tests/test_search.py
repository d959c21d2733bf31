"""Search: Pagefind bundles over every shown story, wired into every page, cached by shard."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from generator.content.article import Article, Provider
from generator.content.corpus import load_corpus
from generator.site.index import build_index
from generator.site.search import search_documents, shards
from support import FIXTURES, Site, build, copy_fixture

BASE = "https://owner.github.io/repo/"


def indexed_urls(stories: Iterable[Article]) -> set[str]:
    return {f"/news/{a.date:%Y/%m/%d}/{a.slug}/" for a in stories if not a.is_draft}


def bundles(site: Site) -> list[str]:
    """The search bundles the search box merges, newest first (`search/recent/`, …), as the
    site lists them for it, each a folder of the site."""
    listed = json.loads((site.root / "search" / "shards.json").read_text("utf-8"))
    assert all((site.root / folder / "pagefind.js").is_file() for folder in listed), listed
    return listed


def indexed(site: Site) -> dict[str, dict[str, str]]:
    """URL -> metadata of every page in the built search bundles (decoded Pagefind fragments).

    A story in two bundles would be a duplicate search result, so that fails here.
    """
    pages: dict[str, dict[str, str]] = {}
    for bundle in bundles(site):
        for fragment in (site.root / bundle / "fragment").iterdir():
            data = gzip.decompress(fragment.read_bytes())
            assert data.startswith(b"pagefind_dcd"), fragment
            record = json.loads(data[len(b"pagefind_dcd") :])
            assert record["url"] not in pages, record["url"]
            pages[record["url"]] = record["meta"]
    return pages


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    code, built = build(tmp_path_factory.mktemp("search"), FIXTURES / "valid", site_url=BASE)
    assert code == 0, built.command
    return built


def test_every_shown_story_is_indexed_with_what_results_show_and_no_draft(site: Site):
    stories = [a for a in load_corpus(FIXTURES / "valid").articles if not a.is_draft]
    pages = indexed(site)
    # The valid fixture's newest month, March 2024, then the stories before it.
    assert bundles(site) == ["search/recent/", "search/earlier/"]
    assert pages.keys() == indexed_urls(stories)
    alpha = pages["/news/2024/03/01/alpha-first-story/"]
    assert alpha == {
        "title": "Alpha: the first story",
        "source": "Source Example",
        "excerpt": "Excerpt of alpha-first-story.",
        "date": "2024-03-01T09:00:00Z",
    }
    counted = 0
    for bundle in bundles(site):
        entry = json.loads((site.root / bundle / "pagefind-entry.json").read_text("utf-8"))
        counted += sum(lang["page_count"] for lang in entry["languages"].values())
    assert counted == len(stories)


def test_a_site_with_more_stories_than_a_shard_holds_is_indexed_by_month_and_year(
    tmp_path: Path,
):
    code, site = build(tmp_path, FIXTURES / "valid", site_url=BASE, search_shard_size=5)
    assert code == 0, site.command
    by_bundle = {}
    for bundle in bundles(site):
        entry = json.loads((site.root / bundle / "pagefind-entry.json").read_text("utf-8"))
        by_bundle[bundle] = sum(lang["page_count"] for lang in entry["languages"].values())
    # The valid fixture: newest month March 2024 (4 shown), then 2024 and 2023.
    assert list(by_bundle) == ["search/recent/", "search/2024/", "search/2023/"]
    assert by_bundle["search/recent/"] == 4 and by_bundle["search/2023/"] == 1

    assert indexed(site).keys() == indexed_urls(load_corpus(FIXTURES / "valid").articles)


def test_a_year_too_big_for_one_index_is_indexed_by_quarter():
    corpus = load_corpus(FIXTURES / "valid")
    digest = build_index(corpus.articles, corpus.topics, ZoneInfo("UTC"))
    assert list(shards(digest, 10)) == ["recent", "earlier"]
    found = shards(digest, 2)
    assert list(found) == ["recent", "2024-q1", "2023"]
    assert sum(map(len, found.values())) == len(digest.articles)


def test_every_page_has_the_search_box_for_the_sites_sub_path(site: Site):
    for url in [
        "",
        "topics/",
        "archive/2024/03/",
        "news/2024/03/01/alpha-first-story/",
    ]:
        page = site.page(url)
        box = page.select_one(".dg-search")
        assert box is not None and box["data-base"] == urlsplit(BASE).path, url
        script = page.find("script", src=lambda s: s and s.endswith("assets/javascripts/search.js"))
        assert script is not None, url


def test_drafts_are_searchable_only_when_shown(tmp_path: Path):
    code, site = build(tmp_path, FIXTURES / "valid", "--drafts", site_url=BASE)
    assert code == 0
    assert "/news/2024/03/02/juliet-draft/" in indexed(site)


def test_the_bundle_is_cached_and_rebuilt_when_a_story_changes(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    assert build(tmp_path, content, site_url=BASE, search_shard_size=5)[0] == 0
    cache = tmp_path / ".cache" / "digest"
    first = sorted(cache.glob("search-*"))
    assert [p.name.split("-")[1] for p in first] == ["2023", "2024", "recent"]
    code, site = build(tmp_path, content, site_url=BASE, search_shard_size=5)
    assert code == 0 and sorted(cache.glob("search-*")) == first
    story = content / "articles" / "2024" / "2024-01-05-hotel-general.md"
    story.write_text(
        story.read_text("utf-8").replace("Hotel: a general", "Hotel: renamed"), "utf-8"
    )
    assert build(tmp_path, content, site_url=BASE, search_shard_size=5)[0] == 0
    # Only the shard holding the changed story (2024, January) is indexed again.
    second = sorted(cache.glob("search-*"))
    assert [p in first for p in second] == [True, False, True]
    assert indexed(site)["/news/2024/01/05/hotel-general/"]["title"] == "Hotel: renamed AI story"


def test_a_new_story_re_indexes_its_month_and_never_the_stories_before_it(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    assert build(tmp_path, content, site_url=BASE)[0] == 0
    cache = tmp_path / ".cache" / "digest"
    first = {p.name.split("-")[1]: p for p in cache.glob("search-*")}
    assert sorted(first) == ["earlier", "recent"]
    (content / "articles" / "2024" / "2024-03-05-oscar-new.md").write_text(
        '---\ntitle: "Oscar: a story added in March"\npublishedDateTime: 2024-03-05T08:00:00Z\n'
        'webUrl: "https://source.example.com/oscar"\ntopics: [AI]\n---\n',
        "utf-8",
    )
    code, site = build(tmp_path, content, site_url=BASE)
    assert code == 0
    second = {p.name.split("-")[1]: p for p in cache.glob("search-*")}
    assert second["earlier"] == first["earlier"], "the earlier stories were indexed again"
    assert second["recent"] != first["recent"]
    assert "/news/2024/03/05/oscar-new/" in indexed(site)


def test_search_documents_carry_fields_as_text_only():
    article = Article(
        path="x.md",
        slug="s",
        date=__import__("datetime").date(2024, 1, 1),
        title="<script>alert(1)</script> & more",
        web_url="https://example.com/",
        published=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        topics=("AI",),
        excerpt="<img src=x onerror=alert(2)>",
        provider=Provider("<b>Evil</b>"),
    )
    digest = build_index([article], {}, ZoneInfo("UTC"))
    (document,) = search_documents(digest.articles).values()
    text = document.decode()
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text


def test_a_new_site_without_stories_builds_without_search(tmp_path: Path):
    (tmp_path / "content" / "articles").mkdir(parents=True)
    code, site = build(tmp_path, tmp_path / "content", site_url=BASE)
    assert code == 0, site.command
    home = site.page("")
    assert home.select_one(".dg-empty").get_text() == "No stories yet."
    assert home.select_one(".dg-search") is None and not (site.root / "search").exists()


def test_an_unwritable_cache_folder_still_gives_a_search_index(tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    code, site = build(tmp_path, FIXTURES / "valid", "--cache-dir", str(blocker), site_url=BASE)
    assert code == 0, site.command
    assert "/news/2024/03/01/alpha-first-story/" in indexed(site)
