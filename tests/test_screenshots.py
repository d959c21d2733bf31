"""Screenshots of each page type on a desktop and a phone, for the README and for review.

They go to `docs/screenshots/` (committed; the README shows them), or to the folder named by
$DIGEST_SCREENSHOTS (CI sets one outside the clone). Regenerate the committed set after a
change to the look with `python3 -m pytest tests/test_screenshots.py`. The reader's clock is
fixed (conftest's READER_NOW), so the same site gives the same pictures.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from support import PAGE_TYPES, Reader, screenshot_dir

DEVICES = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 375, "height": 812}}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_screenshot_of_each_page_type(open_reader: Callable[..., Reader], name: str, device: str):
    page = open_reader(viewport=DEVICES[device]).open(PAGE_TYPES[name])
    page.wait_for_load_state("networkidle")  # logos and the search box are in the picture
    path = screenshot_dir() / f"{name}-{device}.png"
    page.screenshot(path=path, animations="disabled", caret="hide")
    assert path.stat().st_size > 5_000, f"{path} looks blank"
