"""`digest import SRC`: the `seed_site` fixture, laid out like the seed site with its quirks,
migrated into a content folder, built, and read in Chromium."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from generator.cli import main as digest
from generator.content.loader import display_path as shown
from generator.content.logos import logo_key
from support import (
    FIXTURES,
    PIXEL,
    REPO,
    SUB_PATH,
    QuietHandler,
    build,
    offline,
    resolve,
)

SEED = FIXTURES / "seed_site"
STORIES = sorted(
    str(path.relative_to(SEED)) for path in SEED.glob("_*/**/*.md") if "_data" not in path.parts
)
OLD_SITE = "https://old.example.org/digest/"


def _import(capsys, source: Path, content: Path, *argv: str) -> tuple[int, list[str], str]:
    code = digest(["import", str(source), "--content", str(content), *argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def imported(tmp_path: Path, capsys) -> tuple[Path, list[str], int]:
    content = tmp_path / "content"
    code, out, _ = _import(capsys, SEED, content)
    return content, out, code


def test_every_story_file_is_written_or_skipped_with_its_reason(imported):
    content, out, code = imported
    assert code == 1, "a story with an error was skipped: the import says so in its exit code"
    for story in STORIES:
        named = [line for line in out if shown(SEED / story) in line and "_data" not in line]
        assert len(named) == 1, f"{story} should be reported once: {named}"
    written = {Path(line.split(": ")[1]).name for line in out if line.startswith("written: ")}
    assert written >= {
        "2019-12-20-computer-vision-and-the-ccpa.md",
        "2019-12-21-banks-try-ai-for-loans.md",
        "2024-03-01-robots-sort-recycling.md",
        "2024-03-02-a-story-the-bot-folded-away.md",  # unpublished: imported, held back
    }
    assert sorted(p.name for p in (content / "articles").rglob("*.md")) == sorted(
        name for name in written if name.endswith(".md")
    )


def test_a_duplicate_keeps_the_first_and_names_both(imported):
    content, out, _ = imported
    later = SEED / "_archive/_news/2019-12-21-computer-vision-and-the-ccpa.md"
    kept = content / "articles/2019/2019-12-20-computer-vision-and-the-ccpa.md"
    assert (
        f"skipped: {shown(later)}: the same story as {shown(kept)} (the same webUrl); kept that one"
        in out
    )
    twin = SEED / "_news/2019-12-21-banks-try-ai-for-loans.md"
    first = content / "articles/2019/2019-12-21-banks-try-ai-for-loans.md"
    assert (
        f"skipped: {shown(twin)}: another seed file of this name is {shown(first)}; kept that one"
        in out
    )
    assert "an older copy" not in first.read_text(encoding="utf-8"), "the archive's is kept"


def test_a_story_with_an_error_is_skipped_with_the_error_and_its_line(imported):
    _, out, _ = imported
    bad = SEED / "_news/2024-03-03-no-address.md"
    why = "error at line 1: 'webUrl' is required; fix it in the seed"
    assert f"skipped: {shown(bad)}: {why}" in "\n".join(out)


def test_topics_keep_the_seed_s_slugs_and_descriptions(imported):
    content, out, _ = imported
    text = (content / "topics.yml").read_text(encoding="utf-8")
    assert text == (
        "- name: AI\n"
        "- name: AI in Finance\n"
        "  description: How banks put AI to work.\n"
        "  slug: finance\n"  # the seed's `_id`, so /topics/finance/ stays where it was
        "- name: Robotics\n"  # named by a story, with no topic file
    )
    assert "note: topic 'Robotics' has no topic file; declared without a description" in out


def test_stories_are_copied_byte_for_byte_but_for_pictures_now_in_the_site(imported):
    content, out, _ = imported
    for name, source in (
        ("2019/2019-12-20-computer-vision-and-the-ccpa.md", "_archive/_news"),
        ("2024/2024-03-01-robots-sort-recycling.md", "_news"),
    ):
        seed_file = SEED / source / Path(name).name
        assert (content / "articles" / name).read_bytes() == seed_file.read_bytes()
    banks = (content / "articles/2019/2019-12-21-banks-try-ai-for-loans.md").read_text()
    seed = (SEED / "_archive/_news/2019-12-21-banks-try-ai-for-loans.md").read_text()
    local = f"{OLD_SITE}assets/images/organizations/wire.example.net-50x50.png"
    assert banks == seed.replace(local, "/assets/images/organizations/wire.example.net-50x50.png")
    # A logo on the old site that the seed folder lacks stays where it is, and the report says how.
    assert "paper.example.org-50x50.png" in banks and OLD_SITE in banks
    assert any("paper.example.org-50x50.png: not in" in line and "--fetch" in line for line in out)
    logos = content / "assets/images/organizations"
    assert sorted(p.name for p in logos.iterdir()) == [
        "example.com-50x50.png",
        "medium.example.com-50x50.png",
        "wire.example.net-50x50.png",
    ]
    assert (logos / "example.com-50x50.png").read_bytes() == PIXEL


def test_importing_again_changes_nothing(imported, capsys):
    content, _, _ = imported
    before = _tree(content)
    code, out, err = _import(capsys, SEED, content)
    assert code == 1 and _tree(content) == before
    assert not any(line.startswith("written: ") for line in out), out
    assert "7 story files: 0 written, 4 unchanged, 3 skipped" in err


def test_a_file_a_curator_changed_since_is_kept(imported, capsys):
    content, _, _ = imported
    story = content / "articles/2024/2024-03-01-robots-sort-recycling.md"
    story.write_text(story.read_text().replace("Robots sort", "Robots now sort"))
    _, out, _ = _import(capsys, SEED, content)
    assert "Robots now sort" in story.read_text()
    kept = "is there with other text; kept as it is (delete it to import this)"
    assert any(line.endswith(kept) for line in out)


def test_a_folder_not_laid_out_like_the_seed_is_refused_and_nothing_written(tmp_path, capsys):
    code, _, err = _import(capsys, tmp_path, tmp_path / "content")
    assert code == 2 and "has no _archive/_news or _news folder" in err
    assert not (tmp_path / "content").exists()


def test_the_imported_site_builds_with_nothing_rejected_and_every_file_accounted(
    imported, tmp_path, capsys
):
    content, _, _ = imported
    assert digest(["check", "--content", str(content), "--no-cache"]) == 0, "warnings only"
    out = capsys.readouterr().out
    assert "quality" not in out and "heat" not in out and "ampWebUrl" not in out, out
    assert "2019-12-21-banks-try-ai-for-loans.md:4: warning: the file name says 2019-12-21" in out
    code, site = build(tmp_path, content, site_url="https://example.org/" + SUB_PATH)
    err = capsys.readouterr().err
    assert code == 0, f"reproduce: {site.command}"
    assert "4 stories read: 3 published, 1 unpublished held back, 0 scheduled" in err
    assert "0 rejected" in err
    assert site.page("topics/finance/").select(".dg-card"), "the seed's topic URL"


def test_logos_and_pictures_are_relative_under_a_sub_path_sized_and_shared(imported, tmp_path):
    content, _, _ = imported
    code, site = build(tmp_path, content, site_url="https://example.org/" + SUB_PATH)
    assert code == 0
    for url in ("", "topics/ai/", "news/2024/03/01/robots-sort-recycling/"):
        for img in site.page(url).select("img"):
            src = img["src"]
            if src.startswith("https://"):
                assert not src.startswith(OLD_SITE + "assets/images/organizations/w")
                continue
            assert not src.startswith("/"), f"/{url}: {src} breaks under a sub-path"
            assert (site.root / resolve(url, src)).is_file(), f"/{url}: {src} is not in the site"
    story = site.page("news/2019/12/20/computer-vision-and-the-ccpa/")
    # Another site's picture: linked, shown when the reader asks (see test_logos).
    picture = story.select_one(".dg-figure a.dg-figure__show")
    assert picture is not None and story.select_one(".dg-figure img") is None
    assert picture["href"] == "https://cdn.example.com/ccpa.jpg"
    assert (picture["data-width"], picture["data-height"]) == ("1200", "675")
    assert picture["data-alt"] == "Computer Vision and the CCPA: What You Need to Know"
    assert picture.get_text() == "Show the picture, from cdn.example.com"
    share = story.select_one('meta[property="og:image"]')
    assert share is not None and share["content"] == "https://cdn.example.com/ccpa.jpg"
    # Every card has its source's initial, under the logo or in place of a missing one.
    for card in site.page("").select(".dg-card"):
        logo = card.select_one(".dg-logo")
        source = card.select_one(".dg-card__source")
        assert logo is not None and source is not None
        assert logo["data-initial"] == source.get_text()[0].upper()


@pytest.fixture
def old_site(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "old-www" / "digest" / "assets/images/organizations"
    root.mkdir(parents=True)
    (root / "paper.example.org-50x50.png").write_bytes(PIXEL)
    handler = partial(QuietHandler, directory=str(tmp_path / "old-www"))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/digest/"
        server.shutdown()
        thread.join()


def _seed_on(address: str, tmp_path: Path) -> Path:
    """The fixture with its old site's address changed to `address`."""
    seed = tmp_path / "seed"
    shutil.copytree(SEED, seed)
    for path in seed.rglob("*"):
        if path.suffix in (".md", ".yml", ".yaml"):
            path.write_text(path.read_text().replace(OLD_SITE, address))
    (seed / "_config.yml").write_text(f'url: "{address.rsplit("/digest/")[0]}"\nbaseurl: /digest\n')
    return seed


