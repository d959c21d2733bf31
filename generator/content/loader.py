"""Finding and reading article files: bytes in, front matter with key line numbers out.

The front matter is split here rather than with python-frontmatter because
that library gives no line numbers, returns empty metadata (no error) for a
file without front matter, and its boundary pattern swallows a blank line
after the opening `---`, which would shift every reported line by one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.content.errors import ContentError, InvalidContent, Level

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # libyaml missing: same results, slower
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1024 * 1024
MAX_YAML_NODES = 20_000
# Front matter needs five levels (related → item → provider → images → item).
MAX_YAML_DEPTH = 32
_FENCE = re.compile(r"^---[ \t]*\n", re.M)
# Characters XML cannot carry (a feed holding one fails to serialise) and no reader needs.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# A location inside the front matter: ("related", 2, "webUrl").
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class RawArticle:
    """One file's parsed front matter, before any rule of the SPEC is applied."""

    path: str
    name: str
    meta: dict[str, Any]
    lines: dict[KeyPath, int] = field(repr=False)
    body: str = ""
    # The file's line where the body (the curator's note) starts.
    body_line: int = 1
    # `file_hash_of` the file: what the story's output is made from.
    file_hash: bytes = b""

    def line(self, *keys: str | int) -> int:
        """The line of the deepest key of `keys` the file has, else of its first line."""
        for end in range(len(keys), 0, -1):
            if keys[:end] in self.lines:
                return self.lines[keys[:end]]
        return 1


def control_character(text: str) -> str | None:
    """The first control character in `text`, named for a curator, or None."""
    found = CONTROL_RE.search(text)
    return f"the control character U+{ord(found[0]):04X}" if found else None


def file_hash_of(path: str, data: bytes) -> bytes:
    """A hash of a story file's path and bytes.

    With the topic registry and this package's code, which the output cache
    keys cover separately, these decide everything about the story (its slug
    comes from the path), so equal hashes mean equal stories.
    """
    h = hashlib.blake2b(data, digest_size=16)
    h.update(b"\x00" + path.encode("utf-8", errors="surrogatepass"))
    return h.digest()


def display_path(path: Path) -> str:
    """A path as a curator would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def find_articles(content_dir: Path, left_out: list[tuple[str, str]] | None = None) -> list[str]:
    """Every `articles/**.md` file, relative to `content_dir`, in a stable order.

    Stable so reports and output never shuffle; text rather than Path objects,
    which at tens of thousands of files cost more than reading cached files.
    What the walk passes over is added to `left_out` as (path, why), so that
    no file that looks like a story is left out unsaid.
    """
    found: list[tuple[str, ...]] = []
    for dirpath, dirnames, filenames in os.walk(content_dir / "articles"):
        folder = tuple(os.path.relpath(dirpath, content_dir).split(os.sep))
        if left_out is not None:
            _note_left_out(dirpath, folder, dirnames, filenames, left_out)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend((*folder, f) for f in filenames if f.endswith(".md"))
    found.sort()
    return [os.sep.join(parts) for parts in found]


# Other endings editors give Markdown files; under articles/ they are likely stories misnamed.
_MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkd", ".mkdn")


def _note_left_out(
    dirpath: str,
    folder: tuple[str, ...],
    dirnames: list[str],
    filenames: list[str],
    left_out: list[tuple[str, str]],
) -> None:
    """Why the walk passes over each of a folder's entries that it does not read."""
    for name in sorted(dirnames):
        path = os.sep.join((*folder, name))
        if name.startswith("."):
            left_out.append((path, "not read: a hidden folder; rename it without the '.'"))
        elif os.path.islink(os.path.join(dirpath, name)):
            left_out.append((path, "not read: a symbolic link to a folder is never followed"))
    for name in sorted(filenames):
        if name.endswith(".md") or name.startswith("."):
            continue
        path = os.sep.join((*folder, name))
        if name.lower().endswith((".md", *_MARKDOWN_SUFFIXES)):
            stem = name.rsplit(".", 1)[0]
            left_out.append((path, f"not read: a story's name ends in '.md' ({stem}.md)"))
        else:
            left_out.append((path, "not read: only '.md' files under articles/ are stories"))


def is_article_name(name: str) -> bool:
    """Whether `name`, a path relative to the content folder, is one `find_articles` lists.

    For callers told of single files (a file watcher) rather than walking the folder.
    """
    parts = name.split(os.sep)
    return (
        len(parts) > 1
        and parts[0] == "articles"
        and name.endswith(".md")
        and not any(part.startswith(".") for part in parts[1:-1])
    )


