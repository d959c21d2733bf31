"""A file-name day that is not the story's day in the site's time zone is a warning with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main as digest
from support import build, write_config

# Named by the day a bot picked it up, as the seed's files often are: 22:30 UTC the day before.
LATE = """---
title: "Late-night launch"
publishedDateTime: 2024-05-09T22:30:00Z
webUrl: "https://news.example.com/late-launch"
topics: [AI]
published: {published}
---
"""


def _content(tmp: Path, published: str = "true") -> Path:
    folder = tmp / "content" / "articles" / "2024"
    folder.mkdir(parents=True)
    (folder / "2024-05-10-late-night-launch.md").write_text(
        LATE.format(published=published), encoding="utf-8"
    )
    return tmp / "content"


def _check(capsys, content: Path, *argv: str) -> tuple[int, str]:
    code = digest(["check", "--no-cache", "--content", str(content), *argv])
    return code, capsys.readouterr().out


def test_the_warning_names_both_days_the_zone_and_the_file_name_to_use(tmp_path: Path, capsys):
    content = _content(tmp_path)
    code, out = _check(capsys, content, "-f", str(write_config(tmp_path, content)))
    assert code == 0, "a warning only: the story is built as it is"
    (line,) = out.splitlines()
    assert line.startswith(f"{content}/articles/2024/2024-05-10-late-night-launch.md:3: warning:")
    assert "the file name says 2024-05-10, but publishedDateTime is 2024-05-09 22:30 in UTC" in line
    assert "rename the file to 2024-05-09-late-night-launch.md (its URL changes with it)" in line
    assert _check(capsys, content, "--strict")[0] == 1


def test_the_day_is_judged_in_the_site_s_own_time_zone(tmp_path: Path, capsys):
    content = _content(tmp_path)
    berlin = write_config(tmp_path, content, timezone="Europe/Berlin")  # 00:30 on the 10th
    assert _check(capsys, content, "-f", str(berlin)) == (0, "")
    tokyo = write_config(tmp_path, content, timezone="Asia/Tokyo")
    assert _check(capsys, content, "-f", str(tokyo)) == (0, "")
    new_york = write_config(tmp_path, content, timezone="America/New_York")
    out = _check(capsys, content, "-f", str(new_york))[1]
    assert "is 2024-05-09 18:30 in America/New_York" in out


def test_an_unpublished_story_is_left_alone(tmp_path: Path, capsys):
    assert _check(capsys, _content(tmp_path, published="false")) == (0, "")


def test_a_time_zone_that_does_not_exist_is_an_error_naming_the_file(tmp_path: Path, capsys):
    content = _content(tmp_path)
    config = write_config(tmp_path, content, timezone="Mars/Olympus_Mons")
    assert digest(["check", "--content", str(content), "-f", str(config)]) == 2
    assert f"{config}: the digest plugin's timezone 'Mars/Olympus_Mons' is not a time zone" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("strict", [False, True])
def test_the_build_says_so_too_and_strict_fails(tmp_path: Path, capsys, strict: bool):
    code, site = build(tmp_path, _content(tmp_path), *(["--strict"] if strict else []))
    err = capsys.readouterr().err
    assert "2024-05-10-late-night-launch.md:3: warning: the file name says 2024-05-10" in err
    if strict:
        assert code == 1 and not site.root.exists()
    else:
        assert code == 0
        # The URL keeps the file's day; the page shows the story's own.
        assert "9 May 2024" in site.page("news/2024/05/10/late-night-launch/").get_text()


def test_the_zone_is_read_from_a_mkdocs_yml_with_tags_of_its_own(tmp_path: Path, capsys):
    """MkDocs files may hold `!ENV` and `!!python/name:` values, which YAML alone cannot read."""
    content = _content(tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: !ENV [SITE_NAME, 'A digest']\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n"
        "  - search\n"
        "  - digest:\n"
        "      timezone: Europe/Berlin\n",
        encoding="utf-8",
    )
    assert _check(capsys, content, "-f", str(config)) == (0, "")
