"""One picture over HTTP, for the one command that may use the network (`digest import --fetch`).

Nothing else in the project fetches: builds and checks read only the content
folder. The fetch has a timeout, takes pictures only, and says plainly when the
machine is offline, so that an import never hangs or fails on a missing logo.
"""

from __future__ import annotations

import urllib.error
import urllib.request

TIMEOUT_SECONDS = 10
# Larger than any logo or featured picture of the seed's site.
MAX_PICTURE_BYTES = 5_000_000


class FetchFailed(Exception):
    """Why a picture could not be had, in words for the import's report."""


def fetch_picture(url: str) -> bytes:
    """The bytes at `url`, when it answers with a picture within the limits."""
    request = urllib.request.Request(url, headers={"User-Agent": "news-digest-import"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            kind = response.headers.get_content_type()
            if not kind.startswith("image/"):
                raise FetchFailed(f"{url} answered with {kind}, not a picture")
            data = response.read(MAX_PICTURE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise FetchFailed(f"{url} answered {exc.code} {exc.reason}") from None
    except TimeoutError:
        raise FetchFailed(f"{url} did not answer within {TIMEOUT_SECONDS} s") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchFailed(
            f"cannot reach {url} ({reason}); offline? run the import again when online"
        ) from None
    if len(data) > MAX_PICTURE_BYTES:
        raise FetchFailed(f"{url} is over {MAX_PICTURE_BYTES} bytes")
    return data