def decode(data: bytes, path: str) -> str | ContentError:
    """Text of a file: UTF-8 with or without a BOM, any line ends; anything else is an error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return ContentError(
            path,
            line,
            Level.ERROR,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, int, str] | None:
    """(front matter, its first line number, body), or None when the file has none."""
    start = _FENCE.match(text)
    if start is None:
        return None
    end = _FENCE.search(text, start.end())
    if end is None:
        return None
    return text[start.end() : end.start()], 2, text[end.end() :]


def parse_yaml(source: str, first_line: int, path: str) -> tuple[Any, dict[KeyPath, int]]:
    """Parse YAML into (data, key line map) in one pass; raises InvalidContent on any problem.

    Values are built from the parser's events, with a stack of their own:
    PyYAML's composer and constructor recurse once per level of nesting, so a
    few hundred kilobytes of `[[[[…` would overflow the stack (libyaml's C
    composer crashes the process outright), and its pure-Python constructor
    would double the cost of every file.
    """
    try:
        try:
            return _build(_Loader, source, first_line, path)
        except yaml.MarkedYAMLError as exc:
            if _LIBYAML_DEPTH not in str(exc.problem):
                raise
            # libyaml (0.2.6 on) has a nesting limit of its own, which its scanner can reach
            # before ours while it looks ahead for a key. PyYAML's own parser has none, so
            # ours applies, at the line where the file passes it.
            return _build(yaml.SafeLoader, source, first_line, path)
    except yaml.MarkedYAMLError as exc:
        # An unterminated quote is found at the end of the stream; the fix is where it began.
        use_context = isinstance(exc, yaml.scanner.ScannerError) and exc.context_mark
        mark = exc.context_mark if use_context else exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = ": ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        raise InvalidContent(
            ContentError(path, line, Level.ERROR, f"invalid YAML: {problem}")
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidContent(
            ContentError(path, first_line, Level.ERROR, f"invalid YAML: {exc}")
        ) from None


def _build(
    kind: type[yaml.SafeLoader], source: str, first_line: int, path: str
) -> tuple[Any, dict[KeyPath, int]]:
    loader = kind(source)
    try:
        return _Builder(loader, first_line, path).document()
    finally:
        loader.dispose()


# How libyaml words the error at its own nesting limit (1,000 levels).
_LIBYAML_DEPTH = "exceeded maximum nesting depth"
_STR_TAG = "tag:yaml.org,2002:str"
# Tags whose values need no mark to be made, so are made once per distinct text (keys and
# values such as `true` or `2024` recur in every file); the others go through a node.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "null", "timestamp")
)
# Only texts this short are memoised: a hostile file's long ones would stay in memory.
_MEMO_CHARS = 64


@functools.lru_cache(maxsize=4096)
def _plain_tag(value: str) -> str:
    """The tag YAML's implicit rules give an untagged plain scalar: PyYAML's resolver, memoised."""
    return _LOADER.resolve(yaml.ScalarNode, value, (True, False))


@functools.lru_cache(maxsize=4096)
def _plain_value(tag: str, value: str) -> Any:
    """A scalar's value for one of `_PLAIN_TAGS`; all of them immutable, so shareable.

    Made by the tag's constructor function itself: `construct_object` would
    remember every node it was given for as long as the loader lives.
    """
    return _Loader.yaml_constructors[tag](_LOADER, yaml.ScalarNode(tag, value))


# Resolving and constructing plain scalars reads no stream and keeps no state between
# calls: one loader serves them all, in any thread.
_LOADER = _Loader("")


@dataclass
class _Open:
    """A mapping or list being filled: where it sits, and for a mapping the key awaiting a value."""

    value: dict[Any, Any] | list[Any]
    at: KeyPath
    is_list: bool
    key: Any = None
    has_key: bool = False


@dataclass
class _Builder:
    loader: yaml.SafeLoader
    first_line: int
    path: str
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def fail(self, mark: yaml.Mark | None, message: str) -> InvalidContent:
        """The error that stops this file, at `mark`'s line (or the front matter's first)."""
        line = self.first_line + (mark.line if mark is not None else 0)
        return InvalidContent(ContentError(self.path, line, Level.ERROR, message))

    def document(self) -> tuple[Any, dict[KeyPath, int]]:
        """The one document of the stream (None when empty) and its key lines."""
        events = self.loader
        events.get_event()  # stream start
        if events.check_event(yaml.StreamEndEvent):
            return None, self.lines
        events.get_event()  # document start
        data = self.value()
        events.get_event()  # document end
        if not events.check_event(yaml.StreamEndEvent):
            raise self.fail(events.peek_event().start_mark, "expected a single YAML document")
        return data, self.lines

    def value(self) -> Any:
        """The document's value, recording the line of every key and list item on the way.

        Aliases are refused: front matter never needs them, and they are how a
        few lines of YAML expand into gigabytes. Nesting and size are capped,
        so a hostile file costs bounded time and memory. Events are told
        apart by their exact type (the parser makes no subclasses): this loop
        runs for every value of every file.
        """
        stack: list[_Open] = []
        get_event, lines, first_line = self.loader.get_event, self.lines, self.first_line
        count = 0
        while True:
            event = get_event()
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                done = stack.pop()
                if not stack:
                    return done.value
                continue
            count += 1
            if count > MAX_YAML_NODES:
                raise self.fail(
                    event.start_mark, f"front matter is too large (over {MAX_YAML_NODES} values)"
                )
            if event.anchor is not None:  # on an alias, the anchor's name
                raise self.fail(
                    event.start_mark, "YAML anchors and aliases are not allowed in front matter"
                )
            parent = stack[-1] if stack else None
            if parent is not None and not parent.is_list and not parent.has_key:
                self.key(parent, event)
                continue
            if parent is None:
                at: KeyPath = ()
            elif parent.is_list:
                at = (*parent.at, len(parent.value))
                lines[at] = first_line + event.start_mark.line
            else:
                at = (*parent.at, str(parent.key))
            opens = kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent
            if opens:
                if len(stack) >= MAX_YAML_DEPTH:
                    raise self.fail(
                        event.start_mark,
                        f"front matter is nested more than {MAX_YAML_DEPTH} levels deep",
                    )
                value: Any = {} if kind is yaml.MappingStartEvent else []
            else:
                value = self.scalar(event)
            if parent is None:
                if not opens:
                    return value
            elif parent.is_list:
                parent.value.append(value)  # type: ignore[union-attr]
            else:
                parent.value[parent.key] = value  # type: ignore[call-overload]
                parent.has_key = False
            if opens:
                stack.append(_Open(value, at, kind is yaml.SequenceStartEvent))

    def key(self, mapping: _Open, event: yaml.Event) -> None:
        """Take `event` as the next key of `mapping`; only plain names can be keys."""
        key = self.scalar(event) if type(event) is yaml.ScalarEvent else None
        if not isinstance(key, str | int | bool | float):
            raise self.fail(event.start_mark, "front matter keys must be plain names")
        at = (*mapping.at, str(key))
        if key in mapping.value:  # YAML forbids it; PyYAML would keep the last silently
            first = self.lines[at]
            raise self.fail(event.start_mark, f"'{key}' is given twice (first on line {first})")
        mapping.key, mapping.has_key = key, True
        self.lines[at] = self.first_line + event.start_mark.line

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        """A scalar's value under YAML's usual rules (`2024-01-05` is a date, `yes` true)."""
        tag, text = event.tag, event.value
        memo = len(text) <= _MEMO_CHARS
        if tag is None or tag == "!":
            if not event.implicit[0]:  # quoted or a block: always a string
                return text
            tag = (_plain_tag if memo else _plain_tag.__wrapped__)(text)
            if tag == _STR_TAG:
                return text
        elif tag == _STR_TAG:
            return text
        try:
            if tag in _PLAIN_TAGS:
                return (_plain_value if memo else _plain_value.__wrapped__)(tag, text)
            node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:  # a timestamp such as 2024-02-30
            kind = tag.rsplit(":", 1)[-1]
            raise self.fail(event.start_mark, f"invalid {kind} {text!r}: {exc}") from None
        except (KeyError, AttributeError):  # PyYAML's way to refuse `!!bool maybe`, `!!timestamp x`
            kind = tag.rsplit(":", 1)[-1]
            raise self.fail(event.start_mark, f"invalid {kind} {text!r}") from None


def load_article(data: bytes, path: str, name: str) -> RawArticle | ContentError:
    """One article file's bytes as a RawArticle, or the error that stops it being read."""
    if len(data) > MAX_FILE_BYTES:
        return ContentError(
            path, 1, Level.ERROR, f"file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}"
        )
    text = decode(data, path)
    if isinstance(text, ContentError):
        return text
    parts = split_front_matter(text)
    if parts is None:
        if _FENCE.match(text):
            why = "the front matter has no closing '---' line: end the YAML with one"
        else:
            why = "no front matter: the file must start with a '---' line, then YAML, then '---'"
        return ContentError(path, 1, Level.ERROR, why)
    source, first_line, body = parts
    try:
        meta, lines = parse_yaml(source, first_line, path)
    except InvalidContent as exc:
        return exc.problem
    if not isinstance(meta, dict):
        return ContentError(
            path, first_line, Level.ERROR, "front matter must be a mapping of keys to values"
        )
    body_line = first_line + source.count("\n") + 1
    return RawArticle(
        path=path,
        name=name,
        meta=meta,
        lines=lines,
        body=body,
        body_line=body_line,
        file_hash=file_hash_of(path, data),
    )
