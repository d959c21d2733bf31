"""Pure: every page URL in, `sitemap.xml` bytes out.

MkDocs writes a sitemap of the pages it renders itself; most of the digest's
pages are written by the adapter, so the sitemap is made here from the full
list, dated by the newest story so that rebuilding the same content gives the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
from collections.abc import Iterable
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def build_sitemap(site_url: str, urls: Iterable[str], lastmod: dt.datetime) -> bytes:
    """A sitemap of site-relative `urls`, each dated `lastmod` (the newest story's date).

    `site_url` ends with `/` and the URLs are the generator's own (no leading
    `/`, no `..`), so each location is the two joined. Written as text, in
    the very bytes lxml's serialiser gives (`tests/test_sitemap.py` holds it
    to that): a tree of 60,000 elements for 20,000 pages cost a sixth of a
    second, on every build and every preview of a new story.
    """
    day = lastmod.astimezone(dt.UTC).date().isoformat()
    tail = f"</loc>\n    <lastmod>{day}</lastmod>\n  </url>\n"
    parts = [f"<?xml version='1.0' encoding='UTF-8'?>\n<urlset xmlns=\"{NAMESPACE}\">\n"]
    parts.extend(f"  <url>\n    <loc>{escape(site_url + url)}{tail}" for url in urls)
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def gzipped(data: bytes, mtime: dt.datetime) -> bytes:
    """`data` gzipped with a fixed header time, so the bytes depend on the content only.

    At zlib's default level: the top level costs much more time for a file
    hardly smaller.
    """
    buffer = io.BytesIO()
    stamp = int(mtime.timestamp())
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=stamp) as fh:
        fh.write(data)
    return buffer.getvalue()
