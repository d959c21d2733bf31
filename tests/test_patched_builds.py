"""A build that patches an earlier site gives, byte for byte, the site a fresh build gives.

With the cache on, `digest build` keeps the site it replaces (`.site.spare/`)
and the next build but one patches it instead of writing every file again
(see `generator/site_folder.py`). Each test builds a real site through a
series of changes and compares every file with an uncached build of the same
input into another folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from support import REPO, build, copy_fixture

STORY = Path("articles", "2024", "2024-01-05-hotel-general.md")


def _files(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) under `root`: no empty folder left over."""
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else None for p in root.rglob("*")
    }


def _fresh(tmp: Path, content: Path, theme: Path, **plugin: object) -> dict[str, bytes | None]:
    folder = tmp / "fresh"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    code, site = build(folder, content, "--no-cache", theme=theme, **plugin)
    assert code == 0, site.command
    return _files(site.root)


def _beside(site: Path) -> list[str]:
    """The build's own folders beside the site that a finished build must not leave."""
    kinds = (".building-", ".patching-")
    return [p.name for p in site.parent.iterdir() if any(k in p.name for k in kinds)]


def test_every_change_patches_to_the_fresh_site(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    story = content / STORY
    card = theme / "digest" / "card.html"
    added = content / "articles" / "2024" / "2024-03-02-a-new-story.md"

    def add_story() -> None:
        added.write_text(story.read_text("utf-8").replace("Hotel", "Newest"), "utf-8")

    def edit(path: Path, old: str, new: str) -> Callable[[], None]:
        return lambda: path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")

    steps: list[tuple[str, Callable[[], None], dict[str, object]]] = [
        ("a first build", lambda: None, {}),
        ("nothing changed", lambda: None, {}),
        ("a story edited", edit(story, "Hotel: a general", "Hotel: an edited"), {}),
        ("a story added", add_story, {}),
        ("a story deleted", story.unlink, {}),
        ("stories per page changed", lambda: None, {"per_page": 2}),
        ("a template changed", edit(card, "Read at", "Continue at"), {"per_page": 2}),
        ("a file added", lambda: (content / "extra.png").write_bytes(b"x"), {}),
        ("the story added deleted", added.unlink, {}),
        ("the file deleted", (content / "extra.png").unlink, {}),
    ]
    roots = []
    work = tmp_path / "work"
    work.mkdir()
    for n, (what, change, plugin) in enumerate(steps):
        change()
        code, site = build(work, content, theme=theme, **plugin)
        assert code == 0, f"{what}: {site.command}"
        assert _files(site.root) == _fresh(tmp_path, content, theme, **plugin), what
        assert _beside(site.root) == [], what
        roots.append(site.root.stat().st_ino)
        if n >= 2:  # the site of two builds ago, patched
            assert roots[n] == roots[n - 2], f"{what}: the build did not patch the spare site"
    assert "Continue at" in (site.root / "index.html").read_text("utf-8")


def test_a_site_changed_by_hand_is_not_patched(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    for _ in range(2):
        assert build(work, content)[0] == 0
    code, site = build(work, content)
    assert code == 0, site.command
    (site.root / "CNAME").write_text("news.example.org\n", "utf-8")
    for _ in range(3):  # the site with CNAME would be patched by the second of these
        assert build(work, content)[0] == 0
        assert _files(site.root) == _fresh(tmp_path, content, REPO / "theme")


def test_a_failed_build_spends_the_spare_and_the_next_one_is_whole(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    work = tmp_path / "work"
    work.mkdir()
    for _ in range(2):
        code, site = build(work, content, theme=theme)
        assert code == 0
    before = _files(site.root)
    card = theme / "digest" / "card.html"
    good = card.read_text("utf-8")
    card.write_text(good.replace("{{ c.title }}", "{{ c.title | nosuch }}"), "utf-8")
    assert build(work, content, theme=theme)[0] == 1
    assert _files(site.root) == before
    assert _beside(site.root) == []
    card.write_text(good.replace("Read at", "Continue at"), "utf-8")
    for _ in range(3):
        assert build(work, content, theme=theme)[0] == 0
        assert _files(site.root) == _fresh(tmp_path, content, theme)
