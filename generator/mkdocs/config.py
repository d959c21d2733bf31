"""The plugin's typed options, as set under `plugins: - digest:` in mkdocs.yml.

Every option is checked when MkDocs loads the file, so a bad value stops the
build before anything is read or written, with a message that names the
option, the value given and what is allowed. The page and feed options take
their defaults from the core's own settings types, so each default lives in
one place.
"""

from __future__ import annotations

import difflib
import json
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from mkdocs.config import base
from mkdocs.config import config_options as c

from generator.build.site_size import DEFAULT_BUDGET_MB
from generator.content.logos import LOGO_DIR
from generator.mkdocs.site_zone import DEFAULT_ZONE
from generator.site.feeds import FeedSettings
from generator.site.pages import PageSettings
from generator.site.search import SHARD_SIZE

_PAGES = PageSettings()
_FEEDS = FeedSettings()


class WholeNumber(c.OptionallyRequired[int]):
    """A whole number of at least `minimum` (YAML's `true` is no number, though Python's is)."""

    def __init__(self, minimum: int, default: int):
        super().__init__(default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            shown = json.dumps(value, default=str)
            raise base.ValidationError(f"{shown} is not allowed: {self._allowed}")
        if value < self.minimum:
            raise base.ValidationError(f"{value} is too small: {self._allowed}")
        return value

    @property
    def _allowed(self) -> str:
        return f"give a whole number of at least {self.minimum}"


class TimeZone(c.OptionallyRequired[str]):
    """An IANA time zone name such as `Europe/Berlin`, checked against the zone database."""

    def run_validation(self, value: object) -> str:
        try:
            if isinstance(value, str):
                ZoneInfo(value)
                return value
        except (ZoneInfoNotFoundError, ValueError):
            pass
        example = "UTC, Europe/Berlin or America/New_York"
        hint = _closest_zone(value) if isinstance(value, str) else None
        also = f"; did you mean '{hint}'?" if hint else ""
        raise base.ValidationError(
            f"{value!r} is not a time zone: give an IANA name such as {example}{also}"
        )


def _closest_zone(name: str) -> str | None:
    """The zone a typo most likely meant (`europe/berlin`, `Berlin`), if any."""
    folded = name.strip().lower().replace(" ", "_")
    zones = sorted(available_timezones())
    for zone in zones:
        if zone.lower() == folded or zone.lower().rsplit("/", 1)[-1] == folded:
            return zone
    return None


class DigestConfig(base.Config):
    enabled = c.Type(bool, default=True)
    home_limit = WholeNumber(1, default=_PAGES.home_limit)
    per_page = WholeNumber(1, default=_PAGES.per_page)
    topic_stories = WholeNumber(0, default=_PAGES.topic_stories)
    compact_archive = c.Type(bool, default=_PAGES.compact_archive)
    timezone = TimeZone(default=DEFAULT_ZONE)
    drafts = c.Type(bool, default=False)
    # Show stories dated in the future (scheduled) now, instead of from their time on.
    future = c.Type(bool, default=False)
    # Parsed stories are kept here between builds (relative to mkdocs.yml's folder).
    cache = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache/digest")
    feed_limit = WholeNumber(1, default=_FEEDS.limit)
    daily_days = WholeNumber(1, default=_FEEDS.daily_days)
    # RFC 5005 archive documents for each topic's numbered pages (README: "Subscribing").
    topic_archives = c.Type(bool, default=_FEEDS.archives)
    search_shard_size = WholeNumber(1, default=SHARD_SIZE)
    # Megabytes the site may take (GitHub Pages: 1 GB); a build warns past 80% of it.
    size_budget = WholeNumber(1, default=DEFAULT_BUDGET_MB)
    # Where `digest fetch-logos` keeps the sources' logos, which builds publish (relative to
    # mkdocs.yml's folder).
    logo_dir = c.Type(str, default=LOGO_DIR)
    # Story, topic and month pages in the digest's own light chrome (digest/lean.html).
    lean_chrome = c.Type(bool, default=False)

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        """MkDocs' checks, with an unknown option name an error: it is nearly always a typo
        (`per-page`, `timezone:` misspelt), and a warning would let the build go on without
        the setting the site owner meant."""
        failed, warnings = super().validate()
        known = {name for name, _ in self._schema}
        for name in sorted(set(self.keys()) - known, key=str):
            failed.append((name, base.ValidationError(self._unknown(name, known))))
        unknown = set(self.keys()) - known
        return failed, [(k, w) for k, w in warnings if k not in unknown]

    @staticmethod
    def _unknown(name: object, known: set[str]) -> str:
        close = difflib.get_close_matches(str(name), sorted(known), n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "the options are " + ", ".join(sorted(known))
        )
        return f"no such option; {hint}"
