"""Helpers for the tests: build real sites from fixture corpora into temporary folders, parse
them, and read them in a browser.

A module of its own rather than `conftest.py`, so that tests import what they use by name
and the core's tests need nothing of the browser's: Playwright is imported only for typing
here, and by the fixtures in `conftest.py` that start Chromium.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import shutil
import warnings
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

from generator.cli import main as digest
from generator.content.corpus import load_corpus
from generator.content.logos import logo_key, remote_logos

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The corpus generator the benchmark uses: realistic stories, as many as asked for.
MAKE_CORPUS = REPO / "bench" / "make_corpus.py"


@dataclass
class Site:
    root: Path
    command: str

    def page(self, url: str) -> BeautifulSoup:
        """The parsed HTML of the page at a site URL like `topics/ai/`."""
        path = self.root / url / "index.html"
        assert path.is_file(), f"no page at /{url} ({path}); reproduce: {self.command}"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    def pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


def resolve(page_url: str, href: str) -> str:
    """The site URL a relative link on the page at `page_url` points to (`topics/ai/`)."""
    return urljoin("/" + page_url, href).lstrip("/")


def write_config(
    folder: Path, content: Path, theme: Path = REPO / "theme", **plugin: object
) -> Path:
    """A mkdocs.yml like the repo's, pointing at `content`, with plugin options changed.

    Unless told another `logo_dir`, the sources' logos are in `folder/SAVED_LOGOS` as
    `digest fetch-logos` leaves them (a pixel each, see `fetched_logos`), so cards show
    logos and no test needs the network.
    """
    plugin.setdefault("logo_dir", str(fetched_logos(content, folder / SAVED_LOGOS)))
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(content)
    config["theme"]["custom_dir"] = str(theme)
    (at,) = [i for i, p in enumerate(config["plugins"]) if isinstance(p, dict) and "digest" in p]
    config["plugins"][at] = {"digest": {**config["plugins"][at]["digest"], **plugin}}
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def build(
    tmp: Path,
    content: Path,
    *args: str,
    site_url: str | None = None,
    theme: Path = REPO / "theme",
    **plugin: object,
) -> tuple[int, Site]:
    """Run `digest build` on `content` into `tmp/site`; returns (exit code, site)."""
    config = write_config(tmp, content, theme, **plugin)
    if site_url is not None:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["site_url"] = site_url
        config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    site = tmp / "site"
    argv = ["build", "-f", str(config), "--site-dir", str(site), *args]
    code = digest(argv)
    return code, Site(site, "digest " + " ".join(argv))


# Where `write_config` puts the logos it has saved for a test's site, beside its mkdocs.yml.
SAVED_LOGOS = ".saved-logos"


def fetched_logos(content: Path, folder: Path) -> Path:
    """`folder` holding a logo (PIXEL, a PNG) for each source logo on another site that the
    stories in `content` name, under the name `digest fetch-logos` saves it by."""
    folder.mkdir(parents=True, exist_ok=True)
    for url in remote_logos(load_corpus(content).articles):
        (folder / f"{logo_key(url)}.png").write_bytes(PIXEL)
    return folder


def copy_fixture(name: str, tmp: Path) -> Path:
    """A writable copy of a fixture corpus, for tests that change files."""
    target = tmp / name
    shutil.copytree(FIXTURES / name, target)
    return target


# Reading the built site in a real browser: Debian's Chromium driven by Playwright. A missing
# browser fails these tests (it never skips them): `bash .ci/run` installs it.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Where the screenshot tests write; the README shows the committed set in docs/screenshots/.
SCREENSHOTS_ENV = "DIGEST_SCREENSHOTS"
# Readers' clock in the browser tests, so "Today"/"Yesterday" and screenshots never drift:
# the evening of the fixture's newest day.
READER_NOW = dt.datetime(2024, 3, 1, 18, 0, tzinfo=dt.UTC)
# Served under a sub-path, as on GitHub Pages, so relative links and search's base are tested.
SUB_PATH = "news-digest/"
# Stands in for every image from outside (source logos), so no test depends on the network.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGOwD9wKAAIYAUbjA7okAAAAAElFTkSuQmCC"
)
# One page of each type, as readers reach them (site URLs in the served fixture site).
PAGE_TYPES = {
    "home": "",
    "topics": "topics/",
    "topic": "topics/ai/",
    "article": "news/2024/03/01/alpha-first-story/",
    "archive": "archive/",
    "month": "archive/2024/03/",
}
LONG_TITLE_STORY = """---
title: "Zulu: a regulator's Supercalifragilisticexpialidociousnessofartificialintelligencemodels
  report and a very long headline that has to wrap on a phone rather than run off the screen"
excerpt: "A story from a second source, with a long headline."
publishedDateTime: 2024-03-01T16:00:00Z
webUrl: "https://zulutimes.example.org/long-headline"
topics: [Microsoft AI]
provider:
  name: Zulu Times
  domain: zulutimes.example.org
  images:
    - url: "https://zulutimes.example.org/logo.png"
      width: 50
      height: 50
---
"""


@dataclass
class Served:
    """A built site served over HTTP at `url` (a sub-path of a local server)."""

    site: Site
    url: str


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Requests are not news: keep pytest's output for failures."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """A missing file answered as GitHub Pages does: 404, with the site's 404.html (a
        project site's, for paths under its sub-path) when it has one."""
        page = Path(self.directory) / self.path.lstrip("/").split("/", 1)[0] / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


