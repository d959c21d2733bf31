"""Property-based: whatever a stranger writes, the build never crashes and never emits live markup.

Hypothesis writes arbitrary titles, excerpts, sources, topic names, related
coverage, image titles and notes, salted with pieces of HTML and script, into
real article files (PyYAML `safe_dump`). At the core (loader → validate →
index → pages rendered through the real templates, feeds) every file is
either refused with `path:line` errors or gives inert output; a few whole
builds check the same through MkDocs.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from markupsafe import Markup

from generator.content.errors import ContentError, Level
from generator.content.loader import load_article
from generator.content.validate import check_corpus, validate_article
from generator.site.feeds import FeedSettings, FeedSite, plan_feeds
from generator.site.index import build_index
from generator.site.pages import PageSettings, build_pages
from support import REPO, build, live_markup

PIECES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "<a href='data:text/html,x'>y</a>",
    "<iframe src=//evil>",
    "<style>*{}</style>",
    "]]>",
    "&amp;&lt;",
    "{{ 7*7 }}{% raw %}",
    "../../",
    "人工智能",
    "\n\n- ",
    "`",
    "*",
]
# Printable text: a control character gets a file refused (tests/test_hostile.py).
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
hostile_text = st.lists(st.one_of(printable, st.sampled_from(PIECES)), min_size=1, max_size=6).map(
    "".join
)
# For keys that must not be blank, which would only get the file refused.
required_text = hostile_text.filter(str.strip)
SITE = FeedSite("AI News Digest", "Curated", "https://owner.github.io/repo/")
ATOM = "{http://www.w3.org/2005/Atom}"
HTML_FIELDS = ("description", "{http://purl.org/rss/1.0/modules/content/}encoded")
HTML_FIELDS += (f"{ATOM}content", f"{ATOM}summary")


def _feed_files(digest, site, settings) -> dict[str, bytes]:
    """Every feed file of the site by its path, as the build writes them."""
    return {
        feed.path: feed.make()
        for feed in plan_feeds(digest, site, settings, PageSettings().per_page)
    }


@st.composite
def article_files(draw: st.DrawFn, day: int = 1) -> tuple[str, bytes]:
    """(file name, bytes) of one article whose every text field is hostile."""
    meta = {
        "title": draw(required_text),
        "publishedDateTime": f"2024-05-{day:02d}T10:00:00Z",
        "webUrl": draw(st.sampled_from(["https://example.com/a?b=1&c=\"'<>", "https://e.com/"])),
        # Mostly names with a letter, which make a slug (a name without one is refused).
        "topics": draw(st.lists(hostile_text.map("T".__add__), min_size=1, max_size=3)),
        "excerpt": draw(hostile_text),
        "provider": {
            "name": draw(required_text),
            "images": [{"url": "https://e.com/l.png", "width": 5, "height": 5, "title": "t"}],
        },
        "images": [{"url": "/i.png", "title": draw(hostile_text)}],
        "related": [{"title": draw(required_text), "webUrl": "https://o.example/r"}],
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    name = f"2024-05-{day:02d}-story-{day}.md"
    return name, f"---\n{front}---\n{draw(hostile_text)}\n".encode()


def _templates() -> jinja2.Environment:
    """The digest's own templates as MkDocs would load them (the icon include aside)."""
    material = Path(__import__("material").__file__).parent / "templates"
    loader = jinja2.FileSystemLoader([REPO / "theme", material])
    return jinja2.Environment(loader=loader, autoescape=True)


ENV = _templates()


def _render(page, card) -> str:
    return ENV.get_template(page.template).render(
        digest=page.context,
        title=page.title,
        rel=lambda url: url,
        card=card,
        site_feeds=[],
        topic_feeds=[],
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(1, 28), min_size=1, max_size=3, unique=True).flatmap(
        lambda days: st.tuples(*(article_files(day) for day in days))
    )
)
def test_any_story_is_refused_at_a_line_or_renders_inert(files):
    articles, problems = [], []
    for name, data in files:
        raw = load_article(data, name, name)
        if isinstance(raw, ContentError):
            problems.append(raw)
            continue
        article, found = validate_article(raw, None)
        problems.extend(found)
        if article is not None and not any(p.level is Level.ERROR for p in found):
            articles.append(article)
    topics, cross = check_corpus(articles, None)
    for problem in [*problems, *cross]:
        assert re.match(r"2024-05-\d\d-story-\d+\.md:\d+: (error|warning): \S", str(problem))
    refused = {p.path for p in cross if p.level is Level.ERROR}
    articles = [a for a in articles if a.path not in refused]
    event(f"{len(articles)} of {len(files)} stories valid")
    digest = build_index(articles, topics, ZoneInfo("UTC"))
    card_template = ENV.get_template("digest/card.html")

    def card(c) -> Markup:
        return Markup(card_template.render(c=c, rel=lambda url: url))

    for page in build_pages(digest, PageSettings()):
        html = _render(page, card)
        assert not live_markup(html, page=False), (page.url, live_markup(html, page=False))
    for path, data in _feed_files(digest, SITE, FeedSettings()).items():
        if path.endswith(".json"):  # JSON Feed: HTML only in content_html, the rest text
            for item in json.loads(data)["items"]:
                assert not live_markup(item["content_html"], page=False), (path, item)
            continue
        tree = etree.fromstring(data)
        for tag in HTML_FIELDS:
            for el in tree.iter(tag):
                assert not live_markup(el.text or "", page=False), (path, el.text)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=st.tuples(article_files(1), article_files(2)))
def test_any_corpus_builds_without_live_markup_or_fails_naming_files(files, capsys):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "content" / "articles"
        folder.mkdir(parents=True)
        for name, data in files:
            (folder / name).write_bytes(data)
        capsys.readouterr()
        code, site = build(root, root / "content", "--no-cache")
        err = capsys.readouterr().err
        event("built" if code == 0 else "refused")
        if code != 0:
            assert ", nothing written to " in err and ": see the errors above" in err, err
            assert re.search(r"2024-05-0\d-story-\d\.md:\d+: error: ", err), err
            assert not site.root.exists()
            return
        for path in site.pages():
            found = live_markup(path.read_text(encoding="utf-8"))
            assert not found, f"{path}: {found}"
