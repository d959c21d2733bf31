"""`digest import SRC`: a site laid out like the seed (a Jekyll site) into a content folder.

The seed keeps stories in `_archive/_news/` and `_news/`, topics in
`_data/topics/*.yaml` and its sources' logos under `assets/`, which its
stories name by site path (`/assets/images/organizations/x.jpg`) or by the old
site's address. Every story file is accounted for in the report: written,
unchanged (already imported), or skipped with the reason, never dropped unsaid.

Story files are copied byte for byte, so the archive stays what its curators
wrote; the one change is a picture on the old site's host, which becomes a
site path once the picture is copied into the content folder. A story that
links to a story already kept (the same webUrl once tracking parameters are
dropped) is skipped naming both: the older file name is kept. A file already
in the content folder is never overwritten. Running the import again changes
nothing.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from generator.content.article import Article
from generator.content.content_files import IMAGE_SUFFIXES
from generator.content.corpus import load_corpus
from generator.content.errors import ContentError, Level
from generator.content.fetch import FetchFailed, fetch_picture
from generator.content.loader import display_path, load_article
from generator.content.site_pictures import pictures_of
from generator.content.topics import load_registry
from generator.content.validate import validate_article
from generator.migrate.seed_topics import UNUSED_KEYS, SeedTopic, read_topic_file, registry_entries

# Where the seed keeps its stories, oldest first: a file name in both keeps the archive's.
STORY_FOLDERS = ("_archive/_news", "_news")
TOPIC_FOLDER = "_data/topics"
ORGANIZATION_FOLDER = "_data/organizations"


@dataclass(frozen=True)
class ImportOptions:
    source: Path
    content: Path
    fetch: bool = False
    # The old site's address (`https://everyday-cc.github.io/ai/`); default: from _config.yml.
    old_site: str | None = None


KINDS = ("written", "unchanged", "skipped")


@dataclass(frozen=True)
class Outcome:
    """What became of one file of the seed: `kind` is written, unchanged or skipped."""

    kind: str
    path: str
    why: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}" + (f": {self.why}" if self.why else "")


@dataclass
class ImportReport:
    stories: list[Outcome] = field(default_factory=list)
    topics: list[Outcome] = field(default_factory=list)
    pictures: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> Iterator[str]:
        for outcome in [*self.stories, *self.topics, *self.pictures]:
            yield str(outcome)
        yield from self.notes

    def count(self, outcomes: list[Outcome], kind: str) -> int:
        return sum(outcome.kind == kind for outcome in outcomes)

    def summary(self) -> str:
        parts = []
        for label, outcomes in (
            ("story files", self.stories),
            ("topic files", self.topics),
            ("pictures", self.pictures),
        ):
            kinds = ", ".join(
                f"{self.count(outcomes, kind)} {kind}"
                for kind in ("written", "unchanged", "skipped")
            )
            parts.append(f"{len(outcomes)} {label}: {kinds}")
        return "; ".join(parts)

    @property
    def refused(self) -> int:
        """Story files skipped for an error in them, which only a fix in the seed can bring in."""
        return sum(o.kind == "skipped" and o.why.startswith("error") for o in self.stories)


class ImportRefused(Exception):
    """The import cannot start (no seed layout, a broken topics.yml): nothing was written."""


def run_import(options: ImportOptions) -> ImportReport:
    """Import the seed at `options.source` into `options.content`; see the module's doc."""
    source, content = options.source, options.content
    found = [source / folder for folder in STORY_FOLDERS if (source / folder).is_dir()]
    if not found:
        raise ImportRefused(
            f"{source} has no {' or '.join(STORY_FOLDERS)} folder: not laid out like the seed"
        )
    registry, problems = load_registry(content)
    if any(p.level is Level.ERROR for p in problems):
        raise ImportRefused("\n".join(str(p) for p in problems if p.level is Level.ERROR))
    report, writes = ImportReport(), _Writes()
    pictures = _Pictures(source, content, _old_site(options), options.fetch, report, writes)
    kept = _Kept.of(content)
    for path in _story_files(source):
        report.stories.append(_import_story(path, content, pictures, kept, writes))
    _import_topics(source, content, registry or {}, kept.topics, report, writes)
    writes.run()
    organizations = source / ORGANIZATION_FOLDER
    if organizations.is_dir():
        count = sum(1 for _ in organizations.glob("*.md"))
        report.notes.append(
            f"note: {display_path(organizations)}: {count} source file(s) not imported; each "
            "story names its own source and logo"
        )
    return report


