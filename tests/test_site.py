"""Integration: real sites built from fixture corpora into temporary folders, parsed as HTML."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jinja2.loaders
import mkdocs.commands.build as mkdocs_build
import mkdocs.structure.files as mkdocs_files
import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from generator.content.corpus import load_corpus
from generator.content.logos import logo_key
from generator.mkdocs.plugin import PALETTE_SCRIPT
from support import FIXTURES, LINKED_DATA, REPO, Site, build, copy_fixture, is_linked_data, resolve

VALID = FIXTURES / "valid"
PUBLISHED = {a.slug: a for a in load_corpus(VALID).articles if not a.is_draft}


def topic_slugs(site: Site, slug: str) -> list[str]:
    """Every story slug of a topic, in order, across its pages."""
    return [s for page in topic_pages(site, slug) for s in card_slugs(page)]


def card_slugs(soup: BeautifulSoup) -> list[str]:
    """The story slugs of the cards on a page, in page order."""
    return [a["href"].rstrip("/").rsplit("/", 1)[1] for a in soup.select(".dg-card__title a")]


def earlier_slugs(section: BeautifulSoup) -> list[str]:
    """The story slugs an "Earlier in" list links to, in order."""
    return [a["href"].rstrip("/").rsplit("/", 1)[1] for a in section.select(".dg-earlier li > a")]


def topic_pages(site: Site, slug: str) -> list[BeautifulSoup]:
    """A topic's pages, newest first: the front page, then each rel=next link.

    Pages are numbered from the oldest, so the links run from the highest
    number down to page 1.
    """
    url = f"topics/{slug}/"
    pages, numbers = [site.page(url)], []
    while (nxt := pages[-1].select_one(".dg-pager a[rel=next]")) is not None:
        url = resolve(url, nxt["href"])
        numbers.append(int(url.removeprefix(f"topics/{slug}/page/").rstrip("/")))
        pages.append(site.page(url))
    assert numbers == list(range(len(numbers), 0, -1)), numbers
    return pages


def test_the_specs_pages_exist(valid_site: Site):
    for url in [
        "",
        "topics/",
        "topics/ai/",
        "topics/ai-in-finance/",
        "topics/microsoft-ai/",
        "topics/robotics/",
        "archive/",
        "archive/2024/03/",
        "archive/2023/12/",
    ]:
        valid_site.page(url)
    for article in PUBLISHED.values():
        valid_site.page(f"news/{article.date:%Y/%m/%d}/{article.slug}/")
    stories = {p.parent.name for p in (valid_site.root / "news").rglob("index.html")}
    assert stories == set(PUBLISHED)


def test_each_story_is_on_each_of_its_topics_pages_exactly_once_in_order(valid_site: Site):
    for topic in ["AI", "AI in Finance", "Microsoft AI"]:
        slug = topic.lower().replace(" ", "-")
        seen = [s for page in topic_pages(valid_site, slug) for s in card_slugs(page)]
        expected = sorted(
            (a for a in PUBLISHED.values() if topic in a.topics), key=lambda a: a.sort_key
        )
        assert seen == [a.slug for a in expected], f"topic {topic}"
    ai = topic_pages(valid_site, "ai")
    # 8 stories, 3 a page: page 1 holds the oldest 3, the front page the newest 5.
    assert [len(card_slugs(p)) for p in ai] == [5, 3]
    assert card_slugs(ai[0])[:3] == ["bravo-high-heat", "charlie-low-heat", "delta-low-heat"]


def test_topic_pages_paginate_with_previous_next_and_numbers(valid_site: Site):
    front = valid_site.page("topics/ai/")
    assert front.select_one(".dg-lead").get_text() == "Artificial intelligence in general."
    assert "8 stories" in front.select_one(".dg-count").get_text()
    assert front.select_one(".dg-pager a[rel=prev]") is None
    older = front.select_one(".dg-pager a[rel=next]")["href"]
    assert resolve("topics/ai/", older) == "topics/ai/page/1/"
    assert front.select_one("[aria-current=page]").get_text() == "Latest"
    here = "topics/ai/page/1/"
    oldest = valid_site.page(here)
    assert resolve(here, oldest.select_one(".dg-pager a[rel=prev]")["href"]) == "topics/ai/"
    assert oldest.select_one(".dg-pager a[rel=next]") is None
    assert oldest.select_one("[aria-current=page]").get_text() == "1"
    assert [a.get_text() for a in oldest.select(".dg-pager a:not([rel])")] == ["Latest"]
    assert oldest.select_one("h1 small").get_text() == "page 1"
    # The count changes with every story; the numbered pages stay the same without it.
    assert oldest.select_one(".dg-count") is None


def test_numbered_topic_pages_stay_the_same_when_a_story_is_added(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    for day in range(1, 29):
        (content / "articles" / f"2023-02-{day:02d}-february-{day}.md").write_text(
            f"---\ntitle: February story {day}\npublishedDateTime: 2023-02-{day:02d}T08:00:00Z\n"
            f"webUrl: https://example.com/february/{day}\ntopics: [AI]\n---\n",
            "utf-8",
        )
    assert build(tmp_path, content, per_page=2)[0] == 0
    site = tmp_path / "site"
    before = {p: p.read_bytes() for p in (site / "topics/ai/page").rglob("index.html")}
    assert len(before) == 16  # 36 stories: pages 1-16 of 2, the newest 4 on the front page
    (content / "articles" / "2024-05-01-newest.md").write_text(
        "---\ntitle: The newest story\npublishedDateTime: 2024-05-01T08:00:00Z\n"
        "webUrl: https://example.com/newest\ntopics: [AI]\n---\n",
        "utf-8",
    )
    assert build(tmp_path, content, per_page=2)[0] == 0
    after = {p: p.read_bytes() for p in (site / "topics/ai/page").rglob("index.html")}
    changed = {p.parent.name for p in before if before[p] != after[p]}
    # Page 17 is new; 15 and 16 now link to it; every other page is untouched.
    assert after.keys() - before.keys() == {site / "topics/ai/page/17/index.html"}
    assert changed == {"15", "16"}
    assert "The newest story" in (site / "topics/ai/index.html").read_text("utf-8")


def test_drafts_appear_nowhere(valid_site: Site):
    for path in valid_site.pages():
        assert "juliet" not in path.read_text(encoding="utf-8").lower(), path


def test_drafts_are_shown_with_a_badge_when_asked_for(tmp_path: Path):
    code, site = build(tmp_path, VALID, "--drafts", per_page=3)
    assert code == 0
    draft = site.page("news/2024/03/02/juliet-draft/")
    assert draft.select_one(".dg-badge--draft").get_text() == "Draft"
    home_first = site.page("").select_one(".dg-card")
    assert "Juliet" in home_first.get_text() and home_first.select_one(".dg-badge--draft")


def test_topics_index_lists_every_topic_with_description_count_and_latest(valid_site: Site):
    rows = {
        li.select_one(".dg-topics__name").get_text(): li
        for li in valid_site.page("topics/").select(".dg-topics__item")
    }
    assert list(rows) == ["AI", "AI in Finance", "Microsoft AI", "Robotics"]
    counts = {name: li.select_one(".dg-topics__count").get_text() for name, li in rows.items()}
    assert counts == {
        "AI": "8 stories",
        "AI in Finance": "3 stories",
        "Microsoft AI": "3 stories",
        "Robotics": "0 stories",
    }
    assert rows["AI"].select_one("time")["datetime"] == "2024-03-01T12:00:00+00:00"
    assert rows["Robotics"].select_one(".dg-topics__latest") is None
    assert "Banks, insurers" in rows["AI in Finance"].get_text()


def test_home_groups_the_latest_stories_under_day_headings(tmp_path: Path):
    code, site = build(tmp_path, VALID, home_limit=5)
    assert code == 0
    home = site.page("")
    days = [h.select_one("time")["datetime"] for h in home.select(".dg-day__heading")]
    assert days == ["2024-03-01", "2024-02-29"]
    assert card_slugs(home) == [
        "bravo-high-heat",
        "charlie-low-heat",
        "delta-low-heat",
        "alpha-first-story",
        "kilo-leap-day",
    ]


def test_cards_show_related_coverage_as_more_lines(valid_site: Site):
    card = next(
        c
        for c in valid_site.page("topics/ai-in-finance/").select(".dg-card")
        if "Alpha" in c.get_text()
    )
    lines = [li.get_text(" ", strip=True) for li in card.select(".dg-more li")]
    assert lines == [
        "More: Beta Wire — Beta covers the first story too",
        "More: Gamma Post — Gamma's take on the first story",
    ]
    assert card.select(".dg-more a")[0]["href"] == "https://betawire.com/first"


def test_article_page_has_everything_a_reader_needs(valid_site: Site):
    page = valid_site.page("news/2024/03/01/alpha-first-story/")
    title = page.select_one("h1.dg-story__title a")
    assert title.get_text() == "Alpha: the first story"
    assert title["href"] == "https://source.example.com/alpha-first-story"
    assert page.select_one(".dg-card__source").get_text() == "Source Example"
    # The source's logo, from the copy saved of it (https://source.example.com/logo-50x50.jpg).
    logo = resolve("news/2024/03/01/alpha-first-story/", page.select_one(".dg-card__logo")["src"])
    key = logo_key("https://source.example.com/logo-50x50.jpg")
    assert logo == f"assets/logos/{key}.png" and (valid_site.root / logo).is_file()
    assert page.select_one(".dg-story time")["datetime"] == "2024-03-01T09:00:00+00:00"
    assert page.select_one(".dg-lead").get_text() == "Excerpt of alpha-first-story."
    note = page.select_one(".dg-note")
    assert note.select_one("em").get_text() == "numbers"
    assert note.select_one("a")["href"] == "https://example.org/filing"
    topics = [(a.get_text(), a["href"]) for a in page.select(".dg-story .dg-topic")]
    assert topics == [
        ("AI", "../../../../../topics/ai/"),
        ("AI in Finance", "../../../../../topics/ai-in-finance/"),
    ]
    related = page.select(".dg-related li")
    assert len(related) == 2 and "Beta Wire" in related[0].get_text()
    assert related[0].select_one("time")["datetime"] == "2024-03-01T09:00:00+00:00"
    sections = page.select(".dg-elsewhere")
    groups = {s.select_one("h2 a").get_text(): earlier_slugs(s) for s in sections}
    # A compact list: headline, source and date; no excerpt, no full card.
    for item in page.select(".dg-earlier li"):
        assert item.select_one("time[datetime]") is not None, item
        assert item.select_one(".dg-earlier__meta").get_text().strip(), item
    assert not page.select(".dg-elsewhere .dg-card")
    # The stories published just before this one in each topic, in the topic's own order.
    for topic, slug in [("AI", "ai"), ("AI in Finance", "ai-in-finance")]:
        listed = topic_slugs(valid_site, slug)
        after = listed[listed.index("alpha-first-story") + 1 :]
        assert groups[topic] == after[:5] and groups[topic]
    assert groups["AI"][0] == "kilo-leap-day"
    # A story of the same year is linked from the year's folder, not from the site's root.
    assert page.select_one(".dg-earlier li > a")["href"] == "../../../02/29/kilo-leap-day/"
    assert [a.get_text() for a in page.select(".dg-elsewhere__latest a")] == [
        "Latest in AI →",
        "Latest in AI in Finance →",
    ]
    assert page.title.get_text() == "Alpha: the first story - AI News Digest"


def test_dates_follow_the_site_time_zone(tmp_path: Path):
    code, site = build(tmp_path, VALID, timezone="Europe/Berlin")
    assert code == 0
    page = site.page("news/2023/12/31/india-new-year/")
    assert page.select_one(".dg-story time")["datetime"] == "2024-01-01T00:30:00+01:00"
    month = site.page("archive/2024/01/")
    assert "india-new-year" in card_slugs(month)
    assert not (site.root / "archive" / "2023").exists()


def test_archive_lists_months_and_month_pages_group_by_day(valid_site: Site):
    archive = valid_site.page("archive/")
    years = [h.get_text() for h in archive.select(".dg-year h2")]
    assert years == ["2024", "2023"]
    months = [
        (a.get_text(), resolve("archive/", a["href"])) for a in archive.select(".dg-months a")
    ]
    assert months[0] == ("March", "archive/2024/03/")
    assert months[-1] == ("December", "archive/2023/12/")
    march = valid_site.page("archive/2024/03/")
    assert [h.select_one("time")["datetime"] for h in march.select(".dg-day__heading")] == [
        "2024-03-01"
    ]
    older = march.select_one(".dg-pager a[rel=next]")["href"]
    assert resolve("archive/2024/03/", older) == "archive/2024/02/"


def test_non_latin_titles_render(valid_site: Site):
    page = valid_site.page("news/2024/02/10/foxtrot-non-latin/")
    assert page.select_one("h1").get_text() == "微软发布新一代人工智能模型"


def test_a_story_s_language_marks_its_own_text_wherever_it_is_shown(valid_site: Site):
    """`language: zh-Hans`: the title and excerpt carry `lang`, the page's own words (in the
    site's language) do not; the JSON-LD and the JSON Feed item say it too."""
    url = "news/2024/02/10/foxtrot-non-latin/"
    story = valid_site.page(url)
    assert story.find("html")["lang"] == "en"
    assert story.select_one("h1")["lang"] == story.select_one(".dg-lead")["lang"] == "zh-Hans"
    assert not story.select_one(".dg-story").get("lang")
    button = story.select_one(".dg-story .md-button")
    assert button.find_parent(attrs={"lang": True}).name == "html", "the page's words: en"
    linked = json.loads(story.find("script", type=LINKED_DATA).get_text())
    assert linked["inLanguage"] == "zh-Hans"
    titles = valid_site.page("archive/2024/02/").select(".dg-card__title")
    marked = {h.get_text(strip=True): h.get("lang") for h in titles}
    assert marked["微软发布新一代人工智能模型"] == "zh-Hans"
    assert {lang for title, lang in marked.items() if "微软" not in title} == {None}
    earlier = [
        a
        for a in valid_site.page("news/2024/02/15/echo-microsoft/").select(".dg-earlier a")
        if "微软" in a.get_text()
    ]
    assert earlier and all(a["lang"] == "zh-Hans" for a in earlier)
    feed = json.loads((valid_site.root / "feed.json").read_text("utf-8"))
    languages = {i["title"]: i.get("language") for i in feed["items"]}
    assert languages["微软发布新一代人工智能模型"] == "zh-Hans"
    assert {v for k, v in languages.items() if "微软" not in k} == {None}


