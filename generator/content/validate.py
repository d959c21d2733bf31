"""Every rule of SPEC.md's article format: raw front matter in, `Article` or problems out.

Problems are collected, never raised one by one, so a curator sees every
mistake of a pull request in one run; each names the line of its key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from generator.content.article import LINE_KEYS, Article, Image, Provider, RelatedLink
from generator.content.errors import ContentError, Level
from generator.content.loader import CONTROL_RE, KeyPath, RawArticle, control_character
from generator.content.topics import MAX_TOPIC_CHARS, Topic, suggest, topic_slug
from generator.content.urls import story_key

_SPACE_RE = re.compile(r"\s")
FILE_NAME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
MAX_TITLE_CHARS = 500
MAX_TOPICS = 20
# A note is a few paragraphs of comment, not the story: a cap that bounds what
# one file can cost the sanitiser (see `generator.site.markup`).
MAX_NOTE_CHARS = 20_000
# An excerpt is a sentence or two (the seed's longest are about 350 characters).
MAX_EXCERPT_CHARS = 2_000
# Years a story's dates may fall in: RSS dates, gzip's timestamp and the archive need these.
FIRST_YEAR, LAST_YEAR = 1970, 2099
# Characters that change how text around them reads without showing themselves:
# bidirectional overrides, embeddings and isolates (a title reading "gpj.exe" as
# "exe.jpg"), zero-width space, word joiner and a stray byte order mark. Joiners
# (U+200C, U+200D) stay: Persian words and emoji need them.
_HIDDEN_RE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")

# A BCP 47 language tag as HTML's `lang` takes it: a language, then subtags (`en`,
# `de-CH`, `zh-Hans`, `es-419`). Whether the language exists is the reader's browser's call.
LANGUAGE_TAG = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
_LANGUAGE_RE = re.compile(LANGUAGE_TAG)

ARTICLE_KEYS = [
    "title",
    "publishedDateTime",
    "updatedDateTime",
    "webUrl",
    "topics",
    "excerpt",
    "language",
    "category",
    "originalUrl",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "type",
    "quality",
    "heat",
    "published",
    "provider",
    "images",
    "related",
    "secured",
]
RELATED_KEYS = [
    "title",
    "webUrl",
    "excerpt",
    "publishedDateTime",
    "type",
    "provider",
    "quality",
    "images",
    "ampWebUrl",
    "cdnAmpWebUrl",
]
PROVIDER_KEYS = ["name", "domain", "images"]
# `isCached` is written by the curation tool the seed archive comes from.
IMAGE_KEYS = ["url", "width", "height", "title", "isCached"]


@dataclass
class _Checker:
    """Validation state for one file: its raw data and the problems found so far."""

    raw: RawArticle
    problems: list[ContentError] = field(default_factory=list)

    def error(self, at: KeyPath, message: str) -> None:
        self.problems.append(ContentError(self.raw.path, self.raw.line(*at), Level.ERROR, message))

    def warning(self, at: KeyPath, message: str) -> None:
        self.problems.append(
            ContentError(self.raw.path, self.raw.line(*at), Level.WARNING, message)
        )

    def unknown_keys(self, data: dict, at: KeyPath, known: list[str]) -> None:
        for key in sorted(set(map(str, data)) - set(known)):
            hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            tip = f"; did you mean '{hint[0]}'?" if hint else ""
            self.warning((*at, key), f"unknown key '{key}'{tip}")

    def text(self, data: dict, key: str, at: KeyPath, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.error(at if key not in data else (*at, key), f"'{key}' is required")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.error((*at, key), f"'{key}' must be non-empty text")
            return None
        if bad := control_character(value) or hidden_character(value):
            self.error((*at, key), f"'{key}' contains {bad}; remove it")
            return None
        return value.strip()

    def language(self, data: dict, at: KeyPath) -> str | None:
        """The language the story's title and excerpt are in, when not the site's."""
        value = self.text(data, "language", at)
        if value is not None and not _LANGUAGE_RE.fullmatch(value):
            self.error(
                (*at, "language"),
                f"'language' must be a language tag such as 'en', 'de-CH' or 'zh-Hans', "
                f"not {value!r}",
            )
            return None
        return value

    def excerpt(self, data: dict, at: KeyPath) -> str | None:
        """An excerpt: shown on every list that shows its story, so a short one."""
        value = self.text(data, "excerpt", at)
        if value is not None and len(value) > MAX_EXCERPT_CHARS:
            message = f"'excerpt' is {len(value)} characters; the limit is {MAX_EXCERPT_CHARS}"
            self.error((*at, "excerpt"), message)
            return None
        return value

    def url(self, data: dict, key: str, at: KeyPath, required: bool = False) -> str | None:
        value = self.text(data, key, at, required)
        why = url_problem(value) if value is not None else None
        if why is not None:
            message = f"'{key}' must be an absolute http(s) URL, not {value!r} ({why})"
            self.error((*at, key), message)
            return None
        return value

    def integer(self, data: dict, key: str, at: KeyPath) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        # Any whole number: scores only rank, and real archives hold values past 100 and -1
        # for "not scored" (SPEC), which must never be a reason to refuse a story.
        if isinstance(value, bool) or not isinstance(value, int):
            self.error((*at, key), f"'{key}' must be a whole number, not {value!r}")
            return None
        return value

    def datetime(self, data: dict, key: str, at: KeyPath, required: bool = False):
        value = data.get(key)
        if value is None:
            if required:
                self.error(at, f"'{key}' is required")
            return None
        where = (*at, key)
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                self.error(where, f"'{key}' must be an ISO 8601 date-time, not {value!r}")
                return None
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                self.warning(where, f"'{key}' has no time zone; taken as UTC")
                value = value.replace(tzinfo=dt.UTC)
        elif isinstance(value, dt.date):
            self.warning(where, f"'{key}' is a date without a time; taken as 00:00 UTC")
            value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
        else:
            self.error(where, f"'{key}' must be an ISO 8601 date-time")
            return None
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            # Feeds, sitemaps and archives' timestamps hold no other years.
            message = f"'{key}' must be from {FIRST_YEAR} to {LAST_YEAR}, not {value.year}"
            self.error(where, message)
            return None
        return value.astimezone(dt.UTC)

    def mapping(self, data: dict, key: str, at: KeyPath) -> dict | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error((*at, key), f"'{key}' must be a mapping of keys to values")
            return None
        return value

    def sequence(self, data: dict, key: str, at: KeyPath) -> list:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error((*at, key), f"'{key}' must be a list")
            return []
        return value

    def images(self, data: dict, at: KeyPath) -> tuple[Image, ...]:
        found = []
        for i, item in enumerate(self.sequence(data, "images", at)):
            where = (*at, "images", i)
            if not isinstance(item, dict):
                self.error(where, "each image must be a mapping with 'url', 'width', 'height'")
                continue
            self.unknown_keys(item, where, IMAGE_KEYS)
            url = self.text(item, "url", where, required=True)
            if url is None:
                continue
            if not (is_http_url(url) or is_site_path(url)):
                self.error(
                    (*where, "url"),
                    f"image 'url' must be an absolute http(s) URL or a /site/path, not {url!r}",
                )
                continue
            size = [item.get(k) for k in ("width", "height")]
            for k, v in zip(("width", "height"), size, strict=True):
                if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v <= 0):
                    self.error((*where, k), f"image '{k}' must be a positive whole number")
            width, height = (v if isinstance(v, int) and v > 0 else None for v in size)
            found.append(Image(url, width, height, self.text(item, "title", where)))
        return tuple(found)

    def provider(self, data: dict, at: KeyPath) -> Provider | None:
        value = self.mapping(data, "provider", at)
        if value is None:
            return None
        where = (*at, "provider")
        self.unknown_keys(value, where, PROVIDER_KEYS)
        domain = self.text(value, "domain", where)
        name = self.text(value, "name", where) or domain
        if name is None:
            self.error(where, "'provider' needs a 'name' or a 'domain'")
            return None
        return Provider(name, domain, self.images(value, where))


def hidden_character(text: str) -> str | None:
    """The first character of `_HIDDEN_RE` in `text`, named for a curator, or None."""
    found = _HIDDEN_RE.search(text)
    return f"the invisible character U+{ord(found[0]):04X}" if found else None


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host and no white space: what a reader can follow."""
    return url_problem(value) is None


