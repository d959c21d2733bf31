"""Accessibility: axe-core's scan of each page type, in light and dark mode, finds nothing
serious or critical (WCAG A/AA rules and axe's best practices)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe

from support import PAGE_TYPES, Reader

AXE = Axe()
BLOCKING = {"serious", "critical"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["home", "topics", "topic", "article", "archive"])
def test_axe_finds_no_serious_or_critical_violations(
    open_reader: Callable[..., Reader], name: str, scheme: str
):
    url = PAGE_TYPES[name]
    page = open_reader(color_scheme=scheme).open(url)
    page.wait_for_load_state("networkidle")  # the search box is part of the page too
    violations = AXE.run(page).response["violations"]
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']}: {n['failureSummary']}" for n in v["nodes"])
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert not blocking, f"/{url} in {scheme} mode:\n" + "\n".join(blocking)
