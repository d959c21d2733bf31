"""How much room a built site takes, against the host's limit.

GitHub Pages publishes sites of at most 1 GB; a site that grows past it
fails to deploy, with nothing said at build time. So every build measures
its site (apparent sizes, as the host counts them) and warns once it passes
80% of the budget, naming the parts that take the room, while there is
still time to act; `--strict` makes that warning fail the build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# GitHub Pages' limit on a published site, in megabytes (10^6 bytes).
DEFAULT_BUDGET_MB = 1000
# The share of the budget past which a build warns.
WARN_SHARE = 0.8
# What each top-level folder of a site holds, for the warning.
PARTS = {
    "news": "story pages",
    "topics": "topic pages and feeds",
    "archive": "month pages",
    "search": "the search index",
    "assets": "the theme's files",
}


@dataclass(frozen=True)
class SiteSize:
    """Bytes by top-level part of a site (a folder, or "other files")."""

    parts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.parts.values())

    @classmethod
    def of(cls, root: Path) -> SiteSize:
        parts: dict[str, int] = {}
        for entry in os.scandir(root):
            part = entry.name if entry.is_dir(follow_symlinks=False) else ""
            parts[part] = parts.get(part, 0) + _bytes(entry)
        return cls(parts)

    def warning(self, budget_mb: int) -> str | None:
        """What to tell the site owner when the site passes `WARN_SHARE` of the budget."""
        budget = budget_mb * 1_000_000
        if self.total <= WARN_SHARE * budget:
            return None
        largest = sorted(self.parts.items(), key=lambda item: (-item[1], item[0]))[:3]
        named = ", ".join(f"{_named(part)} {_mb(size)}" for part, size in largest)
        return (
            f"digest: the site takes {_mb(self.total)}, {self.total / budget:.0%} of its "
            f"{_mb(budget)} budget (size_budget in mkdocs.yml; GitHub Pages publishes at most "
            f"1 GB); the most room: {named}"
        )


def _bytes(entry: os.DirEntry[str]) -> int:
    if not entry.is_dir(follow_symlinks=False):
        return entry.stat(follow_symlinks=False).st_size
    total = 0
    for folder, _, names in os.walk(entry.path):
        for name in names:
            total += os.lstat(os.path.join(folder, name)).st_size
    return total


def _named(part: str) -> str:
    if not part:
        return "files at the top"
    return f"{part}/ ({PARTS[part]})" if part in PARTS else f"{part}/"


def _mb(size: float) -> str:
    return f"{size / 1_000_000:,.0f} MB" if size >= 10_000_000 else f"{size / 1_000_000:.1f} MB"