def offline(route: Route) -> None:
    """Answer a request for anything outside the served site locally: a pixel for images,
    an empty stylesheet (web fonts), a stub page for links followed; nothing for the rest."""
    kind = route.request.resource_type
    if kind == "image":
        route.fulfill(status=200, content_type="image/png", body=PIXEL)
    elif kind == "stylesheet":
        route.fulfill(status=200, content_type="text/css", body="")
    elif kind == "document":
        body = "<!doctype html><html lang=en><title>Elsewhere</title><h1>Elsewhere</h1></html>"
        route.fulfill(status=200, content_type="text/html", body=body)
    else:
        route.fulfill(status=204)


@dataclass
class Reader:
    """One browser window on the served site that notes every error a reader's browser shows."""

    page: Page
    base: str
    problems: list[str] = field(default_factory=list)

    def open(self, url: str) -> Page:
        """Go to a site URL like `topics/ai/`; returns once it has loaded and its scripts ran."""
        response = self.page.goto(self.base + url)
        assert response is not None and response.ok, f"{self.base + url}: {response}"
        return self.page

    def watch(self) -> None:
        """Note what a reader's browser would report: console errors (failed loads included),
        uncaught script errors, and any file the site links to but lacks."""
        page = self.page
        page.on("console", lambda m: m.type == "error" and self.note(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.note(f"script error: {e}"))
        page.on("response", lambda r: r.status >= 400 and self.note(f"{r.status} {r.url}"))

    def note(self, problem: str) -> None:
        self.problems.append(f"{self.page.url}: {problem}")


def screenshot_dir() -> Path:
    """`docs/screenshots/` (what the README shows) unless $DIGEST_SCREENSHOTS names another."""
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or REPO / "docs" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# "Live markup": anything in a built page or feed that a browser or feed reader would run or
# load from what a story's file says. The theme's own scripts are allowed by name.

# mkdocs-material's inline scripts in base.html (its `__md_scope` line varies by page depth).
MATERIAL_SCRIPTS = (
    re.compile(
        r'__md_scope=new URL\("[./]*(?:/news-digest/|/repo/)?",location\),__md_hash=e=>\[\.\.\.e\]'
        r"\.reduce\(\(\(e,_\)=>\(e<<5\)-e\+_\.charCodeAt\(0\)\),0\),__md_get=\(e,_=localStorage,"
        r't=__md_scope\)=>JSON\.parse\(_\.getItem\(t\.pathname\+"\."\+e\)\),__md_set=\(e,_,'
        r't=localStorage,a=__md_scope\)=>\{try\{t\.setItem\(a\.pathname\+"\."\+e,JSON\.stringify'
        r"\(_\)\)\}catch\(e\)\{\}\}"
    ),
    re.compile(
        re.escape(
            "var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
            '(target.checked=target.name.startsWith("__tabbed_"))'
        )
    ),
)
# Scripts may be loaded from these site folders only: material's bundle and ours, Pagefind's.
SCRIPT_FOLDERS = ("assets/javascripts/", "search/")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
CONTENT_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "form"}


def _scheme(value: str) -> str:
    """A URL as a browser reads its scheme: case, white space and control characters dropped."""
    return re.sub(r"[\x00-\x20]", "", value).lower()


def live_markup(html: str, page: bool = True) -> list[str]:
    """What in `html` could run or load active content: [] when it is inert.

    `page`: a whole built page, where the theme's known scripts and form are
    allowed; otherwise a fragment (a feed's HTML), where none are.
    """
    with warnings.catch_warnings():  # a made-up fragment may look like a file name: it is text
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "lxml")
    found = []
    for el in soup.find_all(True):
        handlers = [a for a in el.attrs if a.lower().startswith("on")]
        if handlers:
            found.append(f"<{el.name} {' '.join(handlers)}>")
        for name in URL_ATTRIBUTES & set(el.attrs):
            value = el[name]
            if any(_scheme(v).startswith(BAD_SCHEMES) for v in str(value).split(",")):
                found.append(f"<{el.name} {name}={value!r}>")
        if el.name == "meta" and el.get("http-equiv", "").lower() == "refresh":
            found.append(f"<meta http-equiv=refresh content={el.get('content')!r}>")
        in_content = not page or el.find_parent(class_="md-content") is not None
        if el.name in CONTENT_TAGS and in_content:
            found.append(f"<{el.name}> from content")
        if el.name == "style":  # the theme sets none (mkdocs.yml: `font: false`)
            found.append(f"<style>{el.get_text()[:80]}</style>")
        if el.name == "script" and not (page and _known_script(el)):
            found.append(f"<script src={el.get('src')!r}>{el.get_text()[:80]}</script>")
    return found


LINKED_DATA = "application/ld+json"


def is_linked_data(text: str) -> bool:
    """Whether a JSON-LD block is data and only data: JSON, with no `<` that could end its
    script element early (the renderer writes it as `\\u003c`)."""
    try:
        json.loads(text)
    except ValueError:
        return False
    return "<" not in text


def _known_script(el: Tag) -> bool:
    src = el.get("src")
    if src is not None:
        path = urlsplit(src).path.lstrip("./")
        return not urlsplit(src).netloc and any(
            re.match(rf"(?:[\w-]+/)*{re.escape(f)}", path) for f in SCRIPT_FOLDERS
        )
    if el.get("type") == "application/json" and el.get("id") == "__config":
        return True  # data for material's bundle, never run
    if el.get("type") == LINKED_DATA:
        return is_linked_data(el.get_text())
    text = el.get_text()
    return any(p.fullmatch(text) for p in MATERIAL_SCRIPTS)
