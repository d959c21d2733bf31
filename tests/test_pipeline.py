"""The build pipeline driven directly, phase by phase, by an engine that is not MkDocs.

`PlainEngine` is the seam the pipeline's docstring describes, made with Jinja alone: it
draws each shell page with the placeholders and writes what MkDocs would write (the drawn
pages and the site files). If a second engine needs more than this, the seam is not small.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pytest
from bs4 import BeautifulSoup

from generator.build.clock import EPOCH_ENV
from generator.build.errors import BuildError
from generator.build.pipeline import Build
from generator.build.settings import BuildSettings
from generator.build.shells import (
    SHELL_CANONICAL,
    SHELL_CONTENT,
    SHELL_HEAD,
    SHELL_HEADER,
    SHELL_TITLE,
)
from generator.build.site_folder import Spare
from generator.site.feeds import FeedSite
from generator.site.pages import GeneratedPage
from support import FIXTURES, REPO, copy_fixture

SITE = FeedSite(title="Plain", description="", url="https://example.org/plain/")
# The chrome of the second engine: the placeholders, and nothing of material's.
CHROME = (
    "<!doctype html><html><head><title>"
    + SHELL_TITLE
    + '</title><link rel="canonical" href="'
    + SHELL_CANONICAL
    + '">'
    + SHELL_HEAD
    + "</head><body><h1>"
    + SHELL_HEADER
    + "</h1>"
    + SHELL_CONTENT
    + "</body></html>"
)


class PlainEngine:
    """An engine made of Jinja: the theme's digest templates and a chrome of its own."""

    def __init__(self) -> None:
        self.env = jinja2.Environment(
            # The digest's own templates, which include nothing of material's.
            loader=jinja2.FileSystemLoader(str(REPO / "theme")),
            autoescape=True,
        )

    def build(self, build: Build, content: Path, out: Path, spare: Spare | None = None) -> None:
        build.load(content)
        build.plan(out, spare)
        build.use_templates(self.env)
        for page in build.shell_pages.values():
            self._write(out / page.path, build.add_shell(page, CHROME).encode())
        for path, data in build.site_files.items():
            self._write(out / path, data)
        build.write(out)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _settings(**changed: object) -> BuildSettings:
    values: dict = {"site": SITE, "zone": ZoneInfo("UTC"), "future": True, **changed}
    return BuildSettings(**values)


def _title(path: Path) -> str:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").title.get_text()


def test_a_second_engine_builds_every_page_feed_and_search_index(tmp_path: Path):
    build, out = Build(_settings()), tmp_path / "site"
    out.mkdir()
    PlainEngine().build(build, FIXTURES / "valid", out)
    assert build.pages and build.tally is not None
    assert len(build.shell_pages) < len(build.pages), "every page drawn: no shells shared"
    for page in build.pages:
        path = out / page.path
        assert path.is_file(), f"/{page.url} was not written"
        expected = "Plain" if page.url == "" else f"{page.title} - Plain"
        assert _title(path) == expected, page.url
        html = path.read_text(encoding="utf-8")
        assert f'href="{SITE.url}{page.url}"' in html, f"/{page.url}: no canonical link"
    for path in ("feed.xml", "atom.xml", "daily.xml", "feeds.opml", "sitemap.xml"):
        assert (out / path).stat().st_size > 0, path
    assert list((out / "search").glob("*/pagefind.js")), "no search bundle"
    # The build left the process as it found it: no SOURCE_DATE_EPOCH, nothing frozen.
    assert EPOCH_ENV not in os.environ
    assert gc.get_freeze_count() == 0


def test_content_errors_stop_the_build_at_load_naming_file_and_line(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    story = next((content / "articles").rglob("*.md"))
    story.write_text(story.read_text(encoding="utf-8").replace("title:", "titel:", 1))
    build = Build(_settings())
    with pytest.raises(BuildError) as raised:
        build.load(content)
    message = str(raised.value)
    assert "nothing was built" in message and story.name in message, message
    assert ":1" in message or ":2" in message, message
    assert build.pages == [] and build.tree is None


def test_a_shell_without_its_placeholders_is_refused(tmp_path: Path):
    build, out = Build(_settings()), tmp_path / "site"
    build.load(FIXTURES / "valid")
    build.plan(out)
    build.use_templates(PlainEngine().env)
    page: GeneratedPage = next(iter(build.shell_pages.values()))
    try:
        with pytest.raises(BuildError, match="print the page content exactly once"):
            build.add_shell(page, "<html><title>x</title></html>")
    finally:
        build.cancel()
    assert EPOCH_ENV not in os.environ


def test_a_patched_spare_ends_equal_to_a_build_from_nothing(tmp_path: Path):
    """The spare of the last build is patched into the next: only changed pages are written,
    and the result is what a build from nothing gives."""
    content = copy_fixture("valid", tmp_path)
    cache, engine = tmp_path / "cache", PlainEngine()
    first, out1 = Build(_settings(cache_dir=cache)), tmp_path / "one"
    out1.mkdir()
    engine.build(first, content, out1)
    assert first.manifest is not None
    holder = tmp_path / "spare"
    holder.mkdir()
    shutil.move(out1, holder / "site")
    spare = Spare(holder, first.manifest)
    story = sorted((content / "articles").rglob("*.md"))[-1]
    story.write_text(story.read_text(encoding="utf-8") + "\nA curator's line, added.\n")
    second, out2 = Build(_settings(cache_dir=cache)), tmp_path / "two"
    out2.mkdir()
    stamps = {p: p.stat().st_mtime_ns for p in (holder / "site").rglob("index.html")}
    engine.build(second, content, out2, spare)
    assert second.tree == holder / "site"
    edited = [p for p in second.tree.rglob("index.html") if "A curator" in p.read_text("utf-8")]
    assert edited, "the edit reached no page"
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    engine.build(Build(_settings()), content, fresh)
    assert _files(second.tree) == _files(fresh)
    kept = [p for p, stamp in stamps.items() if p.exists() and p.stat().st_mtime_ns == stamp]
    assert kept, "every page of the spare was written again"


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and "search" not in p.relative_to(root).parts
    }


def test_scheduled_stories_wait_for_the_builds_now(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    now = Build(_settings(future=False))
    everything = Build(_settings(future=True))
    newest = max(a.published for a in everything.load(content).articles)
    os.environ[EPOCH_ENV] = str(int((newest - dt.timedelta(seconds=1)).timestamp()))
    try:
        shown = now.load(content)
    finally:
        del os.environ[EPOCH_ENV]
    assert newest not in {a.published for a in shown.articles}
    assert shown.scheduled >= 1