def test_fetch_takes_a_missing_logo_from_the_old_site(old_site: str, tmp_path: Path, capsys):
    seed = _seed_on(old_site, tmp_path)
    content = tmp_path / "content"
    _, out, _ = _import(capsys, seed, content, "--fetch")
    fetched = content / "assets/images/organizations/paper.example.org-50x50.png"
    assert fetched.read_bytes() == PIXEL
    assert f"written: {shown(fetched)}" in out
    banks = (content / "articles/2019/2019-12-21-banks-try-ai-for-loans.md").read_text()
    assert old_site not in banks


def test_offline_the_logo_stays_and_the_report_says_why(tmp_path: Path, capsys):
    with ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler) as closed:
        address = f"http://127.0.0.1:{closed.server_address[1]}/digest/"
    seed = _seed_on(address, tmp_path)  # nothing listens there any more
    content = tmp_path / "content"
    code, out, _ = _import(capsys, seed, content, "--fetch")
    assert code == 1  # for the story with an error, not for the logo
    assert any("cannot reach" in line and "offline? run the command again" in line for line in out)
    banks = (content / "articles/2019/2019-12-21-banks-try-ai-for-loans.md").read_text()
    assert f"{address}assets/images/organizations/paper.example.org-50x50.png" in banks


def test_a_site_path_picture_missing_from_content_is_a_warning_that_says_where(imported, capsys):
    content, _, _ = imported
    (content / "assets/images/organizations/example.com-50x50.png").unlink()
    digest(["check", "--content", str(content), "--no-cache"])
    story = shown(content / "articles/2024/2024-03-01-robots-sort-recycling.md")
    picture = "/assets/images/organizations/example.com-50x50.png"
    assert (
        f"{story}:8: warning: picture {picture} is not in the content folder: put the file at "
        f"{shown(content)}/assets/images/organizations/example.com-50x50.png"
    ) in capsys.readouterr().out


