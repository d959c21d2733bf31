#!/usr/bin/env python3
"""Benchmark: wall time and peak memory of `digest build` and `digest check` at archive scale.

Usage: python3 bench/run.py [--sizes 1000 5000 20000] [--corpus-script PATH] [--keep DIR]

For each size it writes a corpus with the shared corpus generator (same
format as curated articles: skewed topics, related coverage, ~3% drafts),
then runs, each as its own process so its peak memory is its own:
a cold `digest build` (fresh output folder) and a `digest check`.
It prints a Markdown table for the README. Figures come from this machine;
nothing here asserts a target, so nothing here can flake.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS_SCRIPT = REPO.parent / "shared" / "corpus" / "make_corpus.py"


def measure(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of one child process; fails loudly if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err[-3000:]}")
    return wall, usage.ru_maxrss / 1024


def make_corpus(script: Path, n: int, folder: Path) -> None:
    subprocess.run(
        [sys.executable, str(script), str(n), str(folder / "articles"), "--seed", "1"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    ap.add_argument("--corpus-script", type=Path, default=DEFAULT_CORPUS_SCRIPT)
    ap.add_argument("--keep", type=Path, help="write corpora and sites here and keep them")
    args = ap.parse_args()
    if not args.corpus_script.is_file():
        sys.exit(f"corpus generator not found: {args.corpus_script} (use --corpus-script)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="digest-bench-"))
    digest = [sys.executable, "-m", "generator"]
    rows = []
    try:
        for n in args.sizes:
            folder = work / f"c{n}"
            shutil.rmtree(folder, ignore_errors=True)
            make_corpus(args.corpus_script, n, folder)
            site = work / f"site{n}"
            shutil.rmtree(site, ignore_errors=True)
            build = measure(
                [
                    *digest,
                    "build",
                    "-f",
                    str(REPO / "mkdocs.yml"),
                    "--content",
                    str(folder),
                    "--site-dir",
                    str(site),
                ],
                REPO,
            )
            check = measure([*digest, "check", "--content", str(folder)], REPO)
            pages = sum(1 for _ in site.rglob("index.html"))
            rows.append((n, pages, build, check))
            print(
                f"{n} stories: build {build[0]:.1f} s / {build[1]:.0f} MiB, "
                f"check {check[0]:.1f} s / {check[1]:.0f} MiB",
                file=sys.stderr,
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"digest benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print("| stories | pages | cold build | build peak memory | check | check peak memory |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n, pages, (bw, bm), (cw, cm) in rows:
        print(f"| {n:,} | {pages:,} | {bw:.1f} s | {bm:.0f} MiB | {cw:.1f} s | {cm:.0f} MiB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