def test_nav_holds_home_topics_archive_only(valid_site: Site):
    page = valid_site.page("news/2024/03/01/alpha-first-story/")
    tabs = [a.get_text(strip=True) for a in page.select(".md-tabs__link")]
    assert tabs == ["Home", "Topics", "Archive"]
    nav_links = page.select(".md-nav--primary a.md-nav__link")
    assert len(nav_links) <= 3, "generated pages must stay out of the navigation"


def test_internal_links_resolve_and_work_under_a_sub_path(tmp_path: Path):
    code, site = build(tmp_path, VALID, site_url="https://owner.github.io/repo/", per_page=3)
    assert code == 0
    base = "https://owner.github.io/repo/"
    checked = 0
    for path in site.pages():
        rel = path.relative_to(site.root).as_posix()
        page_url = urljoin(base, rel.removesuffix("index.html"))
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for el in soup.find_all(tag):
                ref = el.get(attr)
                if not ref or ref.startswith(("#", "mailto:")) or el.get("rel") == ["canonical"]:
                    continue
                target = urljoin(page_url, ref)
                if not target.startswith(base):
                    assert urlsplit(target).netloc != "owner.github.io", f"{ref} in {rel}"
                    continue
                local = urlsplit(target).path.removeprefix("/repo/")
                file = site.root / local
                if local == "" or local.endswith("/"):
                    file = file / "index.html"
                assert file.exists(), f"{ref} in {rel} -> {target}; reproduce: {site.command}"
                checked += 1
    assert checked > 200


