"""What a build is asked for: by the command (`CommandOptions`), and in all (`BuildSettings`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.build.site_size import DEFAULT_BUDGET_MB
from generator.site.feeds import FeedSettings, FeedSite
from generator.site.pages import PageSettings
from generator.site.search import SHARD_SIZE


@dataclass(frozen=True)
class CommandOptions:
    """`digest build` / `digest serve` options; each unset one leaves mkdocs.yml's value."""

    config_file: str = "mkdocs.yml"
    content: str | None = None
    site_dir: str | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    no_cache: bool = False
    cache_dir: str | None = None
    dev_addr: str | None = None
    verbose: bool = False

    def drafts_in(self, configured: bool) -> bool:
        return self.drafts or configured

    def future_in(self, configured: bool) -> bool:
        return self.future or configured

    def cache_dir_in(self, cache: bool, configured: str) -> str | None:
        """The cache folder the build uses (relative to mkdocs.yml's folder), None for none."""
        if self.no_cache or not cache:
            return None
        return self.cache_dir or configured


@dataclass(frozen=True)
class BuildSettings:
    """Everything one build is asked for, from the site's configuration and the command.

    The engine's adapter makes it once per build; the pipeline reads nothing else.
    """

    site: FeedSite
    zone: ZoneInfo
    pages: PageSettings = field(default_factory=PageSettings)
    feeds: FeedSettings = field(default_factory=FeedSettings)
    search_shard_size: int = SHARD_SIZE
    drafts: bool = False
    future: bool = False
    # Where parsed stories, made outputs and search bundles are kept; None: no cache.
    cache_dir: Path | None = None
    # The sources' logos saved from other sites (see generator.content.logos); None: none.
    logo_dir: Path | None = None
    # A preview (`digest serve`): pages for the local server, no forking once it runs.
    preview: bool = False
    # Megabytes the site may take before a build warns at 80% of them (see site_size).
    size_budget_mb: int = DEFAULT_BUDGET_MB
    # Warnings fail the build (`--strict`), the size budget's included.
    strict: bool = False
    # The rest of the engine's configuration that pages may show: part of every page's key.
    engine_values: tuple[Any, ...] = ()
