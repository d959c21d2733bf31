"""The core without MkDocs: loading, validation and their `path:line: level: message` reports."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from generator.cli import main as digest
from generator.content.corpus import load_corpus
from generator.content.errors import ContentError, Level
from generator.content.loader import load_article
from generator.content.validate import validate_article
from support import FIXTURES, copy_fixture

BAD = FIXTURES / "bad" / "articles"


def problems_of(content: Path) -> set[tuple[str, int, str]]:
    corpus = load_corpus(content)
    return {(Path(p.path).name, p.line, p.level.value) for p in corpus.problems}


def messages(content: Path, name: str) -> list[str]:
    return [str(p) for p in load_corpus(content).problems if Path(p.path).name == name]


def test_valid_fixture_has_no_problems_and_every_file_is_an_article():
    corpus = load_corpus(FIXTURES / "valid")
    assert corpus.problems == ()
    assert corpus.files == len(corpus.articles) == 11
    assert sum(a.is_draft for a in corpus.articles) == 1


def test_seed_file_loads_unchanged_as_a_draft_with_its_related_coverage():
    corpus = load_corpus(FIXTURES / "seed")
    assert corpus.errors == []
    (article,) = corpus.articles
    assert article.is_draft
    assert article.topics == ("AI in Finance", "AI", "Microsoft AI")
    assert article.published == dt.datetime(2024, 2, 21, 13, 31, tzinfo=dt.UTC)
    assert article.provider and article.provider.name == "scmp.com"
    assert article.provider.logo and article.provider.logo.width == 50
    (related,) = article.related
    assert related.provider and related.provider.name == "Asia One"
    assert related.title.startswith("Leo Wang, CEO of Duotech")


def test_every_problem_of_the_corpus_is_reported_in_one_run_at_its_line():
    assert problems_of(FIXTURES / "bad") == {
        ("2024-01-01-bad-yaml.md", 4, "error"),  # the unterminated quote starts on line 4
        ("2024-01-02-unknown-topic.md", 7, "error"),
        ("2024-01-03-no-front-matter.md", 1, "error"),
        ("2024-01-04-missing-keys.md", 1, "error"),  # webUrl missing: the file's first line
        ("2024-01-04-missing-keys.md", 2, "error"),  # empty title
        ("2024-01-05-bad-values.md", 3, "error"),  # "yesterday"
        ("2024-01-05-bad-values.md", 4, "error"),  # ftp:// URL
        ("2024-01-05-bad-values.md", 6, "warning"),  # topic: -> topics:
        ("2024-01-05-bad-values.md", 7, "error"),  # quality 150
        ("2024-01-05-bad-values.md", 8, "error"),  # published: "no"
        ("2024-01-06-naive-date.md", 3, "warning"),
        ("Bad_Name.md", 1, "error"),
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "2024-01-02-unknown-topic.md",
            "unknown topic 'Mircosoft AI'; did you mean 'Microsoft AI'?",
        ),
        ("2024-01-05-bad-values.md", "unknown key 'topic'; did you mean 'topics'?"),
        ("2024-01-01-bad-yaml.md", "invalid YAML"),
        ("2024-01-03-no-front-matter.md", "no front matter"),
        ("2024-01-06-naive-date.md", "no time zone; taken as UTC"),
        ("Bad_Name.md", "must be YYYY-MM-DD-slug.md"),
    ],
)
def test_messages_say_what_is_wrong(name: str, expected: str):
    assert any(expected in m for m in messages(FIXTURES / "bad", name)), messages(
        FIXTURES / "bad", name
    )


def test_naive_date_is_taken_as_utc():
    corpus = load_corpus(FIXTURES / "bad")
    (article,) = [a for a in corpus.articles if a.slug == "naive-date"]
    assert article.published == dt.datetime(2024, 1, 6, 10, tzinfo=dt.UTC)


def _variant(tmp_path: Path, transform) -> Path:
    content = copy_fixture("valid", tmp_path)
    file = next((content / "articles" / "2024").glob("*alpha-first-story.md"))
    file.write_bytes(transform(file.read_bytes()))
    return content


def _alpha(content: Path):
    return next(a for a in load_corpus(content).articles if a.slug == "alpha-first-story")


def test_bom_and_crlf_files_read_exactly_like_plain_ones(tmp_path: Path):
    plain = _alpha(FIXTURES / "valid")
    bom = _alpha(_variant(tmp_path / "bom", lambda b: b"\xef\xbb\xbf" + b))
    crlf = _alpha(_variant(tmp_path / "crlf", lambda b: b.replace(b"\n", b"\r\n")))
    for other in (bom, crlf):
        assert (other.title, other.published, other.topics, other.related, other.body) == (
            plain.title,
            plain.published,
            plain.topics,
            plain.related,
            plain.body,
        )


def test_crlf_file_keeps_its_line_numbers(tmp_path: Path):
    content = copy_fixture("bad", tmp_path)
    file = content / "articles" / "2024-01-05-bad-values.md"
    file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))
    assert ("2024-01-05-bad-values.md", 7, "error") in problems_of(content)


def test_latin1_file_is_an_error_at_the_line_of_the_first_bad_byte(tmp_path: Path):
    content = _variant(
        tmp_path, lambda b: b.replace(b"Excerpt of", "Café excerpt of".encode("latin-1"))
    )
    (problem,) = load_corpus(content).problems
    assert problem.level is Level.ERROR
    assert problem.line == 4
    assert "not valid UTF-8" in problem.message
    assert problem.path.endswith("2024-03-01-alpha-first-story.md")


def _one(text: str, name: str = "2024-05-01-story.md", registry=None):
    raw = load_article(text.encode(), name, name)
    if isinstance(raw, ContentError):
        return None, [raw]
    return validate_article(raw, registry)


BASE = (
    '---\ntitle: "T"\npublishedDateTime: 2024-05-01T10:00:00Z\n'
    'webUrl: "https://example.com/x"\ntopics: [AI]\n'
)


@pytest.mark.parametrize(
    ("extra", "line", "fragment"),
    [
        ("images:\n  - url: javascript:alert(1)\n", 7, "image 'url'"),
        ("related:\n  - title: R\n    webUrl: not-a-url\n", 8, "'webUrl' must be an absolute"),
        ("related:\n  - webUrl: https://example.com/r\n", 7, "'title' is required"),
        ("heat: warm\n", 6, "'heat' must be a whole number, not 'warm'"),
        ("provider: scmp.com\n", 6, "'provider' must be a mapping"),
        ("originalUrl: //example.com/x\n", 6, "'originalUrl' must be an absolute"),
        ("a: &x [1]\nb: *x\n", 6, "aliases are not allowed"),
        ("related:\n  - title: R\n    publishedDateTime: 2024-02-30\n", 8, "invalid timestamp"),
        ("heat: !!timestamp 2024-13-01\n", 6, "month must be in 1..12"),
        ("heat: !!bool maybe\n", 6, "invalid bool 'maybe'"),
        ("heat: !!timestamp soon\n", 6, "invalid timestamp 'soon'"),
        # Browsers read a backslash as '/', and a user@ hides the host they go to.
        ("originalUrl: 'https://evil.example\\@www.bbc.co.uk/x'\n", 6, "a backslash"),
        ("originalUrl: 'https://www.bbc.co.uk@evil.example/x'\n", 6, "a user name or password"),
        ("originalUrl: 'https://u:p@www.bbc.co.uk/x'\n", 6, "a user name or password"),
        ("images:\n  - url: '/\\evil.example/t.png'\n", 7, "image 'url'"),
        ("images:\n  - url: 'https://cdn.example\\@x.example/t.png'\n", 7, "image 'url'"),
        ("title: again\n", 6, "'title' is given twice (first on line 2)"),
        ("updatedDateTime: 2024-04-30T10:00:00Z\n", 6, "updatedDateTime 2024-04-30T10:00:00"),
        ("updatedDateTime: soon\n", 6, "'updatedDateTime' must be an ISO 8601 date-time"),
        ("language: Chinese\n", 6, "'language' must be a language tag such as 'en'"),
        ("language: zh_CN\n", 6, "not 'zh_CN'"),
        ("language: 7\n", 6, "'language' must be non-empty text"),
        ('excerpt: "a file named \u202egpj.exe"\n', 6, "the invisible character U+202E"),
        ('provider: {name: "BBC\u200b"}\n', 6, "the invisible character U+200B"),
        ("excerpt: " + "x" * 2001 + "\n", 6, "'excerpt' is 2001 characters; the limit is 2000"),
        (
            "related:\n  - title: R\n    webUrl: https://example.com/r\n"
            "    publishedDateTime: 0001-01-01T00:00:00Z\n",
            9,
            "must be from 1970 to 2099, not 1",
        ),
    ],
)
def test_nested_problems_point_at_their_own_line(extra: str, line: int, fragment: str):
    article, problems = _one(BASE + extra + "---\n")
    assert article is None
    assert any(p.line == line and fragment in p.message for p in problems), problems


def test_impossible_date_is_an_error_at_its_line_not_a_crash(tmp_path: Path):
    content = _variant(tmp_path, lambda b: b.replace(b"2024-03-01T", b"2024-02-30T", 1))
    (problem,) = load_corpus(content).problems
    assert (problem.level, problem.line) == (Level.ERROR, 5)
    assert "invalid timestamp '2024-02-30T" in problem.message
    assert "day is out of range for month" in problem.message


def test_plain_date_is_midnight_utc_with_a_warning():
    article, problems = _one(BASE.replace("2024-05-01T10:00:00Z", "2024-05-01") + "---\n")
    assert article and article.published == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    assert [p.level for p in problems] == [Level.WARNING]


def test_topics_must_be_a_list_not_a_string():
    _, problems = _one(BASE.replace("topics: [AI]", "topics: AI") + "---\n")
    assert any("'topics' must be a list" in p.message and p.line == 5 for p in problems)


def test_topic_names_sharing_a_slug_are_an_error_without_a_registry(tmp_path: Path):
    for i, topic in enumerate(["AI Ethics", "AI-Ethics"]):
        folder = tmp_path / "articles"
        folder.mkdir(exist_ok=True)
        (folder / f"2024-05-0{i + 1}-s{i}.md").write_text(
            BASE.replace("[AI]", f"['{topic}']") + "---\n", encoding="utf-8"
        )
    corpus = load_corpus(tmp_path)
    (error,) = corpus.errors
    assert "/topics/ai-ethics/" in error.message and "AI Ethics" in error.message
    assert error.path.endswith("2024-05-02-s1.md")


def test_two_files_with_the_same_page_url_are_an_error_naming_both(tmp_path: Path):
    for folder in ("a", "b"):
        (tmp_path / "articles" / folder).mkdir(parents=True)
        (tmp_path / "articles" / folder / "2024-05-01-same.md").write_text(
            BASE + "---\n", encoding="utf-8"
        )
    (error,) = load_corpus(tmp_path).errors
    assert error.path.endswith("b/2024-05-01-same.md")
    assert "a/2024-05-01-same.md" in error.message


def test_registry_slug_collision_and_bad_entries_are_errors(tmp_path: Path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "topics.yml").write_text(
        "- name: AI Ethics\n  description: x\n- name: AI-Ethics\n- name: ''\n", encoding="utf-8"
    )
    found = {(p.line, p.message.split(";")[0]) for p in load_corpus(tmp_path).errors}
    assert (3, "topic 'AI-Ethics' has the slug 'ai-ethics' of topic 'AI Ethics' (line 1)") in found
    assert any(line == 4 for line, _ in found)


def test_check_command_prints_path_line_level_message_and_exits_1(capsys):
    code = digest(["check", "--content", str(FIXTURES / "bad")])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert any(
        line.endswith(
            "2024-01-02-unknown-topic.md:7: error: unknown topic 'Mircosoft AI'; "
            "did you mean 'Microsoft AI'?"
        )
        for line in out
    ), out
    assert len(out) == 12


def test_check_of_named_files_reports_only_those(capsys):
    path = str(BAD / "2024-01-06-naive-date.md")
    assert digest(["check", "--content", str(FIXTURES / "bad"), path]) == 0
    assert digest(["check", "--strict", "--content", str(FIXTURES / "bad"), path]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out and all("2024-01-06-naive-date.md:3: warning" in line for line in out)


def test_check_passes_on_the_sample_content_and_the_valid_fixture():
    assert digest(["check", "--content", str(FIXTURES / "valid")]) == 0
    assert digest(["check", "--content", str(FIXTURES.parents[1] / "content")]) == 0


def test_new_writes_a_file_that_passes_check(tmp_path: Path, capsys):
    content = copy_fixture("valid", tmp_path)
    argv = [
        "new",
        "--title",
        "Ünïcode: a new story",
        "--url",
        "https://example.com/n",
        "--topic",
        "AI",
        "--date",
        "2024-06-01T08:00:00Z",
        "--content",
        str(content),
    ]
    assert digest(argv) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.name == "2024-06-01-unicode-a-new-story.md"
    assert path.parent.name == "2024"
    assert digest(["check", "--strict", "--content", str(content)]) == 0
    assert digest(argv) == 1, "a second run must refuse to overwrite the file"
    bad = [
        "new",
        "--title",
        "X",
        "--url",
        "https://example.com/y",
        "--topic",
        "ai in financ",
        "--content",
        str(content),
    ]
    assert digest(bad) == 1
    assert "did you mean 'AI in Finance'?" in capsys.readouterr().err


# The SHA-256 of the seed article file the spec names (`seeds/001_feba3e022e65d80c.txt`).
SEED_SHA256 = "7e994fd6f39eb678eb45922b951b4e8bd08a669575bbf3c705baa3e34fadf97b"


def test_seed_fixture_is_the_seed_file_byte_for_byte():
    (fixture,) = (FIXTURES / "seed" / "articles").glob("*.md")
    found = hashlib.sha256(fixture.read_bytes()).hexdigest()
    assert found == SEED_SHA256, f"{fixture} is no longer the seed file: restore it byte for byte"


def test_a_url_with_an_at_sign_in_its_path_is_fine():
    """Medium's `/@author/` paths: the rule is about the host, not every '@'."""
    article, problems = _one(
        BASE.replace("https://example.com/x", "https://medium.com/@someone/a-story-1a2b") + "---\n"
    )
    assert article is not None, problems


