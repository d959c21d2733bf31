"""The build's "now": the one input of a build that is not a file.

Only scheduled stories depend on it. A SOURCE_DATE_EPOCH the user sets
(reproducible builds) stands for the clock, so a build can be repeated
byte for byte, or previewed as of a later date.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

EPOCH_ENV = "SOURCE_DATE_EPOCH"


def build_time(environ: Mapping[str, str] = os.environ) -> dt.datetime:
    """SOURCE_DATE_EPOCH as an aware UTC time when set, else the real clock."""
    epoch = environ.get(EPOCH_ENV, "").strip()
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def date_outputs(newest: dt.datetime | None) -> str | None:
    """Date the engine's own outputs by the newest story, for the build's length.

    Engines (MkDocs among them) date what they write from SOURCE_DATE_EPOCH; the
    newest story's time makes the whole site a function of its content. A
    SOURCE_DATE_EPOCH the user set is theirs to keep. Gives what to restore.
    """
    saved = os.environ.get(EPOCH_ENV)
    if saved is None:
        os.environ[EPOCH_ENV] = str(int(newest.timestamp())) if newest else "0"
    return saved


def restore_epoch(saved: str | None) -> None:
    """SOURCE_DATE_EPOCH as it was before `date_outputs`."""
    if saved is None:
        os.environ.pop(EPOCH_ENV, None)
    else:
        os.environ[EPOCH_ENV] = saved
