"""What every file a build makes has in common: where it goes, and what it is made of.

A page, a feed, a sitemap: each is planned before it is made, with its path
in the site and `made_of`, what its bytes are made from in plain values
(stories by their `Article.file_hash`, titles, counts, dates). Under the same
code and settings, equal `made_of` means equal bytes: so the output cache
keys a file by it, and a preview tells which files changed, without making
any of them, which costs more than everything else about a file that is not
made. A search bundle is keyed the same way, by its folder and its stories
(`build/search_index.py`).
"""

from __future__ import annotations

from typing import Any, Protocol


class Output(Protocol):
    """A file of the site, planned and not yet made."""

    @property
    def path(self) -> str:
        """Where the file goes inside the site."""
        ...

    @property
    def made_of(self) -> tuple[Any, ...]:
        """What the file's bytes are made from, beside the code and the site's settings."""
        ...
