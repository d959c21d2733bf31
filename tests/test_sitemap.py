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

from generator.site.sitemap import NAMESPACE, build_sitemap

# Characters XML 1.0 allows in text (no controls, surrogates or non-characters).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn")), max_size=20)


def lxml_sitemap(site_url: str, urls: list[str], lastmod: dt.datetime) -> bytes:
    root = etree.Element("urlset", nsmap={None: NAMESPACE})
    day = lastmod.astimezone(dt.UTC).date().isoformat()
    for url in urls:
        entry = etree.SubElement(root, "url")
        etree.SubElement(entry, "loc").text = site_url + url
        etree.SubElement(entry, "lastmod").text = day
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


@settings(max_examples=300, deadline=None)
@given(
    site=TEXT.map(lambda s: f"https://example.org/{s}/"),
    urls=st.lists(TEXT, min_size=1, max_size=5),
    lastmod=st.datetimes(timezones=st.timezones()),
)
def test_the_sitemap_is_what_lxml_writes(site: str, urls: list[str], lastmod: dt.datetime):
    assert build_sitemap(site, urls, lastmod) == lxml_sitemap(site, urls, lastmod)


def test_markup_in_urls_is_escaped():
    when = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    data = build_sitemap("https://example.org/a&b/", ["x<y>/"], when)
    assert b"<loc>https://example.org/a&amp;b/x&lt;y&gt;/</loc>" in data
    assert etree.fromstring(data).findtext(f"{{{NAMESPACE}}}url/{{{NAMESPACE}}}loc") == (
        "https://example.org/a&b/x<y>/"
    )
