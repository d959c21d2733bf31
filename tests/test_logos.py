"""Sources' logos from the site's own host: `digest fetch-logos` against a local server,
builds that publish what it saved, and a browser that asks no other host for anything."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.cli import main as digest
from generator.content.logos import logo_key
from support import PAGE_TYPES, PIXEL, QuietHandler, Reader, Served, build, copy_fixture, resolve

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def logo_host(tmp_path: Path) -> Iterator[str]:
    """A source's site on 127.0.0.1: a PNG logo, a page, an SVG and nothing at /missing."""
    root = tmp_path / "host"
    root.mkdir()
    (root / "logo.png").write_bytes(PIXEL)
    (root / "page.html").write_text("<p>not a picture</p>", encoding="utf-8")
    (root / "drawing.svg").write_bytes(SVG)
    handler = partial(QuietHandler, directory=str(root))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()


def _content_with_logos(tmp_path: Path, logo: str, others: dict[str, str]) -> Path:
    """The valid fixture with its sources' logo at `logo`, but for the story files named in
    `others`, whose logo is at the URL given: no test reaches the network."""
    content = copy_fixture("valid", tmp_path)
    for story in content.glob("articles/**/*.md"):
        text = story.read_text(encoding="utf-8")
        url = others.get(story.name, logo)
        story.write_text(text.replace("https://source.example.com/logo-50x50.jpg", url), "utf-8")
    return content


def _fetch(capsys, content: Path, logo_dir: Path) -> tuple[int, str]:
    argv = ["fetch-logos", "--content", str(content), "--logo-dir", str(logo_dir), "--no-cache"]
    code = digest(argv)
    return code, capsys.readouterr().err


def test_fetch_logos_saves_each_picture_once_and_says_what_it_could_not(
    tmp_path: Path, capsys, logo_host: str
):
    others = {
        "2024-02-15-echo-microsoft.md": logo_host + "missing.png",
        "2024-01-05-hotel-general.md": logo_host + "page.html",
        "2024-01-20-golf-finance.md": logo_host + "drawing.svg",
    }
    content = _content_with_logos(tmp_path, logo_host + "logo.png", others)
    saved = tmp_path / "logos"
    code, err = _fetch(capsys, content, saved)
    assert code == 0, err
    assert (saved / f"{logo_key(logo_host + 'logo.png')}.png").read_bytes() == PIXEL
    assert f"{logo_host}missing.png answered 404" in err
    assert f"{logo_host}page.html answered with text/html, not a picture" in err
    assert f"{logo_host}drawing.svg is not a PNG, JPEG, GIF, WebP, AVIF or icon" in err
    assert not list(saved.glob(f"{logo_key(logo_host + 'drawing.svg')}*")), "no SVG is kept"
    assert "1 saved now" in err and "3 not saved" in err
    before = sorted(p.name for p in saved.iterdir())
    code, again = _fetch(capsys, content, saved)
    assert code == 0 and "0 saved now" in again and "already there" in again
    assert sorted(p.name for p in saved.iterdir()) == before

    # A build publishes what was saved and shows the initial for the rest.
    code, site = build(tmp_path, content, "--no-cache", logo_dir=str(saved))
    assert code == 0, site.command
    alpha = site.page("news/2024/03/01/alpha-first-story/")
    src = alpha.select_one(".dg-card__logo")["src"]
    published = site.root / resolve("news/2024/03/01/alpha-first-story/", src)
    assert published.read_bytes() == PIXEL
    echo = site.page("news/2024/02/15/echo-microsoft/")
    assert echo.select_one(".dg-card__logo") is None
    assert echo.select_one(".dg-logo")["data-initial"] == "S"
    for path in site.pages():
        assert logo_host not in path.read_text(encoding="utf-8"), path


def test_offline_nothing_is_saved_and_the_report_says_why(tmp_path: Path, capsys):
    with ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler) as closed:
        address = f"http://127.0.0.1:{closed.server_address[1]}/logo.png"
    content = _content_with_logos(tmp_path, address, {})
    code, err = _fetch(capsys, content, tmp_path / "logos")
    assert code == 0, "a deploy goes on: the source shows its initial"
    assert f"cannot reach {address}" in err and "offline? run the command again" in err
    assert not (tmp_path / "logos").exists() or not list((tmp_path / "logos").iterdir())


def test_without_saved_logos_cards_show_initials_and_link_no_other_host(tmp_path: Path):
    code, site = build(
        tmp_path, copy_fixture("valid", tmp_path / "c"), logo_dir=str(tmp_path / "none")
    )
    assert code == 0, site.command
    for url in ("", "news/2024/03/01/alpha-first-story/"):
        page = site.page(url)
        assert page.select(".dg-logo[data-initial]") and not page.select(".dg-card__logo")


def test_opening_any_page_asks_no_other_host(
    open_reader: Callable[..., Reader], served_site: Served
):
    reader = open_reader()
    asked: list[str] = []
    reader.page.on("request", lambda request: asked.append(request.url))
    origin = served_site.url.split("/news-digest/")[0] + "/"
    for url in [*PAGE_TYPES.values(), "topics/ai/page/1/"]:
        page = reader.open(url)
        page.wait_for_load_state("networkidle")
        for logo in page.locator(".dg-card__logo").all():
            logo.scroll_into_view_if_needed()  # logos load lazily
        page.wait_for_load_state("networkidle")
    assert asked and [u for u in asked if not u.startswith(origin)] == []
    assert any("/assets/logos/" in u for u in asked), "the saved logos were loaded"
