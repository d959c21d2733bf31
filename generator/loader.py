"""Finding and reading article files: bytes in, front matter with key line numbers out.

The front matter is split here rather than with python-frontmatter because
that library gives no line numbers, returns empty metadata (no error) for a
file without front matter, and its boundary pattern swallows a blank line
after the opening `---`, which would shift every reported line by one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ContentError, InvalidContent, Level

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # libyaml missing: same results, slower
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1024 * 1024
MAX_YAML_NODES = 20_000
_FENCE = re.compile(r"^---[ \t]*\n", re.M)

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

    def line(self, *keys: str | int) -> int:
        """The line of the deepest key of `keys` the file has, else of its first line."""
        for end in range(len(keys), 0, -1):
            if keys[:end] in self.lines:
                return self.lines[keys[:end]]
        return 1


def display_path(path: Path) -> str:
    """A path as a curator would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def find_articles(content_dir: Path) -> list[str]:
    """Every `articles/**.md` file, relative to `content_dir`, in a stable order.

    Stable so reports and output never shuffle; text rather than Path objects,
    which at tens of thousands of files cost more than reading cached files.
    """
    found: list[tuple[str, ...]] = []
    for dirpath, dirnames, filenames in os.walk(content_dir / "articles"):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folder = tuple(os.path.relpath(dirpath, content_dir).split(os.sep))
        found.extend((*folder, f) for f in filenames if f.endswith(".md"))
    found.sort()
    return [os.sep.join(parts) for parts in found]


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

    Values are built in the same walk that records line numbers: PyYAML's own
    constructor is pure Python and would double the cost of every file.
    """
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        data = None
        if node is not None:
            data = _construct(node, (), _Walk(loader, first_line, lines, path))
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
    finally:
        loader.dispose()
    return data, lines


@dataclass
class _Walk:
    loader: yaml.SafeLoader
    first_line: int
    lines: dict[KeyPath, int]
    path: str
    seen: set[int] = field(default_factory=set)

    def fail(self, node: yaml.Node | None, message: str) -> InvalidContent:
        """The error that stops this file, at `node`'s line (or the front matter's first)."""
        line = self.first_line + (node.start_mark.line if node is not None else 0)
        return InvalidContent(ContentError(self.path, line, Level.ERROR, message))


_STR_TAG = "tag:yaml.org,2002:str"


def _construct(node: yaml.Node, at: KeyPath, walk: _Walk) -> Any:
    """A node's value, recording the line of every key and list item on the way.

    Aliases are refused: front matter never needs them, and they are how a
    few lines of YAML expand into gigabytes.
    """
    if id(node) in walk.seen:
        raise walk.fail(node, "YAML anchors and aliases are not allowed in front matter")
    walk.seen.add(id(node))
    if len(walk.seen) > MAX_YAML_NODES:
        raise walk.fail(None, "front matter is too large")
    if isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if key_node.tag == _STR_TAG else _construct(key_node, at, walk)
            if not isinstance(key, str | int | bool | float) or key is None:
                raise walk.fail(key_node, "front matter keys must be plain names")
            here = (*at, str(key))
            walk.lines[here] = walk.first_line + key_node.start_mark.line
            mapping[key] = _construct(value_node, here, walk)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            walk.lines[(*at, i)] = walk.first_line + item.start_mark.line
            items.append(_construct(item, (*at, i), walk))
        return items
    if node.tag == _STR_TAG:
        return node.value
    return walk.loader.construct_object(node, deep=True)


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
        return ContentError(
            path,
            1,
            Level.ERROR,
            "no front matter: the file must start with a '---' line, then YAML, then '---'",
        )
    source, first_line, body = parts
    try:
        meta, lines = parse_yaml(source, first_line, path)
    except InvalidContent as exc:
        return exc.problem
    if not isinstance(meta, dict):
        return ContentError(
            path, first_line, Level.ERROR, "front matter must be a mapping of keys to values"
        )
    return RawArticle(path=path, name=name, meta=meta, lines=lines, body=body)
