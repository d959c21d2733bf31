"""`digest build / serve / check / new`: the commands curators and CI run."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

from slugify import slugify

from generator.build.settings import CommandOptions
from generator.content.cache import paused_gc
from generator.content.corpus import load_corpus
from generator.content.duplicates import find_duplicates
from generator.content.errors import ContentError, Level
from generator.content.file_days import misdated
from generator.content.loader import display_path, load_article
from generator.content.logos import LOGO_DIR, remote_logos
from generator.content.schema import schema_json
from generator.content.topics import load_registry
from generator.content.validate import is_http_url, validate_article
from generator.mkdocs.site_zone import DEFAULT_ZONE, site_zone
from generator.site.note_links import unresolved_note_links
from generator.stopping import stop_code, stopped_by, terminate

# Material prints an end-of-life banner on every run; it is news for site owners, not curators.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def cmd_build(args: argparse.Namespace) -> int:
    from generator.mkdocs.commands import build_site

    return build_site(_options(args))


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.mkdocs.commands import serve_site

    return serve_site(_options(args))


def _options(args: argparse.Namespace) -> CommandOptions:
    return CommandOptions(
        config_file=args.config_file,
        content=args.content,
        site_dir=getattr(args, "site_dir", None),
        drafts=args.drafts,
        future=args.future,
        strict=getattr(args, "strict", False),
        no_cache=args.no_cache,
        cache_dir=args.cache_dir,
        dev_addr=getattr(args, "dev_addr", None),
        verbose=args.verbose,
    )


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the whole corpus (cross-file rules need it) and report on the PATHs asked for.

    Under GitHub Actions each problem is also printed as a workflow command, so
    it shows on the pull request's diff at its line.
    """
    content = Path(args.content)
    if not _has_articles(content):
        return 1
    try:
        tz = _check_zone(args.config_file)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not Path(p).is_file()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 1
    corpus = load_corpus(content, None if args.no_cache else Path(args.cache_dir))
    wanted = {display_path(Path(p)) for p in args.paths}
    with paused_gc():  # the corpus' many objects would make each collection slow
        found = [*corpus.problems, *find_duplicates(corpus.articles)]
        found.extend(misdated(corpus.articles, tz))
        found.extend(unresolved_note_links(corpus.articles, corpus.topics, corpus.site_files, tz))
    problems = sorted(p for p in found if not wanted or p.path in wanted)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem)
        if annotate:
            print(problem.annotation(Level.ERROR if args.strict else None))
    errors = sum(p.level is Level.ERROR for p in problems)
    warnings = len(problems) - errors
    checked = len(wanted) if wanted else corpus.files
    strict = " (--strict: warnings fail the check)" if args.strict and warnings else ""
    print(
        f"checked {checked} file(s): {errors} error(s), {warnings} warning(s){strict}",
        file=sys.stderr,
    )
    return 1 if errors or (args.strict and warnings) else 0


def _check_zone(config_file: str | None) -> ZoneInfo:
    """The site's time zone: from `-f`, else from ./mkdocs.yml when there is one, else UTC."""
    if config_file is None:
        if not Path("mkdocs.yml").is_file():
            return ZoneInfo(DEFAULT_ZONE)
        config_file = "mkdocs.yml"
    return site_zone(Path(config_file))


