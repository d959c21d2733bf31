"""Hostile sizes: every limit on an article file is a clear error at its line, found quickly.

Each case is a file a stranger could send in a pull request to stall or crash
the build: it must come back as one `path:line: error` in well under a second
(the time asserted is generous, for a busy machine), never a hang, a Python
traceback or a crashed process.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.cli import main as digest
from generator.content.errors import ContentError, Level
from generator.content.loader import MAX_FILE_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES, load_article
from generator.content.topics import MAX_TOPIC_CHARS
from generator.content.validate import MAX_NOTE_CHARS, MAX_TITLE_CHARS, MAX_TOPICS, validate_article
from generator.site.markup import render_note

NAME = "2024-05-01-story.md"
HEAD = 'title: "T"\npublishedDateTime: 2024-05-01T10:00:00Z\nwebUrl: "https://example.com/x"\n'
# Seconds any one hostile file may take to be rejected.
BOUND = 3.0


def _check(front_matter: str, body: str = "") -> list[ContentError]:
    """The problems `digest check` reports for one file, timed against BOUND."""
    data = f"---\n{front_matter}---\n{body}".encode()
    start = time.perf_counter()
    raw = load_article(data, NAME, NAME)
    problems = [raw] if isinstance(raw, ContentError) else validate_article(raw, None)[1]
    took = time.perf_counter() - start
    assert took < BOUND, f"took {took:.1f} s"
    return [p for p in problems if p.level is Level.ERROR]


NESTED = 400_000  # levels: a 0.8 MB file; libyaml's own composer crashes the process on it,
# and from 0.2.6 on its scanner stops at 1,000 levels with an error of its own

CASES = {
    "alias bomb": (
        HEAD
        + "topics: [AI]\n"
        + "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
    ),
    "deep flow nesting": HEAD + "topics: [AI]\nx: " + "[" * NESTED + "]" * NESTED + "\n",
    "deep block sequences": HEAD + "topics: [AI]\nx:\n" + "- " * NESTED + "y\n",
    "deep block mappings": HEAD
    + "topics: [AI]\nx:\n"
    + "".join(" " * i + "a:\n" for i in range(1, 1200)),
    "thousands of topics": HEAD + "topics:\n" + "".join(f"  - T{i}\n" for i in range(5000)),
    "thousands of values": HEAD + "topics: [AI]\nx:\n" + "  - 1\n" * (MAX_YAML_NODES + 10),
}
EXPECTED = {
    "alias bomb": (6, "anchors and aliases are not allowed"),
    "deep flow nesting": (6, f"nested more than {MAX_YAML_DEPTH} levels"),
    "deep block sequences": (7, f"nested more than {MAX_YAML_DEPTH} levels"),
    "deep block mappings": (6 + MAX_YAML_DEPTH, f"nested more than {MAX_YAML_DEPTH} levels"),
    "thousands of topics": (5, f"at most {MAX_TOPICS} topics"),
    "thousands of values": (None, "front matter is too large"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_front_matter_is_one_clear_error_in_bounded_time(case: str):
    front_matter = CASES[case]
    assert len(front_matter.encode()) <= MAX_FILE_BYTES, "the loader's size limit would hide this"
    (problem,) = _check(front_matter)
    line, fragment = EXPECTED[case]
    assert fragment in problem.message, problem
    if line is not None:
        assert problem.line == line, problem


def test_a_file_over_1_mib_is_refused_before_it_is_parsed():
    padding = "#" * MAX_FILE_BYTES
    (problem,) = _check(HEAD + "topics: [AI]\n" + padding + "\n")
    assert problem.line == 1
    assert f"the limit is {MAX_FILE_BYTES}" in problem.message


def test_a_long_title_and_a_long_topic_name_are_errors_at_their_lines():
    long_title = HEAD.replace('"T"', '"' + "t" * (MAX_TITLE_CHARS * 200) + '"')
    (problem,) = _check(long_title + "topics: [AI]\n")
    assert problem.line == 2 and f"over {MAX_TITLE_CHARS} characters" in problem.message

    (problem,) = _check(HEAD + f"topics: [AI, {'x' * (MAX_TOPIC_CHARS + 1)}]\n")
    assert problem.line == 5 and f"over {MAX_TOPIC_CHARS} characters" in problem.message


def test_a_note_over_the_limit_is_an_error_at_its_first_line():
    (problem,) = _check(HEAD + "topics: [AI]\n", "\n" + "a" * (MAX_NOTE_CHARS + 1))
    assert problem.line == 7, problem
    assert f"the limit is {MAX_NOTE_CHARS}" in problem.message


@pytest.mark.parametrize(
    "unit",
    ["[a", "![", "[a](", "[a][", "<http://", "> ", "- ", "<div>", "<b>", "*a ", "&#"],
)
def test_the_longest_note_renders_in_bounded_time_whatever_it_holds(unit: str):
    """Inputs that take Python-Markdown minutes or overflow its stack; cmark is linear."""
    note = unit * (MAX_NOTE_CHARS // len(unit))
    start = time.perf_counter()
    render_note(note)
    assert time.perf_counter() - start < BOUND


def test_digest_check_names_the_file_and_line_of_each_limit(tmp_path: Path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "2024-05-01-nested.md").write_text(
        f"---\n{CASES['deep flow nesting']}---\n", encoding="utf-8"
    )
    (folder / "2024-05-02-bomb.md").write_text(f"---\n{CASES['alias bomb']}---\n", encoding="utf-8")
    assert digest(["check", "--content", str(tmp_path), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "2024-05-01-nested.md:6: error: front matter is nested more than" in out, out
    assert "2024-05-02-bomb.md:6: error: YAML anchors and aliases are not allowed" in out, out
