"""The validated, immutable shape of a story and the things it links to.

Everything downstream of `validate` works on these types only, never on raw
YAML, so that a template or a feed can trust every field it reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The top-level keys whose lines an Article keeps (`Article.key_lines`).
LINE_KEYS = (
    *("title", "webUrl", "originalUrl", "topics", "publishedDateTime"),
    *("provider", "images", "related"),
)


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    width: int | None = None
    height: int | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Provider:
    """The publisher of a story; `domain` identifies it, `name` is what readers see."""

    name: str
    domain: str | None = None
    images: tuple[Image, ...] = ()

    @property
    def logo(self) -> Image | None:
        return self.images[0] if self.images else None


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """Other coverage of the same story, shown under it as "More:" lines."""

    title: str
    web_url: str
    excerpt: str | None = None
    published: dt.datetime | None = None
    type: str | None = None
    provider: Provider | None = None
    quality: int | None = None
    images: tuple[Image, ...] = ()
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One curated story.

    `slug` and `date` come from the file name (`YYYY-MM-DD-slug.md`), not from
    `published`, so that the story's permalink never moves when a curator
    corrects its time.
    """

    path: str
    slug: str
    date: dt.date
    title: str
    published: dt.datetime
    web_url: str
    topics: tuple[str, ...]
    excerpt: str | None = None
    # The language of its title and excerpt (a BCP 47 tag) when the front matter names one.
    language: str | None = None
    # When the curator last changed the story significantly (a correction), if ever.
    updated: dt.datetime | None = None
    category: str = "news"
    original_url: str | None = None
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    type: str = "article"
    quality: int | None = None
    heat: int = 0
    is_draft: bool = False
    provider: Provider | None = None
    images: tuple[Image, ...] = ()
    related: tuple[RelatedLink, ...] = ()
    body: str = ""
    # `generator.content.urls.story_key` of webUrl, then of originalUrl when that is another
    # address: what duplicate detection compares, made once when the file is read.
    story_keys: tuple[str, ...] = ()
    # The lines of the LINE_KEYS in the file (0: absent), so that rules across
    # files name lines without reading the file again. Plain ints, as cheap to
    # keep in the cache as they can be.
    key_lines: tuple[int, ...] = ()
    # A hash of the file's path and bytes (`loader.file_hash_of`). Everything
    # above is made from those (and the topic registry), so pages and feeds can
    # tell whether a story changed from this alone, without comparing fields.
    file_hash: bytes = b""

    def line(self, key: str) -> int:
        """The line of one of LINE_KEYS in the story's file, else the file's first line."""
        at = LINE_KEYS.index(key)
        return self.key_lines[at] if at < len(self.key_lines) and self.key_lines[at] else 1

    @property
    def sort_key(self) -> tuple:
        """SPEC ordering: newest first, then higher heat, then slug."""
        return (-self.published.timestamp(), -self.heat, self.slug, self.path)
