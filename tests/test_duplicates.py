"""The same story twice: URL keys, `digest check` on the `duplicates` fixture, annotations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main as digest
from generator.content.loader import display_path
from generator.content.urls import story_key
from support import FIXTURES

DUPLICATES = FIXTURES / "duplicates"
ARTICLES = DUPLICATES / "articles" / "2024"


@pytest.mark.parametrize(
    "variant",
    [
        "https://news.example.com/a/b",
        "http://news.example.com/a/b",
        "HTTPS://NEWS.Example.COM/a/b",
        "https://www.news.example.com/a/b",
        "https://news.example.com:443/a/b",
        "http://news.example.com:80/a/b",
        "https://news.example.com/a/b/",
        "https://news.example.com/a/b#comments",
        "https://news.example.com/a/b?utm_source=x&utm_campaign=y",
        "https://news.example.com/a/b?fbclid=1&gclid=2&mc_eid=3",
        # As the seed's archive holds them: Medium's topic pages, Engadget's feed, a forum.
        "https://news.example.com/a/b?source=topic_page---------0------------------1",
        "https://news.example.com/a/b?src=rss",
        "https://news.example.com/a/b?ref=hn&cmpid=x&ocid=y&smid=z&mc_cid=w",
        "https://news.example.com./a/b",
    ],
)
def test_ways_of_writing_one_address_have_one_key(variant: str):
    assert story_key(variant) == story_key("https://news.example.com/a/b")


@pytest.mark.parametrize(
    "other",
    [
        "https://news.example.com/a/B",  # paths are case-sensitive
        "https://news.example.com/a/b?id=2",
        "https://news.example.com:8443/a/b",
        "https://blog.example.com/a/b",
        "https://news.example.com/a",
    ],
)
def test_other_addresses_keep_other_keys(other: str):
    assert story_key(other) != story_key("https://news.example.com/a/b")


def test_parameters_that_choose_the_page_are_kept_in_any_order():
    assert story_key("https://x.example/p?b=2&a=1&utm_term=z") == story_key(
        "https://x.example/p?a=1&b=2"
    )


def _check(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = digest(["check", "--no-cache", *argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_a_story_under_url_variants_is_an_error_naming_both_files_and_lines(capsys):
    code, out, _ = _check(capsys, "--content", str(DUPLICATES))
    assert code == 1, "reproduce: digest check --content tests/fixtures/duplicates"
    original = display_path(ARTICLES / "2024-05-01-original.md")
    variant = display_path(ARTICLES / "2024-05-02-variant-of-original.md")
    errors = [line for line in out if ": error: " in line]
    assert any(
        line.startswith(f"{original}:4: error: the same story as {variant}:5") for line in errors
    ), out
    assert any(
        line.startswith(f"{variant}:5: error: the same story as {original}:4") for line in errors
    ), out


def test_original_url_of_one_file_matching_the_web_url_of_another_is_the_same_story(capsys):
    _, out, _ = _check(capsys, "--content", str(DUPLICATES))
    reposted = display_path(ARTICLES / "2024-05-03-reposted.md")
    inquiry = display_path(ARTICLES / "2024-05-04-inquiry.md")
    assert any(
        line.startswith(f"{reposted}:5: error: the same story as {inquiry}:4") for line in out
    )
    assert any(
        line.startswith(f"{inquiry}:4: error: the same story as {reposted}:5") for line in out
    )


def test_near_identical_titles_within_48_hours_of_their_own_times_are_a_warning(capsys):
    _, out, _ = _check(capsys, "--content", str(DUPLICATES))
    warnings = [line for line in out if ": warning: " in line]
    assert {Path(line.split(":")[0]).name for line in warnings} == {
        "2024-05-05-robot-arm-sets-a-record.md",
        "2024-05-05-robot-arm-set-a-record.md",
        # 90 minutes apart across midnight: two file-name days, one story.
        "2024-05-09-drone-maker-ships-its-first-delivery-fleet.md",
        "2024-05-10-drone-maker-ships-its-first-delivery-fleet.md",
    }, warnings
    assert all(":2: warning: title nearly the same as that of" in line for line in warnings)
    # The same title three days later, and a page of the same site with another `?page=`, pass.
    assert not any("again.md" in line or "other-page.md" in line for line in out)


def test_press_releases_that_differ_in_who_did_it_are_two_stories(capsys):
    """Two companies' releases in the same words ("X Achieves … Competency Status")."""
    _, out, _ = _check(capsys, "--content", str(DUPLICATES))
    assert not any("competency" in line for line in out), out


