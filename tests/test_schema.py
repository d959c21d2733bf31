"""The front matter's JSON Schema: committed in sync, and it agrees with `digest check`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.cli import main as digest
from generator.content.errors import Level
from generator.content.loader import RawArticle, find_articles, load_article
from generator.content.validate import validate_article
from support import FIXTURES, REPO

COMMITTED = REPO / "content" / "article.schema.json"
SCHEMA = json.loads(COMMITTED.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
GOOD_CORPORA = [REPO / "content", *(FIXTURES / n for n in ("valid", "seed", "scheduled"))]


def as_json(value: Any) -> Any:
    """Front matter as an editor's YAML 1.2 parser sees it: dates are text, not date objects."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def front_matter(text: str, name: str = "2024-05-01-story.md") -> dict:
    raw = load_article(text.encode(), name, name)
    assert isinstance(raw, RawArticle), raw
    return as_json(raw.meta)


def test_committed_schema_is_what_digest_schema_prints(capsys):
    assert digest(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == COMMITTED.read_text(encoding="utf-8"), (
        "content/article.schema.json is stale; run: digest schema > content/article.schema.json"
    )


def test_schema_is_a_valid_draft_07_schema():
    jsonschema.Draft7Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(
    "file",
    [corpus / f for corpus in GOOD_CORPORA for f in find_articles(corpus)],
    ids=lambda f: f.name,
)
def test_every_sample_and_fixture_article_validates(file: Path):
    raw = load_article(file.read_bytes(), str(file), file.name)
    assert isinstance(raw, RawArticle), raw
    errors = [e.message for e in VALIDATOR.iter_errors(as_json(raw.meta))]
    assert errors == [], f"{file}: {errors}"


GOOD = (
    '---\ntitle: "T"\npublishedDateTime: 2024-05-01T10:00:00Z\n'
    'webUrl: "https://example.com/x"\ntopics: [AI]\n'
)


ERR = Level.ERROR


@pytest.mark.parametrize(
    ("change", "level"),
    [
        (lambda t: t.replace('webUrl: "https://example.com/x"\n', ""), Level.ERROR),
        (lambda t: t.replace("https://example.com/x", "ftp://example.com/x"), Level.ERROR),
        (lambda t: t.replace("https://example.com/x", "//example.com/x"), Level.ERROR),
        (lambda t: t.replace("2024-05-01T10:00:00Z", '"yesterday"'), Level.ERROR),
        (lambda t: t.replace("topics: [AI]", "topics: AI"), Level.ERROR),
        (lambda t: t.replace("topics: [AI]", "topics: []"), Level.ERROR),
        (lambda t: t + "quality: high\n", Level.ERROR),
        (lambda t: t + "heat: 1.5\n", Level.ERROR),
        (lambda t: t + "related:\n  - {title: R, webUrl: 'https://e.com/r', ampWebUrl: x}\n", ERR),
        (lambda t: t + 'published: "no"\n', Level.ERROR),
        (lambda t: t + "language: Chinese\n", Level.ERROR),
        (lambda t: t + "images:\n  - url: javascript:alert(1)\n", Level.ERROR),
        (lambda t: t + "images:\n  - url: '/\\evil.example/t.png'\n", Level.ERROR),
        (
            lambda t: t.replace("https://example.com/x", "https://evil.example\\\\@example.com/x"),
            Level.ERROR,
        ),
        (lambda t: t.replace("https://example.com/x", "https://u:p@example.com/x"), Level.ERROR),
        (lambda t: t + "related:\n  - webUrl: https://example.com/r\n", Level.ERROR),
        (lambda t: t + "provider: {images: []}\n", Level.ERROR),
        (lambda t: t.replace("topics:", "topic:"), Level.ERROR),  # unknown key and no topics
        (lambda t: t + "heat_: 3\n", Level.WARNING),  # unknown key: a warning in both
        (lambda t: t + "provider: {name: X, logo: y}\n", Level.WARNING),
    ],
)
def test_bad_front_matter_fails_the_schema_and_the_check(change, level: Level):
    text = change(GOOD) + "---\n"
    assert list(VALIDATOR.iter_errors(front_matter(text))), text
    raw = load_article(text.encode(), "2024-05-01-story.md", "2024-05-01-story.md")
    assert isinstance(raw, RawArticle)
    _, problems = validate_article(raw, None)
    assert any(p.level is level for p in problems), (text, problems)


@pytest.mark.parametrize(
    "extra",
    [
        "",
        "excerpt: E\ncategory: c\ntype: video\nquality: 0\nheat: 100\npublished: false\n",
        "provider: {domain: example.com}\n",
        "images:\n  - {url: /images/x.png, width: 10, height: 10, title: T}\n",
        "related:\n  - {title: R, webUrl: 'https://e.example/r', publishedDateTime: 2024-05-01}\n",
        "secured: {anything: [1, 2]}\n",
        "language: zh-Hans\n",
    ],
)
def test_good_front_matter_passes_the_schema_and_the_check(extra: str):
    text = GOOD + extra + "---\n"
    assert list(VALIDATOR.iter_errors(front_matter(text))) == [], text
    raw = load_article(text.encode(), "2024-05-01-story.md", "2024-05-01-story.md")
    assert isinstance(raw, RawArticle)
    article, problems = validate_article(raw, None)
    assert article is not None and not [p for p in problems if p.level is Level.ERROR]


def test_naive_date_times_pass_the_schema_as_digest_check_only_warns():
    for value in (
        "2024-05-01T10:00:00",
        "2024-05-01 10:00",
        "2024-05-01",
        "2024-05-01T10:00+02:00",
    ):
        text = GOOD.replace("2024-05-01T10:00:00Z", f'"{value}"') + "---\n"
        assert list(VALIDATOR.iter_errors(front_matter(text))) == [], value
