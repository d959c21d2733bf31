"""Builds stopped from outside: Ctrl-C, SIGTERM, `kill -9`, a full disk.

Each runs a real `digest build` of a generated archive in a process of its own and stops it
while it writes pages. What must hold: the site readers see is byte for byte as it was, the
build says what happened in one line (no traceback), nothing it started keeps running, and
what it left beside the site or in the cache is gone by the end of the next build.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support import MAKE_CORPUS, REPO, copy_fixture, write_config

STORIES = 1500


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content folder of STORIES generated stories, made once for the module."""
    content = tmp_path_factory.mktemp("archive") / "content"
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), str(STORIES), str(content / "articles"), "--seed", "4"],
        check=True,
        capture_output=True,
    )
    return content


@pytest.fixture
def project(tmp_path: Path, archive: Path) -> Iterator[Path]:
    """A project building `archive` into tmp_path/site, its cache in tmp_path/.cache."""
    write_config(tmp_path, archive)
    yield tmp_path
    _no_process_mentions(tmp_path)


def _argv(root: Path, *more: str) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "-f", str(root / "mkdocs.yml"), *more]


def _start(root: Path, *more: str) -> subprocess.Popen[str]:
    """`digest build` in a session of its own, so that a test can signal its whole group."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        _argv(root, *more), env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _writing_pages(root: Path, process: subprocess.Popen[str]) -> None:
    """Wait until the build has started writing story pages into a folder of its own."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(root.glob(".site.*/news")) or any(root.glob(".site.patching-*/site/news")):
            return
        time.sleep(0.01)
    pytest.fail(f"the build ended before it wrote pages: {process.stderr.read()}")


def _mentioning(root: Path) -> list[str]:
    """The command lines of running processes that name a path under `root`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if str(root) in line and state != b"Z":
            found.append(f"{entry.name}: {line}")
    return found


def _no_process_mentions(root: Path, wait: float = 30) -> None:
    """Nothing the builds started (workers, indexing, background deletions) still runs."""
    deadline = time.monotonic() + wait
    while (left := _mentioning(root)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, "still running after the build:\n" + "\n".join(left)


def _leftovers(root: Path) -> list[str]:
    """Work folders of builds: beside the site, and in the cache."""
    beside = [p.name for p in root.iterdir() if p.name.startswith(".site.") and "-" in p.name]
    cache = root / ".cache" / "digest"
    work = [p.name for p in cache.glob(".search-*")] if cache.is_dir() else []
    return beside + work


@pytest.mark.parametrize(
    ("sent", "group", "said"),
    [
        (signal.SIGINT, True, "Ctrl-C"),  # the terminal signals every process of its group
        (signal.SIGTERM, False, "SIGTERM"),  # `timeout`, `docker stop`: the build alone
        (signal.SIGTERM, True, "SIGTERM"),  # a cancelled CI job: the whole group
    ],
)
def test_a_stopped_build_cleans_up_and_says_so(
    project: Path, sent: signal.Signals, group: bool, said: str
):
    # Without the cache first, so that no spare is kept and the stopped build (with the cache,
    # so that its indexing works under the project) writes every page afresh.
    first = subprocess.run(_argv(project, "--no-cache"), capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = _files(project / "site")
    process = _start(project)
    _writing_pages(project, process)
    if group:
        os.killpg(process.pid, sent)
    else:
        process.send_signal(sent)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 128 + sent, err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert lines == [f"error: build stopped ({said}), {project / 'site'} left as it was"], err
    assert "Traceback" not in err, err
    assert _files(project / "site") == before
    _no_process_mentions(project)
    assert _leftovers(project) == []


def test_builds_killed_outright_leave_the_site_and_the_next_build_clears_up(project: Path):
    # Without the cache first, so that each killed build has the search index to make.
    first = subprocess.run(_argv(project, "--no-cache"), capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = _files(project / "site")
    for round in range(3):
        process = _start(project)  # with the cache: a spare to patch, search in the cache
        _writing_pages(project, process)
        process.kill()
        process.wait()
        # Its workers and its indexing die with it, at once (they are told to at their start),
        # rather than finishing their work for nobody.
        _no_process_mentions(project, wait=1)
        assert _files(project / "site") == before, f"kill -9 number {round + 1} changed the site"
        assert _leftovers(project), "nothing to clear up: the kill came too late to test that"
    done = subprocess.run(_argv(project), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    _no_process_mentions(project)
    assert _leftovers(project) == [], "the killed builds' folders are still there"
    assert _files(project / "site") == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str, str], Path]]:
    """Mounts tmpfs file systems of a given size under tmp_path (root only: .ci/run is)."""
    assert os.geteuid() == 0, "mounting a small disk needs root: run the tests with bash .ci/run"
    mounted: list[Path] = []

    def mount(name: str, size: str) -> Path:
        where = tmp_path / name
        where.mkdir()
        options = ["-t", "tmpfs", "-o", f"size={size}"]
        subprocess.run(["mount", *options, "tmpfs", str(where)], check=True)
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_cache_disk_costs_speed_never_the_build(tmp_path: Path, small_disk):
    cache = small_disk("cache", "64k")
    content = copy_fixture("valid", tmp_path)
    config = write_config(tmp_path, content)
    result = subprocess.run(
        [*_argv(tmp_path), "--cache-dir", str(cache), "--site-dir", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, f"{result.stderr}\nreproduce: digest build -f {config}"
    assert (tmp_path / "site" / "index.html").is_file()
    assert any((tmp_path / "site" / "search").rglob("pagefind.js")), "search is in the site"


def test_a_full_site_disk_keeps_the_old_site_and_says_so_in_a_line(tmp_path: Path, small_disk):
    disk = small_disk("disk", "5m")  # room for one fixture site (about 3 MB), not for two
    content = copy_fixture("valid", tmp_path)
    write_config(tmp_path, content)
    argv = [*_argv(tmp_path), "--no-cache", "--site-dir", str(disk / "site")]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    assert subprocess.run(argv, capture_output=True, env=env).returncode == 0
    before = _files(disk / "site")
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert "left as it was" in line and "No space left on device" in line, line
    assert len(line) < 2_200, "one readable line, not the whole of a tool's output"
    assert _files(disk / "site") == before
    assert [p.name for p in disk.iterdir()] == ["site"], "the failed build's folder is gone"
    shutil.rmtree(disk / "site")
