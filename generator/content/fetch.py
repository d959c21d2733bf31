"""One picture over HTTP, for the commands that may use the network (`digest import
--fetch`, `digest fetch-logos`).

Nothing else in the project fetches: builds and checks read only the content
folder and what those commands saved. The fetch has a timeout, takes pictures only,
and says plainly when the machine is offline, so that a command never hangs or fails
on a missing logo.
"""

from __future__ import annotations

import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.logos import logo_key, picture_suffix, saved_logos

TIMEOUT_SECONDS = 10
# Larger than any logo or featured picture of the seed's site.
MAX_PICTURE_BYTES = 5_000_000


class FetchFailed(Exception):
    """Why a picture could not be had, in words for the import's report."""


def fetch_picture(url: str) -> bytes:
    """The bytes at `url`, when it answers with a picture within the limits."""
    request = urllib.request.Request(url, headers={"User-Agent": "news-digest"})
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
            f"cannot reach {url} ({reason}); offline? run the command again when online"
        ) from None
    if len(data) > MAX_PICTURE_BYTES:
        raise FetchFailed(f"{url} is over {MAX_PICTURE_BYTES} bytes")
    return data


@dataclass
class FetchReport:
    """What `fetch_logos` did: logos saved now, those already saved, and those it could not
    have with the reason."""

    saved: list[str] = field(default_factory=list)
    kept: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def fetch_logos(urls: Iterable[str], folder: Path, fetch: Callable[[str], bytes]) -> FetchReport:
    """Save each logo of `urls` that `folder` lacks, each file whole (written aside, then
    moved in), so an interrupted run leaves no half picture to publish."""
    report = FetchReport()
    have = saved_logos(folder)
    for url in urls:
        key = logo_key(url)
        if key in have:
            report.kept += 1
            continue
        try:
            data = fetch(url)
        except FetchFailed as exc:
            report.failed.append((url, str(exc)))
            continue
        suffix = picture_suffix(data)
        if suffix is None:
            report.failed.append((url, f"{url} is not a PNG, JPEG, GIF, WebP, AVIF or icon"))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".saving-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, folder / f"{key}{suffix}")
        report.saved.append(url)
    return report
