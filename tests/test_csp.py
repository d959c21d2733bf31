"""Content-Security-Policy: every built page names exactly its own inline scripts, and a script
slipped into a page (past the sanitiser, or by hand) does not run in Chromium."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from collections.abc import Callable

from support import PAGE_TYPES, Reader, Served, Site


def _policy(site: Site, url: str) -> tuple[str, list[str]]:
    """A page's policy and the hashes of the inline scripts it holds."""
    page = site.page(url)
    metas = page.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert len(metas) == 1, f"/{url}: {len(metas)} policies; reproduce: {site.command}"
    assert page.head.find("meta") is page.head.find("meta", charset=True), "charset comes first"
    assert page.head.find_all("meta")[1] is metas[0], f"/{url}: the policy must come next"
    scripts = [
        s.string or ""
        for s in page.find_all("script")
        if not s.get("src") and s.get("type") in (None, "text/javascript")
    ]
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    ]
    return metas[0]["content"], hashes


def test_every_page_allows_its_own_inline_scripts_and_no_others(valid_site: Site):
    pages = [*PAGE_TYPES.values(), "topics/ai/page/1/"]
    for url in pages:
        content, hashes = _policy(valid_site, url)
        script_src = re.search(r"script-src ([^;]*)", content)[1].split()
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        assert sorted(set(hashes)) == sorted(h for h in script_src if h.startswith("'sha256-"))
        assert "object-src 'none'" in content and "base-uri 'self'" in content
    not_found = valid_site.root / "404.html"
    assert 'http-equiv="Content-Security-Policy"' in not_found.read_text("utf-8")


def test_a_script_slipped_into_a_page_does_not_run(
    open_reader: Callable[..., Reader], served_site: Served
):
    source = served_site.site.root / "news/2024/03/01/alpha-first-story/index.html"
    slipped = source.parent.parent / "csp-check" / "index.html"  # at the same depth
    slipped.parent.mkdir()
    html = source.read_text("utf-8").replace("</body>", "<script>window.slipped=1</script></body>")
    slipped.write_text(html, "utf-8")
    try:
        reader = open_reader()
        page = reader.open("news/2024/03/01/csp-check/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.slipped") is None, "a script outside the policy ran"
        # The theme's own scripts still ran: the palette is set and search is there.
        assert page.evaluate("typeof __md_scope") == "object"
        blocked = [p for p in reader.problems if "Content Security Policy" in p]
        assert blocked, f"no violation reported: {reader.problems}"
        reader.problems[:] = [p for p in reader.problems if p not in blocked]
    finally:
        shutil.rmtree(slipped.parent)