def cmd_new(args: argparse.Namespace) -> int:
    """Write a new article file that passes `digest check`, and print its path.

    The archive is read (from the cache, mostly) to name the source as other
    stories do and to refuse a story that is already in it.
    """
    content = Path(args.content)
    try:
        when = _parse_when(args.date)
    except ValueError:
        print(f"error: --date {args.date!r} is not an ISO 8601 date or date-time", file=sys.stderr)
        return 2
    if not _has_articles(content):
        return 1
    corpus = load_corpus(content, None if args.no_cache else Path(args.cache_dir))
    slug = slugify(args.title, max_length=60, word_boundary=True) or "story"
    path = content / "articles" / f"{when:%Y}" / f"{when:%Y-%m-%d}-{slug}.md"
    meta: dict[str, object] = {
        "title": args.title,
        "publishedDateTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "webUrl": args.url,
        "topics": list(args.topic),
    }
    if args.excerpt:
        meta["excerpt"] = args.excerpt
    if is_http_url(args.url):
        # Imported here: tldextract's import takes a tenth of a second that `digest check` spares.
        from generator.content.providers import provider_domain, provider_name

        domain = provider_domain(args.url)
        meta["provider"] = {"name": provider_name(domain, corpus.articles), "domain": domain}
    import frontmatter  # here: a build would import it for nothing (0.03 s)

    text = frontmatter.dumps(frontmatter.Post("", **meta), sort_keys=False, allow_unicode=True)
    text += "\n"
    raw = load_article(text.encode(), display_path(path), path.name)
    registry, registry_problems = load_registry(content)
    problems: list[ContentError] = list(registry_problems)
    if isinstance(raw, ContentError):
        problems.append(raw)
    else:
        article, found = validate_article(raw, registry)
        problems.extend(found)
        if article is not None:
            problems.extend(
                p for p in find_duplicates([*corpus.articles, article]) if p.path == article.path
            )
    errors = [p for p in problems if p.level is Level.ERROR]
    if errors:
        for problem in errors:
            print(f"error: {problem.message}", file=sys.stderr)
        return 1
    if path.exists():
        print(f"error: {display_path(path)} already exists", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"warning: {problem.message}", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    print(display_path(path))
    return 0


def _has_articles(content: Path) -> bool:
    """Whether `content` has its articles folder; says so on stderr when it has not."""
    if (content / "articles").is_dir():
        return True
    print(f"error: no articles folder at {display_path(content / 'articles')}", file=sys.stderr)
    return False


def cmd_fetch_logos(args: argparse.Namespace) -> int:
    """Save the logos of the stories' sources in the logo folder, for builds to publish.

    Exit 0 even when some could not be had (their sources show their initial until a later
    run saves them): a deploy must not stop because one source's site is down.
    """
    content = Path(args.content)
    if not _has_articles(content):
        return 1
    # Imported here: only this command and `import --fetch` use the network.
    from generator.content.fetch import fetch_logos, fetch_picture

    corpus = load_corpus(content, None if args.no_cache else Path(args.cache_dir))
    folder = Path(args.logo_dir)
    report = fetch_logos(remote_logos(corpus.articles), folder, fetch_picture)
    for _, why in report.failed:
        print(f"warning: logo not saved: {why}", file=sys.stderr)
    print(
        f"logos in {display_path(folder)}: {len(report.saved)} saved now, {report.kept} "
        f"already there, {len(report.failed)} not saved (their sources show their initial)",
        file=sys.stderr,
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Migrate a seed-layout site into the content folder; every file is reported.

    Exit 1 when a story file was skipped for an error in it (it needs a fix in
    the seed, then the import again), 2 when the import could not start.
    """
    # Imported here: only this command reads a seed, or may use the network.
    from generator.migrate.seed_import import ImportOptions, ImportRefused, run_import

    options = ImportOptions(Path(args.source), Path(args.content), args.fetch, args.old_site)
    try:
        report = run_import(options)
    except ImportRefused as exc:
        print(f"error: {exc}; nothing was imported", file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    print(report.summary(), file=sys.stderr)
    return 1 if report.refused else 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the front matter (content/article.schema.json holds a copy)."""
    sys.stdout.write(schema_json())
    return 0


def _parse_when(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    when = dt.datetime.fromisoformat(value)
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="digest", description="Build and check a news digest site.")
    sub = ap.add_subparsers(dest="command", required=True)

    def site_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("-f", "--config-file", default="mkdocs.yml", help="default: mkdocs.yml")
        p.add_argument("--content", help="a folder laid out like content/ (default: docs_dir)")
        p.add_argument("--drafts", action="store_true", help="show unpublished stories")
        p.add_argument(
            "--future", action="store_true", help="show stories scheduled for a later time now"
        )
        p.add_argument("-v", "--verbose", action="store_true")

    def cache_options(p: argparse.ArgumentParser, default: str | None) -> None:
        p.add_argument(
            "--cache-dir",
            default=default,
            help="where parsed stories are kept between runs (default: .cache/digest)",
        )
        p.add_argument("--no-cache", action="store_true", help="read every story afresh")

    p = sub.add_parser("build", help="build the whole site")
    site_options(p)
    p.add_argument("--site-dir", help="where the site goes (default: site_dir, site/)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    cache_options(p, default=None)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", help="live preview; edits under content/ rebuild")
    site_options(p)
    p.add_argument("-a", "--dev-addr", help="IP:PORT to serve on (default 127.0.0.1:8000)")
    cache_options(p, default=None)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("check", help="validate articles: path:line: level: message")
    p.add_argument("--content", default="content", help="default: content")
    p.add_argument(
        "-f",
        "--config-file",
        help="the site's mkdocs.yml, for its time zone (default: ./mkdocs.yml if there is one)",
    )
    p.add_argument("--strict", action="store_true", help="warnings are errors too")
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="report only on these files (duplicates are still sought in the whole corpus)",
    )
    cache_options(p, default=".cache/digest")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "fetch-logos", help="save the sources' logos on this machine, for builds to publish"
    )
    p.add_argument("--content", default="content", help="default: content")
    p.add_argument(
        "--logo-dir", default=LOGO_DIR, help=f"where logos are kept (default: {LOGO_DIR})"
    )
    cache_options(p, default=".cache/digest")
    p.set_defaults(func=cmd_fetch_logos)

    p = sub.add_parser("new", help="write a new article file and print its path")
    p.add_argument("--title", required=True)
    p.add_argument("--url", required=True, help="the original story's URL")
    p.add_argument("--topic", action="append", required=True, help="repeat for more topics")
    p.add_argument("--date", help="ISO 8601 date or date-time (default: now, UTC)")
    p.add_argument("--excerpt", help="a sentence or two, in your own words")
    p.add_argument("--content", default="content", help="default: content")
    cache_options(p, default=".cache/digest")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="migrate a site laid out like the seed into content/")
    p.add_argument("source", metavar="SRC", help="the seed site's folder (_news/, _data/, ...)")
    p.add_argument("--content", default="content", help="default: content")
    p.add_argument(
        "--fetch",
        action="store_true",
        help="take pictures missing from SRC from the old site over the network",
    )
    p.add_argument(
        "--old-site",
        metavar="URL",
        help="the old site's address (default: url and baseurl of SRC/_config.yml)",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("schema", help="print the JSON Schema of an article's front matter")
    p.set_defaults(func=cmd_schema)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt as exc:
        print(f"error: stopped ({stopped_by(exc)})", file=sys.stderr)
        return stop_code(exc)


def run() -> NoReturn:
    """The console script: `main`, then an exit that skips tearing the heap down.

    After a build of tens of thousands of stories, Python's own exit spends
    over a second freeing objects one by one, which the operating system does
    at once. Everything the commands write is closed by then; the standard
    streams are flushed here, and no atexit handler is needed.
    """
    signal.signal(signal.SIGTERM, terminate)
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
