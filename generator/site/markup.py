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
"""

from __future__ import annotations

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


def render_note(body: str) -> str:
    """Sanitised HTML for a Markdown note; an empty body gives an empty string."""
    if not body.strip():
        return ""
    html = markdown_to_html_with_extensions(body, _CMARK_OPTIONS, _CMARK_EXTENSIONS)
    return nh3.clean(
        html,
        tags=set(NOTE_TAGS),
        attributes={k: set(v) for k, v in NOTE_ATTRIBUTES.items()},
        url_schemes=set(NOTE_URL_SCHEMES),
        link_rel="noopener noreferrer",
    )
