"""Where a build may put the site: never over the project, its content, its cache, a file, or a
folder of someone else's files; always into a missing or empty folder or a site it built.

Each refused case runs `digest build --site-dir X` on a real project and compares every file
under the test's folder before and after: a refusal touches nothing.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import modes
from generator.build.site_folder import MARKER, exchange
from generator.cli import main as digest
from support import copy_fixture, write_config


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """A project (mkdocs.yml, content/, a site) in tmp_path/proj, with a cache folder.

    Built without the cache, so that no background work (the search index's clean-up)
    changes files while a test compares them.
    """
    root = tmp_path / "proj"
    root.mkdir()
    content = copy_fixture("valid", root)
    config = write_config(root, content)
    assert digest(["build", "-f", str(config), "--no-cache"]) == 0
    (root / ".cache" / "digest").mkdir(parents=True)
    return root, config


def _everything(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with a file's bytes (None for a folder)."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def _notes(root: Path) -> Path:
    notes = root / "NOTES.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    return notes


def _someone_elses(root: Path) -> Path:
    folder = root.parent / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"\xff\xd8 not really a picture")
    return folder


REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "the project's own folder": (lambda root: root, "it is the project's folder"),
    "a folder holding the project": (lambda root: root.parent, "it holds the project's folder"),
    "the content folder": (lambda root: root / "valid", "it is the content folder"),
    "a folder inside the content": (lambda root: root / "valid" / "site", "inside the content"),
    "the cache folder": (lambda root: root / ".cache" / "digest", "it is the cache folder"),
    "a folder holding the cache": (lambda root: root / ".cache", "it holds the cache folder"),
    "a file": (_notes, "it is a file, not a folder"),
    "a folder of someone else's files": (_someone_elses, "files that news-digest did not build"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_build_refuses_a_site_folder_it_must_not_replace_and_touches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
):
    root, config = _project(tmp_path)
    where, said = REFUSED[case]
    target = where(root)
    before = _everything(tmp_path)
    capsys.readouterr()
    argv = ["build", "-f", str(config), "--site-dir", str(target)]
    code = digest(argv)
    err = capsys.readouterr().err
    reproduce = "digest " + " ".join(argv)
    assert code == 2, f"{err}\nreproduce: {reproduce}"
    (line,) = err.splitlines()
    assert line.startswith("error: will not build the site into "), line
    assert said in line, line
    assert _everything(tmp_path) == before, f"a refused build changed files; {reproduce}"


def test_a_build_fills_an_empty_folder_and_replaces_a_site_it_built(tmp_path: Path):
    _, config = _project(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert digest(["build", "-f", str(config), "--site-dir", str(empty)]) == 0
    assert (empty / "index.html").is_file() and (empty / MARKER).is_file()
    (empty / "index.html").write_text("stale", encoding="utf-8")
    assert digest(["build", "-f", str(config), "--site-dir", str(empty)]) == 0
    assert (empty / "index.html").read_text(encoding="utf-8") != "stale"


def test_a_site_without_its_mark_is_no_longer_replaced(tmp_path: Path, capsys):
    """The mark is what tells a site this tool built from any other folder of files."""
    root, config = _project(tmp_path)
    (root / "site" / MARKER).unlink()
    capsys.readouterr()
    assert digest(["build", "-f", str(config)]) == 2
    assert "did not build" in capsys.readouterr().err
    assert (root / "site" / "index.html").is_file()


@pytest.fixture
def usual_umask():
    """The umask most machines run builds under (022); the test's process gets it back after."""
    old = os.umask(0o022)
    modes.umask.cache_clear()
    yield
    os.umask(old)
    modes.umask.cache_clear()


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*")}


def test_every_published_file_and_folder_is_readable_by_a_web_server(tmp_path: Path, usual_umask):
    """Pages come through the cache (made by mkstemp, 0600) and the site's own folder
    through mkdtemp (0700): each must end as an ordinary file (0644) or folder (0755)."""
    root, config = _project(tmp_path)
    site = root / "site"
    argv = ["build", "-f", str(config)]
    assert digest(argv) == 0  # pages rendered into the cache and linked into the site
    assert digest(argv) == 0  # the spare patched
    shutil.rmtree(site)
    assert digest(argv) == 0  # every page linked from the cache
    found = {"": stat.S_IMODE(site.stat().st_mode), **_modes(site)}
    wrong = {
        path: oct(mode)
        for path, mode in found.items()
        if mode != (0o755 if (site / path).is_dir() else 0o644)
    }
    assert not wrong, f"not 0644 / 0755: {sorted(wrong.items())[:10]}; digest {' '.join(argv)}"


def test_the_new_site_replaces_the_old_in_one_exchange_of_names(tmp_path: Path):
    """One atomic step (Linux's renameat2): a build killed at any moment leaves a whole site
    under the site's name, never none between two renames."""
    old, new = tmp_path / "site", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "which").write_text("old", encoding="utf-8")
    (new / "which").write_text("new", encoding="utf-8")
    assert exchange(new, old), "this system has no atomic exchange of names"
    assert (old / "which").read_text(encoding="utf-8") == "new"
    assert (new / "which").read_text(encoding="utf-8") == "old"
