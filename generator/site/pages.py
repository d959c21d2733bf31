"""Pure: the index in, every generated page out, each with the context its template renders.

Templates only render what they are given (no sorting, filtering or grouping
in Jinja), so every list, label and link is worked out here. URLs are
site-relative (`topics/ai/`), without a leading slash, so the adapter can
make them relative to each page and the site works under any sub-path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from operator import attrgetter
from typing import Any
from urllib.parse import urlsplit

from generator.content.article import Article, Image
from generator.content.logos import LOGO_SITE_FOLDER, logo_key
from generator.content.topics import Topic
from generator.site.index import StoryIndex, TopicIndex, group_by_day, plural
from generator.site.markup import page_link, render_note
from generator.site.share import Share, shortened

HOME_URL = ""
TOPICS_URL = "topics/"
TOPIC_URL = "topics/{slug}/"
TOPIC_PAGE_URL = "topics/{slug}/page/{n}/"
ARCHIVE_URL = "archive/"
MONTH_URL = "archive/{year:04d}/{month:02d}/"
ARTICLE_TEMPLATE = "digest/article.html"
# The archive's month pages: between them, every shown story's card once.
MONTH_TEMPLATE = "digest/month.html"
TOPIC_TEMPLATE = "digest/topic.html"

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True, slots=True)
class PageSettings:
    home_limit: int = 50
    per_page: int = 25
    topic_stories: int = 5
    # Topic pages past the front page, and month pages, list headlines rather than cards.
    compact_archive: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class When:
    """A moment as readers see it: machine form for `<time>`, human labels in the site zone."""

    iso: str
    date: str
    time: str

    @classmethod
    def of(cls, moment: dt.datetime, tz: dt.tzinfo) -> When:
        local = moment.astimezone(tz)
        return cls(local.isoformat(), short_date(local.date()), _clock(local))


def _clock(local: dt.datetime) -> str:
    """`14:05 UTC`: a time of the site's zone says which zone, for readers elsewhere."""
    return f"{local:%H:%M} {local.tzname()}"


@dataclass(frozen=True, slots=True)
class MoreLine:
    """One piece of related coverage: compact on cards, with date and excerpt on the story page."""

    source: str | None
    title: str
    url: str
    when: When | None
    excerpt: str | None


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture as pages show it.

    One of this site's own (`on_site`: given as a site path, `/assets/x.jpg`) is
    linked relatively from each page, as every link here is, so that it loads
    under a sub-path too; another site's keeps its address.
    """

    src: str
    on_site: bool
    width: int | None
    height: int | None
    alt: str

    @property
    def host(self) -> str:
        """The other site a picture not on this one comes from, as readers are told it."""
        return urlsplit(self.src).hostname or ""

    @classmethod
    def of(cls, image: Image, alt: str) -> Picture:
        on_site = image.url.startswith("/")
        src = image.url[1:] if on_site else image.url
        return cls(src, on_site, image.width, image.height, alt)


@dataclass(frozen=True, slots=True)
class Card:
    """A story as every list shows it.

    `initial` stands in for the source's logo where there is none, or where it
    fails to load: a letter, never the browser's broken-picture icon.
    """

    title: str
    url: str
    web_url: str
    source: str | None
    initial: str
    logo: Picture | None
    when: When
    excerpt: str | None
    topics: tuple[Link, ...]
    more: tuple[MoreLine, ...]
    is_draft: bool
    # The language of `title` and `excerpt` when the story names one (their `lang`).
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """A curator's note, rendered to sanitised HTML only when a page that shows it is rendered.

    Markdown is the dearest part of a story page, and a build whose output
    cache already holds the page never needs it; the Markdown source is what
    identifies the note. `page`: the site path of the page showing it, which
    its links from the site's root are made relative to.
    """

    source: str
    page: str

    def __bool__(self) -> bool:
        return bool(self.source.strip())

    def __html__(self) -> str:
        return render_note(self.source, page_link(self.page))


@dataclass(frozen=True, slots=True)
class Day:
    """A day of the site's zone (`zone`, its IANA name) and its stories, newest first."""

    iso: str
    label: str
    cards: tuple[Card, ...]
    zone: str


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page sits among its topic's pages: `number` 0 is the front page.

    `previous` is the newer neighbour, `next` the older one; `pages` holds
    the links shown, newest first, None for an elided gap, and `current`
    the text of the link that is this page.
    """

    number: int
    current: str
    previous: str | None
    next: str | None
    pages: tuple[Link | None, ...]


@dataclass(frozen=True)
class GeneratedPage:
    """A page (an `Output`), its context made only when asked for.

    `made_of` is what the context is made from; with the URL, title, template
    and topics, it is all a page's HTML depends on besides its shell.
    """

    url: str
    title: str
    template: str
    made_of: tuple[Any, ...]
    make: Callable[[], dict[str, Any]] = field(repr=False, compare=False)
    in_nav: bool = False
    # The topics whose feeds the page announces, before the site's: a topic's own pages.
    # A story page announces the site's alone, as a blog's post does; its topics' pages are
    # a link away, and their feeds on every story page were a tenth of its bytes.
    topics: tuple[str, ...] = ()
    # When what the page shows last changed (its story's date, a list's newest story), for
    # the sitemap; None for a page with no story on it. Follows from `made_of`.
    changed: dt.datetime | None = field(default=None, compare=False)

    @cached_property
    def context(self) -> dict[str, Any]:
        """What the page's template renders."""
        return self.make()

    @property
    def path(self) -> str:
        return f"{self.url}index.html"

    @property
    def src_uri(self) -> str:
        """The virtual Markdown file whose directory URL is `url` (empty, or ending in "/")."""
        return f"{self.url}index.md"


