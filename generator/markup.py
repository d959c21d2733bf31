"""The curator's note: Markdown rendered to a small, inert subset of HTML.

Notes come from pull requests by people we do not know, so the rendered HTML
goes through nh3 (the ammonia sanitiser) against an allowlist before it
reaches a page or a feed; nothing a note holds can run in a reader's browser.
"""

from __future__ import annotations

import markdown
import nh3

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

_md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def render_note(body: str) -> str:
    """Sanitised HTML for a Markdown note; an empty body gives an empty string."""
    if not body.strip():
        return ""
    html = _md.reset().convert(body)
    return nh3.clean(
        html,
        tags=set(NOTE_TAGS),
        attributes={k: set(v) for k, v in NOTE_ATTRIBUTES.items()},
        url_schemes=set(NOTE_URL_SCHEMES),
        link_rel="noopener noreferrer",
    )
