"""What may live in the content folder besides the stories, and what a build may publish of it.

Whatever MkDocs finds in its docs folder it publishes: a Markdown page
rendered without the stories' sanitising, an HTML file as it is, any file a
symbolic link points to (`leak.txt -> /etc/passwd`). A pull request could put
any of these there. So the content folder holds only:

- `articles/`, the stories (read by the loader, never published as files);
- `topics.yml` and `article.schema.json` (read, never published);
- pictures of the kinds in `IMAGE_SUFFIXES`, published as they are, and
  `CNAME` / `robots.txt` at the top, which hosts read from the site.

Anything else is an error at its path, in `digest check` and in every build
alike. A symbolic link is followed only to a file inside the content folder;
hidden files and folders are never published (MkDocs leaves them out), so
they are not looked at.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from generator.content.errors import ContentError, Level
from generator.content.loader import MAX_FILE_BYTES

ARTICLES = "articles"
# Read by the build; never files of the site.
INPUTS = frozenset({"topics.yml", "article.schema.json"})
# Files that hosts read from a site's top (GitHub Pages' custom domain, crawlers' rules).
SITE_FILES = frozenset({"CNAME", "robots.txt"})
# Pictures a browser shows and never runs. Not SVG: opened on its own, it runs its scripts.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico"})
_ALLOWED = (
    "content/ holds articles/, topics.yml, pictures ("
    + ", ".join(sorted(IMAGE_SUFFIXES))
    + ") and CNAME or robots.txt at its top"
)


LINK_OUT = (
    "a symbolic link to a file outside the content folder, which builds never follow; "
    "copy the file in instead"
)


@dataclass(frozen=True)
class ContentFiles:
    """The content folder's files besides the stories: those a build publishes, and problems."""

    published: frozenset[str]
    problems: tuple[ContentError, ...]


def content_files(content_dir: Path, shown: str) -> ContentFiles:
    """Walk `content_dir` (without `articles/` and hidden entries), sorting files into the
    published and the refused; `shown` is how reports name the folder (`content/`)."""
    root = os.path.realpath(content_dir)
    published: set[str] = set()
    problems: list[ContentError] = []
    for folder, dirnames, filenames in os.walk(content_dir):
        relative = os.path.relpath(folder, content_dir)
        inside = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        kept = []
        for name in sorted(dirnames):
            if name.startswith(".") or (not inside and name == ARTICLES):
                continue
            if os.path.islink(os.path.join(folder, name)):
                problems.append(_error(shown + inside + name, _link_problem(folder, name, root)))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith(".") or (not inside and name in INPUTS):
                continue  # never published; the inputs' readers report their problems
            why = _file_problem(folder, inside, name, root)
            if why is None:
                published.add(inside + name)
            else:
                problems.append(_error(shown + inside + name, why))
    return ContentFiles(frozenset(published), tuple(problems))


def _file_problem(folder: str, inside: str, name: str, root: str) -> str | None:
    """Why the file `name` in `folder` may not be in the content folder, or None."""
    path = os.path.join(folder, name)
    if os.path.islink(path):
        real = os.path.realpath(path)
        if not os.path.isfile(real) or not within(real, root):
            return _link_problem(folder, name, root)
    suffix = os.path.splitext(name)[1].lower()
    if inside == "" and name in SITE_FILES:
        return None
    if suffix in IMAGE_SUFFIXES:
        return None
    if suffix in (".md", ".markdown", ".html", ".htm"):
        return (
            f"pages other than the stories are not published ({_ALLOWED}); "
            "a story goes under articles/, anything else out of content/"
        )
    return f"not a file the site may publish ({_ALLOWED}); move it out of content/"


def _link_problem(folder: str, name: str, root: str) -> str:
    real = os.path.realpath(os.path.join(folder, name))
    if not os.path.exists(real):
        return "a symbolic link to nothing; remove it"
    if os.path.isdir(real):
        return "a symbolic link to a folder, which builds never follow; copy the files in"
    return LINK_OUT


def within(path: str, root: str) -> bool:
    """Whether the real path `path` is `root` or inside it."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _error(path: str, message: str) -> ContentError:
    return ContentError(path, 1, Level.ERROR, message)


def file_status(file: str, root: str) -> os.stat_result | str:
    """The status of a file in the content folder (real path `root`) that may be read, or
    why it may not.

    `lstat` costs what `stat` does, so a regular file (nearly every story) is
    looked at once; only a symbolic link is looked at again. Refused before a
    byte is read: a link out of the content folder (`-> /etc/passwd`), what is
    no regular file (`-> /dev/zero` would be read for ever), and a file over
    the size limit.
    """
    try:
        found = os.lstat(file)
        if stat.S_ISLNK(found.st_mode):
            if not within(os.path.realpath(file), root):
                return LINK_OUT
            found = os.stat(file)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not stat.S_ISREG(found.st_mode):
        return "not a regular file; content files are text files or pictures"
    if found.st_size > MAX_FILE_BYTES:
        return f"file is {found.st_size} bytes; the limit is {MAX_FILE_BYTES}"
    return found


def read_file(file: str) -> bytes | str:
    """The bytes of a file `file_status` allowed, or why they could not be read."""
    try:
        # Unbuffered: one read of the whole file, nearly twice as fast as read_bytes().
        with open(file, "rb", buffering=0) as f:
            return f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
