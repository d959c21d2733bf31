#!/usr/bin/env python3
"""Migrate a real archive and count what became of it: `digest import`, `check` and `build`.

Usage: python3 bench/real_sample.py FOLDER [--old-site URL] [--keep DIR]

FOLDER is a site laid out like the seed (`_news/`, `_archive/_news/`,
`_data/topics/`), or a sample of one as the team keeps it: `articles/` and
`topics-src/`, with `SOURCES.tsv` giving each file's path in the seed (the
seed's layout is made from those in a temporary folder). The real data stays
where it is: nothing is copied into this repository, and the counts printed
are what the README quotes. Every story file must be accounted for: written,
or skipped with a reason; the script says so when one is not.
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STORY_FOLDERS = ("_archive/_news", "_news")


def seed_layout(folder: Path, work: Path) -> Path:
    """`folder` itself when laid out like the seed, else the seed's layout made from a sample."""
    if any((folder / name).is_dir() for name in STORY_FOLDERS):
        return folder
    sources = folder / "SOURCES.tsv"
    if not sources.is_file():
        sys.exit(f"error: {folder} has neither _news/ nor SOURCES.tsv with articles/")
    seed = work / "seed"
    for line in sources.read_text(encoding="utf-8").splitlines()[1:]:
        path = line.split("\t")[0]
        name = Path(path).name
        found = folder / ("topics-src" if path.startswith("_data/") else "articles") / name
        if found.is_file():
            (seed / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found, seed / path)
    return seed


def digest(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        check=False,
    )


def _shown(path: Path, work: Path) -> str:
    """A path as `digest` run in `work` names it (relative to it when inside)."""
    return str(path.relative_to(work)) if path.is_relative_to(work) else str(path)


def rule(message: str) -> str:
    """A problem's kind: its message without the paths, values and names that vary."""
    message = re.sub(r"\S+\.md(:\d+)?", "FILE", message)
    message = re.sub(r"/\S+", "PATH", message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"|\(.*?\)", "…", message)
    return re.sub(r"\d[\d:-]*", "N", message)[:90]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--keep", type=Path, help="work here and keep the content and site")
    ap.add_argument("--old-site", help="the old site's address, for digest import --old-site")
    args = ap.parse_args()
    work = (args.keep or Path(tempfile.mkdtemp(prefix="real-sample-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    seed = seed_layout(args.folder.resolve(), work)
    files = sorted(p for folder in STORY_FOLDERS for p in (seed / folder).rglob("*.md"))
    content = work / "content"

    old_site = ["--old-site", args.old_site] if args.old_site else []
    imported = digest("import", str(seed), "--content", str(content), *old_site, cwd=work)
    lines = imported.stdout.splitlines()
    print(f"seed: {len(files)} story files, under {seed}")
    print(f"import (exit {imported.returncode}): {imported.stderr.strip()}")
    for line in lines:
        if line.startswith("skipped: ") and line.split(": ")[1].endswith(".md"):
            print("  " + line)
    named = {line.rsplit(": from ", 1)[-1] for line in lines if ": from " in line}
    named |= {line.split(": ")[1] for line in lines if line.startswith("skipped: ")}
    lost = [f for f in files if _shown(f, work) not in named]
    print(f"  every story file accounted for: {'yes' if not lost else f'NO, {len(lost)} not'}")

    checked = digest("check", "--no-cache", "--content", str(content), cwd=work)
    kinds = collections.Counter(
        (line.split(": ")[1], rule(": ".join(line.split(": ")[2:])))
        for line in checked.stdout.splitlines()
        if ": error: " in line or ": warning: " in line
    )
    print(f"check (exit {checked.returncode}): {checked.stderr.strip()}")
    for (level, kind), count in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {count:4d} {level}: {kind}")
    pairs = sorted(
        line.split(": ")[0].rsplit("/", 1)[-1].split(":")[0]
        for line in checked.stdout.splitlines()
        if "the same story as" in line or "title nearly the same" in line
    )
    print(f"  files in a duplicate pair: {', '.join(pairs) or 'none'}")

    built = digest(
        "build",
        "-f",
        str(REPO / "mkdocs.yml"),
        "--content",
        str(content),
        "--site-dir",
        str(work / "site"),
        "--no-cache",
        cwd=work,
    )
    tally = re.search(r"site written to .*?: (.*)", built.stderr)
    print(f"build (exit {built.returncode}): {tally.group(1) if tally else built.stderr[-500:]}")
    pages = sum(1 for _ in (work / "site").rglob("index.html")) if built.returncode == 0 else 0
    print(f"  {pages} pages; work folder: {work}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if not lost and built.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