def test_new_refuses_a_url_browsers_would_read_as_another_host(tmp_path: Path, capsys):
    content = copy_fixture("valid", tmp_path)
    argv = ["new", "--title", "X", "--topic", "AI", "--content", str(content), "--no-cache"]
    assert digest([*argv, "--url", "https://evil.example\\@www.bbc.co.uk/x"]) == 1
    err = capsys.readouterr().err
    assert "'webUrl' must be an absolute http(s) URL" in err and "a backslash" in err, err
    assert not list((content / "articles").rglob("*-x.md")), "no file for a refused story"


@pytest.mark.parametrize("when", ["2106-03-01T00:00:00Z", "1969-12-31T23:59:59Z"])
def test_a_date_feeds_and_archives_cannot_hold_is_an_error_at_its_line(when: str):
    """2106 passed check, then made `build --future` fail in gzip's 32-bit timestamp."""
    article, problems = _one(BASE.replace("2024-05-01T10:00:00Z", when) + "---\n")
    assert article is None
    (problem,) = [p for p in problems if p.level is Level.ERROR]
    assert problem.line == 3 and "must be from 1970 to 2099" in problem.message, problem


def test_joiners_that_words_and_emoji_need_are_allowed():
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # a word with a ZWNJ
    emoji = "\U0001f469\u200d\U0001f4bb"  # woman technologist: two emoji and a ZWJ
    text = f'excerpt: "{persian} {emoji}"\n'
    article, problems = _one(BASE + text + "---\n")
    assert article is not None, problems


