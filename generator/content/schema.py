"""A JSON Schema of an article's front matter, for editors to complete and check keys as you type.

It is made here from the key lists `validate` checks against, so the two
cannot name different keys; `digest schema` prints it, and the copy in
`content/article.schema.json` is kept equal to it by a test. `validate` stays
the authority: a schema cannot say everything (a file name's date, topics
from topics.yml, duplicates), and it has no warnings, so what `digest check`
only warns about is said here in the way editors show as warnings or not at
all:

- unknown keys: `additionalProperties: false`, which editors' YAML
  validators report as warnings ("property not allowed");
- a date-time without a zone, or a date alone: accepted by the pattern.

Draft-07, the newest draft that the YAML language server and the remark
front-matter linter both support.
"""

from __future__ import annotations

import json
from typing import Any

from generator.content.topics import MAX_TOPIC_CHARS
from generator.content.validate import (
    ARTICLE_KEYS,
    IMAGE_KEYS,
    LANGUAGE_TAG,
    MAX_EXCERPT_CHARS,
    MAX_TITLE_CHARS,
    MAX_TOPICS,
    PROVIDER_KEYS,
    RELATED_KEYS,
)

# Absolute http(s), a host with no user@ before it, no white space or backslash: what
# `validate.is_http_url` accepts.
HTTP_URL = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#\\@]+([/?#][^\s\\]*)?$"
# A /site/path, never //host/path nor /\host/path: `validate.is_site_path`.
SITE_PATH = r"^/(?![/\\])[^\s\\]*$"
# ISO 8601 as Python's datetime.fromisoformat reads it; no zone means UTC (a warning).
DATE_TIME = (
    r"^\s*\d{4}-\d{2}-\d{2}"
    r"([Tt ]\d{2}(:?\d{2}(:?\d{2}([.,]\d+)?)?)?\s*([Zz]|[+-]\d{2}(:?\d{2}(:?\d{2})?)?)?)?\s*$"
)

REQUIRED_KEYS = ["title", "publishedDateTime", "webUrl", "topics"]
_TEXT = {"type": "string", "minLength": 1}
# Any whole number: real archives hold values past 100, and -1 for "not scored".
_SCORE = {"type": "integer"}


def _url(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": HTTP_URL, "description": description}


def _date_time(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": DATE_TIME, "description": description}


def _closed(properties: dict[str, Any], keys: list[str], **rest: Any) -> dict[str, Any]:
    """An object with exactly `keys` (the validator's list, in its order)."""
    assert list(properties) == keys, "schema and validator name different keys"
    return {"type": "object", "properties": properties, "additionalProperties": False, **rest}


def _images(description: str) -> dict[str, Any]:
    size = {"type": "integer", "minimum": 1}
    image = _closed(
        {
            "url": {
                "type": "string",
                "anyOf": [{"pattern": HTTP_URL}, {"pattern": SITE_PATH}],
                "description": "An absolute http(s) URL, or a path on this site (/images/x.png).",
            },
            "width": size,
            "height": size,
            "title": {"type": "string"},
            "isCached": {"description": "Written by the curation tool; ignored."},
        },
        IMAGE_KEYS,
        required=["url"],
    )
    return {"type": "array", "items": image, "description": description}


def _provider() -> dict[str, Any]:
    return _closed(
        {
            "name": {**_TEXT, "description": "The source as readers see it: Reuters."},
            "domain": {**_TEXT, "description": "The source's domain: reuters.com."},
            "images": _images("The source's logo first."),
        },
        PROVIDER_KEYS,
        anyOf=[{"required": ["name"]}, {"required": ["domain"]}],
        description="The source of the story.",
    )


def article_schema() -> dict[str, Any]:
    """The schema of one article file's front matter (SPEC.md, "Article file format")."""
    related = _closed(
        {
            "title": _TEXT,
            "webUrl": _url("The other story's address."),
            "excerpt": {"type": "string", "maxLength": MAX_EXCERPT_CHARS},
            "publishedDateTime": _date_time("When the other story was published."),
            "type": {"type": "string"},
            "provider": _provider(),
            "quality": _SCORE,
            "images": _images("Pictures of the other story."),
            "ampWebUrl": _url("The other story's AMP page."),
            "cdnAmpWebUrl": _url("The other story's AMP page on a cache."),
        },
        RELATED_KEYS,
        required=["title", "webUrl"],
    )
    properties: dict[str, Any] = {
        "title": {**_TEXT, "maxLength": MAX_TITLE_CHARS, "description": "The story's title."},
        "publishedDateTime": _date_time(
            "ISO 8601 date-time, e.g. 2024-12-17T08:00:00Z; without a zone it is UTC. "
            "A time in the future schedules the story."
        ),
        "updatedDateTime": _date_time(
            "When the story was last corrected (ISO 8601, not before publishedDateTime): "
            "feeds' Atom <updated>, the story page's 'Updated' line and the sitemap's lastmod."
        ),
        "webUrl": _url("The original story's address (absolute http(s))."),
        "topics": {
            "type": "array",
            "items": {**_TEXT, "maxLength": MAX_TOPIC_CHARS},
            "minItems": 1,
            "maxItems": MAX_TOPICS,
            "description": "Names from content/topics.yml.",
        },
        "excerpt": {
            "type": "string",
            "maxLength": MAX_EXCERPT_CHARS,
            "description": "A sentence or two, in your own words.",
        },
        "language": {
            "type": "string",
            "pattern": LANGUAGE_TAG,
            "examples": ["en", "de-CH", "zh-Hans"],
            "description": "The language of the title and excerpt (a BCP 47 tag), when it is "
            "not the site's: pages mark the story's text with it.",
        },
        "category": {"type": "string", "default": "news"},
        "originalUrl": _url("Where the story was first published, if not webUrl."),
        "ampWebUrl": _url("The story's AMP page."),
        "cdnAmpWebUrl": _url("The story's AMP page on a CDN."),
        "type": {"type": "string", "default": "article", "examples": ["article", "video"]},
        "quality": {**_SCORE, "description": "A score; it only ranks (-1: not scored)."},
        "heat": {**_SCORE, "description": "A score that breaks ties between stories."},
        "published": {
            "type": "boolean",
            "default": True,
            "description": "false makes a draft, shown only with --drafts.",
        },
        "provider": _provider(),
        "images": _images("Pictures of the story."),
        "related": {
            "type": "array",
            "items": related,
            "description": "Other coverage of the same story.",
        },
        "secured": {"description": "Kept in the file, never shown."},
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "news-digest article front matter",
        "description": "The YAML front matter of a file under content/articles/ (SPEC.md).",
        **_closed(properties, ARTICLE_KEYS, required=REQUIRED_KEYS),
    }


def schema_json() -> str:
    """The schema as `digest schema` prints it and `content/article.schema.json` holds it."""
    return json.dumps(article_schema(), indent=2, ensure_ascii=False) + "\n"