def _old_site(options: ImportOptions) -> str | None:
    """The old site's address, ending in '/': as given, else Jekyll's `url` + `baseurl`."""
    address = options.old_site
    if address is None:
        config = options.source / "_config.yml"
        try:
            data = yaml.safe_load(config.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("url"), str):
            return None
        address = data["url"].rstrip("/") + "/" + str(data.get("baseurl") or "").strip("/")
    return address.rstrip("/") + "/"


def _story_files(source: Path) -> list[Path]:
    """The seed's story files, oldest file name first; in both folders, the archive's first."""
    files = []
    for rank, folder in enumerate(STORY_FOLDERS):
        for path in (source / folder).rglob("*.md"):
            files.append((path.name, rank, path))
    return [path for _, _, path in sorted(files)]


@dataclass
class _Kept:
    """The stories the content folder holds or will hold, to find duplicates and topics."""

    by_key: dict[str, str]
    topics: dict[str, None]

    @classmethod
    def of(cls, content: Path) -> _Kept:
        kept = cls({}, {})
        if (content / "articles").is_dir():
            for article in load_corpus(content).articles:
                kept.add(article)
        return kept

    def add(self, article: Article) -> None:
        self.topics.update(dict.fromkeys(article.topics))
        if not article.is_draft:
            for key in article.story_keys:
                self.by_key.setdefault(key, article.path)

    def same_story(self, article: Article) -> str | None:
        """The kept story `article` links to as well, when it is published (else none)."""
        if article.is_draft:
            return None
        return next((self.by_key[k] for k in article.story_keys if k in self.by_key), None)


def _import_story(
    path: Path, content: Path, pictures: _Pictures, kept: _Kept, writes: _Writes
) -> Outcome:
    shown = display_path(path)
    data = path.read_bytes()
    article = _valid(data, shown, path.name)
    if isinstance(article, str):
        return Outcome("skipped", shown, article)
    localised = pictures.localise(data, article)
    target = content / "articles" / f"{article.date:%Y}" / path.name
    target_shown = display_path(target)
    if localised == data:
        article = dataclasses.replace(article, path=target_shown)
    else:
        data, article = localised, _valid_as(localised, target_shown, path.name)
    if target in writes.targets:
        return Outcome(
            "skipped", shown, f"another seed file of this name is {target_shown}; kept that one"
        )
    if target.exists():
        if target.read_bytes() == data:
            kept.add(article)
            return Outcome("unchanged", target_shown, f"from {shown}")
        return Outcome(
            "skipped",
            shown,
            f"{target_shown} is there with other text; kept as it is (delete it to import this)",
        )
    other = kept.same_story(article)
    if other is not None:
        return Outcome(
            "skipped", shown, f"the same story as {other} (the same webUrl); kept that one"
        )
    writes.add(target, data)
    kept.add(article)
    return Outcome("written", target_shown, f"from {shown}")


def _valid(data: bytes, shown: str, name: str) -> Article | str:
    """The story in `data`, or the first error that keeps it out, as the report says it."""
    raw = load_article(data, shown, name)
    if isinstance(raw, ContentError):
        return f"error at line {raw.line}: {raw.message}; fix it in the seed and import again"
    article, problems = validate_article(raw, None)
    if article is None:
        error = next(p for p in problems if p.level is Level.ERROR)
        return f"error at line {error.line}: {error.message}; fix it in the seed and import again"
    return article


def _valid_as(data: bytes, shown: str, name: str) -> Article:
    article = _valid(data, shown, name)
    assert isinstance(article, Article), article  # the same bytes validated a moment ago
    return article


