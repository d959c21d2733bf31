"""`digest serve`: a live preview that rebuilds when a file under the content folder changes."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from support import build, copy_fixture, write_config

NEW_STORY = """---
title: "Zulu: a story added while serving"
publishedDateTime: 2024-04-01T10:00:00Z
webUrl: "https://example.com/zulu"
topics: [AI]
---
"""

# A built page's script policy; `digest serve` leaves it out (see plugin._with_policy).
POLICY = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float, contains: str = "") -> str:
    """Poll until `url` answers 200 (with `contains` in it); fail after `seconds`."""
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8")
                if contains in body:
                    return body
                last = "200 without the expected text"
        except (urllib.error.URLError, ConnectionError) as exc:
            last = str(exc)
        time.sleep(0.3)
    raise AssertionError(f"{url} not ready after {seconds} s: {last}")


def test_serve_rebuilds_when_a_story_is_added_or_edited(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    config = write_config(tmp_path, content)
    port = _free_port()
    # MkDocs serves under site_url's path, as the published site will be.
    sub_path = urlsplit(yaml.safe_load(config.read_text(encoding="utf-8"))["site_url"]).path
    base = f"http://127.0.0.1:{port}{sub_path}"
    cache = tmp_path / "elsewhere"
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "generator", "serve", "-f", str(config)),
            *("-a", f"127.0.0.1:{port}", "--cache-dir", str(cache)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        home = _wait_for(base, 60)
        assert "livereload" in home, "the preview must reload the browser on rebuilds"
        # Served as GitHub Pages serves them, so a browser or reader treats them the same.
        for path, kind in [("feeds.opml", "text/x-opml"), ("atom.xml", "application/xml")]:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                assert response.headers.get_content_type() == kind, path
        story = content / "articles" / "2024" / "2024-04-01-zulu-added.md"
        story.write_text(NEW_STORY, encoding="utf-8")
        _wait_for(base + "news/2024/04/01/zulu-added/", 60, contains="Zulu: a story added")
        story.write_text(NEW_STORY.replace("Zulu: a story", "Zulu: an edited story"), "utf-8")
        _wait_for(base + "news/2024/04/01/zulu-added/", 60, contains="Zulu: an edited story")
        _wait_for(base, 60, contains="Zulu: an edited story")
        # Not a story: MkDocs builds again, and the change shows all the same.
        registry = content / "topics.yml"
        registry.write_text(
            registry.read_text("utf-8").replace("in general.", "in all its forms."), "utf-8"
        )
        _wait_for(base + "topics/ai/", 60, contains="in all its forms.")
        story.unlink()
        deadline = time.monotonic() + 60
        while "Zulu" in _wait_for(base, 60):
            assert time.monotonic() < deadline, "a deleted story must leave the home page"
            time.sleep(0.3)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    log = server.stderr.read().decode() if server.stderr else ""
    # Story changes update the served site in place (fast); others rebuild it all.
    assert log.count("pages updated in") >= 2, log[-3000:]
    assert log.count("Cleaning site directory") + log.count("Building documentation") >= 2
    assert any(cache.iterdir()), "--cache-dir must move the preview's cache"
    assert not (tmp_path / ".cache").exists()


def _updates(lines: list[str]) -> int:
    return sum("pages updated in" in line for line in lines)


def test_a_site_updated_in_place_equals_a_fresh_build(tmp_path: Path):
    """Whatever the fast path rewrites or leaves alone, the served site is the site a build makes.

    Small pages (3 stories, 2 earlier stories a topic) so that each change
    reaches other stories' pages, topic pages and months.
    """
    content = copy_fixture("valid", tmp_path)
    options = {"per_page": 3, "topic_stories": 2}
    config = write_config(tmp_path, content, **options)
    port = _free_port()
    sub_path = urlsplit(yaml.safe_load(config.read_text(encoding="utf-8"))["site_url"]).path
    base = f"http://127.0.0.1:{port}{sub_path}"
    argv = [
        sys.executable,
        "-m",
        "generator",
        "serve",
        "-f",
        str(config),
        "-a",
        f"127.0.0.1:{port}",
    ]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines: list[str] = []
    threading.Thread(
        target=lambda: lines.extend(line.decode() for line in server.stderr or ()), daemon=True
    ).start()
    articles = content / "articles" / "2024"
    edits = [
        lambda: (articles / "2024-03-01-kilo-added.md").write_text(
            NEW_STORY.replace("2024-04-01", "2024-03-01").replace("zulu", "kilo"), "utf-8"
        ),
        lambda: _replace(articles / "2024-03-01-alpha-first-story.md", 'title: "', 'title: "New '),
        lambda: _replace(articles / "2024-01-20-golf-finance.md", "2024-01-20T", "2024-02-28T"),
        lambda: (articles / "2024-01-05-hotel-general.md").unlink(),
    ]
    try:
        _wait_for(base, 60)
        for n, edit in enumerate(edits, start=1):
            edit()
            deadline = time.monotonic() + 60
            while _updates(lines) < n:
                assert time.monotonic() < deadline, "".join(lines[-20:])
                time.sleep(0.05)
        (tmp_path / "fresh").mkdir()
        code, built = build(tmp_path / "fresh", content, site_url=base, **options)
        assert code == 0, built.command
        compared = 0
        for path in sorted(built.root.rglob("*")):
            relative = path.relative_to(built.root).as_posix()
            # MkDocs links its 404 page absolutely when serving, by design.
            if (
                path.is_dir()
                or relative.startswith(("assets/", "search/"))
                or relative == "404.html"
            ):
                continue
            with urllib.request.urlopen(base + relative, timeout=10) as response:
                served = response.read()
            fresh = path.read_bytes()
            if relative.endswith(".html"):  # less the live-reload script MkDocs adds
                end = served.rindex(b"</body>")
                start = served.rindex(b"<script>", 0, end)
                assert b"livereload(" in served[start:end]
                served = served[:start] + served[end:]
                # and less the built page's script policy, which would stop that script
                fresh, policies = POLICY.subn(b"", fresh)
                assert policies == 1, f"/{relative} has {policies} policies"
            assert served == fresh, f"/{relative} differs from a fresh build"
            compared += 1
        assert compared >= 30  # every page, feed and sitemap
        gone = base + "news/2024/01/05/hotel-general/"
        try:
            urllib.request.urlopen(gone, timeout=10)
            raise AssertionError(f"{gone} is still served after its story was deleted")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert _updates(lines) == len(edits), "every change must take the fast path"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
