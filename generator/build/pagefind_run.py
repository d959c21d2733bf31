"""The indexing process: each shard's documents written as files, then Pagefind run on them.

A process of its own, so the build writes pages while Pagefind works, and
it imports nothing of the package but this and `lifetime`: it starts in a fraction of the
time the rest would take to import. It finds Pagefind's binary once and runs
it directly rather than through `python -m pagefind`, a Python start per shard.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from generator.lifetime import die_with

# A shard's documents ({path: HTML bytes}), pickled by the build for this process.
DOCUMENTS = "documents.pickle"
# In each bundle made: {path in the bundle: hash of its bytes}, checked when it is used.
BUNDLE_FILES = ".files.json"


def file_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _list_bundle(bundle: Path) -> None:
    """Write the bundle's list of file hashes, here, while the build is writing its pages."""
    files = {}
    for folder, _, names in os.walk(bundle):
        for name in names:
            if folder == str(bundle) and name == BUNDLE_FILES:
                continue  # an earlier list, were the bundle listed twice
            path = os.path.join(folder, name)
            with open(path, "rb") as fh:
                files[os.path.relpath(path, bundle)] = file_hash(fh.read())
    (bundle / BUNDLE_FILES).write_text(json.dumps(files, sort_keys=True), encoding="utf-8")


def _write_sources(documents: dict[str, bytes], source: Path) -> None:
    """Each document as a file, one after another.

    Not by threads: the files are small, and threads writing them mostly
    wait on each other, for no time saved and more processor time spent.
    """
    for folder in sorted({os.path.dirname(os.path.join(source, p)) for p in documents}):
        os.makedirs(folder, exist_ok=True)
    for path, data in documents.items():
        with open(os.path.join(source, path), "wb") as fh:
            fh.write(data)


def index_shards(work: Path, names: list[str]) -> int:
    """Run Pagefind on each shard's sources in turn, so one shard at a time is in memory.

    The sources stay until the build is done with `work`: on ext4, files
    created right after thousands were deleted take far longer to create
    (it skips recently freed inodes), and the build is creating its pages.
    """
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        print("Pagefind's binary is not installed (pip install pagefind[bin])")
        return 1
    for name in names:
        source, output = work / name / "source", work / name / "bundle"
        _write_sources(pickle.loads((work / name / DOCUMENTS).read_bytes()), source)
        result = subprocess.run(
            [str(binary), "--site", str(source), "--output-path", str(output)],
            capture_output=True,
            text=True,
            preexec_fn=functools.partial(die_with, os.getpid()),  # no threads here: safe
        )
        if result.returncode != 0:
            print(f"shard {name}:\n{result.stdout}\n{result.stderr}")
            return 1
        _list_bundle(output)
    return 0


if __name__ == "__main__":
    die_with(int(sys.argv[1]))
    raise SystemExit(index_shards(Path(sys.argv[2]), sys.argv[3:]))
