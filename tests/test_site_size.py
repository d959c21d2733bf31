"""The size budget: a build warns once its site passes 80% of `size_budget`, naming what
takes the room, and `--strict` fails it, leaving the published site as it was."""

from __future__ import annotations

from pathlib import Path

from generator.build.site_size import SiteSize
from support import FIXTURES, build


def test_a_site_within_its_budget_says_nothing(tmp_path: Path, capsys):
    code, site = build(tmp_path, FIXTURES / "valid", "--no-cache")
    assert code == 0, site.command
    assert "the site takes" not in capsys.readouterr().err


def test_past_80_percent_of_the_budget_the_build_warns_and_names_the_largest_parts(
    tmp_path: Path, capsys
):
    code, site = build(tmp_path, FIXTURES / "valid", "--no-cache", size_budget=1)
    err = capsys.readouterr().err
    assert code == 0, site.command
    (line,) = [line for line in err.splitlines() if "the site takes" in line]
    assert line.startswith("WARNING"), line
    measured = SiteSize.of(site.root)
    shown = f"{measured.total / 1e6:.1f} MB"
    assert f"the site takes {shown}" in line and "of its 1.0 MB budget" in line, line
    assert "size_budget in mkdocs.yml" in line, line
    largest = max(measured.parts, key=measured.parts.__getitem__)
    assert f"the most room: {largest}/" in line, line


def test_strict_fails_a_build_past_the_budget_and_keeps_the_site(tmp_path: Path, capsys):
    code, site = build(tmp_path, FIXTURES / "valid", "--no-cache")
    assert code == 0, site.command
    before = sorted(p.relative_to(site.root) for p in site.root.rglob("*"))
    code, _ = build(tmp_path, FIXTURES / "valid", "--no-cache", "--strict", size_budget=1)
    err = capsys.readouterr().err
    assert code == 1, err
    assert "the site takes" in err and "left as it was" in err, err
    assert sorted(p.relative_to(site.root) for p in site.root.rglob("*")) == before


def test_strict_weighs_a_build_that_patches_the_site_too(tmp_path: Path, capsys):
    # The second build keeps the first's site as the spare the third one patches.
    for _ in range(2):
        assert build(tmp_path, FIXTURES / "valid", size_budget=1)[0] == 0
    capsys.readouterr()
    code, _ = build(tmp_path, FIXTURES / "valid", "--strict", size_budget=1)
    err = capsys.readouterr().err
    assert code == 1 and "the site takes" in err, err


def test_a_budget_must_be_a_whole_number_of_megabytes(tmp_path: Path, capsys):
    code, _ = build(tmp_path, FIXTURES / "valid", "--no-cache", size_budget="1 GB")
    assert code == 2
    assert "size_budget" in capsys.readouterr().err
