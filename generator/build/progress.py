"""Progress bars for the long phases of a large build: on a terminal only, never in CI or pipes."""

from __future__ import annotations

import os
import sys

from tqdm import tqdm


def progress(total: int, unit: str, desc: str) -> tqdm:
    """A bar with counts and time left, shown only once a phase has run for two seconds.

    Short builds stay quiet, and so do CI logs and piped output, where a
    redrawn line is noise.
    """
    quiet = bool(os.environ.get("CI")) or not sys.stderr.isatty()
    return tqdm(
        total=total,
        unit=f" {unit}",
        desc=desc,
        delay=2,
        disable=quiet,
        leave=False,
        file=sys.stderr,
    )
