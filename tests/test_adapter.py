"""The MkDocs adapter tested directly: what it makes of mkdocs.yml and a command's options,
and that MkDocs' hooks leave the process clean after a build and after a failed one."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from generator.build.clock import EPOCH_ENV
from generator.build.settings import CommandOptions
from generator.mkdocs.plugin import DigestPlugin
from support import FIXTURES, copy_fixture, write_config


def _config(tmp_path: Path, content: Path = FIXTURES / "valid", **plugin: object):
    path = write_config(tmp_path, content, **plugin)
    config = load_config(str(path), site_dir=str(tmp_path / "site"))
    return config, config.plugins["digest"]


def test_settings_take_mkdocs_yml_and_the_commands_options(tmp_path: Path, monkeypatch):
    config, plugin = _config(tmp_path, per_page=7, timezone="Europe/Berlin", cache_dir="c")
    settings = plugin._settings(config)
    assert settings.pages.per_page == 7 and str(settings.zone) == "Europe/Berlin"
    assert settings.site.url == config.site_url and not settings.drafts
    assert settings.cache_dir == tmp_path / "c"
    # MkDocs keeps one plugin object per process: what a test sets on it is undone after.
    monkeypatch.setattr(
        plugin, "requested", CommandOptions(drafts=True, cache_dir=str(tmp_path / "elsewhere"))
    )
    settings = plugin._settings(config)
    assert settings.drafts and settings.cache_dir == tmp_path / "elsewhere"
    drafted = settings
    monkeypatch.setattr(plugin, "requested", CommandOptions(no_cache=True))
    assert plugin._settings(config).cache_dir is None
    # The options are part of every page's key: a draft build never reuses a site's pages.
    assert plugin._settings(config).engine_values != drafted.engine_values


def test_a_site_without_site_url_is_refused_before_anything_is_read(tmp_path: Path):
    path = write_config(tmp_path, FIXTURES / "valid")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["site_url"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    config = load_config(str(path))
    plugin: DigestPlugin = config.plugins["digest"]
    with pytest.raises(PluginError, match="set 'site_url'"):
        plugin.on_config(config)
    assert plugin.build is None


def test_mkdocs_build_runs_every_phase_and_leaves_the_process_clean(tmp_path: Path):
    config, plugin = _config(tmp_path)
    mkdocs_build(config)
    assert plugin.tally is not None and plugin.tally.published > 0
    assert plugin.tree == tmp_path / "site" and plugin.manifest is not None
    drawn = {page.path for page in plugin.build.shell_pages.values()}
    assert all((plugin.tree / page.path).is_file() for page in plugin.build.pages)
    assert drawn < {page.path for page in plugin.build.pages}
    assert EPOCH_ENV not in os.environ and gc.get_freeze_count() == 0


def test_a_failed_build_reports_through_mkdocs_and_leaves_the_process_clean(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    story = next((content / "articles").rglob("*.md"))
    story.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    config, plugin = _config(tmp_path, content)
    with pytest.raises((PluginError, Abort)):
        mkdocs_build(config)
    assert plugin.tally is not None and plugin.tally.rejected == 1
    assert EPOCH_ENV not in os.environ and gc.get_freeze_count() == 0
