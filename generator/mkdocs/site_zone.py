"""The site's time zone as mkdocs.yml sets it, for the commands that do not load MkDocs.

`digest check` judges a story's file-name day against the day its page shows,
which is the day in the site's zone; loading MkDocs' whole configuration (the
theme, every plugin) to learn one option would add half a second to a check
that takes less.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

DEFAULT_ZONE = "UTC"


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's `!ENV` and `!!python/name:` values as nothing, instead of failing."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, s, node: None)


def site_zone(config_file: Path) -> ZoneInfo:
    """The digest plugin's `timezone` in `config_file`; the default when it sets none.

    Raises ValueError, with what to fix, for a file that cannot be read or a zone that
    does not exist; MkDocs checks the same option when it builds.
    """
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{config_file}: cannot be read as YAML ({exc})") from None
    plugins = data.get("plugins") if isinstance(data, dict) else None
    entries = plugins.items() if isinstance(plugins, dict) else plugins or []
    options: object = None
    for entry in entries:
        if isinstance(entry, tuple) and entry[0] == "digest":
            options = entry[1]
        elif isinstance(entry, dict) and "digest" in entry:
            options = entry["digest"]
    zone = options.get("timezone", DEFAULT_ZONE) if isinstance(options, dict) else DEFAULT_ZONE
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(
            f"{config_file}: the digest plugin's timezone {zone!r} is not a time zone; "
            "give an IANA name such as UTC or Europe/Berlin"
        ) from None
