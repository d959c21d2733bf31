"""What a command asks of a build beside the site's configuration file, as one typed value."""

from __future__ import annotations

from dataclasses import dataclass


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
