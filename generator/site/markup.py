"""The curator's note: Markdown rendered to a small, inert subset of HTML.

Notes come from pull requests by people we do not know, so the rendered HTML
goes through nh3 (the ammonia sanitiser) against an allowlist before it
reaches a page or a feed; nothing a note holds can run in a reader's browser.

The Markdown is GitHub's (cmark-gfm, through cmarkgfm): what the pull
request's preview shows is what readers get, and cmark runs in linear time
on any input, where Python-Markdown takes minutes over a few kilobytes of
`[a[a[a…` and overflows the stack on deeply nested lists. Raw HTML passes
through cmark so that nh3, not the Markdown engine, decides what stays. The
one thing neither bounds is nesting depth (html5ever's cost grows with it),
hence `MAX_NOTE_CHARS` in `generator.content.validate`.

A note's own links may be relative: to its story's page (`../../28/x/`) or to
the site's root (`/news/2024/…`, as curators write them). Each place a note
is shown decides what those become (`render_note`'s `link`): on the story's
page, a path from that page, so the site works under a sub-path and in a
preview; in a feed, read away from the site, an absolute URL.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import urljoin

import nh3
from cmarkgfm import markdown_to_html_with_extensions
from cmarkgfm.cmark import Options

NOTE_TAGS = frozenset(
    [
        "p",
        "a",
        "em",
        "strong",
        "b",
        "i",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "br",
        "hr",
        "h3",
        "h4",
        "h5",
        "h6",
        "del",
        "sup",
        "sub",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "abbr",
    ]
)
NOTE_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
NOTE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# GitHub's extensions but its tag filter, which would show `<script>…` as text where nh3
# removes it with its content.
_CMARK_EXTENSIONS = ["table", "autolink", "strikethrough", "tasklist"]
_CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_GITHUB_PRE_LANG


def render_note(body: str, link: Callable[[str], str] | None = None) -> str:
    """Sanitised HTML for a Markdown note; an empty body gives an empty string.

    `link` gives what each relative URL of the note becomes (see the module).
    """
    if not body.strip():
        return ""
    html = markdown_to_html_with_extensions(body, _CMARK_OPTIONS, _CMARK_EXTENSIONS)
    return nh3.clean(
        html,
        tags=set(NOTE_TAGS),
        attributes={k: set(v) for k, v in NOTE_ATTRIBUTES.items()},
        url_schemes=set(NOTE_URL_SCHEMES),
        link_rel="noopener noreferrer",
        url_relative=link,
    )


def page_link(page: str) -> Callable[[str], str]:
    """A note's relative URLs as shown on the page at site path `page`: one from the site's
    root (`/news/…`) becomes a path from the page; the others already are one."""
    here = "/" + page

    def link(url: str) -> str:
        if not _from_root(url):
            return url
        path, rest = split_url(url)
        relative = posixpath.relpath(path, here)
        return ("./" if relative == "." else relative + "/" * path.endswith("/")) + rest

    return link


def absolute_link(page: str, site_url: str) -> Callable[[str], str]:
    """A note's relative URLs as absolute ones, for feeds: `site_url` is the site's root
    (ending in `/`), `page` the site path of the note's story."""

    def link(url: str) -> str:
        return site_url + url[1:] if _from_root(url) else urljoin(site_url + page, url)

    return link


def _from_root(url: str) -> bool:
    """`/news/…`: from the site's root (`//host/…` names another host)."""
    return url.startswith("/") and not url.startswith("//")


def split_url(url: str) -> tuple[str, str]:
    """(path, `?query#fragment`) of a URL."""
    cut = min((at for at in (url.find("?"), url.find("#")) if at >= 0), default=len(url))
    return url[:cut], url[cut:]
