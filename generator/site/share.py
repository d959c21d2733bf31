"""What a link to a page previews as where it is shared, and what search engines read of it.

A chat app, a social network or a search engine that is given a story's URL reads the
page's `<meta name="description">`, its OpenGraph and Twitter card tags and its schema.org
JSON-LD, not the page itself: without them every story previewed as the site. Each page
says what it is (`Share`, in its context); the renderer turns that into tags with the
site's absolute URLs (`linked_data` here, the theme's `digest/share.html` for the tags).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# About where previews cut a description (Google shows some 155 characters): longer
# excerpts are shortened at a word, since the head of every story page repeats it twice.
DESCRIPTION_CHARS = 160
SCHEMA_ORG = "https://schema.org"


@dataclass(frozen=True, slots=True)
class Share:
    """A page as a preview shows it: a story (`published` set) or a list of stories.

    `description` is None for a list that has none of its own: the site's is used.
    """

    description: str | None = None
    published: str | None = None  # ISO 8601, the story's publication time
    modified: str | None = None  # ISO 8601, its correction's time, else its publication's
    source: str | None = None
    original: str | None = None
    language: str | None = None

    @property
    def is_story(self) -> bool:
        return self.published is not None


def shortened(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """`text` on one line, cut at the last word that fits within `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:.-—") + "…"


@dataclass(frozen=True, slots=True)
class SiteIdentity:
    """The site as linked data names it: its title and absolute URL (ending in `/`)."""

    name: str
    url: str


def linked_data(
    share: Share, title: str, url: str, site: SiteIdentity, image: str | None
) -> dict[str, Any]:
    """The page's schema.org JSON-LD: a `NewsArticle` for a story, else a `CollectionPage`;
    `url` and `image` are absolute. A story's is what search engines ask of an article and
    no more (its URL is the page's canonical link), as every story page carries it."""
    if not share.is_story:
        return {
            "@context": SCHEMA_ORG,
            "@type": "CollectionPage",
            "name": title,
            "url": url,
            "isPartOf": {"@type": "WebSite", "name": site.name, "url": site.url},
        }
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": share.published,
        "dateModified": share.modified,
        "publisher": {"@type": "Organization", "name": site.name},
        "isBasedOn": share.original,
    }
    if image:
        data["image"] = [image]
    if share.source:
        data["author"] = {"@type": "Organization", "name": share.source}
    if share.language:
        data["inLanguage"] = share.language
    return data
