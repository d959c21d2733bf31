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