def newest(articles: Sequence[Article]) -> dt.datetime | None:
    """The latest publication time among `articles`; None for none."""
    return max((a.published for a in articles), default=None)


def short_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def long_date(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def article_url(article: Article) -> str:
    """`news/YYYY/MM/DD/<slug>/`, from the date in the story's file name.

    Made from the date's ISO form: formatting its fields cost three times
    more, and a build makes the URL of every story more than once.
    """
    return f"news/{article.date.isoformat().replace('-', '/')}/{article.slug}/"


def topic_url(slug: str) -> str:
    """A topic's front page: its newest stories."""
    return TOPIC_URL.format(slug=slug)


def topic_page_url(slug: str, number: int) -> str:
    """A topic's numbered page, counted from its oldest stories."""
    return TOPIC_PAGE_URL.format(slug=slug, n=number)


def month_url(year: int, month: int) -> str:
    return MONTH_URL.format(year=year, month=month)


def day_url(day: dt.date) -> str:
    """A day of the site's zone on its month's page (each day's section has its date as id)."""
    return f"{month_url(day.year, day.month)}#{day.isoformat()}"


class _Cards:
    """Builds each story's card once, however many lists show it."""

    def __init__(self, index: StoryIndex, logos: Mapping[str, str]):
        self.index, self.logos = index, logos
        self.topic_links = {
            t.topic.name: Link(t.topic.name, topic_url(t.topic.slug)) for t in index.topics
        }
        self._cards: dict[str, Card] = {}

    def __call__(self, article: Article) -> Card:
        card = self._cards.get(article.path)
        if card is None:
            card = self._cards[article.path] = self._make(article)
        return card

    def _make(self, a: Article) -> Card:
        tz = self.index.tz
        more = tuple(
            MoreLine(
                r.provider.name if r.provider else None,
                r.title,
                r.web_url,
                When.of(r.published, tz) if r.published else None,
                r.excerpt,
            )
            for r in a.related
        )
        return Card(
            title=a.title,
            url=article_url(a),
            web_url=a.web_url,
            source=a.provider.name if a.provider else None,
            initial=_initial(a.provider.name if a.provider else ""),
            logo=self._logo(a.provider.logo) if a.provider and a.provider.logo else None,
            when=When.of(a.published, tz),
            excerpt=a.excerpt,
            topics=tuple(self.topic_links[t] for t in a.topics),
            more=more,
            is_draft=a.is_draft,
            language=a.language,
        )

    def _logo(self, image: Image) -> Picture | None:
        """A source's logo from the site's own host: its own path, or the copy saved of one
        on another site (see `generator.content.logos`); None until that is saved."""
        if image.url.startswith("/"):
            return Picture.of(image, "")
        saved = self.logos.get(logo_key(image.url))
        if saved is None:
            return None
        return Picture(LOGO_SITE_FOLDER + saved, True, image.width, image.height, "")

    def days(self, articles: Iterable[Article]) -> tuple[Day, ...]:
        return tuple(
            Day(day.isoformat(), long_date(day), tuple(map(self, group)), self.index.tz.key)
            for day, group in group_by_day(articles, self.index.tz)
        )


def _initial(name: str) -> str:
    """The first letter or digit of a source's name, upper-cased ("the Verge" gives "T")."""
    return next((ch.upper() for ch in name if ch.isalnum()), "")


def featured_picture(article: Article) -> Picture | None:
    """The story's first picture, described by its title (the seed's give the headline)."""
    if not article.images:
        return None
    image = article.images[0]
    return Picture.of(image, image.title or article.title)


def paginate(
    items: Sequence[Article], per_page: int
) -> tuple[Sequence[Article], list[Sequence[Article]]]:
    """A newest-first list as its front page and its numbered pages, page 1 the oldest.

    Numbered pages hold `per_page` stories each, counted from the oldest, so
    a new story never moves a story from one numbered page to another: it
    changes the front page, and now and then adds a page. The front page
    holds the rest, the newest, between `per_page` + 1 and twice `per_page`
    stories (all of them in a short list), so no story is on two pages.
    """
    numbered = max(0, -(-len(items) // per_page) - 2)
    newest = len(items) - numbered * per_page
    starts = [newest + (numbered - n) * per_page for n in range(1, numbered + 1)]
    pages = [items[start : start + per_page] for start in starts]
    return items[:newest], pages


LATEST = "Latest"


def pager(slug: str, number: int, last: int) -> Pager:
    """Links from page `number` (0: the front page) of a topic with pages 1 to `last`.

    The front page, page 1 and two pages either side, newest first: a page's
    links name `last` only when it is near the newest end, so adding a page
    changes just the pages next to it.
    """
    place = number or last + 1
    window = range(max(1, place - 2), min(last, place + 2) + 1)
    shown = sorted({1, *window} if last else set(), reverse=True)
    pages: list[Link | None] = [Link(LATEST, topic_url(slug))]
    for i, n in enumerate(shown):
        # None after "Latest" either: whether a gap follows it depends on `last`.
        if i and shown[i - 1] - n > 1:
            pages.append(None)
        pages.append(Link(str(n), topic_page_url(slug, n)))
    newer = older = None
    if number:
        newer = topic_url(slug) if number == last else topic_page_url(slug, number + 1)
    if number > 1 or (number == 0 and last):
        older = topic_page_url(slug, (number or last + 1) - 1)
    return Pager(number, str(number) if number else LATEST, newer, older, tuple(pages))


def stories(articles: Iterable[Article]) -> tuple[bytes, ...]:
    """Stories as what a page or feed is made of: each by its `Article.file_hash`."""
    return tuple(map(_FILE_HASH, articles))


# Got in C, not by a generator: every build lists the stories of tens of thousands of pages.
_FILE_HASH = attrgetter("file_hash")


@dataclass(frozen=True)
class BuiltPages:
    """The pages of an index, kept so that the next build of a changed index can reuse them."""

    index: StoryIndex
    settings: PageSettings
    pages: list[GeneratedPage]


def build_pages(
    index: StoryIndex,
    settings: PageSettings,
    previous: BuiltPages | None = None,
    logos: Mapping[str, str] | None = None,
) -> list[GeneratedPage]:
    """Every page of the site, in a stable order; `logos`: the sources' logos saved from
    other sites, file name by `logo_key` (their cards show the initial otherwise).

    With `previous`, the pages of an earlier index, its story pages that
    would come out the same are taken as they are: building the page of
    each of tens of thousands of stories is most of the cost of this, and a
    preview that updates on every save builds them again and again.
    """
    reuse = _reusable_story_pages(previous, index, settings) if previous else {}
    cards = _Cards(index, logos or {})
    home = index.articles[: settings.home_limit]
    older = _older_than_home(index, settings.home_limit)
    pages = [
        GeneratedPage(
            HOME_URL,
            "Latest stories",
            "digest/home.html",
            (stories(home), older),
            lambda: {"days": cards.days(home), "older": older, "share": Share()},
            in_nav=True,
            changed=newest(home),
        ),
        _topics_page(index),
    ]
    for entry in index.topics:
        pages.extend(_topic_pages(entry, cards, settings))
    pages.extend(_archive_pages(index, cards, settings.compact_archive))
    place = _Place(index)
    pages.extend(
        reuse.get(a.file_hash) or _article_page(a, index, cards, settings, place)
        for a in index.articles
    )
    return pages


def latest_links(index: StoryIndex, count: int = 10) -> list[Link]:
    """The newest stories as links, for a page that is no listing (the not-found page)."""
    return [Link(a.title, article_url(a)) for a in index.articles[:count]]


def _older_than_home(index: StoryIndex, shown: int) -> str | None:
    """Where the home page's "Older stories" lead: the day, on its month's page, of the
    newest story the home page has no room for; None when it shows them all."""
    if len(index.articles) <= shown:
        return None
    return day_url(index.articles[shown].published.astimezone(index.tz).date())


def _reusable_story_pages(
    previous: BuiltPages, index: StoryIndex, settings: PageSettings
) -> dict[bytes, GeneratedPage]:
    """The story pages of `previous` that `index` would make again unchanged, by story.

    A story page shows its story and the next `topic_stories` stories of
    each of its topics (see `_article_page`), so it changes only when it
    sits just before a story that changed, came or went, in one of its
    topics' lists, old or new. The rest of the page (the topics' links,
    dates in the site's zone) must not have changed at all.
    """
    old = previous.index
    if (
        previous.settings != settings
        or old.tz != index.tz
        or [t.topic for t in old.topics] != [t.topic for t in index.topics]
    ):
        return {}
    changed = {a.file_hash for a in old.articles} ^ {a.file_hash for a in index.articles}
    stale = set(changed)
    for each in (old, index):
        place = _Place(each)
        for article in each.articles:
            if article.file_hash not in changed:
                continue
            for name in article.topics:
                listed = each.by_topic[name].articles
                at = place(name, article)
                start = max(0, at - settings.topic_stories)
                stale.update(other.file_hash for other in listed[start:at])
    return {
        page.made_of[0]: page
        for page in previous.pages
        if page.template == ARTICLE_TEMPLATE and page.made_of[0] not in stale
    }


def _topics_page(index: StoryIndex) -> GeneratedPage:
    rows = [
        {
            "link": Link(t.topic.name, topic_url(t.topic.slug)),
            "description": t.topic.description,
            "count": len(t.articles),
            "latest": When.of(t.latest, index.tz) if t.latest else None,
        }
        for t in index.topics
    ]
    made_of = tuple((t.topic, len(t.articles), t.latest) for t in index.topics)
    return GeneratedPage(
        TOPICS_URL,
        "Topics",
        "digest/topics.html",
        made_of,
        lambda: {"topics": rows, "share": Share()},
        in_nav=True,
        changed=newest(index.articles),
    )


def _topic_pages(
    entry: TopicIndex, cards: _Cards, settings: PageSettings
) -> Iterable[GeneratedPage]:
    """The topic's front page (its newest stories), then its pages numbered from the oldest."""
    front, numbered = paginate(entry.articles, settings.per_page)
    topic, count = entry.topic, len(entry.articles)
    for number, chunk in [(0, front), *enumerate(numbered, start=1)]:
        title = f"{topic.name} (page {number})" if number else topic.name
        where = pager(topic.slug, number, len(numbered))
        # The count changes with every story, so only the front page shows it.
        shown_count = None if number else count
        yield GeneratedPage(
            topic_page_url(topic.slug, number) if number else topic_url(topic.slug),
            title,
            TOPIC_TEMPLATE,
            (topic, shown_count, where, stories(chunk)),
            partial(
                _topic_context,
                topic,
                shown_count,
                cards,
                chunk,
                where,
                compact=settings.compact_archive and number > 0,
            ),
            topics=(topic.name,),
            changed=newest(chunk),
        )


def _topic_context(
    topic: Topic,
    count: int | None,
    cards: _Cards,
    chunk: Sequence[Article],
    where: Pager,
    compact: bool,
) -> dict[str, Any]:
    days = cards.days(chunk)
    share = Share(shortened(topic.description or f"Stories about {topic.name}"))
    return {
        "topic": topic,
        "count": count,
        "days": days,
        "pager": where,
        "compact": compact,
        "share": share,
    }


def _archive_pages(index: StoryIndex, cards: _Cards, compact: bool) -> Iterable[GeneratedPage]:
    years: dict[int, list[dict[str, Any]]] = {}
    for (year, month), articles in index.by_month.items():
        years.setdefault(year, []).append(
            {"link": Link(MONTHS[month - 1], month_url(year, month)), "count": len(articles)}
        )
    yield GeneratedPage(
        ARCHIVE_URL,
        "Archive",
        "digest/archive.html",
        tuple((month, len(articles)) for month, articles in index.by_month.items()),
        lambda: {"years": [{"year": y, "months": m} for y, m in years.items()], "share": Share()},
        in_nav=True,
        changed=newest(index.articles),
    )
    months = list(index.by_month)
    for i, (year, month) in enumerate(months):
        newer = months[i - 1] if i > 0 else None
        older = months[i + 1] if i + 1 < len(months) else None
        shown = index.by_month[(year, month)]
        yield GeneratedPage(
            month_url(year, month),
            f"{MONTHS[month - 1]} {year}",
            MONTH_TEMPLATE,
            (newer, older, stories(shown)),
            partial(_month_context, cards, shown, (year, month), newer, older, compact),
            changed=newest(shown),
        )


def _month_link(month: tuple[int, int] | None) -> Link | None:
    if month is None:
        return None
    return Link(f"{MONTHS[month[1] - 1]} {month[0]}", month_url(*month))


def _month_context(
    cards: _Cards,
    shown: Sequence[Article],
    month: tuple[int, int],
    newer: tuple[int, int] | None,
    older: tuple[int, int] | None,
    compact: bool,
) -> dict[str, Any]:
    count = f"{len(shown)} {plural(len(shown), 'story', 'stories')}"
    return {
        "days": cards.days(shown),
        "newer": _month_link(newer),
        "older": _month_link(older),
        "compact": compact,
        "share": Share(f"{count} of {MONTHS[month[1] - 1]} {month[0]}, day by day"),
    }


def _article_page(
    article: Article, index: StoryIndex, cards: _Cards, settings: PageSettings, place: _Place
) -> GeneratedPage:
    """A story and, for each of its topics, the stories published just before it there.

    Earlier stories rather than the topic's newest keep a story page the same
    when newer stories arrive, so publishing one story rewrites a handful of
    pages, not every page of its topics; the topic link leads to the newest.
    """
    earlier, made_of = [], []
    for name in article.topics:
        start = place(name, article) + 1
        shown = index.by_topic[name].articles[start : start + settings.topic_stories]
        earlier.append((name, shown))
        made_of.append((name, stories(shown)))
    return GeneratedPage(
        article_url(article),
        article.title,
        ARTICLE_TEMPLATE,
        (article.file_hash, tuple(made_of)),
        partial(_article_context, article, index, cards, earlier),
        changed=article.updated or article.published,
    )


def _updated(article: Article, tz: dt.tzinfo) -> dict[str, str] | None:
    """The story page's "Updated" line: the correction's time in the site's zone."""
    if article.updated is None:
        return None
    local = article.updated.astimezone(tz)
    return {"iso": local.isoformat(), "label": f"{long_date(local.date())}, {_clock(local)}"}


def _article_context(
    article: Article,
    index: StoryIndex,
    cards: _Cards,
    earlier: list[tuple[str, Sequence[Article]]],
) -> dict[str, Any]:
    return {
        "card": cards(article),
        "picture": featured_picture(article),
        "day": long_date(article.published.astimezone(index.tz).date()),
        "updated": _updated(article, index.tz),
        "note": Note(article.body, article_url(article)),
        "share": Share(
            shortened(article.excerpt or article.title),
            published=article.published.isoformat(),
            modified=(article.updated or article.published).isoformat(),
            source=article.provider.name if article.provider else None,
            original=article.web_url,
            language=article.language,
        ),
        "earlier": [
            {"topic": cards.topic_links[name], "cards": [cards(a) for a in shown]}
            for name, shown in earlier
        ],
    }


class _Place:
    """Where a story sits in each topic's newest-first list, found in constant time."""

    def __init__(self, index: StoryIndex):
        self.index = index
        self._places: dict[str, dict[str, int]] = {}

    def __call__(self, topic: str, article: Article) -> int:
        places = self._places.get(topic)
        if places is None:
            stories = self.index.by_topic[topic].articles
            places = self._places[topic] = {a.path: i for i, a in enumerate(stories)}
        return places[article.path]