class _Pictures:
    """The pictures stories name on this site or on the old one, copied into `content`."""

    def __init__(
        self,
        source: Path,
        content: Path,
        old_site: str | None,
        fetch: bool,
        report: ImportReport,
        writes: _Writes,
    ):
        self.source, self.content, self.old_site, self.fetch = source, content, old_site, fetch
        self.report, self.writes = report, writes
        self._have: dict[str, bool] = {}

    def localise(self, data: bytes, article: Article) -> bytes:
        """`data` with each picture on the old host that is now in `content` named by site path."""
        for url in sorted({image.url for _, image in pictures_of(article)}):
            path = self._site_path(url)
            if path is None or not self._copied(path):
                continue
            if url != path:
                data = data.replace(url.encode(), path.encode())
        return data

    def _site_path(self, url: str) -> str | None:
        """`/assets/x.jpg` for that path or for the old site's address of it; None otherwise."""
        if url.startswith("/"):
            path = url
        elif self.old_site and url.startswith(self.old_site):
            path = "/" + url[len(self.old_site) :]
        else:
            return None
        path = urlsplit(path).path
        normal = posixpath.normpath(path)
        suffix = posixpath.splitext(normal)[1].lower()
        if normal != path or suffix not in IMAGE_SUFFIXES or "/." in normal:
            return None
        return normal

    def _copied(self, path: str) -> bool:
        """Whether the picture at site `path` is in `content` (copied now, or before)."""
        have = self._have.get(path)
        if have is None:
            have = self._have[path] = self._copy(path)
        return have

    def _copy(self, path: str) -> bool:
        target = self.content / path.lstrip("/")
        shown = display_path(target)
        local = self.source / path.lstrip("/")
        if local.is_file():
            data = local.read_bytes()
        elif target.is_file():
            self.report.pictures.append(Outcome("unchanged", shown))
            return True
        elif self.fetch and self.old_site:
            try:
                data = fetch_picture(urljoin(self.old_site, path.lstrip("/")))
            except FetchFailed as exc:
                self.report.pictures.append(Outcome("skipped", path, str(exc)))
                return False
        else:
            why = f"not in {display_path(self.source)}"
            if self.old_site:
                why += f"; run the import with --fetch to take it from {self.old_site}"
            self.report.pictures.append(Outcome("skipped", path, why))
            return False
        if target.is_file() and target.read_bytes() == data:
            self.report.pictures.append(Outcome("unchanged", shown))
        else:
            self.writes.add(target, data, replace=True)
            self.report.pictures.append(Outcome("written", shown))
        return True


def _import_topics(
    source: Path,
    content: Path,
    registry: dict,
    used: dict[str, None],
    report: ImportReport,
    writes: _Writes,
) -> None:
    """Add the seed's topics, and any topic a story names without a file, to topics.yml."""
    declared = set(registry)
    new: list[SeedTopic] = []
    for path in sorted((source / TOPIC_FOLDER).glob("*.yaml")):
        topic = read_topic_file(path)
        shown = display_path(path)
        if isinstance(topic, str):
            report.topics.append(Outcome("skipped", shown, topic))
        elif topic.name in declared:
            report.topics.append(Outcome("unchanged", shown, f"'{topic.name}' is declared"))
        else:
            declared.add(topic.name)
            new.append(topic)
            report.topics.append(Outcome("written", shown, f"'{topic.name}' declared"))
    for name in used:
        if name not in declared:
            declared.add(name)
            new.append(SeedTopic(name, None, None))
            report.notes.append(
                f"note: topic '{name}' has no topic file; declared without a description"
            )
    if new:
        file = content / "topics.yml"
        writes.add(file, _with_topics(file, registry_entries(new)), replace=True)
        report.notes.append(
            f"note: topic keys not imported (no use here): {', '.join(UNUSED_KEYS)}"
        )


def _with_topics(file: Path, entries: str) -> bytes:
    """topics.yml with `entries` after what it holds, checked as a build reads it."""
    text = file.read_text(encoding="utf-8") if file.is_file() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += entries
    with tempfile.TemporaryDirectory() as trial:
        Path(trial, "topics.yml").write_text(text, encoding="utf-8")
        _, problems = load_registry(Path(trial))
    errors = [p for p in problems if p.level is Level.ERROR]
    if errors:
        raise ImportRefused(
            "the topics would not make a valid topics.yml: "
            + "; ".join(re.sub(r"^\S*topics.yml", "topics.yml", str(p)) for p in errors)
        )
    return text.encode("utf-8")


class _Writes:
    """The import's files, written once every one is known to be right.

    A seed that cannot be imported (topics that clash) is refused before any file
    is written, and each file is written whole or not at all, so an interrupted
    import leaves no half file: run again, it carries on.
    """

    def __init__(self) -> None:
        self._files: list[tuple[Path, bytes, bool]] = []
        self.targets: set[Path] = set()

    def add(self, path: Path, data: bytes, replace: bool = False) -> None:
        self._files.append((path, data, replace))
        self.targets.add(path)

    def run(self) -> None:
        mode = _file_mode()
        for path, data, replace in self._files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".import-")
            try:
                os.fchmod(fd, mode)  # as a new file gets, not mkstemp's owner-only
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                if replace:
                    os.replace(temp, path)
                else:
                    os.link(temp, path)  # a file that appeared there meanwhile stays
            finally:
                if os.path.exists(temp):
                    os.unlink(temp)


def _file_mode() -> int:
    """The mode new files get under the user's umask (read by setting it: there is no getter)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
