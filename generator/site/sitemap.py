"""Pure: every page's URL and date in, the sitemap's bytes out.

MkDocs writes a sitemap of the pages it renders itself; most of the digest's
pages are not, so the sitemap is made here from the full list. Each URL is
dated by when what its page shows last changed (a story: its date; a list:
its newest story), so a crawler comes back for what changed and only that,
and rebuilding the same content gives the same bytes. The protocol allows
50,000 URLs a file: past that, `sitemap.xml` is an index of one file per
year (`sitemaps/2024.xml`; a year too big for one file is split).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
# URLs one sitemap file may hold (sitemaps.org); past it, an index of files.
URL_LIMIT = 50_000
SITEMAP = "sitemap.xml"
PARTS_FOLDER = "sitemaps"
_HEAD = "<?xml version='1.0' encoding='UTF-8'?>\n"

# A URL inside the site and its W3C date (YYYY-MM-DD), or None for a page with no date.
Entry = tuple[str, str | None]


def w3c_day(moment: dt.datetime | None) -> str | None:
    """The UTC day of `moment` as the protocol writes dates."""
    return moment.astimezone(dt.UTC).date().isoformat() if moment is not None else None


def build_sitemap(site_url: str, entries: Iterable[Entry]) -> bytes:
    """A sitemap of site-relative URLs, each with its own `lastmod` when it has a date.

    `site_url` ends with `/` and the URLs are the generator's own (no leading
    `/`, no `..`), so each location is the two joined. Written as text, in
    the very bytes lxml's serialiser gives (`tests/test_sitemap.py` holds it
    to that): a tree of elements for every page is a cost on every build and
    every preview of a new story.
    """
    parts = [f'{_HEAD}<urlset xmlns="{NAMESPACE}">\n']
    parts.extend(_element("url", site_url + url, day) for url, day in entries)
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def build_sitemap_index(site_url: str, files: Iterable[Entry]) -> bytes:
    """The index of sitemap files (paths inside the site), each dated by its newest page."""
    parts = [f'{_HEAD}<sitemapindex xmlns="{NAMESPACE}">\n']
    parts.extend(_element("sitemap", site_url + path, day) for path, day in files)
    parts.append("</sitemapindex>\n")
    return "".join(parts).encode("utf-8")


def split_by_year(entries: Sequence[Entry], limit: int = URL_LIMIT) -> dict[str, list[Entry]]:
    """Entries in files of at most `limit`, by the year of their date: file path → entries.

    By year, so that a new story changes the file of its year and the index,
    never the files of earlier years. Pages without a date go with the
    newest year's.
    """
    years: dict[str, list[Entry]] = {}
    newest = max((day[:4] for _, day in entries if day), default="0000")
    for entry in entries:
        years.setdefault(entry[1][:4] if entry[1] else newest, []).append(entry)
    files: dict[str, list[Entry]] = {}
    for year in sorted(years):
        found = years[year]
        chunks = [found[start : start + limit] for start in range(0, len(found), limit)]
        for number, chunk in enumerate(chunks, start=1):
            name = year if len(chunks) == 1 else f"{year}-{number}"
            files[f"{PARTS_FOLDER}/{name}.xml"] = chunk
    return files


def newest_day(entries: Iterable[Entry]) -> str | None:
    return max((day for _, day in entries if day), default=None)


def _element(tag: str, location: str, day: str | None) -> str:
    dated = f"\n    <lastmod>{day}</lastmod>" if day else ""
    return f"  <{tag}>\n    <loc>{escape(location)}</loc>{dated}\n  </{tag}>\n"


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
