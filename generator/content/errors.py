"""Content problems, reported all at once in the `path:line: level: message` form.

Curators fix files in an editor, and editors and CI annotators understand this
form, so every problem carries the file and the line of the offending key.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one input file; ordered by (path, line) for stable reports."""

    path: str
    line: int
    level: Level
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"

    def annotation(self, level: Level | None = None) -> str:
        """The problem as a GitHub Actions workflow command, shown on the pull request's diff.

        `level` overrides the problem's own (`--strict` shows warnings as errors).
        """
        path = _escape(self.path, in_property=True)
        return f"::{level or self.level} file={path},line={self.line}::{_escape(self.message)}"


def _escape(text: str, in_property: bool = False) -> str:
    """Escape a workflow command's value: `%` and line ends, and in a property `:` and `,`."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if in_property else text


class InvalidContent(Exception):
    """Raised where a file cannot be read any further; carries the one problem that stopped it."""

    def __init__(self, problem: ContentError):
        super().__init__(str(problem))
        self.problem = problem
