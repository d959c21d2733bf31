"""Fixtures: sites built once per module or session, and the browser that reads them.

Helpers live in `support.py`. A test that uses the `browser` fixture (directly or through
`open_reader`) is marked `browser`, so `pytest -m "not browser"` runs the core's tests with
no Chromium, Java or Playwright at hand.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIXTURES,
    LONG_TITLE_STORY,
    READER_NOW,
    SUB_PATH,
    QuietHandler,
    Reader,
    Served,
    Site,
    build,
    copy_fixture,
    offline,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def valid_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The `valid` fixture built with 3 stories a page, so topics paginate."""
    code, site = build(tmp_path_factory.mktemp("valid"), FIXTURES / "valid", per_page=3)
    assert code == 0, f"build failed; reproduce: {site.command}"
    return site


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The `valid` fixture plus a long-headline story from a second source, 3 stories a page
    (so topics paginate), built for and served at http://127.0.0.1:PORT/news-digest/."""
    yield from _serve(tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="session")
def lean_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`served_site` with the options of an archive that must stay small (README: "Lean
    pages"): story, topic and month pages in the lean chrome, older listings as headlines."""
    options = {"lean_chrome": True, "compact_archive": True}
    yield from _serve(tmp_path_factory.mktemp("lean"), **options)


def _serve(root: Path, **plugin: object) -> Iterator[Served]:
    content = copy_fixture("valid", root)
    story = content / "articles" / "2024" / "2024-03-01-zulu-long-headline.md"
    story.write_text(LONG_TITLE_STORY, encoding="utf-8")
    (root / "www").mkdir()
    (root / "www" / SUB_PATH.strip("/")).symlink_to(root / "site", target_is_directory=True)
    handler = partial(QuietHandler, directory=str(root / "www"))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}"
        code, site = build(root, content, site_url=url, per_page=3, **plugin)
        assert code == 0, f"build failed; reproduce: {site.command}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield Served(site, url)
        server.shutdown()
        thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole run (it takes a second to start); tests get fresh contexts."""
    assert Path(CHROMIUM).is_file(), f"no browser at {CHROMIUM}: run `bash .ci/run` to install it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_reader(browser: Browser, served_site: Served) -> Iterator[Callable[..., Reader]]:
    """Makes readers (Playwright context options as keywords: viewport, color_scheme,
    timezone_id, java_script_enabled, ...); fails the test if any page visited logged an error.

    Every reader's clock is READER_NOW in UTC unless told otherwise, and the network beyond
    the served site (`site`: served_site unless told) is answered locally (see `offline`)."""
    contexts: list[BrowserContext] = []
    readers: list[Reader] = []

    def make(
        now: dt.datetime = READER_NOW, site: Served = served_site, **options: object
    ) -> Reader:
        # en-GB: a 24-hour clock, like the times the site itself prints.
        defaults = {"viewport": {"width": 1280, "height": 800}, "locale": "en-GB"}
        context = browser.new_context(**{**defaults, "timezone_id": "UTC", **options})
        contexts.append(context)
        origin = site.url.split(SUB_PATH)[0]
        context.route(lambda url: not url.startswith(origin), offline)
        context.clock.set_fixed_time(now)
        reader = Reader(context.new_page(), site.url)
        reader.watch()
        readers.append(reader)
        return reader

    yield make
    for context in contexts:
        context.close()
    problems = [p for r in readers for p in r.problems]
    assert not problems, "errors in the browser:\n" + "\n".join(problems)
