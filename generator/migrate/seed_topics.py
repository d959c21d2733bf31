"""The seed site's topic files (`_data/topics/*.yaml`) as entries of `topics.yml`.

A seed topic file gives `_id` (the slug in the old site's URLs), `name`,
`parent`, sometimes `description`, and keywords, hashtags, pictures and API
addresses this site has no use for; some end in a stray `---` (a second, empty
YAML document). The `_id` is kept as the topic's slug wherever it is not the
slug the name would get anyway, so that topic URLs stay the old site's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.content.topics import SLUG_RE, topic_slug

# Keys of a seed topic file that have no counterpart in topics.yml, named in the report.
UNUSED_KEYS = ("parent", "shortname", "keywords", "hashtags", "images", "services", "taxonomy")


@dataclass(frozen=True)
class SeedTopic:
    name: str
    description: str | None
    slug: str | None  # None: the slug the name gives is the old site's own


def read_topic_file(path: Path) -> SeedTopic | str:
    """One topic file as a SeedTopic, or why it cannot be one."""
    try:
        documents = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return f"not readable as YAML ({exc})".replace("\n", " ")
    if len(documents) != 1 or not isinstance(documents[0], dict):
        return "not one mapping of keys to values"
    data = documents[0]
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        return "no 'name'"
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        return "'description' is not text"
    seed_id = data.get("_id")
    slug = None
    if isinstance(seed_id, str) and seed_id != topic_slug(name.strip()):
        if not SLUG_RE.match(seed_id):
            return f"'_id' {seed_id!r} is not a slug of a-z, 0-9 and '-'"
        slug = seed_id
    return SeedTopic(name.strip(), description.strip() if description else None, slug)


def registry_entries(topics: list[SeedTopic]) -> str:
    """YAML list items for topics.yml, to start the file or to append to it."""
    entries = []
    for topic in topics:
        entry: dict[str, str] = {"name": topic.name}
        if topic.description:
            entry["description"] = topic.description
        if topic.slug:
            entry["slug"] = topic.slug
        entries.append(entry)
    if not entries:
        return ""
    return yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=100)
