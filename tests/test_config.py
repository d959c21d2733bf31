"""Bad options in mkdocs.yml: one line naming the option, its value and what is allowed.

Each case runs `digest build` (or `serve`) on a mkdocs.yml with one bad setting and reads
what it prints: exit 2, no traceback, and nothing written (no site, no cache).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.build.settings import CommandOptions
from generator.cli import main as digest
from generator.mkdocs.plugin import DigestPlugin
from support import FIXTURES, REPO, write_config

# option → (bad value, what the one line must say besides the option's name)
BAD_OPTIONS = {
    "per_page": (0, ["0", "at least 1"]),
    "home_limit": (-5, ["-5", "at least 1"]),
    "topic_stories": (-1, ["-1", "at least 0"]),
    "feed_limit": ("ten", ['"ten"', "whole number"]),
    "daily_days": (True, ["true", "whole number"]),
    "timezone": ("Mars/Olympus_Mons", ["'Mars/Olympus_Mons'", "IANA", "Europe/Berlin"]),
}


def _run(tmp_path: Path, config: Path, command: str = "build") -> tuple[int, list[str]]:
    """Exit code and stderr lines of `digest COMMAND -f config`, with the site and cache in
    tmp_path, so that the test can see nothing was written."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    argv = [command, "-f", str(config), "--cache-dir", str(cache)]
    if command == "build":
        argv += ["--site-dir", str(site)]
    return digest(argv), [str(site), str(cache)]


def _one_error_line(capsys: pytest.CaptureFixture[str], reproduce: str) -> str:
    out = capsys.readouterr()
    lines = [line for line in out.err.splitlines() if line.strip()]
    assert "Traceback" not in out.err, f"{out.err}\nreproduce: {reproduce}"
    assert len(lines) == 1, f"expected one line, got:\n{out.err}\nreproduce: {reproduce}"
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


def _nothing_written(paths: list[str]) -> None:
    for path in paths:
        assert not Path(path).exists(), f"{path} was written by a build that was refused"


@pytest.mark.parametrize("option", list(BAD_OPTIONS))
def test_a_bad_option_is_one_line_naming_it_its_value_and_what_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
):
    value, said = BAD_OPTIONS[option]
    config = write_config(tmp_path, FIXTURES / "valid", **{option: value})
    code, written = _run(tmp_path, config)
    line = _one_error_line(capsys, f"digest build -f {config}")
    assert code == 2, line
    assert f"plugins: digest: {option}: " in line, line
    for fragment in said:
        assert fragment in line, line
    assert str(config) in line or "mkdocs.yml" in line, "the line names the file"
    _nothing_written(written)


def test_an_unknown_option_is_an_error_with_the_option_it_most_likely_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    config = write_config(tmp_path, FIXTURES / "valid", **{"per-page": 10})
    code, written = _run(tmp_path, config)
    line = _one_error_line(capsys, f"digest build -f {config}")
    assert code == 2, line
    assert "per-page: no such option; did you mean 'per_page'?" in line, line
    _nothing_written(written)


def test_a_time_zone_in_the_wrong_case_is_refused_with_its_real_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    config = write_config(tmp_path, FIXTURES / "valid", timezone="europe/berlin")
    code, _ = _run(tmp_path, config)
    line = _one_error_line(capsys, f"digest build -f {config}")
    assert code == 2
    assert "did you mean 'Europe/Berlin'?" in line, line


def test_a_config_without_the_digest_plugin_says_how_to_add_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    data = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    data["docs_dir"] = str(FIXTURES / "valid")
    data["theme"]["custom_dir"] = str(REPO / "theme")
    data["plugins"] = ["search"]
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, written = _run(tmp_path, config)
    line = _one_error_line(capsys, f"digest build -f {config}")
    assert code == 2, line
    assert "does not use the digest plugin: add '- digest' under 'plugins:'" in line, line
    _nothing_written(written)


def test_serve_refuses_a_bad_option_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    config = write_config(tmp_path, FIXTURES / "valid", per_page=0)
    code, written = _run(tmp_path, config, "serve")
    line = _one_error_line(capsys, f"digest serve -f {config}")
    assert code == 2, line
    assert "per_page: 0 is too small" in line, line
    _nothing_written(written)
    assert DigestPlugin.requested == CommandOptions(), "a refused serve left options for later"


def test_good_options_build_with_the_values_given(tmp_path: Path):
    """The checks refuse only what is wrong: the smallest allowed values build."""
    config = write_config(
        tmp_path, FIXTURES / "valid", per_page=1, home_limit=1, topic_stories=0, feed_limit=1
    )
    code, _ = _run(tmp_path, config)
    assert code == 0, f"reproduce: digest build -f {config}"
    home = BeautifulSoup((tmp_path / "site" / "index.html").read_text("utf-8"), "lxml")
    assert len(home.select("article.dg-card")) == 1, "home_limit: 1 shows one story"