def test_front_matter_without_its_closing_line_says_so():
    (problem,) = _one(BASE + "\nNo closing line.\n")[1]
    assert problem.line == 1 and "no closing '---' line" in problem.message, problem


def test_real_archives_scores_and_amp_links_are_accepted_as_they_are():
    """The seed's bot writes scores past 100 and -1 for "not scored", also in related
    coverage, and AMP addresses for related stories: none is a reason to refuse or warn."""
    extra = (
        "quality: 269\nheat: -1\nrelated:\n  - title: R\n    webUrl: https://e.com/r\n"
        "    quality: -1\n    ampWebUrl: https://e.com/amp/r\n"
        "    cdnAmpWebUrl: https://e-com.cdn.ampproject.org/c/s/e.com/amp/r\n"
    )
    article, problems = _one(BASE + extra + "---\n")
    assert article is not None and problems == [], problems
    assert (article.quality, article.heat) == (269, -1)
    (link,) = article.related
    assert link.quality == -1 and link.amp_web_url == "https://e.com/amp/r"


def test_a_correction_time_is_kept_and_the_original_time_stays():
    article, problems = _one(BASE + "updatedDateTime: 2024-05-02T08:15:00+02:00\n---\n")
    assert article is not None and problems == []
    assert article.published == dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
    assert article.updated == dt.datetime(2024, 5, 2, 6, 15, tzinfo=dt.UTC)
    assert _one(BASE + "---\n")[0].updated is None


@pytest.mark.parametrize("tag", ["en", "de-CH", "zh-Hans", "es-419", "sr-Latn-RS"])
def test_a_language_tag_is_kept_as_written(tag: str):
    article, problems = _one(BASE + f"language: {tag}\n---\n")
    assert article is not None and problems == [] and article.language == tag
    assert _one(BASE + "---\n")[0].language is None
