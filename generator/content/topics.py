"""The topic registry (`topics.yml`) and the one rule for turning a topic name into a URL slug.

Topic slugs are part of published URLs and feed addresses, so they are made
in exactly one place, and two names that would share one are an error.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from generator.content.content_files import file_status, read_file
from generator.content.errors import ContentError, InvalidContent, Level
from generator.content.loader import control_character, decode, display_path, parse_yaml

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TOPIC_CHARS = 100


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    slug: str
    description: str | None = None


@functools.lru_cache(maxsize=4096)
def topic_slug(name: str) -> str:
    """Lower-case ASCII words joined by `-`; non-Latin names are transliterated.

    Memoised: a few hundred topic names are each given by thousands of stories.
    """
    return slugify(name, max_length=80, word_boundary=True)


def suggest(name: str, known: list[str]) -> str | None:
    """The known name a curator most likely meant, for "did you mean" hints."""
    folded = {k.casefold(): k for k in known}
    if name.casefold() in folded:
        return folded[name.casefold()]
    close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def _registry_text(file: Path, path: str, content_dir: Path) -> str | ContentError:
    """topics.yml's text, read under the rules stories are (see `content_files`)."""
    found = file_status(str(file), os.path.realpath(content_dir))
    data = read_file(str(file)) if not isinstance(found, str) else found
    if isinstance(data, str):
        return ContentError(path, 1, Level.ERROR, data)
    return decode(data, path)


def load_registry(content_dir: Path) -> tuple[dict[str, Topic] | None, list[ContentError]]:
    """The declared topics by name, or None when there is no `topics.yml` (any name goes)."""
    file = content_dir / "topics.yml"
    if not file.is_file() and not file.is_symlink():
        return None, []
    path = display_path(file)
    text = _registry_text(file, path, content_dir)
    if isinstance(text, ContentError):
        return {}, [text]
    try:
        data, lines = parse_yaml(text, 1, path)
    except InvalidContent as exc:
        return {}, [exc.problem]
    if data is None:
        data = []
    if not isinstance(data, list):
        return {}, [
            ContentError(path, 1, Level.ERROR, "topics.yml must be a list of {name, description}")
        ]
    problems: list[ContentError] = []
    topics: dict[str, Topic] = {}
    by_slug: dict[str, tuple[str, int]] = {}
    for i, entry in enumerate(data):
        line = lines.get((i,), 1)
        found = _entry(entry, _EntryLines(path, lines, i, line), problems)
        if found is None:
            continue
        if found.name in topics:
            problems.append(
                ContentError(path, line, Level.ERROR, f"topic '{found.name}' is declared twice")
            )
            continue
        if found.slug in by_slug:
            other, other_line = by_slug[found.slug]
            problems.append(
                ContentError(
                    path,
                    line,
                    Level.ERROR,
                    f"topic '{found.name}' has the slug '{found.slug}' of topic '{other}' "
                    f"(line {other_line}); give one of them a distinct 'slug:'",
                )
            )
            continue
        by_slug[found.slug] = (found.name, line)
        topics[found.name] = found
    return topics, problems


@dataclass(frozen=True)
class _EntryLines:
    """Where one entry of topics.yml and its keys are, for its problems."""

    path: str
    lines: dict
    index: int
    line: int

    def of(self, key: str) -> int:
        return self.lines.get((self.index, key), self.line)


def _entry(entry: object, at: _EntryLines, problems: list[ContentError]) -> Topic | None:
    """One entry of topics.yml as a Topic, or None with its error added to `problems`."""

    def err(msg: str, line: int = at.line) -> None:
        problems.append(ContentError(at.path, line, Level.ERROR, msg))

    if not isinstance(entry, dict):
        err("each topic must be a mapping with 'name' and 'description'")
        return None
    for key in sorted(set(entry) - {"name", "description", "slug"}, key=str):
        problems.append(
            ContentError(at.path, at.of(key), Level.WARNING, f"unknown topic key '{key}'")
        )
    name, description = entry.get("name"), entry.get("description")
    if not isinstance(name, str) or not name.strip():
        err("topic 'name' must be non-empty text", at.of("name"))
        return None
    name = name.strip()
    if bad := control_character(name + (description if isinstance(description, str) else "")):
        err(f"topic '{name}' contains {bad}; remove it")
        return None
    if len(name) > MAX_TOPIC_CHARS:
        err(f"topic name is over {MAX_TOPIC_CHARS} characters", at.of("name"))
        return None
    if description is not None and not isinstance(description, str):
        err("topic 'description' must be text", at.of("description"))
        return None
    slug = entry.get("slug")
    if slug is None:
        slug = topic_slug(name)
        if not slug:
            err(f"topic '{name}' gives an empty slug; add a 'slug:' of a-z, 0-9 and '-'")
            return None
    elif not isinstance(slug, str) or not SLUG_RE.match(slug):
        err("topic 'slug' must be lower-case a-z, 0-9 and '-'", at.of("slug"))
        return None
    return Topic(name, slug, description.strip() if description else None)
