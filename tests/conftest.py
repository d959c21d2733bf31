"""Shared helpers: build real sites from fixture corpora into temporary folders and parse them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from generator.cli import main as digest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Site:
    root: Path
    command: str

    def page(self, url: str) -> BeautifulSoup:
        """The parsed HTML of the page at a site URL like `topics/ai/`."""
        path = self.root / url / "index.html"
        assert path.is_file(), f"no page at /{url} ({path}); reproduce: {self.command}"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    def pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


def resolve(page_url: str, href: str) -> str:
    """The site URL a relative link on the page at `page_url` points to (`topics/ai/`)."""
    return urljoin("/" + page_url, href).lstrip("/")


def write_config(
    folder: Path, content: Path, theme: Path = REPO / "theme", **plugin: object
) -> Path:
    """A mkdocs.yml like the repo's, pointing at `content`, with plugin options changed."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(content)
    config["theme"]["custom_dir"] = str(theme)
    (at,) = [i for i, p in enumerate(config["plugins"]) if isinstance(p, dict) and "digest" in p]
    config["plugins"][at] = {"digest": {**config["plugins"][at]["digest"], **plugin}}
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def build(
    tmp: Path,
    content: Path,
    *args: str,
    site_url: str | None = None,
    theme: Path = REPO / "theme",
    **plugin: object,
) -> tuple[int, Site]:
    """Run `digest build` on `content` into `tmp/site`; returns (exit code, site)."""
    config = write_config(tmp, content, theme, **plugin)
    if site_url is not None:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["site_url"] = site_url
        config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    site = tmp / "site"
    argv = ["build", "-f", str(config), "--site-dir", str(site), *args]
    code = digest(argv)
    return code, Site(site, "digest " + " ".join(argv))


def copy_fixture(name: str, tmp: Path) -> Path:
    """A writable copy of a fixture corpus, for tests that change files."""
    target = tmp / name
    shutil.copytree(FIXTURES / name, target)
    return target


@pytest.fixture(scope="module")
def valid_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The `valid` fixture built with 3 stories a page, so topics paginate."""
    code, site = build(tmp_path_factory.mktemp("valid"), FIXTURES / "valid", per_page=3)
    assert code == 0, f"build failed; reproduce: {site.command}"
    return site
