"""Source logos kept on the site's own host, so that opening a page asks no other site.

Stories name their source's logo by its address on the source's site (or the seed's).
Linked as it is, every card of every page would tell those sites of each reader's visit.
`digest fetch-logos`, the one command besides `import --fetch` that uses the network,
saves each logo once in the logo folder (`LOGO_DIR`, kept between deploys like a cache);
builds read that folder only, publish the copies beside the pages (`LOGO_SITE_FOLDER`)
and show the source's initial for a logo not saved yet. A saved logo is never fetched
again, so the same folder always gives the same site.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from generator.content.article import Article

# Relative to mkdocs.yml's folder (the plugin's `logo_dir`), or to the working folder for
# `digest fetch-logos` without `-f`.
LOGO_DIR = ".cache/logos"
LOGO_SITE_FOLDER = "assets/logos/"
# What a saved logo may be, told by its first bytes, never by what the server says: only
# pictures a browser shows and never runs (no SVG: opened alone, it runs its scripts).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
    (b"\x00\x00\x01\x00", ".ico"),
)


def picture_suffix(data: bytes) -> str | None:
    """The file suffix of a PNG, JPEG, GIF, WebP, AVIF or icon; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return ".avif"
    return next((suffix for magic, suffix in _SIGNATURES if data.startswith(magic)), None)


def logo_key(url: str) -> str:
    """The name a logo is saved under (before its suffix): its address, hashed."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]


def remote_logos(articles: Iterable[Article]) -> list[str]:
    """The logos of the published stories' sources that live on another site."""
    urls = {
        a.provider.logo.url for a in articles if not a.is_draft and a.provider and a.provider.logo
    }
    return sorted(url for url in urls if url.lower().startswith(("http://", "https://")))


def saved_logos(folder: Path | None) -> dict[str, str]:
    """The logos in `folder` (none when it does not exist): file name by `logo_key`."""
    if folder is None or not folder.is_dir():
        return {}
    saved = {}
    for entry in os.scandir(folder):
        key, suffix = os.path.splitext(entry.name)
        if entry.is_file() and len(key) == 24 and suffix:
            saved[key] = entry.name
    return saved
