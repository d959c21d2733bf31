"""The MkDocs adapter: runs the build's phases (`generator.build.pipeline`) from MkDocs' hooks.

Nothing here knows content rules, pages or feeds; only this folder knows MkDocs.

The content folder is MkDocs' `docs_dir` (`docs_dir: content`), so `mkdocs
serve` watches it and local images under it are copied; the article files
and `topics.yml` are the core's input, never pages of their own.

MkDocs is the engine that draws the chrome: it renders one page of each
shape (see `shells`), as a virtual Markdown file with placeholders for the
title, head and content, and the pipeline fills every other page of that
shape from the result. Hook by hook:

    on_config       BuildSettings from mkdocs.yml and the command → a new Build
    on_files        load, plan; the shell pages, feeds and sitemaps join MkDocs' files
    on_env          the theme's Jinja environment → the pipeline's renderer
    on_post_page    each drawn shell page → `add_shell`
    on_post_build   write the rest, join the search index
    on_serve        a preview's rebuild: in place (`Preview`) when only stories changed
"""

from __future__ import annotations

import contextlib
import gc
import logging
import mimetypes
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2
import watchdog.observers
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator.build.errors import BuildError
from generator.build.pipeline import Build
from generator.build.preview import Preview
from generator.build.settings import BuildSettings, CommandOptions
from generator.build.shells import (
    SHELL_CANONICAL,
    SHELL_CONTENT,
    SHELL_DESCRIPTION,
    SHELL_HEAD,
    SHELL_HEADER,
    SHELL_TITLE,
    compact,
)
from generator.build.site_folder import MARKER, MARKER_TEXT, Manifest, Spare
from generator.content.cache import paused_gc
from generator.mkdocs.config import DigestConfig
from generator.mkdocs.listing import drop_material_search, prune_next_listing, restore_listing
from generator.mkdocs.watch import Changes, other_inputs, start_watching, watch_natively
from generator.site.csp import with_policy
from generator.site.feeds import FeedSettings, FeedSite
from generator.site.index import Tally
from generator.site.pages import GeneratedPage, PageSettings, latest_links

log = logging.getLogger("mkdocs.plugins.digest")


class _ToMkDocs(logging.Handler):
    """The core's log (`generator.*`) told through MkDocs' own, so that MkDocs shows it and
    counts its warnings (`--strict` fails on them), as it does for plugins' messages."""

    def emit(self, record: logging.LogRecord) -> None:
        log.handle(record)


def _log_through_mkdocs() -> None:
    core = logging.getLogger("generator")
    if not any(isinstance(handler, _ToMkDocs) for handler in core.handlers):
        core.addHandler(_ToMkDocs())
        core.setLevel(logging.INFO)
        core.propagate = False


PAGE_TEMPLATE = "digest/page.html"
# The light/dark switch, a theme template rendered once a build (see the file).
PALETTE_SCRIPT = "assets/javascripts/palette.js"
# Story, topic and month pages with `lean_chrome`: material's look without its page machinery.
LEAN_TEMPLATE = "digest/lean.html"
# Material's stylesheets, named by their content's hash: lean pages link what the theme ships.
ENGINE_STYLES = ("assets/stylesheets/main.*.min.css", "assets/stylesheets/palette.*.min.css")


