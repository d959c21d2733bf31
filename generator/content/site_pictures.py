"""Pictures a story gives by site path (`/assets/x.png`) that the content folder lacks.

Such a path names a file of this site, which only the content folder can
provide; the seed's stories name the old site's files so. Missing, the page
still reads well (a logo gives way to the source's initial), but the curator
should know: a warning that says where to put the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from generator.content.article import Article, Image
from generator.content.errors import ContentError, Level


def missing_pictures(
    articles: Iterable[Article], site_files: frozenset[str], shown: str
) -> list[ContentError]:
    """A warning per story for each site-path picture not among `site_files`.

    `shown` is how reports name the content folder (`content/`).
    """
    problems = []
    for article in articles:
        for key, image in pictures_of(article):
            path = image.url.lstrip("/")
            if image.url.startswith("/") and path not in site_files:
                problems.append(
                    ContentError(
                        article.path,
                        article.line(key),
                        Level.WARNING,
                        f"picture {image.url} is not in the content folder: put the file at "
                        f"{shown}{path}, or `digest import --fetch` it from the old site",
                    )
                )
    return problems


def pictures_of(article: Article) -> Iterator[tuple[str, Image]]:
    """Each picture a story names with the top-level key it sits under."""
    if article.provider:
        for image in article.provider.images:
            yield "provider", image
    for image in article.images:
        yield "images", image
    for link in article.related:
        for image in (*(link.provider.images if link.provider else ()), *link.images):
            yield "related", image
