"""The `StoryIndex`: every lookup the pages and feeds need, sorted once per build.

Pages and feeds only slice these tuples; none of them sorts or filters
stories again, so the SPEC's ordering lives in exactly one place.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from generator.content.article import Article
from generator.content.corpus import Corpus
from generator.content.topics import Topic


@dataclass(frozen=True, slots=True)
class TopicIndex:
    topic: Topic
    articles: tuple[Article, ...]

    @property
    def latest(self) -> dt.datetime | None:
        return self.articles[0].published if self.articles else None


@dataclass(frozen=True)
class StoryIndex:
    """The published (or, with drafts asked for, all) stories and their groupings."""

    articles: tuple[Article, ...]
    topics: tuple[TopicIndex, ...]
    by_topic: dict[str, TopicIndex]
    by_month: dict[tuple[int, int], tuple[Article, ...]]
    tz: ZoneInfo
    # Stories left out because they are dated after the build's "now" (see `build_index`).
    scheduled: int = 0
    # Drafts left out because drafts were not asked for.
    drafts: int = 0
    # The build's day in the site's zone: days before it are over (see `finished_days`).
    today: dt.date | None = None


def group_by_day(
    articles: Iterable[Article], tz: ZoneInfo, limit: int | None = None
) -> list[tuple[dt.date, list[Article]]]:
    """Consecutive runs of already-sorted stories that share a local day, the first `limit` of them.

    The limit stops the walk early: the newest days of an archive are a
    handful of its stories.
    """
    days: list[tuple[dt.date, list[Article]]] = []
    for article in articles:
        day = article.published.astimezone(tz).date()
        if days and days[-1][0] == day:
            days[-1][1].append(article)
        elif len(days) == limit:
            break
        else:
            days.append((day, [article]))
    return days


def finished_days(
    index: StoryIndex, limit: int | None = None
) -> list[tuple[dt.date, list[Article]]]:
    """`group_by_day` of the days that are over: before the build's day (`index.today`), or
    every day when the index has no day of its own (a fixed input, as in tests)."""
    today, tz = index.today, index.tz
    articles: Iterable[Article] = index.articles
    if today is not None:
        articles = (a for a in articles if a.published.astimezone(tz).date() < today)
    return group_by_day(articles, tz, limit)


def build_index(
    articles: Iterable[Article],
    topics: dict[str, Topic],
    tz: ZoneInfo,
    include_drafts: bool = False,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> StoryIndex:
    """Sort and group the stories once; topics with no story still get an (empty) entry.

    With `now`, a story published after it is scheduled: left out of every
    page and feed until a build after its time, as Jekyll and Hugo do with
    future posts. None shows every story. `today`: the build's day in `tz`, which
    tells the days that are over (a daily digest publishes only those).
    """
    articles = list(articles)
    wanted = [a for a in articles if include_drafts or not a.is_draft]
    shown = sorted(
        (a for a in wanted if now is None or a.published <= now), key=lambda a: a.sort_key
    )
    topic_lists: dict[str, list[Article]] = defaultdict(list)
    month_lists: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in shown:
        for name in article.topics:
            topic_lists[name].append(article)
        local = article.published.astimezone(tz)
        month_lists[(local.year, local.month)].append(article)
    ordered = sorted(topics.values(), key=lambda t: (t.name.casefold(), t.name))
    topic_index = tuple(TopicIndex(t, tuple(topic_lists.get(t.name, ()))) for t in ordered)
    return StoryIndex(
        articles=tuple(shown),
        topics=topic_index,
        by_topic={t.topic.name: t for t in topic_index},
        by_month={k: tuple(v) for k, v in sorted(month_lists.items(), reverse=True)},
        tz=tz,
        scheduled=len(wanted) - len(shown),
        drafts=len(articles) - len(wanted),
        today=today,
    )


@dataclass(frozen=True)
class Tally:
    """Where every article file of a build went; the parts add up to the files read."""

    read: int
    published: int
    drafts: int
    scheduled: int
    rejected: int

    @classmethod
    def of(cls, corpus: Corpus, index: StoryIndex) -> Tally:
        """`index` is the index of `corpus.accepted` that the build publishes (or would)."""
        tally = cls(
            corpus.files,
            len(index.articles),
            index.drafts,
            index.scheduled,
            corpus.rejected,
        )
        parts = tally.published + tally.drafts + tally.scheduled + tally.rejected
        if parts != tally.read:  # a story lost without a word is the one outcome not allowed
            raise AssertionError(f"{tally}: the parts add up to {parts}")
        return tally

    def __str__(self) -> str:
        return self.text()

    def text(self, built: bool = True) -> str:
        """One line for the build's output; a failed build published nothing, only would have."""
        published = "published" if built else "would be published"
        return (
            f"{self.read} {plural(self.read, 'story', 'stories')} read: "
            f"{self.published} {published}, {self.drafts} unpublished held back, "
            f"{self.scheduled} scheduled for later, {self.rejected} rejected"
        )


def plural(n: int, one: str, many: str | None = None) -> str:
    """`one` or `many` (by default `one` + "s") as `n` asks, for counts in words."""
    return one if n == 1 else many or one + "s"