def test_untrusted_text_is_escaped(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    file = content / "articles" / "2024" / "2024-01-05-hotel-general.md"
    text = file.read_text(encoding="utf-8")
    text = text.replace('"Hotel: a general AI story"', '"Hotel <script>alert(1)</script>"')
    file.write_text(text + "\n<script>alert(2)</script> <b onclick=x>bold</b>\n", encoding="utf-8")
    code, site = build(tmp_path, content)
    assert code == 0
    page = site.page("news/2024/01/05/hotel-general/")
    scripts = [s for s in page.find_all("script") if s.get("type") != LINKED_DATA]
    assert not [s for s in scripts if "alert" in s.get_text()]
    (linked,) = page.find_all("script", type=LINKED_DATA)  # data: the title as text in it
    assert is_linked_data(linked.get_text())
    assert json.loads(linked.get_text())["headline"] == "Hotel <script>alert(1)</script>"
    assert "<script>alert(1)</script>" in page.select_one("h1").get_text()
    assert "<script>alert(1)</script>" in page.title.get_text()
    assert page.select_one(".dg-note b").attrs == {}


def test_content_errors_fail_the_build_with_file_and_line_and_keep_the_old_site(
    tmp_path: Path, capsys
):
    code, site = build(tmp_path, VALID)
    assert code == 0
    before = {p: p.read_bytes() for p in site.root.rglob("*") if p.is_file()}
    code, _ = build(tmp_path, FIXTURES / "bad")
    assert code == 1
    err = capsys.readouterr().err
    assert "2024-01-02-unknown-topic.md:7: error: unknown topic 'Mircosoft AI'" in err
    assert "Bad_Name.md:1: error" in err
    after = {p: p.read_bytes() for p in site.root.rglob("*") if p.is_file()}
    assert after == before
    leftovers = [p.name for p in tmp_path.iterdir() if ".site.building-" in p.name]
    assert leftovers == [], "a failed build must not leave its staging folder behind"


def test_strict_build_fails_on_warnings(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    (content / "articles" / "2024" / "2024-06-01-naive.md").write_text(
        '---\ntitle: "N"\npublishedDateTime: 2024-06-01 10:00:00\n'
        'webUrl: "https://example.com/n"\ntopics: [AI]\n---\n',
        encoding="utf-8",
    )
    assert build(tmp_path, content)[0] == 0
    assert build(tmp_path, content, "--strict")[0] == 1


def test_sample_content_builds_the_specs_pages(tmp_path: Path):
    code, site = build(tmp_path, REPO / "content")
    assert code == 0
    for url in ["", "topics/", "topics/ai-in-finance/", "topics/microsoft-ai/", "archive/"]:
        site.page(url)
    articles = load_corpus(REPO / "content").articles
    assert len(articles) == 4
    for a in articles:
        site.page(f"news/{a.date:%Y/%m/%d}/{a.slug}/")


def test_files_beside_the_articles_are_copied_and_the_articles_are_not(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    (content / "images").mkdir()
    (content / "images" / "logo.png").write_bytes(b"\x89PNG not really")
    (content / "articles" / "notes.txt").write_text("curators' notes", "utf-8")
    code, site = build(tmp_path, content)
    assert code == 0
    assert (site.root / "images" / "logo.png").read_bytes() == b"\x89PNG not really"
    assert not (site.root / "articles").exists() and not (site.root / "topics.yml").exists()
    # MkDocs lists files its own way again after the build (another project may build next).
    assert mkdocs_build.get_files is mkdocs_files.get_files


def test_the_site_has_every_theme_file_mkdocs_lists(tmp_path: Path):
    # The build walks the theme without its hidden folders (material's 14,000 icons);
    # MkDocs' own listing, walking everything, must find nothing more to copy.
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    for name in ["extra/shown.css", "extra/deep/shown.js", "extra/.hidden/no.css", ".hidden/no.js"]:
        (theme / name).parent.mkdir(parents=True, exist_ok=True)
        (theme / name).write_text(name, "utf-8")
    code, site = build(tmp_path, FIXTURES / "valid", theme=theme)
    assert code == 0
    config = load_config(str(tmp_path / "mkdocs.yml"))
    listed = mkdocs_files.Files([])
    listed.add_files_from_theme(config.theme.get_env(), config)
    names = {file.src_uri for file in listed}
    assert {"extra/shown.css", "extra/deep/shown.js"} <= names
    assert any(name.startswith("assets/javascripts/bundle.") for name in names)  # material's
    for file in listed:
        if "/lunr/" in file.src_uri or "/workers/" in file.src_uri:
            continue  # material's search's, left out (see the next test)
        if file.src_uri == PALETTE_SCRIPT:
            continue  # a template, drawn from mkdocs.yml (the palette tests)
        assert (site.root / file.dest_uri).read_bytes() == Path(file.abs_src_path).read_bytes()
    assert not (site.root / "extra" / ".hidden").exists() and not (site.root / ".hidden").exists()
    # Walking and listing are MkDocs' and Jinja's own again after the build.
    assert jinja2.loaders.os is os and mkdocs_files.os is os


def test_mkdocs_build_gives_the_same_pages_as_digest_build(tmp_path: Path):
    code, site = build(tmp_path, VALID)
    assert code == 0
    out = tmp_path / "mkdocs-site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(tmp_path / "mkdocs.yml"),
            "-d",
            str(out),
        ],
        check=True,
    )
    ours = {p.relative_to(site.root) for p in site.root.rglob("*.html")}
    theirs = {p.relative_to(out) for p in out.rglob("*.html")}
    assert ours == theirs
    for rel in ours:
        assert (site.root / rel).read_bytes() == (out / rel).read_bytes(), rel


@pytest.mark.parametrize("name", ["index.html", "topics/index.html"])
def test_page_size_does_not_grow_with_a_long_navigation(valid_site: Site, name: str):
    html = (valid_site.root / name).read_text(encoding="utf-8")
    assert len(re.findall(r"md-nav__link", html)) < 20


def test_the_site_publishes_no_script_of_material_s_own_search(valid_site: Site):
    """Unless mkdocs.yml turns material's search plugin on: the digest's search is Pagefind's."""
    scripts = {p.relative_to(valid_site.root).as_posix() for p in valid_site.root.rglob("*.js")}
    assert "assets/javascripts/search.js" in scripts  # the digest's own search box
    assert not [s for s in scripts if "lunr" in s or "/workers/" in s], sorted(scripts)


def test_a_note_s_links_from_the_site_s_root_work_under_a_sub_path(tmp_path: Path):
    """Curators write `/news/…` for a page of the site; published under `/news-digest/`
    that would leave the site, so the story page links it by a path from the page."""
    content = copy_fixture("valid", tmp_path)
    (content / "articles" / "2024" / "2024-03-01-mike-notes.md").write_text(
        '---\ntitle: "Mike: a note with links"\npublishedDateTime: 2024-03-01T07:00:00Z\n'
        'webUrl: "https://example.com/mike"\ntopics: [AI]\n---\n'
        "See [Alpha](/news/2024/03/01/alpha-first-story/), [Bravo](../bravo-high-heat/),\n"
        "[March](/archive/2024/03/#2024-03-01) and [the home page](/).\n",
        encoding="utf-8",
    )
    code, site = build(tmp_path, content, site_url="https://owner.github.io/news-digest/")
    assert code == 0, site.command
    url = "news/2024/03/01/mike-notes/"
    hrefs = [a["href"] for a in site.page(url).select(".dg-note a")]
    assert [resolve(url, href) for href in hrefs] == [
        "news/2024/03/01/alpha-first-story/",
        "news/2024/03/01/bravo-high-heat/",
        "archive/2024/03/#2024-03-01",
        "",
    ]
    for href in hrefs:
        assert not href.startswith("/"), href
        assert (site.root / resolve(url, href).split("#")[0] / "index.html").is_file(), href


def test_a_corrected_story_says_when_and_the_sitemap_dates_it_so(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    story = content / "articles" / "2024" / "2024-02-15-echo-microsoft.md"
    text = story.read_text("utf-8")
    story.write_text(
        text.replace(
            "publishedDateTime:", "updatedDateTime: 2024-03-02T16:45:00Z\npublishedDateTime:"
        ),
        "utf-8",
    )
    code, site = build(tmp_path, content)
    assert code == 0, site.command
    url = "news/2024/02/15/echo-microsoft/"
    updated = site.page(url).select_one(".dg-story__updated time")
    assert updated["datetime"] == "2024-03-02T16:45:00+00:00"
    assert updated.get_text() == "Saturday, 2 March 2024, 16:45 UTC"
    sitemap = BeautifulSoup((site.root / "sitemap.xml").read_bytes(), "xml")
    (entry,) = [u for u in sitemap.find_all("url") if u.loc.get_text().endswith(url)]
    assert entry.lastmod.get_text() == "2024-03-02"
    assert site.page("news/2024/03/01/alpha-first-story/").select_one(".dg-story__updated") is None


def test_the_home_page_ends_with_a_way_to_the_older_stories(tmp_path: Path):
    (tmp_path / "all").mkdir()
    code, every = build(tmp_path / "all", FIXTURES / "valid", home_limit=50)
    assert code == 0, every.command
    newest_first = card_slugs(every.page(""))
    links = [a.get_text() for a in every.page("").select(".dg-more-link a")]
    assert links == ["All stories by month →"], "nothing older to lead to"
    code, site = build(tmp_path, FIXTURES / "valid", home_limit=3)
    assert code == 0, site.command
    home = site.page("")
    assert card_slugs(home) == newest_first[:3]
    (older,) = [a for a in home.select(".dg-more-link a") if a.get_text() == "Older stories →"]
    path, day = resolve("", older["href"]).split("#")
    section = site.page(path).find("section", id=day)
    assert section is not None, (path, day)
    assert newest_first[3] in card_slugs(section), "the newest story the home page left out"
    assert [a.get_text() for a in home.select(".dg-more-link a")][-1] == "All stories by month →"
