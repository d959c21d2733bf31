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


class InvalidContent(Exception):
    """Raised where a file cannot be read any further; carries the one problem that stopped it."""

    def __init__(self, problem: ContentError):
        super().__init__(str(problem))
        self.problem = problem
