"""What a pull request can put in content/: stories, the topic list, pictures; nothing that
would publish a file of the build machine, run a script, or stall the build.

Each hostile entry is one a stranger could send (git keeps symbolic links). `digest check`
must name it at its path, and `digest build` must refuse to build, so that none of it reaches
the site; what is allowed must still be published.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.cli import main as digest
from support import build, copy_fixture

SECRET = "root:x:0:0"  # the first line of /etc/passwd on any Linux

# name in content/ → (what it is made as, a fragment of the one error it must give)
HOSTILE = {
    "leak.txt": ("link:/etc/passwd", "outside the content folder"),
    "images/logo.png": ("link:/etc/passwd", "outside the content folder"),
    "env.txt": ("link:/proc/self/environ", "outside the content folder"),
    "etc": ("link:/etc", "a symbolic link to a folder"),
    "gone.png": ("link:/nowhere/at/all.png", "a symbolic link to nothing"),
    "evil.md": ("text:<script>alert(1)</script>\n", "pages other than the stories"),
    "evil.html": ("text:<script>alert(1)</script>\n", "pages other than the stories"),
    "logo.svg": ("text:<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "not a file"),
    "articles/2024/2024-01-01-link.md": ("link:/etc/passwd", "outside the content folder"),
    "articles/2024/2024-01-02-zero.md": ("link:/dev/zero", "outside the content folder"),
    "articles/2024/2024-01-03-dangling.md": ("link:2024-01-03-nothing.md", "cannot be read"),
    "articles/2024/2024-01-04-loop.md": ("link:2024-01-04-loop.md", "cannot be read"),
    "articles/2024/2024-01-05-fifo.md": ("fifo:", "not a regular file"),
}


def _make(content: Path, name: str, how: str) -> None:
    path = content / name
    path.parent.mkdir(parents=True, exist_ok=True)
    kind, _, value = how.partition(":")
    if kind == "link":
        path.symlink_to(value)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_text(value, encoding="utf-8")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    content = copy_fixture("valid", tmp_path)
    for name, (how, _) in HOSTILE.items():
        _make(content, name, how)
    return content


def test_check_names_every_hostile_entry_and_reads_none_of_it(
    hostile: Path, capsys: pytest.CaptureFixture[str]
):
    start = time.monotonic()
    code = digest(["check", "--content", str(hostile), "--no-cache"])
    took = time.monotonic() - start
    out = capsys.readouterr()
    reproduce = f"digest check --content {hostile}"
    assert code == 1, reproduce
    assert took < 10, f"took {took:.1f} s: something read /dev/zero or a fifo"
    assert "Traceback" not in out.err + out.out
    assert SECRET not in out.out + out.err, "a report quoted a file of the build machine"
    for name, (_, said) in HOSTILE.items():
        lines = [line for line in out.out.splitlines() if f"{name}:1: error: " in line]
        assert len(lines) == 1, f"{name}: expected one error, got {lines}; {reproduce}"
        assert said in lines[0], lines[0]


def test_a_build_with_hostile_content_fails_and_publishes_nothing(
    tmp_path: Path, hostile: Path, capsys: pytest.CaptureFixture[str]
):
    code, site = build(tmp_path, hostile)
    err = capsys.readouterr().err
    assert code == 1, site.command
    assert "leak.txt:1: error" in err and "evil.md:1: error" in err, err
    assert not site.root.exists(), f"a failed build wrote a site; {site.command}"


def test_allowed_files_are_published_and_inputs_are_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    content = copy_fixture("valid", tmp_path)
    (content / "images").mkdir()
    (content / "images" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (content / "images" / "same-logo.png").symlink_to("logo.png")  # a link inside: fine
    (content / "CNAME").write_text("news.example.org\n", encoding="utf-8")
    (content / "article.schema.json").write_text("{}\n", encoding="utf-8")
    (content / ".notes").write_text("never looked at, never published\n", encoding="utf-8")
    assert digest(["check", "--content", str(content), "--no-cache"]) == 0, capsys.readouterr()
    code, site = build(tmp_path, content)
    assert code == 0, site.command
    assert (site.root / "images" / "logo.png").read_bytes().startswith(b"\x89PNG")
    assert (site.root / "images" / "same-logo.png").read_bytes().startswith(b"\x89PNG")
    assert (site.root / "CNAME").read_text(encoding="utf-8") == "news.example.org\n"
    for never in ("topics.yml", "article.schema.json", ".notes", "articles"):
        assert not (site.root / never).exists(), f"{never} was published; {site.command}"


def test_a_linked_folder_is_never_walked(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """A link to `/` would have the listing walk the whole machine: it is refused unwalked."""
    content = copy_fixture("valid", tmp_path)
    (content / "everything").symlink_to("/")
    start = time.monotonic()
    code, site = build(tmp_path, content)
    err = capsys.readouterr().err
    assert code == 1 and "everything:1: error: a symbolic link to a folder" in err, err
    assert time.monotonic() - start < 30, "the listing walked the linked folder"
    assert not site.root.exists()


def test_a_topic_list_linked_from_outside_is_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    content = copy_fixture("valid", tmp_path)
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("- name: SECRET-TOPIC\n  description: from the machine\n", "utf-8")
    (content / "topics.yml").unlink()
    (content / "topics.yml").symlink_to(outside)
    assert digest(["check", "--content", str(content), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "topics.yml:1: error: a symbolic link to a file outside the content folder" in out
    assert out.count("topics.yml:1: error") == 1, out
    assert "SECRET-TOPIC" not in out


def test_files_the_walk_passes_over_under_articles_are_each_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """A misnamed story, a hidden folder, a linked folder, a stray file: a warning each, so
    `check --strict` fails on them rather than the story silently missing from the site."""
    content = copy_fixture("valid", tmp_path)
    stories = content / "articles" / "2024"
    story = next(iter(sorted(stories.glob("*.md"))))
    (stories / "2024-05-01-shouting.MD").write_bytes(story.read_bytes())
    (stories / "2024-05-02-long.markdown").write_bytes(story.read_bytes())
    (stories / ".drafts").mkdir()
    (stories / ".drafts" / "2024-05-03-hidden.md").write_bytes(story.read_bytes())
    (stories / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    (stories / "photo.jpg").write_bytes(b"\xff\xd8")
    (stories / ".gitkeep").write_text("", encoding="utf-8")
    assert digest(["check", "--content", str(content), "--no-cache"]) == 0
    plain = capsys.readouterr().out
    assert digest(["check", "--content", str(content), "--no-cache", "--strict"]) == 1
    expected = {
        "2024-05-01-shouting.MD": "a story's name ends in '.md' (2024-05-01-shouting.md)",
        "2024-05-02-long.markdown": "a story's name ends in '.md' (2024-05-02-long.md)",
        ".drafts": "a hidden folder",
        "elsewhere": "a symbolic link to a folder is never followed",
        "photo.jpg": "only '.md' files under articles/ are stories",
    }
    for name, said in expected.items():
        (line,) = [x for x in plain.splitlines() if f"2024/{name}:1: warning: not read: " in x]
        assert said in line, line
    assert ".gitkeep" not in plain