def url_problem(value: str) -> str | None:
    """Why `value` is not an http(s) URL that browsers and this package read alike, or None.

    Python and browsers (the WHATWG URL standard) part ways on two things, so
    both are refused: a backslash, which browsers take for `/`
    (`https://evil.example\\@www.bbc.co.uk/` goes to evil.example, where Python
    sees bbc.co.uk), and a user name or password before the host, which only
    ever serves to make one host look like another.
    """
    if _SPACE_RE.search(value):
        return "white space"
    if "\\" in value:
        return "a backslash, which browsers read as '/'"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an absolute http(s) URL"
    if "@" in parts.netloc:
        return "a user name or password before the host"
    return None


def is_site_path(value: str) -> bool:
    """A path on this site (`/images/x.png`), never protocol-relative (`//host/x`, `/\\host/x`:
    browsers read a backslash as `/`)."""
    return (
        value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and not _SPACE_RE.search(value)
    )


def validate_article(
    raw: RawArticle, registry: dict[str, Topic] | None
) -> tuple[Article | None, list[ContentError]]:
    """One raw article as an `Article`, or None when it has any error; warnings ride along."""
    c = _Checker(raw)
    meta = raw.meta
    c.unknown_keys(meta, (), ARTICLE_KEYS)

    name = FILE_NAME_RE.match(raw.name)
    date = None
    if name is None:
        c.error((), f"file name '{raw.name}' must be YYYY-MM-DD-slug.md (slug: a-z, 0-9, '-')")
    else:
        try:
            date = dt.date(int(name[1]), int(name[2]), int(name[3]))
        except ValueError:
            c.error((), f"file name '{raw.name}' starts with an impossible date")

    title = c.text(meta, "title", (), required=True)
    if title is not None and len(title) > MAX_TITLE_CHARS:
        c.error(("title",), f"'title' is over {MAX_TITLE_CHARS} characters")
    published = c.datetime(meta, "publishedDateTime", (), required=True)
    updated = c.datetime(meta, "updatedDateTime", ())
    if updated is not None and published is not None and updated < published:
        c.error(
            ("updatedDateTime",),
            f"updatedDateTime {updated.isoformat()} is before publishedDateTime "
            f"{published.isoformat()}; give the time of the correction, or leave it out",
        )
    web_url = c.url(meta, "webUrl", (), required=True)
    topics = _topics(c, meta, registry)

    is_published = meta.get("published", True)
    if not isinstance(is_published, bool):
        c.error(("published",), "'published' must be true or false")
        is_published = True
    category = c.text(meta, "category", ()) or "news"
    kind = c.text(meta, "type", ()) or "article"
    excerpt = c.excerpt(meta, ())
    related = _related(c, meta)
    article_args = dict(
        original_url=c.url(meta, "originalUrl", ()),
        amp_web_url=c.url(meta, "ampWebUrl", ()),
        cdn_amp_web_url=c.url(meta, "cdnAmpWebUrl", ()),
        quality=c.integer(meta, "quality", ()),
        heat=c.integer(meta, "heat", ()) or 0,
        provider=c.provider(meta, ()),
        images=c.images(meta, ()),
        language=c.language(meta, ()),
    )
    if date is not None and published is not None and abs((published.date() - date).days) > 1:
        c.warning(
            ("publishedDateTime",),
            f"publishedDateTime {published:%Y-%m-%d} is more than a day from the file name's "
            f"date {date}; the page's URL uses the file name's date",
        )

    if len(raw.body) > MAX_NOTE_CHARS:
        c.problems.append(
            ContentError(
                raw.path,
                raw.body_line,
                Level.ERROR,
                f"the note (the text after the front matter) is {len(raw.body)} characters; "
                f"the limit is {MAX_NOTE_CHARS}",
            )
        )

    if found := CONTROL_RE.search(raw.body):
        line = raw.body_line + raw.body.count("\n", 0, found.start())
        message = f"the note contains {control_character(found[0])}; remove it"
        c.problems.append(ContentError(raw.path, line, Level.ERROR, message))

    if any(p.level is Level.ERROR for p in c.problems):
        return None, c.problems
    assert name and date and title and published and web_url and topics
    keys = (story_key(web_url),)
    if article_args["original_url"] not in (None, web_url):
        original = story_key(article_args["original_url"])
        keys += (original,) if original != keys[0] else ()
    return (
        Article(
            path=raw.path,
            slug=name[4],
            date=date,
            title=title,
            published=published,
            updated=updated,
            web_url=web_url,
            topics=topics,
            excerpt=excerpt,
            category=category,
            type=kind,
            is_draft=not is_published,
            related=related,
            body=raw.body.strip("\n"),
            story_keys=keys,
            key_lines=tuple(raw.lines.get((k,), 0) for k in LINE_KEYS),
            file_hash=raw.file_hash,
            **article_args,
        ),
        c.problems,
    )


