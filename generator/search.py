"""Site search: a Pagefind bundle (a chunked index fetched piece by piece) over every story.

Material's own search ships one index file to every reader, which at tens of
thousands of stories is several megabytes, and it only sees pages MkDocs
renders itself. Pagefind splits the index into small chunks a browser fetches
as a query needs them. It is fed one tiny document per story (title, source,
excerpt) rather than the rendered pages, so it parses a few hundred bytes per
story instead of the whole chrome. Its output depends only on those
documents, so it is kept in the cache and reused until a story changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

from generator.index import Digest
from generator.pages import article_url

BUNDLE = "pagefind"


def search_documents(digest: Digest, language: str = "en") -> dict[str, bytes]:
    """One small HTML document per shown story, at its page's path (`news/…/index.html`)."""
    documents = {}
    for article in digest.articles:
        source = html.escape(article.provider.name) if article.provider else ""
        excerpt = html.escape(article.excerpt or "")
        title = html.escape(article.title)
        documents[article_url(article) + "index.html"] = (
            f'<!doctype html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
            f"<title>{title}</title></head><body><main data-pagefind-body>"
            f'<h1>{title}</h1><p data-pagefind-meta="source">{source}</p><p>{excerpt}</p>'
            "</main></body></html>"
        ).encode()
    return documents


def write_bundle(documents: dict[str, bytes], target: Path, cache_dir: Path | None) -> None:
    """Put the search bundle for `documents` at `target`, from the cache when it has it.

    A cache folder that cannot be written costs speed, never the build.
    """
    if cache_dir is not None:
        with contextlib.suppress(OSError):
            _write_cached(documents, target, cache_dir)
            return
        shutil.rmtree(target, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="digest-search-") as work:
        _index(documents, Path(work), target)


def _write_cached(documents: dict[str, bytes], target: Path, cache_dir: Path) -> None:
    cached = cache_dir / f"{BUNDLE}-{_key(documents)}"
    if not cached.is_dir():
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".search-", dir=cache_dir) as work:
            built = Path(work) / "bundle"
            _index(documents, Path(work), built)
            os.replace(built, cached)
        for old in cache_dir.glob(f"{BUNDLE}-*"):
            if old != cached:
                shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(cached, target, copy_function=_link_or_copy)


def _key(documents: dict[str, bytes]) -> str:
    """Everything the bundle depends on: the documents and the Pagefind that indexes them."""
    h = hashlib.blake2b(version("pagefind").encode(), digest_size=16)
    for path in sorted(documents):
        h.update(path.encode() + b"\x00" + documents[path] + b"\x00")
    return h.hexdigest()


def _index(documents: dict[str, bytes], work: Path, output: Path) -> None:
    source = work / "source"
    for folder in sorted({os.path.dirname(os.path.join(source, p)) for p in documents}):
        os.makedirs(folder, exist_ok=True)

    def write(item: tuple[str, bytes]) -> None:
        with open(os.path.join(source, item[0]), "wb") as fh:
            fh.write(item[1])

    # Tens of thousands of small files: writes release the GIL, so threads overlap them.
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(write, documents.items(), chunksize=200):
            pass
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(output)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed:\n{result.stdout}\n{result.stderr}")


def _link_or_copy(src: str, dst: str) -> None:
    """Hard links make reusing a large bundle nearly free; a copy where they cannot be made."""
    with contextlib.suppress(OSError):
        os.link(src, dst)
        return
    shutil.copy2(src, dst)
