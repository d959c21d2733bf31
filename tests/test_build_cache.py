"""The build cache never gives a stale page: whatever a page depends on, changing it shows."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from support import REPO, Site, build, copy_fixture


def _files(site: Site) -> dict[Path, bytes]:
    return {p.relative_to(site.root): p.read_bytes() for p in site.root.rglob("*") if p.is_file()}


def _warm(tmp_path: Path) -> tuple[Path, Site]:
    content = copy_fixture("valid", tmp_path)
    code, site = build(tmp_path, content)
    assert code == 0 and any((tmp_path / ".cache" / "digest").iterdir()), site.command
    return content, site


def test_cached_build_is_byte_identical_to_an_uncached_one(tmp_path: Path):
    content, site = _warm(tmp_path)
    assert build(tmp_path, content)[0] == 0
    warm = _files(site)
    assert build(tmp_path, content, "--no-cache")[0] == 0
    assert _files(site) == warm


def test_editing_a_story_changes_its_pages(tmp_path: Path):
    content, site = _warm(tmp_path)
    story = content / "articles" / "2024" / "2024-01-05-hotel-general.md"
    story.write_text(
        story.read_text("utf-8").replace("Hotel: a general", "Hotel: an edited"), "utf-8"
    )
    assert build(tmp_path, content)[0] == 0
    assert "Hotel: an edited AI story" in site.page("news/2024/01/05/hotel-general/").get_text()
    assert "Hotel: an edited AI story" in (site.root / "feed.xml").read_text("utf-8")


def test_editing_a_story_changes_every_page_that_lists_it(tmp_path: Path):
    """Pages are keyed by the files of the stories they show, not by their own story alone."""
    content, site = _warm(tmp_path)
    listing = {p for p in site.root.rglob("index.html") if "Hotel: a general" in p.read_text()}
    # Its own page, home, a topic page, its month, later stories' "Earlier in" lists.
    assert len(listing) >= 5
    story = content / "articles" / "2024" / "2024-01-05-hotel-general.md"
    story.write_text(
        story.read_text("utf-8").replace("Hotel: a general", "Hotel: an edited"), "utf-8"
    )
    assert build(tmp_path, content)[0] == 0
    for page in listing:
        text = page.read_text("utf-8")
        assert "Hotel: a general" not in text and "Hotel: an edited" in text, page


def test_editing_topics_yml_changes_the_topic_pages_and_can_fail_the_build(tmp_path: Path):
    content, site = _warm(tmp_path)
    registry = content / "topics.yml"
    text = registry.read_text("utf-8")
    registry.write_text(text.replace("Artificial intelligence in general.", "All of AI."), "utf-8")
    assert build(tmp_path, content)[0] == 0
    assert site.page("topics/ai/").select_one(".dg-lead").get_text() == "All of AI."
    registry.write_text(text.replace("- name: Microsoft AI\n", "- name: Microsoft\n"), "utf-8")
    assert build(tmp_path, content)[0] == 1, "stories in a removed topic must fail, not hit"


def test_editing_a_template_changes_the_pages(tmp_path: Path):
    content, site = _warm(tmp_path)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    card = theme / "digest" / "card.html"
    card.write_text(card.read_text("utf-8").replace("Read at", "Continue at"), "utf-8")
    assert build(tmp_path, content, theme=theme)[0] == 0
    assert "Continue at Source Example" in site.page("").get_text()
    # Pages written from the output cache, not only those MkDocs renders itself.
    assert "Continue at" in site.page("topics/ai/").get_text()
    assert "Continue at" in site.page("archive/2024/01/").get_text()


def test_editing_mkdocs_yml_changes_the_pages(tmp_path: Path):
    content, site = _warm(tmp_path)
    code, site = build(tmp_path, content, home_limit=2, timezone="Asia/Tokyo")
    assert code == 0
    home = site.page("")
    assert len(home.select(".dg-card")) == 2
    assert home.select_one(".dg-card time")["datetime"].endswith("+09:00")


def _work_done(cache: Path, wait: float = 30) -> None:
    """Wait until the build's search work folder is gone: it is deleted in the background,
    and a test deleting the cache beside that deletion would race it, not test the build."""
    deadline = time.monotonic() + wait
    while any(cache.glob("digest/.search-*")) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_deleting_the_cache_is_always_safe(tmp_path: Path):
    content, site = _warm(tmp_path)
    before = _files(site)
    _work_done(tmp_path / ".cache")
    shutil.rmtree(tmp_path / ".cache")
    assert build(tmp_path, content)[0] == 0
    assert _files(site) == before


def _pages(root: Path) -> dict[Path, tuple[int, bytes]]:
    """Each page's inode and bytes, by its path in the site."""
    found = root.rglob("index.html")
    return {p.relative_to(root): (p.stat().st_ino, p.read_bytes()) for p in found}