def _topics(c: _Checker, meta: dict, registry: dict[str, Topic] | None) -> tuple[str, ...]:
    value = meta.get("topics")
    if value is None:
        c.error((), "'topics' is required: a list of topic names")
        return ()
    if isinstance(value, str):
        c.error(("topics",), "'topics' must be a list, e.g. 'topics: [AI]'")
        return ()
    if not isinstance(value, list) or not value:
        c.error(("topics",), "'topics' must be a non-empty list of topic names")
        return ()
    if len(value) > MAX_TOPICS:
        c.error(("topics",), f"a story can have at most {MAX_TOPICS} topics")
        return ()
    names: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            c.error(("topics", i), "each topic must be a non-empty name")
            continue
        item = item.strip()
        if bad := control_character(item):
            c.error(("topics", i), f"topic name contains {bad}")
            continue
        if len(item) > MAX_TOPIC_CHARS:
            c.error(("topics", i), f"topic name is over {MAX_TOPIC_CHARS} characters")
            continue
        if item in names:
            c.warning(("topics", i), f"topic '{item}' is listed twice")
            continue
        if registry is not None and item not in registry:
            hint = suggest(item, list(registry))
            tip = f"; did you mean '{hint}'?" if hint else " (add it to topics.yml)"
            c.error(("topics", i), f"unknown topic '{item}'{tip}")
            continue
        if registry is None and not topic_slug(item):
            c.error(("topics", i), f"topic '{item}' has no letters or digits to make a URL from")
            continue
        names.append(item)
    return tuple(names)


