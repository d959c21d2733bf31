"""Nothing lost, nothing broken: every file is accounted for, and a failed build changes nothing.

A build reports how many stories it read, published, held back (unpublished,
scheduled) and rejected, and those add up to the files it found. It writes
into a folder beside the target and swaps it in only when all went well, so a
build that fails (bad content, a broken template) or is interrupted leaves the
published site byte for byte as it was, and no staging folder behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import FIXTURES, REPO, build, copy_fixture

TALLY = re.compile(
    r"(\d+) stor(?:y|ies) read: (\d+) (?:would be )?published, (\d+) unpublished held back, "
    r"(\d+) scheduled for later, (\d+) rejected"
)
JUNE_2024 = str(int(dt.datetime(2024, 6, 1, tzinfo=dt.UTC).timestamp()))


def _tally(err: str) -> tuple[int, ...]:
    """(read, published, drafts, scheduled, rejected) from the build's last report line."""
    lines = [line for line in err.splitlines() if TALLY.search(line)]
    assert lines, f"no count of stories in the build's output:\n{err}"
    read, *parts = map(int, TALLY.search(lines[-1]).groups())
    assert sum(parts) == read, lines[-1]
    return (read, *parts)


def _files(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _staging(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".site.building-")]


@pytest.mark.parametrize(
    ("fixture", "args", "expected"),
    [
        ("valid", (), (11, 10, 1, 0, 0)),
        ("valid", ("--drafts",), (11, 11, 0, 0, 0)),
        ("scheduled", (), (3, 1, 0, 2, 0)),
        ("scheduled", ("--future",), (3, 3, 0, 0, 0)),
    ],
)
def test_a_build_accounts_for_every_file_it_found(
    tmp_path: Path, capsys, monkeypatch, fixture: str, args: tuple[str, ...], expected
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JUNE_2024)
    code, site = build(tmp_path, FIXTURES / fixture, *args)
    assert code == 0, site.command
    err = capsys.readouterr().err
    final = err.strip().splitlines()[-1]
    assert final.startswith("site written to ") and TALLY.search(final), final
    assert _tally(err) == expected, f"{final}; reproduce: {site.command}"


def test_a_failed_build_still_counts_every_file_and_names_each_rejected_one(
    tmp_path: Path, capsys, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JUNE_2024)
    content = copy_fixture("valid", tmp_path)
    shutil.copy(
        FIXTURES / "scheduled" / "articles" / "2099-01-01-far-future.md",
        content / "articles" / "2099-01-01-far-future.md",
    )
    (content / "articles" / "2024-06-01-broken.md").write_text("no front matter\n", "utf-8")
    code, site = build(tmp_path, content)
    assert code == 1
    err = capsys.readouterr().err
    assert _tally(err) == (13, 10, 1, 1, 1), err
    assert "would be published" in err and "nothing was built" in err
    assert "2024-06-01-broken.md:1: error: no front matter" in err
    assert not site.root.exists()
    _, site = build(tmp_path, FIXTURES / "bad")
    err = capsys.readouterr().err
    assert _tally(err) == (7, 1, 0, 0, 6), err
    for name in sorted(p.name for p in (FIXTURES / "bad" / "articles").iterdir()):
        if name != "2024-01-06-naive-date.md":  # only a warning: it would be published
            assert re.search(rf"{re.escape(name)}:\d+: error: ", err), name


def test_a_broken_template_leaves_the_previous_site_byte_identical(tmp_path: Path, capsys):
    code, site = build(tmp_path, FIXTURES / "valid")
    assert code == 0
    before = _files(site.root)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    card = theme / "digest" / "card.html"
    card.write_text(card.read_text("utf-8").replace("{{ c.title }}", "{{ c.title | nosuch }}"))
    capsys.readouterr()
    code, _ = build(tmp_path, FIXTURES / "valid", theme=theme)
    assert code == 1
    err = capsys.readouterr().err
    assert "error: build failed, " in err and "left as it was: " in err, err
    assert "No filter named 'nosuch'" in err, err
    assert _files(site.root) == before
    assert _staging(tmp_path) == [], "a failed build must not leave its staging folder behind"


@pytest.mark.parametrize(("sent", "said"), [(signal.SIGINT, "Ctrl-C"), (signal.SIGTERM, "SIGTERM")])
def test_an_interrupted_build_leaves_the_previous_site_byte_identical(
    tmp_path: Path, sent: signal.Signals, said: str
):
    code, site = build(tmp_path, FIXTURES / "valid")
    assert code == 0
    before = _files(site.root)
    argv = ["build", "-f", str(tmp_path / "mkdocs.yml"), "--site-dir", str(site.root)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", *argv, "--no-cache"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Interrupt it (Ctrl-C) as soon as it has started writing its staging folder.
    deadline = time.monotonic() + 60
    while not _staging(tmp_path) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(sent)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + sent, f"the build was not stopped by {said}:\n{err}"
    assert f"error: build stopped ({said}), " in err and "left as it was" in err, err
    assert "Traceback" not in err, err
    assert _files(site.root) == before
    assert _staging(tmp_path) == [], "an interrupted build must not leave its staging folder"
