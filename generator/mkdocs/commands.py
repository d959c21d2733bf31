"""`digest build` and `digest serve`: MkDocs run on mkdocs.yml with the command's options.

The options reach the plugin as one typed object (`DigestPlugin.requested`),
set on the plugin itself rather than written into the loaded config: `mkdocs
serve` loads the file again for every rebuild, which would lose them, while
MkDocs keeps one instance of a plugin with `on_startup` for the whole process.
They are reset when the command ends, so that nothing of one command reaches
the next in the same process (the tests run many).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from generator.build.settings import CommandOptions
from generator.build.site_folder import CACHE, CONTENT, PROJECT, SiteFolder
from generator.content.loader import display_path
from generator.stopping import shortened, stop_code, stopped_by


def _mkdocs_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


def build_site(options: CommandOptions) -> int:
    """Build beside the site folder and swap the result in only when the whole build succeeded."""
    _mkdocs_logging(options.verbose)
    overrides: dict = {"strict": options.strict}
    if options.content:
        overrides["docs_dir"] = str(Path(options.content).resolve())
    options = _absolute_cache(options)
    try:
        config = _load_config(options.config_file, overrides)
    except _Refused as refused:
        return refused.report()
    digest = config.plugins["digest"]
    digest.requested = options
    try:
        return _build_into(config, digest, options)
    finally:
        digest.requested, digest.spare = CommandOptions(), None


def _build_into(config: MkDocsConfig, digest: Any, options: CommandOptions) -> int:
    """`build_site` once mkdocs.yml is loaded and the plugin has the command's options."""
    from mkdocs.commands.build import build

    cache_dir = options.cache_dir_in(digest.config.cache, digest.config.cache_dir)
    folder = SiteFolder(Path(options.site_dir or config.site_dir).resolve())
    refusal = folder.refusal(_project_folders(config, cache_dir))
    if refusal:
        shown = display_path(folder.target)
        print(f"error: will not build the site into {shown}: {refusal}", file=sys.stderr)
        return 2
    staging = folder.staging()
    config.site_dir = str(staging)
    # An earlier site to patch rather than write from nothing; its pages are keyed by the cache.
    digest.spare = folder.take_spare() if cache_dir is not None else None
    try:
        build(config)
    except BaseException as exc:
        return _build_failed(exc, folder, staging, digest)
    # The plugin's tree: the spare it patched, or the staging folder (also when disabled).
    folder.swap_in(digest.tree or staging, digest.manifest, staging, digest.spare)
    tally = f": {digest.tally}" if digest.tally else ""  # none with the plugin disabled
    print(f"site written to {display_path(folder.target)}{tally}", file=sys.stderr)
    return 0


def _absolute_cache(options: CommandOptions) -> CommandOptions:
    """`--cache-dir` as given on the command line: relative to where the command runs."""
    if options.cache_dir is None:
        return options
    return dataclasses.replace(options, cache_dir=str(Path(options.cache_dir).resolve()))


def _build_failed(exc: BaseException, folder: SiteFolder, staging: Path, digest: Any) -> int:
    """Clean up after a build that failed or was stopped, say so, and give its exit code."""
    from mkdocs.exceptions import Abort

    if not isinstance(exc, Exception):  # MkDocs tells plugins of errors, not of a stop
        digest.on_build_error(error=RuntimeError("stopped"))
    shutil.rmtree(staging, ignore_errors=True)
    if digest.spare is not None:
        folder.discard(digest.spare)
    shown = display_path(folder.target)
    kept = f"{shown} left as it was" if folder.target.exists() else f"nothing written to {shown}"
    if isinstance(exc, KeyboardInterrupt):
        print(f"error: build stopped ({stopped_by(exc)}), {kept}", file=sys.stderr)
        return stop_code(exc)
    if not isinstance(exc, Exception):
        raise exc
    # Any failure, a template's included: MkDocs has logged a BuildError's message
    # already, and anything else (say, a template error) is named here.
    why = "see the errors above" if isinstance(exc, Abort) else f"{type(exc).__name__}: {exc}"
    print(f"error: build failed, {kept}: {shortened(why)}", file=sys.stderr)
    return 1


def _project_folders(config: MkDocsConfig, cache_dir: str | None) -> dict[str, Path]:
    """The folders a site folder must never replace, by what they are to the project."""
    root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    folders = {PROJECT: root, CONTENT: Path(config.docs_dir).resolve()}
    if cache_dir is not None:
        folders[CACHE] = (root / cache_dir).resolve()
    return folders


def serve_site(options: CommandOptions) -> int:
    from mkdocs.commands.serve import serve

    _mkdocs_logging(options.verbose)
    overrides: dict = {}
    if options.content:
        overrides["docs_dir"] = str(Path(options.content).resolve())
    if options.dev_addr:
        overrides["dev_addr"] = options.dev_addr
    try:  # MkDocs loads the file again for each rebuild; a bad option stops it here, plainly
        config = _load_config(options.config_file, overrides)
    except _Refused as refused:
        return refused.report()
    # The plugin every rebuild gets (MkDocs keeps it), which reads the options each time.
    digest = config.plugins["digest"]
    digest.requested = _absolute_cache(options)
    try:
        serve(options.config_file, livereload=True, **overrides)
    finally:
        digest.requested = CommandOptions()
    return 0


class _Refused(Exception):
    """A mkdocs.yml that stops a command before it reads or writes anything."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines

    def report(self) -> int:
        """Print each problem as one `error:` line; the exit code of a usage error."""
        for line in self.lines:
            print(f"error: {line}", file=sys.stderr)
        return 2


# MkDocs' way of naming a plugin's option, put as a path through the file.
_OPTION_PREFIX = re.compile(r"Config value 'plugins': Plugin '([^']+)' option '([^']+)': ")


class _ConfigErrors(logging.Filter):
    """Takes MkDocs' configuration errors out of its log, to be reported as ours."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        message = _OPTION_PREFIX.sub(r"plugins: \1: \2: ", record.getMessage())
        self.messages.append(message.removeprefix("Config value "))
        return False


def _load_config(path: str, overrides: dict) -> MkDocsConfig:
    """mkdocs.yml loaded and checked, with the digest plugin in it; `_Refused` otherwise."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    errors = _ConfigErrors()
    logger = logging.getLogger("mkdocs.config")
    logger.addFilter(errors)
    try:
        config = load_config(path, **overrides)
    except (ConfigurationError, Abort) as exc:
        shown = display_path(Path(path))
        raise _Refused([f"{shown}: {m}" for m in errors.messages] or [str(exc)]) from None
    finally:
        logger.removeFilter(errors)
    if "digest" not in config.plugins:
        shown = display_path(Path(config.config_file_path or path))
        raise _Refused([f"{shown} does not use the digest plugin: add '- digest' under 'plugins:'"])
    return config