class DigestPlugin(BasePlugin[DigestConfig]):
    """Generates the digest's pages (home, topics, archive, one per story) and feeds."""

    # What the running `digest` command asks beside mkdocs.yml (see `commands`); none for
    # `mkdocs build`, whose options are all in the file.
    requested = CommandOptions()

    def __init__(self) -> None:
        self.build: Build | None = None
        # `digest build` hands over an earlier site to patch (see `site_folder`).
        self.spare: Spare | None = None
        self.serving = False
        # Set once `mkdocs serve` starts its server threads: no forking from then on.
        self._live = False
        # The build's shell pages by their virtual files' paths.
        self._drawn: dict[str, GeneratedPage] = {}
        # What `mkdocs serve` needs to update its site in place (see `_refresh`).
        self._preview = Preview()
        self._config: MkDocsConfig | None = None
        self._inputs: dict[str, tuple[int, int]] = {}
        self._observer: watchdog.observers.api.BaseObserver | None = None
        self._changes: Changes | None = None

    @property
    def tally(self) -> Tally | None:
        """What became of every article file in the last build (`digest build` prints it)."""
        return self.build.tally if self.build is not None else None

    @property
    def tree(self) -> Path | None:
        """The last build's finished tree: the spare it patched, or MkDocs' site folder."""
        return self.build.tree if self.build is not None else None

    @property
    def manifest(self) -> Manifest | None:
        return self.build.manifest if self.build is not None else None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # MkDocs keeps this object for the process: nothing of an earlier build may stay.
        last, self.build = self.build, None
        if not self.config.enabled:
            return None
        _log_through_mkdocs()
        previous = last.corpus if self.serving and last is not None else None
        self.build = Build(self._settings(config), may_fork=not self._live, previous=previous)
        self._drawn = {}
        # MkDocs' sitemap knows only the pages it renders itself; the pipeline writes the full one.
        config.theme.static_templates.discard("sitemap.xml")
        # Drawn once from mkdocs.yml's palette, rather than in every page's header.
        config.theme.static_templates.add(PALETTE_SCRIPT)
        if self.serving:
            self._preview.starting(self.build)
            self._config, self._inputs = config, other_inputs(config)
            if self._observer is None:
                watching = start_watching(config.docs_dir)
                if watching is not None:
                    self._observer, self._changes = watching
        return config

    def _settings(self, config: MkDocsConfig) -> BuildSettings:
        """This build's settings: mkdocs.yml's, with what the command asked for."""
        if not config.site_url:
            raise PluginError(
                "digest: set 'site_url' in mkdocs.yml (e.g. https://owner.github.io/repo/); "
                "feeds need absolute links"
            )
        if not config.use_directory_urls:
            raise PluginError("digest: the site's URLs need 'use_directory_urls: true'")
        site = FeedSite(
            title=config.site_name,
            description=config.site_description or "",
            url=config.site_url if config.site_url.endswith("/") else config.site_url + "/",
        )
        ours, options = self.config, self.requested
        drafts, future = options.drafts_in(ours.drafts), options.future_in(ours.future)
        cache_folder = options.cache_dir_in(ours.cache, ours.cache_dir)
        project = Path(config.config_file_path or ".").parent
        return BuildSettings(
            site=site,
            zone=ZoneInfo(ours.timezone),  # a known zone: the option checks its name
            pages=PageSettings(
                home_limit=ours.home_limit,
                per_page=ours.per_page,
                topic_stories=ours.topic_stories,
                compact_archive=ours.compact_archive,
            ),
            feeds=FeedSettings(
                limit=ours.feed_limit,
                daily_days=ours.daily_days,
                archives=ours.topic_archives,
            ),
            search_shard_size=ours.search_shard_size,
            size_budget_mb=ours.size_budget,
            strict=bool(config.strict),
            drafts=drafts,
            future=future,
            cache_dir=project / cache_folder if cache_folder is not None else None,
            logo_dir=project / ours.logo_dir,
            preview=self.serving,
            engine_values=(sorted(ours.items()), drafts, future, cache_folder),
        )

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Callable[..., None]) -> Any:
        """Rebuild by updating the served site in place when only stories changed."""
        if not self.config.enabled:
            return server
        # MkDocs' server types files by Python's table, which lacks OPML: a browser would be
        # sent `feeds.opml` as a download of unknown bytes. GitHub Pages says text/x-opml.
        mimetypes.add_type("text/x-opml", ".opml")
        full = server.builder

        def rebuild() -> None:
            if not self._refresh():
                full()

        server.builder = rebuild
        self._live = True
        watch_natively(server, config.docs_dir, self._observer)
        return server

    def _refresh(self) -> bool:
        """The preview updated in place; False when MkDocs must build again (see `Preview`)."""
        changed = self._changes.take() if self._changes is not None else None
        config = self._config
        if config is None or other_inputs(config) != self._inputs:
            return False
        return self._preview.refresh(Path(config.docs_dir), Path(config.site_dir), changed)

    def on_shutdown(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
            self._observer = None
        self._preview.search.wait()

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.config.enabled:
            prune_next_listing()

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        # The build makes hundreds of thousands of long-lived objects and no cycles
        # worth collecting; without the pause, collections cost more than the work.
        with paused_gc():
            files = self._files(files, config)
            # Nor do those objects need collecting later in the build: frozen, they are
            # left out of the collections that rendering triggers, here and in workers.
            # Frozen before collecting resumes, or the first collection walks them all.
            gc.freeze()
        return files

    def _files(self, files: Files, config: MkDocsConfig) -> Files:
        """Load and plan; MkDocs gets the shell pages, the feeds and sitemaps as its files."""
        build = self._build()
        content_dir = Path(config.docs_dir)
        if not (content_dir / "articles").is_dir():
            raise PluginError(f"digest: no articles folder at {content_dir / 'articles'}")
        try:
            build.load(content_dir)
        except BuildError as exc:
            raise PluginError(f"digest: {exc}") from None
        # Of the content folder's files, only those it may publish (see content_files).
        assert build.corpus is not None
        allowed, inside = build.corpus.site_files, os.path.join(config.docs_dir, "")
        for file in list(files):
            source = file.abs_src_path
            if source is not None and source.startswith(inside) and file.src_uri not in allowed:
                files.remove(file)
        drop_material_search(files, config)
        build.plan(Path(config.site_dir), self.spare)
        for page in build.pages:
            if page.src_uri in files.src_uris:
                raise PluginError(
                    f"digest: {files.src_uris[page.src_uri].src_path} in the docs folder "
                    f"would replace the generated page /{page.url}"
                )
        for page in build.shell_pages.values():
            self._drawn[page.src_uri] = page
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content="", inclusion=inclusion))
        for path, data in build.site_files.items():
            if path in files.src_uris:  # the theme's own sitemap.xml(.gz)
                files.remove(files.src_uris[path])
            files.append(File.generated(config, path, content=data))
        # The mark that lets the next `digest build` replace this site (see site_folder).
        files.append(
            File.generated(config, MARKER, content=MARKER_TEXT, inclusion=InclusionLevel.INCLUDED)
        )
        return files

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files):
        build = self._build()
        build.use_templates(env)
        # Search results are site-absolute paths; under a sub-path they need its prefix.
        env.globals["digest_search_base"] = urlsplit(config.site_url or "/").path or "/"
        # A site with no stories yet has nothing to search (and Pagefind refuses to index it).
        env.globals["digest_search"] = bool(build.search_shards)
        # The not-found page (theme/404.html) offers the newest stories.
        env.globals["digest_latest"] = latest_links(build.index) if build.index else []
        # Lean pages also leave out what repeats on every story page (README: "Lean pages").
        env.globals["digest_lean_chrome"] = self.config.lean_chrome
        if self.config.lean_chrome:
            env.globals["digest_engine_styles"] = _engine_styles(config)
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files):
        if page.file.src_uri not in self._drawn:
            return None
        lean = self.config.lean_chrome and not self._drawn[page.file.src_uri].in_nav
        page.meta = {
            "title": Markup(SHELL_HEADER),
            "description": Markup(SHELL_DESCRIPTION),
            "template": LEAN_TEMPLATE if lean else PAGE_TEMPLATE,
            "hide": ["navigation", "toc"],
        }
        return ""

    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        if page.file.src_uri not in self._drawn:
            return context
        page.canonical_url = SHELL_CANONICAL
        context["digest_title"] = Markup(SHELL_TITLE)
        context["digest_head"] = Markup(SHELL_HEAD)
        context["digest_content"] = Markup(SHELL_CONTENT)
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        drawn = self._drawn.get(page.file.src_uri)
        if drawn is None:
            return self._with_policy(output)
        # Compacted first: the policy holds the hashes of the inline scripts as they are sent.
        output = self._with_policy(compact(output))
        try:
            html = self._build().add_shell(drawn, output)
        except BuildError as exc:
            raise PluginError(f"digest: {exc}") from None
        # MkDocs writes this page in place; a stored page linked there by an earlier
        # (dirty) build must not be overwritten through the link.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(page.file.abs_dest_path)
        return html

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig):
        """The theme's own pages (404.html) get the policy too."""
        if not self.config.enabled or not template_name.endswith(".html"):
            return None
        return self._with_policy(output_content)

    def _with_policy(self, html: str) -> str:
        """A page with its Content-Security-Policy; a preview's is left without one, since
        `mkdocs serve` adds a live-reload script of its own to every page it serves."""
        return html if self.serving else with_policy(html)

    @event_priority(-100)  # after other plugins (search) have written their files
    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        build = self._build()
        try:
            build.write(Path(config.site_dir))
        except BuildError as exc:
            raise PluginError(f"digest: {exc}") from None
        if self.serving:
            self._preview.built(build)

    def on_build_error(self, error: Exception) -> None:
        if self.config.enabled:
            if self.build is not None:
                self.build.cancel()
            restore_listing()
            gc.unfreeze()

    def _build(self) -> Build:
        assert self.build is not None, "a MkDocs hook before on_config"
        return self.build


def _engine_styles(config: MkDocsConfig) -> list[str]:
    """The theme's own stylesheets, as site paths, for the lean pages to link."""
    found = []
    for pattern in ENGINE_STYLES:
        for folder in config.theme.dirs:
            matches = sorted(Path(folder).glob(pattern))
            if matches:
                found.append(matches[0].relative_to(folder).as_posix())
                break
    if not found:
        raise PluginError(
            "digest: 'lean_chrome' draws pages with material's stylesheets, and the theme "
            "has none; use theme 'material' or turn 'lean_chrome' off"
        )
    return found
