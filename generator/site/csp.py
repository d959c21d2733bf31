"""A Content-Security-Policy for each page, so that a script the page does not name never runs.

Stories are sanitised before they reach a page, so no script should ever be
in one but the theme's; the policy is the second wall, should anything get
past the first. Static hosts such as GitHub Pages send no headers of our
choosing, so it goes in a `<meta http-equiv>` at the top of `<head>`.

Scripts run only from the site itself and, inline, exactly those the page was
rendered with (by their SHA-256, worked out here from the page). Pagefind runs
its WebAssembly in a worker of its own, which the page's policy does not
govern. Styles may be inline (the theme sets its fonts so), fonts come from
Google's only on pages that link them, and images come from anywhere, since
sources' logos are on their own sites.
"""

from __future__ import annotations

import base64
import hashlib
import re

# Inline scripts a browser runs: no `src`, and no `type` other than JavaScript's.
_INLINE_SCRIPT = re.compile(
    r"<script(?P<attrs>(?:\s+(?!src\b)[\w-]+(?:=\"[^\"]*\"|='[^']*'|=[^\s>]+)?)*)\s*>"
    r"(?P<body>.*?)</script>",
    re.S,
)
_TYPE = re.compile(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_HEAD = re.compile(r"<head>\s*(<meta charset=\"utf-8\">)?", re.I)
_POLICY = (
    "default-src 'self'; script-src 'self'{scripts}; "
    "style-src 'self' 'unsafe-inline'{styles}; "
    "font-src 'self'{fonts}; img-src 'self' https: http: data:; "
    "connect-src 'self'{styles}; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)
# Material links Google Fonts unless mkdocs.yml sets `font: false`; only then may pages reach them.
_GOOGLE_FONTS = "https://fonts.googleapis.com/"


def with_policy(html: str) -> str:
    """`html` with its policy as the first element of `<head>` (after the charset)."""
    head = _HEAD.search(html)
    if head is None:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return html[: head.end()] + meta + html[head.end() :]


def policy(html: str) -> str:
    """The policy that lets exactly the page's own inline scripts run."""
    hashes = sorted({_sha256(body) for body in inline_scripts(html)})
    google = _GOOGLE_FONTS in html
    return _POLICY.format(
        scripts="".join(" " + h for h in hashes),
        styles=" https://fonts.googleapis.com" if google else "",
        fonts=" https://fonts.gstatic.com" if google else "",
    )


def inline_scripts(html: str) -> list[str]:
    """The bodies of the inline scripts a browser would run, in order."""
    found = []
    for match in _INLINE_SCRIPT.finditer(html):
        kind = _TYPE.search(match["attrs"])
        if kind is None or kind[1].lower() in ("text/javascript", "module"):
            found.append(match["body"])
    return found


def _sha256(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
