"""`digest check` warns about a link in a note that leads to no page of the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main as digest
from support import build, copy_fixture, write_config

HEAD = """---
title: "Kilo: a story that links to others"
publishedDateTime: 2024-03-05T09:00:00Z
webUrl: "https://source.example.com/kilo"
topics: [AI]
published: {published}
---
"""
# Every way a note may reach a page the site has: from the root, from the story's page,
# a topic, its numbered page, a month, a feed, a picture of the content folder, and links
# that stay on the page or leave the site.
GOOD = """See [Alpha](/news/2024/03/01/alpha-first-story/) and
[Echo](../../../02/15/echo-microsoft/), [Echo's page](/news/2024/02/15/echo-microsoft/index.html),
[without its slash](/news/2024/02/15/echo-microsoft), [AI](/topics/ai/),
[older AI](/topics/ai/page/1/), [February](../../../../../archive/2024/02/),
[the feed](/feed.xml), [a chart](/pictures/chart.png), [up](#top),
[elsewhere](https://example.com/x), [mail](mailto:desk@example.com) and [home](/).
"""
BAD = {
    "/news/2024/03/01/alpha-frist-story/": "/news/2024/03/01/alpha-frist-story/",
    "../../../02/16/echo-microsoft/": "/news/2024/02/16/echo-microsoft/",
    "/topics/no-such-topic/": "/topics/no-such-topic/",
    "/news/2024/03/02/juliet-draft/": "/news/2024/03/02/juliet-draft/",
    "/news/2023/12/31/nowhere/": "/news/2023/12/31/nowhere/",
    "/archive/1999/01/": "/archive/1999/01/",
}
BAD_NOTE = """Broken: [a typo]({0}) and [the wrong day]({1}),
[a topic nobody uses]({2}), [a draft]({3}).

A [reference] link, and <a href="{5}">raw HTML</a>.

[reference]: {4}
"""


def _content(tmp: Path, note: str, published: str = "true") -> Path:
    content = copy_fixture("valid", tmp)
    (content / "pictures").mkdir()
    (content / "pictures" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    story = content / "articles" / "2024" / "2024-03-05-kilo-links.md"
    story.write_text(HEAD.format(published=published) + note, encoding="utf-8")
    return content


def _check(capsys: pytest.CaptureFixture[str], content: Path, *argv: str) -> tuple[int, str]:
    code = digest(["check", "--no-cache", "--content", str(content), *argv])
    return code, capsys.readouterr().out


def test_links_to_the_site_s_pages_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    content = _content(tmp_path, GOOD)
    assert _check(capsys, content) == (0, "")
    code, site = build(tmp_path, content, "--no-cache", per_page=3)
    assert code == 0 and (site.root / "topics" / "ai" / "page" / "1").is_dir(), site.command


def test_each_link_to_no_page_is_a_warning_at_its_line_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    content = _content(tmp_path, BAD_NOTE.format(*BAD))
    code, out = _check(capsys, content)
    assert code == 0, "warnings: the story is built as it is"
    lines = out.splitlines()
    assert len(lines) == len(BAD), out
    path = f"{content}/articles/2024/2024-03-05-kilo-links.md"
    written = (content / "articles" / "2024" / "2024-03-05-kilo-links.md").read_text("utf-8")
    for url, target in BAD.items():
        (line,) = [line for line in lines if f"links to '{url}'" in line]
        number = next(n for n, text in enumerate(written.splitlines(), 1) if url in text)
        assert line.startswith(f"{path}:{number}: warning: the note links to '{url}'"), line
        assert f"which leads to {target}: " in line
        assert "give a story's page as /news/YYYY/MM/DD/<slug>/" in line
    (draft,) = [line for line in lines if "juliet-draft" in line]
    assert "a draft's page, which the site does not publish" in draft
    assert _check(capsys, content, "--strict")[0] == 1


def test_a_draft_s_note_is_not_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    content = _content(tmp_path, BAD_NOTE.format(*BAD), published="false")
    assert _check(capsys, content) == (0, "")


def test_a_month_is_the_site_s_zone_s(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """The fixture's one December story (23:30 UTC on 31 December 2023) is January's in
    Tokyo, so a link to December's page holds in UTC and leads to no page there."""
    content = _content(tmp_path, "See [December](/archive/2023/12/).\n")
    utc = write_config(tmp_path, content, timezone="UTC")
    assert _check(capsys, content, "-f", str(utc)) == (0, "")
    tokyo = write_config(tmp_path, content, timezone="Asia/Tokyo")
    code, out = _check(capsys, content, "-f", str(tokyo))
    assert code == 0 and "the note links to '/archive/2023/12/'" in out, out
