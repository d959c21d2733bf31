"""The per-file cache and parallel loading never change what a corpus loads as.

Every test compares against a load without a cache (or in one process), on
real files in a temporary folder; reproduce one with
`python3 -m pytest tests/test_cache.py -k NAME`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import generator.content.cache
from generator.content.corpus import PARALLEL_MIN_FILES, Corpus, load_corpus
from generator.content.loader import display_path, find_articles
from support import MAKE_CORPUS, copy_fixture

ALPHA = Path("articles", "2024", "2024-03-01-alpha-first-story.md")


def loaded(corpus: Corpus) -> tuple:
    """What a corpus holds, without the cache counters that differ between equal loads."""
    return corpus.articles, corpus.topics, corpus.problems, corpus.files


def cache_files(cache: Path) -> list[str]:
    """The cache's own folders (one per content folder and fingerprint)."""
    return sorted(p.name for p in cache.iterdir())


def segments(cache: Path) -> dict[Path, tuple[int, int]]:
    """Every segment file of the cache, with its inode and modification time.

    A segment is only ever replaced, never written in place: a new inode.
    """
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.rglob("*.pickle")}


@pytest.mark.parametrize("fixture", ["valid", "bad"])
def test_warm_load_equals_cold_load_and_no_cache(fixture: str, tmp_path: Path):
    content = copy_fixture(fixture, tmp_path)
    cache = tmp_path / "cache"
    uncached = load_corpus(content)
    cold = load_corpus(content, cache)
    warm = load_corpus(content, cache)
    assert loaded(warm) == loaded(cold) == loaded(uncached)
    assert (cold.cache_hits, cold.files - cold.cache_hits) == (0, cold.files)
    assert (warm.cache_hits, warm.files - warm.cache_hits) == (warm.files, 0)
    assert (uncached.cache_hits, uncached.files - uncached.cache_hits) == (0, uncached.files)
    # Reports name files exactly as the file-by-file loader does.
    assert {p.path for p in warm.problems} <= {
        display_path(content / f) for f in find_articles(content)
    }
    if fixture == "bad":
        assert warm.errors, "the bad fixture must keep its errors when they come from the cache"


