"""One story, one address: URLs normalised so that two links to the same story compare equal.

Curators paste links from browsers, newsletters and social media, so the
same story arrives as `https://www.Example.com/a/?utm_source=x`,
`http://example.com:80/a#top` and `https://example.com/a`. Duplicate
detection compares the normalised form made here; it is a key, never a
link: nothing shown to readers is rewritten.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

# Query parameters that say where a click came from, never which page it is.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "mkt_tok",
        "ocid",
        "cmpid",
        "smid",
        "ref_src",
        "ref_url",
        # Medium's `?source=topic_page---…`, Engadget's `?src=rss`, the common `?ref=hn`.
        "source",
        "src",
        "ref",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SLASHES = re.compile(r"/+$")


def is_tracking(name: str) -> bool:
    """Whether a query parameter only tracks the click (`utm_source`, `fbclid`, …)."""
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def story_key(url: str) -> str:
    """The form of an http(s) URL that is equal for every way of writing the same story's address.

    Ignored: the scheme (http and https lead to the same story) and the case
    of the host, a leading `www.`, a default port, trailing slashes, the
    fragment, tracking parameters and the order of the other parameters.
    The path's case is kept: servers may tell `/A` from `/a`.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".")
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = _SLASHES.sub("", parts.path)
    query = ""
    if parts.query:
        params = parse_qsl(parts.query, keep_blank_values=True)
        query = urlencode(sorted(p for p in params if not is_tracking(p[0])))
    return f"//{host}{path}?{query}" if query else f"//{host}{path}"
