"""A whole `content/` folder read and validated: what `digest check` and a build share.

Every file is accounted for: it becomes an Article or it carries at least
one error, so no story is ever dropped without a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.article import Article
from generator.errors import ContentError, Level
from generator.loader import read_articles
from generator.topics import Topic, load_registry
from generator.validate import check_corpus, validate_article


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    topics: dict[str, Topic]
    problems: tuple[ContentError, ...]
    files: int

    @property
    def errors(self) -> list[ContentError]:
        return [p for p in self.problems if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[ContentError]:
        return [p for p in self.problems if p.level is Level.WARNING]


def load_corpus(content_dir: Path) -> Corpus:
    """Read, validate and cross-check every article under `content_dir`."""
    registry, problems = load_registry(content_dir)
    articles: list[Article] = []
    files = 0
    for raw in read_articles(content_dir):
        files += 1
        if isinstance(raw, ContentError):
            problems.append(raw)
            continue
        article, found = validate_article(raw, registry)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    topics, cross = check_corpus(articles, registry)
    problems.extend(cross)
    return Corpus(tuple(articles), topics, tuple(sorted(problems)), files)