def test_editing_a_file_reparses_only_that_file(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    cache = tmp_path / "cache"
    before = load_corpus(content, cache)
    story = content / ALPHA
    story.write_bytes(story.read_bytes().replace(b"Alpha: the first story", b"Alpha, retitled"))
    after = load_corpus(content, cache)
    assert (after.cache_hits, after.files - after.cache_hits) == (after.files - 1, 1)
    changed = [(a, b) for a, b in zip(before.articles, after.articles, strict=True) if a != b]
    assert [(a.slug, b.title) for a, b in changed] == [("alpha-first-story", "Alpha, retitled")]
    assert loaded(after) == loaded(load_corpus(content))


def test_files_trusted_by_their_stat_still_show_every_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Unchanged files are known by size, times and inode; a same-size edit changes the times."""
    monkeypatch.setattr(generator.content.cache, "_SETTLED_NS", 0)  # trust every stamp at once
    content = copy_fixture("valid", tmp_path)
    cache = tmp_path / "cache"
    load_corpus(content, cache)
    assert load_corpus(content, cache).cache_hits == load_corpus(content).files
    story = content / ALPHA
    story.write_bytes(story.read_bytes().replace(b"Alpha: the first", b"Alpha: the FIRST"))
    after = load_corpus(content, cache)
    assert (after.cache_hits, after.files - after.cache_hits) == (after.files - 1, 1)
    assert "Alpha: the FIRST story" in {a.title for a in after.articles}


def test_a_load_can_reuse_the_previous_one_in_memory(tmp_path: Path):
    """What `digest serve` does between rebuilds: no cache file read or written."""
    content = copy_fixture("valid", tmp_path)
    cache = tmp_path / "cache"
    first = load_corpus(content, cache)
    saved = segments(cache)
    story = content / ALPHA
    story.write_bytes(story.read_bytes().replace(b"Alpha: the first story", b"Alpha, retitled"))
    (content / "articles" / "2024" / "2024-01-05-hotel-general.md").unlink()
    again = load_corpus(content, cache, previous=first)
    assert (again.cache_hits, again.files - again.cache_hits) == (again.files - 1, 1)
    assert loaded(again) == loaded(load_corpus(content))
    assert segments(cache) == saved


@pytest.mark.parametrize("target", ["2024-04-01-nothing.md", "/etc/passwd"])
def test_a_watched_reload_reports_a_bad_link_as_a_fresh_load_does(tmp_path: Path, target: str):
    """`digest serve` is told of changed files: a dangling or outward link among them is an
    error there too, as in `check` and `build`, never a story silently missing."""
    content = copy_fixture("valid", tmp_path)
    first = load_corpus(content, tmp_path / "cache")
    link = content / "articles" / "2024" / "2024-04-01-link.md"
    link.symlink_to(target)
    again = load_corpus(content, tmp_path / "cache", previous=first, changed={str(link)})
    fresh = load_corpus(content)
    assert loaded(again) == loaded(fresh)
    assert [p.path for p in fresh.errors] == [display_path(link)], fresh.errors


def test_adding_a_file_parses_only_the_new_file(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    cache = tmp_path / "cache"
    load_corpus(content, cache)
    text = (content / ALPHA).read_text(encoding="utf-8")
    new = content / "articles" / "2024" / "2024-04-01-new-story.md"
    new.write_text(text.replace("alpha-first-story", "new-story"), encoding="utf-8")
    after = load_corpus(content, cache)
    assert (after.cache_hits, after.files - after.cache_hits) == (after.files - 1, 1)
    assert "new-story" in {a.slug for a in after.articles}
    assert loaded(after) == loaded(load_corpus(content))


def test_adding_a_file_rewrites_only_its_segment(generated: Path, tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(generated, content)
    cache = tmp_path / "cache"
    load_corpus(content, cache)
    before = segments(cache)
    assert len(before) == generator.content.cache.SEGMENTS, "600 stories fill every segment"
    story = next((content / "articles").iterdir())
    (story.parent / "2030-01-01-one-more.md").write_bytes(story.read_bytes())
    after = load_corpus(content, cache)
    assert after.files - after.cache_hits == 1
    now = segments(cache)
    assert now.keys() == before.keys()
    assert len([p for p in now if now[p] != before[p]]) == 1
    assert loaded(load_corpus(content, cache)) == loaded(after) == loaded(load_corpus(content))


def test_a_deleted_file_is_gone_and_dropped_from_the_cache(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    cache = tmp_path / "cache"
    before = load_corpus(content, cache)
    (content / ALPHA).unlink()
    after = load_corpus(content, cache)
    assert after.files == before.files - 1
    assert "alpha-first-story" not in {a.slug for a in after.articles}
    assert loaded(after) == loaded(load_corpus(content))
    # Putting the file back parses it again: its entry was not kept.
    shutil.copy(Path(__file__).parent / "fixtures" / "valid" / ALPHA, content / ALPHA)
    again = load_corpus(content, cache)
    assert again.files - again.cache_hits == 1


def test_editing_topics_yml_revalidates_every_file(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    cache = tmp_path / "cache"
    assert load_corpus(content, cache).problems == ()
    registry = content / "topics.yml"
    text = registry.read_text(encoding="utf-8")
    removed = "- name: Microsoft AI\n  description: Microsoft's AI products and partnerships.\n"
    assert removed in text
    registry.write_text(text.replace(removed, ""), encoding="utf-8")
    after = load_corpus(content, cache)
    assert after.cache_hits == 0
    assert any("unknown topic 'Microsoft AI'" in p.message for p in after.errors), after.problems
    assert loaded(after) == loaded(load_corpus(content))
    # One cache file per content folder: the one for the old topics.yml is gone.
    assert len(cache_files(cache)) == 1


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"\x00garbage\xff" * 100, id="garbage"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 1]), id="one-bit"),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_a_damaged_cache_file_is_ignored(damage, tmp_path: Path):
    content = copy_fixture("bad", tmp_path)
    cache = tmp_path / "cache"
    expected = loaded(load_corpus(content, cache))
    for file in segments(cache):
        file.write_bytes(damage(file.read_bytes()))
    after = load_corpus(content, cache)
    assert loaded(after) == expected
    assert after.cache_hits == 0
    again = load_corpus(content, cache)
    assert again.cache_hits == again.files, "the damaged file must be rewritten"


def test_deleting_the_cache_folder_is_safe(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    cache = tmp_path / "cache"
    expected = loaded(load_corpus(content, cache))
    shutil.rmtree(cache)
    after = load_corpus(content, cache)
    assert loaded(after) == expected
    assert after.cache_hits == 0
    assert len(cache_files(cache)) == 1


def test_a_cache_folder_that_cannot_be_written_only_costs_speed(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    corpus = load_corpus(content, blocker / "cache")
    assert loaded(corpus) == loaded(load_corpus(content))


def test_the_cache_file_is_replaced_atomically(tmp_path: Path):
    content = copy_fixture("valid", tmp_path)
    cache = tmp_path / "cache"
    load_corpus(content, cache)
    (content / ALPHA).write_text("---\ntitle: broken\n---\n", encoding="utf-8")
    load_corpus(content, cache)
    (name,) = cache_files(cache)
    assert name.startswith("articles-"), name
    assert all(not p.name.endswith(".tmp") for p in (cache / name).iterdir())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 generated stories, a few of them with problems, and no topics.yml."""
    content = tmp_path_factory.mktemp("generated")
    articles = content / "articles"
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), "600", str(articles), "--seed", "1"],
        check=True,
        capture_output=True,
    )
    files = sorted(articles.iterdir())
    for file in files[::97]:  # an unknown key: a warning
        file.write_bytes(file.read_bytes().replace(b"\ntype: ", b"\nkind: x\ntype: ", 1))
    files[5].write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    files[-5].write_text("no front matter\n", encoding="utf-8")
    return content


def test_a_parallel_load_equals_a_single_process_load(generated: Path, tmp_path: Path):
    single = load_corpus(generated, workers=1)
    assert single.files >= PARALLEL_MIN_FILES, "too few files to start worker processes"
    assert single.errors and single.warnings
    parallel = load_corpus(generated, workers=2)
    assert loaded(parallel) == loaded(single)
    cold = load_corpus(generated, tmp_path / "cache", workers=2)
    warm = load_corpus(generated, tmp_path / "cache", workers=2)
    assert loaded(cold) == loaded(warm) == loaded(single)
    assert warm.cache_hits == single.files
