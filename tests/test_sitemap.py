"""The sitemap is written as text: it must be, byte for byte, what lxml's serialiser writes.

lxml builds the same document as a tree (the way the sitemap was first
made); Hypothesis tries site URLs and page URLs with markup characters,
non-Latin letters and spaces in them.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.build.site_files import plan_site_files
from generator.content.corpus import load_corpus
from generator.site.feeds import FeedSettings, FeedSite
from generator.site.index import build_index
from generator.site.pages import PageSettings, build_pages
from generator.site.sitemap import (
    NAMESPACE,
    build_sitemap,
    build_sitemap_index,
    split_by_year,
    w3c_day,
)
from support import FIXTURES

LOC, LASTMOD = f"{{{NAMESPACE}}}loc", f"{{{NAMESPACE}}}lastmod"

# Characters XML 1.0 allows in text (no controls, surrogates or non-characters).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn")), max_size=20)


DAYS = st.none() | st.dates().map(lambda d: d.isoformat())


def lxml_sitemap(site_url: str, entries: list, root_tag: str = "urlset", tag: str = "url"):
    root = etree.Element(root_tag, nsmap={None: NAMESPACE})
    for url, day in entries:
        entry = etree.SubElement(root, tag)
        etree.SubElement(entry, "loc").text = site_url + url
        if day:
            etree.SubElement(entry, "lastmod").text = day
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


@settings(max_examples=300, deadline=None)
@given(
    site=TEXT.map(lambda s: f"https://example.org/{s}/"),
    entries=st.lists(st.tuples(TEXT, DAYS), min_size=1, max_size=5),
)
def test_the_sitemap_and_its_index_are_what_lxml_writes(site: str, entries: list):
    assert build_sitemap(site, entries) == lxml_sitemap(site, entries)
    index = lxml_sitemap(site, entries, "sitemapindex", "sitemap")
    assert build_sitemap_index(site, entries) == index


def test_markup_in_urls_is_escaped():
    data = build_sitemap("https://example.org/a&b/", [("x<y>/", "2024-03-01")])
    assert b"<loc>https://example.org/a&amp;b/x&lt;y&gt;/</loc>" in data
    assert etree.fromstring(data).findtext(f"{{{NAMESPACE}}}url/{{{NAMESPACE}}}loc") == (
        "https://example.org/a&b/x<y>/"
    )


def test_a_date_is_the_utc_day():
    tokyo = dt.timezone(dt.timedelta(hours=9))
    assert w3c_day(dt.datetime(2024, 3, 1, 8, 0, tzinfo=tokyo)) == "2024-02-29"
    assert w3c_day(None) is None


def test_past_the_limit_the_files_go_by_year_and_a_big_year_is_split():
    entries = [(f"a{i}/", f"2023-0{1 + i % 9}-01") for i in range(5)]
    entries += [(f"b{i}/", "2024-05-01") for i in range(7)] + [("topics/", None)]
    files = split_by_year(entries, limit=3)
    assert list(files) == [
        "sitemaps/2023-1.xml",
        "sitemaps/2023-2.xml",
        "sitemaps/2024-1.xml",
        "sitemaps/2024-2.xml",
        "sitemaps/2024-3.xml",
    ]
    assert all(len(part) <= 3 for part in files.values())
    assert sorted(e for part in files.values() for e in part) == sorted(entries)
    # Undated pages go with the newest year; earlier years never hold a 2024 page.
    assert ("topics/", None) in files["sitemaps/2024-3.xml"]
    assert all(day.startswith("2023") for part in list(files.values())[:2] for _, day in part)


def test_a_site_past_the_limit_gets_a_sitemap_index_of_yearly_files():
    """The fixture's pages, planned with a limit below their number: every page is in
    exactly one yearly file, and the index lists each file dated by its newest page."""
    corpus = load_corpus(FIXTURES / "valid", None)
    index = build_index(corpus.accepted, corpus.topics, dt.UTC)
    pages = build_pages(index, PageSettings())
    site = FeedSite("T", "", "https://example.org/s/")
    planned = {
        f.path: f
        for f in plan_site_files(index, site, FeedSettings(), pages, PageSettings().per_page, 4)
    }
    top = etree.fromstring(planned["sitemap.xml"].make())
    assert top.tag == f"{{{NAMESPACE}}}sitemapindex"
    listed = {
        s.findtext(f"{{{NAMESPACE}}}loc").removeprefix(site.url): s.findtext(
            f"{{{NAMESPACE}}}lastmod"
        )
        for s in top
    }
    assert len(listed) >= 3 and all(path.startswith("sitemaps/") for path in listed)
    located = []
    for path, day in listed.items():
        part = etree.fromstring(planned[path].make())
        days = [u.findtext(LASTMOD) for u in part]
        assert len(days) <= 4 and day == max(d for d in days if d), path
        located += [u.findtext(LOC).removeprefix(site.url) for u in part]
    assert sorted(located) == sorted(page.url for page in pages)
