"""ProperDocs, the maintained fork of MkDocs 1.6, builds the same site as MkDocs.

The supported path for when MkDocs 1.x stops (README, "When MkDocs or mkdocs-material
stop"): every file of the sample's site and of a generated corpus's is byte for byte the
one `mkdocs build` writes, except for the generator `<meta>` line that names the engine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import MAKE_CORPUS, REPO, write_config

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
ENGINES = {
    "mkdocs": [sys.executable, "-m", "mkdocs"],
    "properdocs": [str(Path(sys.executable).with_name("properdocs"))],
}


def _build(engine: str, config: Path, site: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    run = subprocess.run(
        [*ENGINES[engine], "build", "-q", "-f", str(config), "-d", str(site)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, f"{engine} build failed:\n{run.stderr}"


def _files(site: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(site)): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), "300", str(content / "articles"), "--seed", "2"],
        check=True,
        capture_output=True,
    )
    return content


@pytest.mark.parametrize("content", ["sample", "corpus"])
def test_properdocs_writes_the_same_site_as_mkdocs_but_its_name(
    tmp_path: Path, content: str, request: pytest.FixtureRequest
):
    folder = REPO / "content" if content == "sample" else request.getfixturevalue("corpus")
    copy = tmp_path / "content"
    shutil.copytree(folder, copy)
    config = write_config(tmp_path, copy, cache=False)
    _build("mkdocs", config, tmp_path / "mkdocs-site")
    _build("properdocs", config, tmp_path / "properdocs-site")
    ours, theirs = _files(tmp_path / "mkdocs-site"), _files(tmp_path / "properdocs-site")
    assert sorted(ours) == sorted(theirs)
    assert len([name for name in ours if name.endswith("index.html")]) > 10
    named = 0
    for name, data in ours.items():
        other = theirs[name]
        if data != other:
            assert GENERATOR.sub(b"", data) == GENERATOR.sub(b"", other), name
            assert b"ProperDocs" in GENERATOR.search(other).group(), name  # type: ignore[union-attr]
            named += 1
    assert named > 10, "ProperDocs names itself in each page's generator line"
