"""The same story added twice: an error when two files link to it, a warning when titles match.

Both files of a pair get the problem, each naming the other, so that
`digest check PATH` on only the files of a pull request still reports a
duplicate of a story already in the archive.

The work is linear in the archive: URLs are compared through a dict of
their keys (made once per file, when it is validated), and titles only
within one day's stories, lower-cased and without punctuation, with
rapidfuzz: compiled, one call per story, where difflib took seconds at
20,000 stories.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extract
from rapidfuzz.utils import default_process

from generator.article import Article
from generator.errors import ContentError, Level

# Titles at least this similar on the same day are likely one story: rapidfuzz's `ratio`,
# 100 x 2 x (longest common subsequence) / (sum of the lengths), as difflib's but exact.
NEAR_TITLE_SCORE = 90


def find_duplicates(articles: Iterable[Article]) -> list[ContentError]:
    """Errors for files that link to the same story, warnings for same-day near-equal titles.

    Only among published stories: no reader sees an unpublished one (a draft, or in the
    seed's archive a story folded into another's related coverage), so it duplicates nothing.
    """
    stories = [article for article in articles if not article.is_draft]
    problems, same_story = _same_url(stories)
    problems.extend(_similar_titles(stories, same_story))
    return problems


def _same_url(stories: Sequence[Article]) -> tuple[list[ContentError], set[tuple[str, str]]]:
    """Errors for every file sharing a normalised webUrl or originalUrl with another."""
    by_key: dict[str, list[tuple[Article, str]]] = defaultdict(list)
    for article in stories:
        for key, name in zip(article.story_keys, ("webUrl", "originalUrl"), strict=False):
            by_key[key].append((article, name))
    found: dict[tuple[str, str], ContentError] = {}
    for entries in by_key.values():
        if len(entries) < 2:
            continue
        for article, key in entries:
            for other, other_key in entries:
                if other.path != article.path and (article.path, other.path) not in found:
                    found[(article.path, other.path)] = _same(article, key, other, other_key)
    return list(found.values()), set(found)


def _same(article: Article, key: str, other: Article, other_key: str) -> ContentError:
    url, other_url = _url(article, key), _url(other, other_key)
    how = (
        f"it has the same {other_key}"
        if url == other_url
        else f"its {other_key} {other_url!r} differs from this {key} only in scheme, 'www.', port, "
        "trailing slash, fragment or tracking parameters"
    )
    return ContentError(
        article.path,
        article.line(key),
        Level.ERROR,
        f"the same story as {other.path}:{other.line(other_key)}: {how}; keep one of the files",
    )


def _url(article: Article, key: str) -> str:
    return article.web_url if key == "webUrl" else article.original_url or ""


def _similar_titles(
    stories: Sequence[Article], same_story: set[tuple[str, str]]
) -> list[ContentError]:
    """Warnings for two stories of one day whose titles are nearly the same."""
    by_day: dict[dt.date, list[tuple[str, Article]]] = defaultdict(list)
    for article in stories:
        by_day[article.date].append((default_process(article.title), article))
    problems: list[ContentError] = []
    for day in by_day.values():
        titles = [title for title, _ in day]
        for i, (title, article) in enumerate(day):
            # One call per story compares it with the rest of its day, in compiled code.
            later = titles[i + 1 :]
            matches = extract(title, later, scorer=ratio, score_cutoff=NEAR_TITLE_SCORE, limit=None)
            for _, _, j in matches:
                other = day[i + 1 + j][1]
                if (article.path, other.path) not in same_story:
                    problems.append(_near(article, other))
                    problems.append(_near(other, article))
    return problems


def _near(article: Article, other: Article) -> ContentError:
    return ContentError(
        article.path,
        article.line("title"),
        Level.WARNING,
        f"title nearly the same as that of {other.path}:{other.line('title')} "
        f"({other.title!r}), a story of the same day; the same story twice?",
    )
