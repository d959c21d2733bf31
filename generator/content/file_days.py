"""Stories whose file name gives another day than the one their page shows.

The file name's day is in the story's URL for good (SPEC), while its page, its
day on the home page and its month in the archive follow publishedDateTime in
the site's time zone. When the two disagree, the URL says one day and the page
another; the seed's bot named files by the day it picked a story up, which was
often the next. A warning, since renaming a published file moves its URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from generator.content.article import Article
from generator.content.errors import ContentError, Level


def misdated(articles: Iterable[Article], tz: ZoneInfo) -> list[ContentError]:
    """A warning for each published story whose file-name day is not its day in `tz`.

    Unpublished stories are left alone: no reader sees their URL or their day.
    """
    problems = []
    for article in articles:
        local = article.published.astimezone(tz)
        day = local.date()
        if day != article.date and not article.is_draft:
            problems.append(
                ContentError(
                    article.path,
                    article.line("publishedDateTime"),
                    Level.WARNING,
                    f"the file name says {article.date}, but publishedDateTime is "
                    f"{local:%Y-%m-%d %H:%M} in {tz.key}, the "
                    f"site's time zone, so the story's page and month say {day}; rename the "
                    f"file to {day}-{article.slug}.md (its URL changes with it) or correct "
                    "publishedDateTime",
                )
            )
    return problems