def _related(c: _Checker, meta: dict) -> tuple[RelatedLink, ...]:
    links = []
    for i, item in enumerate(c.sequence(meta, "related", ())):
        at: KeyPath = ("related", i)
        if not isinstance(item, dict):
            c.error(at, "each related item must be a mapping with 'title' and 'webUrl'")
            continue
        c.unknown_keys(item, at, RELATED_KEYS)
        title = c.text(item, "title", at, required=True)
        url = c.url(item, "webUrl", at, required=True)
        link_args: dict[str, Any] = dict(
            excerpt=c.excerpt(item, at),
            published=c.datetime(item, "publishedDateTime", at),
            type=c.text(item, "type", at),
            provider=c.provider(item, at),
            quality=c.integer(item, "quality", at),
            images=c.images(item, at),
            amp_web_url=c.url(item, "ampWebUrl", at),
            cdn_amp_web_url=c.url(item, "cdnAmpWebUrl", at),
        )
        if title and url:
            links.append(RelatedLink(title, url, **link_args))
    return tuple(links)


def check_corpus(
    articles: Iterable[Article], registry: dict[str, Topic] | None
) -> tuple[dict[str, Topic], list[ContentError]]:
    """Rules that span files: one URL per story, one slug per topic; returns the topics used."""
    problems: list[ContentError] = []
    by_url: dict[tuple, Article] = {}
    topics: dict[str, Topic] = dict(registry or {})
    first_use: dict[str, Article] = {}
    slug_owner: dict[str, str] = {t.slug: t.name for t in topics.values()}

    def error(article: Article, message: str, line: int = 1) -> None:
        problems.append(ContentError(article.path, line, Level.ERROR, message))

    for article in articles:
        key = (article.date, article.slug)
        if key in by_url:
            other = by_url[key]
            error(
                article,
                f"same page URL as {other.path} (same date and slug); rename one of them",
            )
        else:
            by_url[key] = article
        for name in article.topics:
            if name in topics:
                continue
            slug = topic_slug(name)
            if slug in slug_owner:
                owner = slug_owner[slug]
                first = first_use[owner]
                error(
                    article,
                    f"topic '{name}' would share the URL /topics/{slug}/ with topic '{owner}'"
                    f" (used in {first.path}:{first.line('topics')}); use one spelling",
                    article.line("topics"),
                )
                continue
            slug_owner[slug] = name
            first_use[name] = article
            topics[name] = Topic(name, slug)
    return topics, problems
