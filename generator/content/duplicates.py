"""The same story added twice: an error when two files link to it, a warning when titles match.

Both files of a pair get the problem, each naming the other, so that
`digest check PATH` on only the files of a pull request still reports a
duplicate of a story already in the archive.

The work is linear in the archive: URLs are compared through a dict of
their keys (made once per file, when it is validated), and titles only
with those published within two days after, lower-cased and without
punctuation, with rapidfuzz: compiled, one call per story (difflib is
too slow for an archive).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extract
from rapidfuzz.utils import default_process

from generator.content.article import Article
from generator.content.errors import ContentError, Level

# Titles at least this similar within TITLE_WINDOW are likely one story: rapidfuzz's `ratio`,
# 100 x 2 x (longest common subsequence) / (sum of the lengths), as difflib's but exact.
NEAR_TITLE_SCORE = 90
# How far apart, by publishedDateTime, two stories may be to be one story reprinted:
# syndicated copies reach the seed's archive within hours, rarely after two days.
TITLE_WINDOW = dt.timedelta(hours=48)
# Changed words at least this alike are one word spelt two ways ("Set"/"Sets"), not two names.
RESPELT_SCORE = 75
_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")
# Words that title case capitalises but that name nobody.
_SMALL_WORDS = frozenset(
    {
        *("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "its", "new"),
        *("of", "on", "or", "the", "their", "to", "with"),
    }
)


def find_duplicates(articles: Iterable[Article]) -> list[ContentError]:
    """Errors for files that link to the same story, warnings for near-equal titles.

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
    """Warnings for two stories published within TITLE_WINDOW whose titles nearly match.

    The window runs on the stories' own times, not their file-name days: a story
    reprinted after midnight is still the same story, and one three days on is news again.
    """
    timed = sorted(stories, key=lambda article: article.published.timestamp())
    times = [article.published.timestamp() for article in timed]
    titles = [default_process(article.title) for article in timed]
    window = TITLE_WINDOW.total_seconds()
    problems: list[ContentError] = []
    for i, article in enumerate(timed):
        end = bisect.bisect_right(times, times[i] + window, lo=i + 1)
        # One call per story compares it with the rest of its window, in compiled code.
        later = titles[i + 1 : end]
        matches = extract(titles[i], later, scorer=ratio, score_cutoff=NEAR_TITLE_SCORE, limit=None)
        for _, _, j in sorted(matches, key=lambda match: match[2]):
            other = timed[i + 1 + j]
            if (article.path, other.path) in same_story or _other_actor(article.title, other.title):
                continue
            problems.append(_near(article, other))
            problems.append(_near(other, article))
    return problems


def _other_actor(title: str, other: str) -> bool:
    """Whether two titles differ in the name of who did it, so tell of two events.

    Press releases share their wording ("X Achieves AWS Competency Status"), so a
    name swapped for another (capitalised words on both sides of a change, not only
    small words such as "The", and not one spelling of a word for another, such as
    "Set" for "Sets") makes them two stories however alike the rest is.
    """
    words, other_words = _WORD_RE.findall(title), _WORD_RE.findall(other)
    folded = SequenceMatcher(
        None, [w.casefold() for w in words], [w.casefold() for w in other_words], autojunk=False
    )
    for tag, i1, i2, j1, j2 in folded.get_opcodes():
        ours, theirs = words[i1:i2], other_words[j1:j2]
        if tag == "replace" and _names(ours) and _names(theirs) and not _respelt(ours, theirs):
            return True
    return False


def _respelt(words: list[str], other_words: list[str]) -> bool:
    return ratio(" ".join(words).casefold(), " ".join(other_words).casefold()) >= RESPELT_SCORE


def _names(words: list[str]) -> bool:
    return any(word[0].isupper() and word.casefold() not in _SMALL_WORDS for word in words)


def _near(article: Article, other: Article) -> ContentError:
    return ContentError(
        article.path,
        article.line("title"),
        Level.WARNING,
        f"title nearly the same as that of {other.path}:{other.line('title')} "
        f"({other.title!r}), published within {TITLE_WINDOW.days * 24} hours of it; "
        "the same story twice?",
    )