def test_only_the_changed_file_given_still_finds_its_duplicate_in_the_corpus(capsys):
    changed = display_path(ARTICLES / "2024-05-02-variant-of-original.md")
    code, out, err = _check(capsys, "--content", str(DUPLICATES), changed)
    assert code == 1
    assert len(out) == 1 and out[0].startswith(f"{changed}:5: error: the same story as ")
    assert "checked 1 file(s): 1 error(s)" in err


def test_strict_fails_on_the_near_duplicate_warning(capsys):
    title = str(ARTICLES / "2024-05-05-robot-arm-set-a-record.md")
    assert _check(capsys, "--content", str(DUPLICATES), title)[0] == 0
    code, _, err = _check(capsys, "--strict", "--content", str(DUPLICATES), title)
    assert code == 1
    assert "warnings fail the check" in err


def test_under_github_actions_every_problem_is_also_an_annotation(capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = _check(capsys, "--content", str(DUPLICATES))
    plain = [line for line in out if not line.startswith("::")]
    annotations = [line for line in out if line.startswith("::")]
    assert len(plain) == len(annotations) == 8
    variant = display_path(ARTICLES / "2024-05-02-variant-of-original.md")
    assert f"::error file={variant},line=5::the same story as " in "\n".join(annotations)
    assert any(line.startswith("::warning file=") for line in annotations)
    _, strict, _ = _check(capsys, "--strict", "--content", str(DUPLICATES))
    assert not any(line.startswith("::warning") for line in strict), "--strict shows errors only"


def test_annotations_escape_what_github_would_misread(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.chdir(tmp_path)
    shutil.copytree(DUPLICATES, "content, 100%")
    file = Path("content, 100%/articles/2024/2024-05-06-other-page.md")
    file.write_text(file.read_text().replace("topics:", "topic: x\ntopics:"), encoding="utf-8")
    _, out, _ = _check(capsys, "--content", "content, 100%", str(file))
    assert out[1] == (
        "::warning file=content%2C 100%25/articles/2024/2024-05-06-other-page.md,line=5::"
        "unknown key 'topic'; did you mean 'topics'?"
    )


def test_a_path_that_is_not_a_file_is_an_error(capsys):
    code, _, err = _check(capsys, "--content", str(DUPLICATES), "no/such/file.md")
    assert code == 1 and "no such file: no/such/file.md" in err


def test_a_clean_corpus_passes_strict(capsys):
    assert _check(capsys, "--strict", "--content", str(FIXTURES / "valid"))[0] == 0


STORY = """---
title: "{title}"
publishedDateTime: 2019-12-24T10:00:00Z
webUrl: "https://cloud.example.com/automl-natural-language"
topics: [AI]
published: {published}
---
"""


@pytest.mark.parametrize(
    ("first", "second", "errors"),
    [("false", "false", 0), ("true", "false", 0), ("true", "true", 2)],
)
def test_only_published_stories_can_be_the_same_story_twice(
    tmp_path: Path, capsys, first: str, second: str, errors: int
):
    """The seed's archive keeps stories its bot folded into another's coverage as
    `published: false` files: no reader sees them, so they duplicate nothing."""
    folder = tmp_path / "articles" / "2019"
    folder.mkdir(parents=True)
    for day, published in (("24", first), ("25", second)):
        text = STORY.format(title=f"Automl natural language {day}", published=published)
        (folder / f"2019-12-{day}-automl.md").write_text(text, encoding="utf-8")
    code = digest(["check", "--content", str(tmp_path), "--no-cache"])
    out = capsys.readouterr().out
    assert out.count(": error: the same story as ") == errors, out
    assert code == (1 if errors else 0)
