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

from lxml import etree

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def build_sitemap(site_url: str, urls: Iterable[str], lastmod: dt.datetime) -> bytes:
    """A sitemap of site-relative `urls`, each dated `lastmod` (the newest story's date).

    `site_url` ends with `/` and the URLs are the generator's own (no leading
    `/`, no `..`), so each location is the two joined.
    """
    root = etree.Element("urlset", nsmap={None: NAMESPACE})
    day = lastmod.astimezone(dt.UTC).date().isoformat()
    for url in urls:
        entry = etree.SubElement(root, "url")
        etree.SubElement(entry, "loc").text = site_url + url
        etree.SubElement(entry, "lastmod").text = day
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def gzipped(data: bytes, mtime: dt.datetime) -> bytes:
    """`data` gzipped with a fixed header time, so the bytes depend on the content only."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=int(mtime.timestamp())) as fh:
        fh.write(data)
    return buffer.getvalue()
