"""The plugin's typed options, as set under `plugins: - digest:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class DigestConfig(base.Config):
    enabled = c.Type(bool, default=True)
    home_limit = c.Type(int, default=50)
    per_page = c.Type(int, default=25)
    topic_stories = c.Type(int, default=5)
    timezone = c.Type(str, default="UTC")
    drafts = c.Type(bool, default=False)
    # Show stories dated in the future (scheduled) now, instead of from their time on.
    future = c.Type(bool, default=False)
    # Parsed stories are kept here between builds (relative to mkdocs.yml's folder).
    cache = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache/digest")
    feed_limit = c.Type(int, default=50)
    daily_days = c.Type(int, default=30)
    # Stories one search index may hold before search is split into shards (see search.py).
    search_shard_size = c.Type(int, default=8000)
