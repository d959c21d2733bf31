"""`digest serve`: a live preview that rebuilds when a file under the content folder changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from conftest import copy_fixture, write_config

NEW_STORY = """---
title: "Zulu: a story added while serving"
publishedDateTime: 2024-04-01T10:00:00Z
webUrl: "https://example.com/zulu"
topics: [AI]
---
"""


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
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        home = _wait_for(base, 60)
        assert "livereload" in home, "the preview must reload the browser on rebuilds"
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