def test_a_rebuild_writes_only_the_pages_a_change_reaches(tmp_path: Path):
    content, site = _warm(tmp_path)
    assert build(tmp_path, content)[0] == 0  # the first site is now kept as the spare
    pages = _pages(tmp_path / ".site.spare" / "site")
    story = content / "articles" / "2024" / "2024-01-05-hotel-general.md"
    story.write_text(
        story.read_text("utf-8").replace("Hotel: a general", "Hotel: an edited"), "utf-8"
    )
    assert build(tmp_path, content)[0] == 0  # patches the spare into the new site
    after = _pages(site.root)
    assert after.keys() == pages.keys()
    changed = {p for p in pages if pages[p][1] != after[p][1]}
    assert Path("news/2024/01/05/hotel-general/index.html") in changed
    assert len(changed) < len(pages) // 2
    # An unchanged page is the spare's file as it was; only the one page of each shape
    # that MkDocs renders itself is written again.
    rewritten = {p for p in pages if p not in changed and pages[p][0] != after[p][0]}
    shapes = {(p.parts[0], len(p.parts)) for p in pages}
    assert len(rewritten) <= len(shapes)


def _inodes(root: Path) -> set[tuple[int, int]]:
    return {(p.stat().st_dev, p.stat().st_ino) for p in root.rglob("*") if p.is_file()}


def test_the_site_shares_no_file_with_the_cache(tmp_path: Path):
    """Pages and search bundles are copied from the cache, never linked: a script appended
    to a published page must not come back when the site is deleted and built again."""
    content, site = _warm(tmp_path)
    shutil.rmtree(site.root)
    assert build(tmp_path, content)[0] == 0  # every page and bundle from the cache
    cache = tmp_path / ".cache" / "digest"
    assert not _inodes(site.root) & _inodes(cache), "a site file is a cache file"
    page = site.root / "news/2024/03/01/alpha-first-story/index.html"
    page.write_text(page.read_text("utf-8") + "<script>alert(1)</script>", "utf-8")
    shutil.rmtree(site.root)
    assert build(tmp_path, content)[0] == 0
    assert "<script>alert(1)</script>" not in page.read_text("utf-8")


def test_damaged_page_entries_are_made_afresh_and_said_once(tmp_path: Path, capsys):
    content, site = _warm(tmp_path)
    before = _files(site)
    entries = [p for p in (tmp_path / ".cache" / "digest" / "pages").rglob("*") if p.is_file()]
    assert len(entries) > 10
    for entry in entries:
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0x01  # one flipped bit in the middle of each page
        entry.write_bytes(bytes(data))
    shutil.rmtree(site.root)  # so that every page comes from the cache
    capsys.readouterr()
    code, site = build(tmp_path, content)
    err = capsys.readouterr().err
    assert code == 0, site.command
    assert _files(site) == before, "a damaged cache entry reached the site"
    assert err.count("damaged page(s) in the cache") == 1, err


def test_a_damaged_search_index_in_the_cache_is_made_afresh(tmp_path: Path, capsys):
    content, site = _warm(tmp_path)
    before = _files(site)
    bundle = next((tmp_path / ".cache" / "digest").glob("search-earlier-*"))
    files = sorted(p for p in bundle.rglob("*") if p.is_file() and p.name != ".files.json")
    for gone in files[::3]:  # a third of the bundle's files deleted
        gone.unlink()
    shutil.rmtree(site.root)
    capsys.readouterr()
    code, site = build(tmp_path, content)
    err = capsys.readouterr().err
    assert code == 0, site.command
    assert err.count("the search index in the cache was damaged") == 1, err
    assert _files(site) == before, "the search index in the site is not whole"