@pytest.fixture
def served_import(imported, tmp_path: Path) -> Iterator[str]:
    """The imported fixture built for and served at http://127.0.0.1:PORT/news-digest/, with
    one logo gone from the site, as a picture that fails to load is."""
    content, _, _ = imported
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / SUB_PATH.strip("/")).symlink_to(tmp_path / "site")
    handler = partial(QuietHandler, directory=str(tmp_path / "www"))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}"
        code, site = build(tmp_path, content, site_url=url)
        assert code == 0, f"reproduce: {site.command}"
        (site.root / "assets/images/organizations/example.com-50x50.png").unlink()
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield url
        server.shutdown()
        thread.join()


LOGOS = """() => [...document.querySelectorAll('.dg-logo')].map(logo => {
    const img = logo.querySelector('img');
    return {
        initial: getComputedStyle(logo, '::before').content,
        img: img && {loaded: img.complete && img.naturalWidth > 0, shown: img.checkVisibility()},
        width: logo.getBoundingClientRect().width,
    };
})"""


@pytest.mark.parametrize("outside", ["answers", "fails"])
def test_a_logo_or_picture_that_fails_to_load_never_shows_a_broken_icon(
    browser, served_import: str, outside: str
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    if outside == "answers":
        context.route(lambda url: not url.startswith(served_import), offline)
    else:
        context.route(lambda url: not url.startswith(served_import), lambda r: r.abort())
    page = context.new_page()
    page.goto(served_import)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy logos load
    page.wait_for_load_state("networkidle")
    logos = page.evaluate(LOGOS)
    assert len(logos) == 3, logos
    for logo in logos:
        assert logo["img"] is None or logo["img"]["loaded"], f"a broken logo is shown: {logo}"
        assert logo["width"] >= 20
    initials = {logo["initial"] for logo in logos if logo["img"] is None}
    assert initials == {'"E"'}, "Example News' logo is gone: its initial stands in"
    page.goto(served_import + "news/2019/12/20/computer-vision-and-the-ccpa/")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Show the picture, from cdn.example.com").click()
    figure = page.locator(".dg-figure img")
    if outside == "answers":
        expect(figure).to_have_attribute(
            "alt", "Computer Vision and the CCPA: What You Need to Know"
        )
        page.wait_for_load_state("networkidle")
        assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
    else:
        expect(page.locator(".dg-figure")).to_have_count(0)
    context.close()


def test_another_site_s_picture_is_asked_for_only_when_the_reader_asks(browser, served_import: str):
    context = browser.new_context()
    context.route(lambda url: not url.startswith(served_import), offline)
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(served_import + "news/2019/12/20/computer-vision-and-the-ccpa/")
    page.wait_for_load_state("networkidle")
    assert asked and [url for url in asked if not url.startswith(served_import)] == []
    page.get_by_role("link", name="Show the picture, from cdn.example.com").click()
    expect(page.locator(".dg-figure img")).to_have_js_property("naturalWidth", 1)
    assert "https://cdn.example.com/ccpa.jpg" in asked
    context.close()


def test_the_migration_script_accounts_for_every_file_and_prints_the_counts(tmp_path: Path):
    """bench/real_sample.py, which the README's migration figures come from, on the fixture."""
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "real_sample.py"),
            str(SEED),
            "--keep",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "seed: 7 story files" in run.stdout
    assert "7 story files: 4 written, 0 unchanged, 3 skipped" in run.stdout
    assert "every story file accounted for: yes" in run.stdout
    assert "build (exit 0): 4 stories read: 3 published, 1 unpublished held back" in run.stdout


def test_a_logo_shows_even_when_the_source_s_name_gives_no_initial(tmp_path: Path):
    folder = tmp_path / "content" / "articles" / "2024"
    folder.mkdir(parents=True)
    (folder / "2024-03-01-dashes.md").write_text(
        "---\ntitle: A source named by dashes\npublishedDateTime: 2024-03-01T09:00:00Z\n"
        "webUrl: https://dashes.example.com/story\ntopics: [AI]\n"
        "provider:\n  name: '---'\n  images:\n    - url: https://dashes.example.com/logo.png\n"
        "---\n",
        encoding="utf-8",
    )
    code, site = build(tmp_path, tmp_path / "content")
    assert code == 0, site.command
    logo = site.page("").select_one(".dg-logo .dg-card__logo")
    saved = f"assets/logos/{logo_key('https://dashes.example.com/logo.png')}.png"
    assert logo is not None and logo["src"] == saved
