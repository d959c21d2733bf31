"""Stories from strangers: a hostile corpus builds into a site and feeds with no live markup.

`tests/fixtures/hostile/` puts script tags, event handlers and `javascript:` /
`data:` / `vbscript:` links in every field a story has (titles, excerpts, sources,
related coverage, topic names, image titles, the note), with traversal and
non-Latin topic names; `tests/fixtures/collisions/` holds two topics and two
stories that would share a URL, which must stop the build naming both.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from generator.cli import main as digest
from generator.content.corpus import load_corpus
from generator.content.loader import load_article
from generator.content.logos import logo_key
from generator.content.validate import validate_article
from support import FIXTURES, SAVED_LOGOS, Site, build, live_markup, resolve

HOSTILE = FIXTURES / "hostile"
SITE_URL = "https://owner.github.io/repo/"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("hostile")
    code, built = build(root, HOSTILE, site_url=SITE_URL)
    assert code == 0, f"the hostile corpus must build; reproduce: {built.command}"
    return built


def test_the_checker_sees_each_kind_of_live_markup():
    """A checker that finds nothing proves nothing: each of these must be caught."""
    for html in [
        "<p onclick=x>a</p>",
        "<a href=' JaVa\tScript:alert(1)'>a</a>",
        "<img src='data:image/svg+xml,x'>",
        "<a href='vbscript:x'>a</a>",
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        "<iframe src=x></iframe>",
        "<object data=x></object>",
        "<embed src=x>",
        "<meta http-equiv=refresh content='0;url=x'>",
    ]:
        assert live_markup(html, page=False), html


def test_no_page_of_the_hostile_site_has_live_markup(site: Site):
    pages = site.pages()
    assert len(pages) > 10
    for path in pages:
        found = live_markup(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(site.root)}: {found}; reproduce: {site.command}"


def test_every_hostile_field_shows_as_the_text_the_curator_wrote(site: Site):
    (story,) = [a for a in load_corpus(HOSTILE).articles if a.slug == "every-field"]
    page = site.page("news/2024/04/01/every-field/")
    assert page.select_one("h1.dg-story__title").get_text() == story.title
    assert page.title.get_text().startswith(story.title)
    assert page.select_one(".dg-lead").get_text() == story.excerpt
    assert page.select_one(".dg-card__source").get_text() == story.provider.name
    related = page.select_one(".dg-related li")
    assert related.a.get_text() == story.related[0].title
    assert related.a["href"] == story.related[0].web_url
    assert related.p.get_text() == story.related[0].excerpt
    topics = [a.get_text() for a in page.select(".dg-story .dg-topic")]
    assert topics == list(story.topics)
    assert page.select_one(".dg-story__title a")["href"] == story.web_url
    # The logo is the copy saved of it: the hostile address never reaches the page.
    logo = resolve("news/2024/04/01/every-field/", page.select_one(".dg-card__logo")["src"])
    assert logo == f"assets/logos/{logo_key(story.provider.logo.url)}.png"
    note = page.select_one(".dg-note")
    assert note.get_text().strip() == "A note in every field's spirit:"


def test_hostile_topic_names_get_safe_stable_slugs_under_topics(site: Site):
    expected = {
        "../../x": "x",
        "人工智能": "ren-gong-zhi-neng",
        '<script>alert("topic")</script>': "script-alert-topic-script",
        '" onmouseover="alert(4)': "onmouseover-alert-4",
    }
    topics = load_corpus(HOSTILE).topics
    assert {name: topics[name].slug for name in expected} == expected
    for name, slug in expected.items():
        page = site.page(f"topics/{slug}/")
        assert page.select_one("h1").get_text() == name
        assert (site.root / "topics" / slug / "feed.xml").is_file()
    # Nothing was written beside the site: the build's folder holds its config, the site,
    # the cache and the site's manifest (see site_folder.py) only, and no file of the site
    # is a link out of it.
    allowed = {"mkdocs.yml", "site", ".cache", ".site.manifest", ".site.spare", SAVED_LOGOS}
    assert {p.name for p in site.root.parent.iterdir()} <= allowed
    for path in site.root.rglob("*"):
        assert path.resolve().is_relative_to(site.root.resolve()), path


def test_links_to_elsewhere_open_without_an_opener_and_images_are_sized_and_lazy(site: Site):
    links = images = 0
    for path in site.pages():
        page = site.page(path.parent.relative_to(site.root).as_posix().removeprefix("."))
        content = page.select_one(".md-content")
        if content is None:
            continue
        for a in content.find_all("a", href=True):
            if urlsplit(a["href"]).netloc not in ("", "owner.github.io"):
                assert {"noopener", "noreferrer"} <= set(a.get("rel", [])), f"{path}: {a}"
                links += 1
        for img in content.find_all("img"):
            assert img.get("width") and img.get("height"), f"{path}: {img}"
            assert img.get("loading") == "lazy", f"{path}: {img}"
            images += 1
    assert links > 20 and images > 3


def _feeds(site: Site) -> list[Path]:
    return sorted(
        [*site.root.rglob("feed.xml"), *site.root.rglob("atom.xml"), site.root / "daily.xml"]
    )


def test_feeds_carry_only_inert_html_and_titles_as_text(site: Site):
    titles = {a.title for a in load_corpus(HOSTILE).articles}
    checked = 0
    for path in _feeds(site):
        tree = etree.parse(str(path))  # well-formed XML, or this raises
        items = tree.findall(".//item") or tree.findall(f".//{ATOM}entry")
        assert items, path
        for item in items:
            for tag in ("description", CONTENT, f"{ATOM}content", f"{ATOM}summary"):
                for el in item.findall(tag):
                    found = live_markup(el.text or "", page=False)
                    assert not found, f"{path.relative_to(site.root)} <{tag}>: {found}"
                    checked += 1
            title = item.findtext("title") or item.findtext(f"{ATOM}title")
            if path.name != "daily.xml":
                assert title in titles, f"{path}: {title!r} is not a story's title as text"
    assert checked > 20


def test_opml_and_sitemaps_are_well_formed_with_hostile_topic_names(site: Site):
    opml = etree.parse(str(site.root / "feeds.opml"))
    texts = {o.get("text") for o in opml.iter("outline")}
    assert '<script>alert("topic")</script> — AI News Digest' in texts
    for path in site.root.rglob("sitemap.xml"):
        etree.parse(str(path))


def test_search_documents_hold_the_fields_as_text(site: Site):
    """Pagefind decodes our escaped documents back to the exact text, and its UI escapes it
    again when it shows an excerpt (`raw_content`), and shows titles as text nodes."""
    stories = {f"/news/{a.date:%Y/%m/%d}/{a.slug}/": a for a in load_corpus(HOSTILE).articles}
    records = []
    for fragment in site.root.glob("search/*/fragment/*"):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd"), fragment
        records.append(json.loads(data[len(b"pagefind_dcd") :]))
    assert len(records) == len(stories)
    for record in records:
        story = stories[record["url"]]
        assert record["meta"]["title"] == story.title
        if story.provider:
            assert record["meta"]["source"] == story.provider.name
    script = next(site.root.glob("search/*/pagefind.js")).read_text(encoding="utf-8")
    assert 'raw_content=fragment.content.replace(/</g,"&lt;")' in script


def test_colliding_topics_and_story_urls_fail_the_build_naming_both(tmp_path: Path, capsys):
    code, site = build(tmp_path, FIXTURES / "collisions")
    assert code == 1, site.command
    err = capsys.readouterr().err
    assert (
        "2024-05-02-second.md:5: error: topic 'AI-ethics!' would share the URL /topics/ai-ethics/"
        " with topic 'AI Ethics' (used in "
    ) in err
    assert "2024-05-01-first.md:5)" in err
    assert "b/2024-05-03-same.md:1: error: same page URL as " in err
    assert "a/2024-05-03-same.md (same date and slug)" in err
    assert not site.root.exists()


URL_FIELDS = {
    "webUrl": ("webUrl: {url}\n", 4),
    "originalUrl": ("originalUrl: {url}\n", 6),
    "ampWebUrl": ("ampWebUrl: {url}\n", 6),
    "cdnAmpWebUrl": ("cdnAmpWebUrl: {url}\n", 6),
    "related webUrl": ("related:\n  - title: R\n    webUrl: {url}\n", 8),
    "image url": ("images:\n  - url: {url}\n", 7),
    "logo url": ("provider:\n  name: P\n  images:\n    - url: {url}\n", 9),
    "related image url": (
        "related:\n  - title: R\n    webUrl: https://example.com/r\n    images:\n"
        "      - url: {url}\n",
        10,
    ),
}
BAD_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "ftp://example.com/x",
    "https:///no-host",
    "'https://example.com/a b'",
]


@pytest.mark.parametrize("field", list(URL_FIELDS))
@pytest.mark.parametrize("url", BAD_URLS)
def test_every_url_field_refuses_anything_but_http_at_its_line(field: str, url: str):
    template, line = URL_FIELDS[field]
    head = 'title: "T"\npublishedDateTime: 2024-05-01T10:00:00Z\n'
    web = "" if field == "webUrl" else "webUrl: https://example.com/x\n"
    text = f"---\n{head}{template.format(url=url) if field == 'webUrl' else web}topics: [AI]\n"
    if field != "webUrl":
        text += template.format(url=url)
    raw = load_article(f"{text}---\n".encode(), "2024-05-01-s.md", "2024-05-01-s.md")
    article, problems = validate_article(raw, None)
    assert article is None
    assert [p.line for p in problems if p.level == "error"] == [line], problems


def test_site_relative_image_paths_are_allowed_but_not_protocol_relative_ones():
    head = "---\ntitle: T\npublishedDateTime: 2024-05-01T10:00:00Z\nwebUrl: https://e.com/x\n"
    for url, ok in [("/images/x.png", True), ("//evil.example/x.png", False)]:
        text = f"{head}topics: [AI]\nimages:\n  - url: '{url}'\n---\n"
        raw = load_article(text.encode(), "2024-05-01-s.md", "2024-05-01-s.md")
        assert (validate_article(raw, None)[0] is not None) is ok, url


def check_one(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    """`digest check`'s report on a content folder of one story file; the check must fail."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "2024-05-01-s.md").write_text(text, encoding="utf-8")
    assert digest(["check", "--content", str(tmp_path), "--no-cache"]) == 1
    return capsys.readouterr().out


def test_digest_check_reports_a_javascript_link_at_its_line(tmp_path: Path, capsys):
    out = check_one(
        tmp_path,
        capsys,
        "---\ntitle: T\npublishedDateTime: 2024-05-01T10:00:00Z\nwebUrl: https://e.com/x\n"
        "topics: [AI]\nrelated:\n  - title: R\n    webUrl: javascript:alert(1)\n---\n",
    )
    assert "2024-05-01-s.md:8: error: 'webUrl' must be an absolute http(s) URL" in out, out


def test_control_characters_feeds_cannot_carry_are_errors_at_their_lines(tmp_path: Path, capsys):
    out = check_one(
        tmp_path,
        capsys,
        '---\ntitle: "a \\x01 b"\npublishedDateTime: 2024-05-01T10:00:00Z\n'
        'webUrl: https://e.com/x\ntopics: ["A\\x0bI"]\n---\nfine\nnot \x02 fine\n',
    )
    assert "2024-05-01-s.md:2: error: 'title' contains the control character U+0001" in out
    assert "2024-05-01-s.md:5: error: topic name contains the control character U+000B" in out
    assert "2024-05-01-s.md:8: error: the note contains the control character U+0002" in out
