"""`digest new` then `digest check`: the file it writes is complete, named and passes."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest

from generator.cli import main as digest
from generator.content.providers import provider_domain
from support import copy_fixture


def _new(content: Path, *argv: str) -> list[str]:
    return ["new", "--no-cache", "--content", str(content), *argv]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return copy_fixture("valid", tmp_path)


def test_new_fills_excerpt_and_the_provider_the_archive_already_names(content: Path, capsys):
    argv = _new(
        content,
        "--title",
        "Beta Wire: a follow-up",
        "--url",
        "https://www.betawire.com/follow-up?utm_source=rss",
        "--topic",
        "AI",
        "--topic",
        "Microsoft AI",
        "--date",
        "2024-06-02T07:30:00+02:00",
        "--excerpt",
        "What happened next, in our words.",
    )
    assert digest(argv) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == content / "articles" / "2024" / "2024-06-02-beta-wire-a-follow-up.md"
    meta = frontmatter.load(path).metadata
    assert meta["excerpt"] == "What happened next, in our words."
    assert meta["publishedDateTime"] == "2024-06-02T05:30:00Z"
    assert meta["topics"] == ["AI", "Microsoft AI"]
    # `betawire.com` is named "Beta Wire" in the related coverage of a fixture story.
    assert meta["provider"] == {"name": "Beta Wire", "domain": "betawire.com"}
    assert digest(["check", "--strict", "--no-cache", "--content", str(content)]) == 0


def test_a_source_new_to_the_archive_gets_a_name_from_its_registered_domain(content: Path, capsys):
    argv = _new(
        content,
        "--title",
        "Parliament debates AI rules",
        "--url",
        "https://news.the-herald.co.uk/politics/ai-rules",
        "--topic",
        "AI",
        "--date",
        "2024-06-03",
    )
    assert digest(argv) == 0
    meta = frontmatter.load(capsys.readouterr().out.strip()).metadata
    assert meta["provider"] == {"name": "The Herald", "domain": "the-herald.co.uk"}
    assert "excerpt" not in meta


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
        ("https://blog.google/technology/x", "blog.google"),
        ("https://sub.news.example.com/x", "example.com"),
        ("http://127.0.0.1:8000/x", "127.0.0.1"),
    ],
)
def test_provider_domain_is_the_registered_domain_from_the_bundled_suffix_list(url, domain):
    assert provider_domain(url) == domain


def test_new_refuses_a_story_already_in_the_archive(content: Path, capsys):
    argv = _new(
        content,
        "--title",
        "Alpha again",
        "--url",
        "http://www.source.example.com/alpha-first-story/#top",
        "--topic",
        "AI",
        "--date",
        "2024-06-04",
    )
    assert digest(argv) == 1
    err = capsys.readouterr().err
    assert "the same story as " in err and "2024-03-01-alpha-first-story.md:6" in err
    assert not (content / "articles" / "2024" / "2024-06-04-alpha-again.md").exists()


def test_new_refuses_an_unknown_topic_with_a_suggestion_and_an_existing_file(content, capsys):
    bad = _new(content, "--title", "X", "--url", "https://example.com/y", "--topic", "ai in financ")
    assert digest(bad) == 1
    assert "did you mean 'AI in Finance'?" in capsys.readouterr().err
    once = _new(content, "--title", "Once", "--url", "https://example.com/once", "--topic", "AI")
    once += ["--date", "2024-06-05"]
    assert digest(once) == 0
    capsys.readouterr()
    assert digest(once) == 1
    assert "already exists" in capsys.readouterr().err
