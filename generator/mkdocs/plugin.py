"""The MkDocs adapter: hands the core's pages and feeds to MkDocs. Nothing here knows content rules.

The content folder is MkDocs' `docs_dir` (`docs_dir: content`), so `mkdocs
serve` watches it and local images under it are copied; the article files
and `topics.yml` are the core's input, never pages of their own.

Pages are written through shells, because rendering material's full chrome
for each of tens of thousands of pages is what makes MkDocs slow at archive
scale. Pages that share a shape (their first URL segment and depth, or a nav
page of their own) differ only in title, canonical URL, feed links and
content, since every link in the chrome is relative. MkDocs renders one page
of each shape with placeholders for those; `on_post_page` keeps that output
as the shape's shell, and every other page of the shape is the shell with
its own values filled in, written in `on_post_build` across the machine's
cores.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2
import watchdog.observers
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator.build.clock import build_time, date_outputs, restore_epoch
from generator.build.errors import BuildError
from generator.build.page_cache import PageStore, replace_with, write_page
from generator.build.render import PageRenderer, page_file
from generator.build.search_index import SearchJob
from generator.build.served_search import ServedSearch
from generator.build.settings import CommandOptions
from generator.build.shells import (
    SHELL_CANONICAL,
    SHELL_CONTENT,
    SHELL_HEAD,
    SHELL_HEADER,
    SHELL_TITLE,
    Shell,
    shape,
)
from generator.build.site_files import make_site_files, plan_site_files
from generator.build.site_folder import MARKER, MARKER_TEXT, Manifest, Spare, remove_stale
from generator.build.template_cache import CheckedBytecodeCache
from generator.build.workers import hash_files, make_folders, render_all
from generator.content.article import Article
from generator.content.cache import paused_gc
from generator.content.corpus import Corpus, load_corpus
from generator.content.file_days import misdated
from generator.mkdocs.config import DigestConfig
from generator.mkdocs.listing import prune_next_listing, restore_listing
from generator.mkdocs.watch import Changes, start_watching, watch_natively
from generator.site.csp import with_policy
from generator.site.feeds import (
    FeedLink,
    FeedSettings,
    FeedSite,
    site_feed_links,
    topic_feed_links,
)
from generator.site.index import Digest, Tally, build_index
from generator.site.pages import (
    BuiltPages,
    GeneratedPage,
    PageSettings,
    build_pages,
)
from generator.site.search import FOLDER, shards

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


def other_inputs(config: MkDocsConfig) -> dict[str, tuple[int, int]]:
    """Size and modification time of every input besides the article files.

    That is mkdocs.yml, the theme's own folder and the docs folder without
    its articles: a change to any of them needs MkDocs to build again.
    """
    found: dict[str, tuple[int, int]] = {}
    roots = [config.docs_dir] + ([config.theme.custom_dir] if config.theme.custom_dir else [])
    for root in roots:
        for folder, dirnames, filenames in os.walk(root):
            if folder == root and root == config.docs_dir:
                dirnames[:] = [d for d in dirnames if d != "articles"]
            for name in filenames:
                path = os.path.join(folder, name)
                with contextlib.suppress(OSError):
                    stat = os.stat(path)
                    found[path] = (stat.st_size, stat.st_mtime_ns)
    if config.config_file_path:
        stat = os.stat(config.config_file_path)
        found[config.config_file_path] = (stat.st_size, stat.st_mtime_ns)
    return found


class DigestPlugin(BasePlugin[DigestConfig]):
    """Generates the digest's pages (home, topics, archive, one per story) and feeds."""

    # What the running `digest` command asks beside mkdocs.yml (see `commands`); none for
    # `mkdocs build`, whose options are all in the file.
    requested = CommandOptions()

    def __init__(self) -> None:
        self.pages: list[GeneratedPage] = []
        self.representatives: dict[str, GeneratedPage] = {}
        self.topic_feeds: dict[str, list[FeedLink]] = {}
        self.feed_site: FeedSite | None = None
        self.site_feeds: list[FeedLink] = []
        self.site_name = ""
        self.renderer: PageRenderer | None = None
        self.digest: Digest | None = None
        # What became of every article file in the last build (`digest build` prints it).
        self.tally: Tally | None = None
        self.serving = False
        # Set once `mkdocs serve` starts its server threads: no forking from then on.
        self._live = False
        self.cache_dir: Path | None = None
        self.drafts = self.future = False
        self.cache_folder: str | None = None
        self.search_shards: dict[str, list[Article]] = {}
        self._saved_epoch: str | None = None
        # The output cache's keys of this build's feeds, so that pruning keeps them.
        self._feed_keys: list[str] = []
        # What `mkdocs serve` needs to update its site in place (see `_refresh`).
        self._corpus: Corpus | None = None
        self._config: MkDocsConfig | None = None
        self._inputs: dict[str, tuple[int, int]] = {}
        # Each served page's identity (`_identity`), compared as it is: hashing costs more.
        self._served: dict[str, tuple[Any, ...]] = {}
        self._served_files: dict[str, bytes] = {}
        self._served_search = ServedSearch()
        # The last pages made while serving, and the output key they were made under.
        self._built: BuiltPages | None = None
        self._base = b""
        self._observer: watchdog.observers.api.BaseObserver | None = None
        self._changes: Changes | None = None
        # `digest build` hands over an earlier site to patch (see `site_folder`), and takes
        # back the finished tree (the spare's, or MkDocs' site folder) and its manifest.
        self.spare: Spare | None = None
        self.tree: Path | None = None
        self.manifest: Manifest | None = None
        self._search: SearchJob | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        _log_through_mkdocs()
        self.pages, self.representatives, self.renderer = [], {}, None
        self.topic_feeds, self._feed_keys = {}, []
        self.tally, self.tree, self.manifest = None, None, None
        if not config.site_url:
            raise PluginError(
                "digest: set 'site_url' in mkdocs.yml (e.g. https://owner.github.io/repo/); "
                "feeds need absolute links"
            )
        if not config.use_directory_urls:
            raise PluginError("digest: the site's URLs need 'use_directory_urls: true'")
        self.feed_site = FeedSite(
            title=config.site_name,
            description=config.site_description or "",
            url=config.site_url if config.site_url.endswith("/") else config.site_url + "/",
        )
        # The same on every page; made once rather than for each of thousands of pages.
        self.site_feeds = site_feed_links(self.feed_site)
        self.site_name = str(escape(config.site_name))
        self.tz = ZoneInfo(self.config.timezone)  # a known zone: the option checks its name
        options = self.requested
        self.drafts = options.drafts_in(self.config.drafts)
        self.future = options.future_in(self.config.future)
        self.cache_folder = options.cache_dir_in(self.config.cache, self.config.cache_dir)
        # MkDocs' sitemap knows only the pages it renders itself; the plugin writes the full one.
        config.theme.static_templates.discard("sitemap.xml")
        if self.serving:
            self._served_search.wait()
            self._config, self._inputs, self._served = config, other_inputs(config), {}
            if self._observer is None:
                watching = start_watching(config.docs_dir)
                if watching is not None:
                    self._observer, self._changes = watching
        return config

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Callable[..., None]) -> Any:
        """Rebuild by updating the served site in place when only stories changed."""
        if not self.config.enabled:
            return server
        full = server.builder

        def rebuild() -> None:
            if not self._refresh():
                full()

        server.builder = rebuild
        self._live = True
        watch_natively(server, config.docs_dir, self._observer)
        return server

    def on_shutdown(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
            self._observer = None
        self._served_search.wait()

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
        content_dir = Path(config.docs_dir)
        if not (content_dir / "articles").is_dir():
            raise PluginError(f"digest: no articles folder at {content_dir / 'articles'}")
        self.cache_dir = None
        if self.cache_folder is not None:
            self.cache_dir = Path(config.config_file_path or ".").parent / self.cache_folder
        digest = self._load(content_dir)
        # Of the content folder's files, only those it may publish (see content_files).
        assert self._corpus is not None
        allowed, inside = self._corpus.site_files, os.path.join(config.docs_dir, "")
        for file in list(files):
            source = file.abs_src_path
            if source is not None and source.startswith(inside) and file.src_uri not in allowed:
                files.remove(file)
        self.search_shards = shards(digest, self.config.search_shard_size)
        # Patched only with the output cache, whose keys the spare's manifest holds.
        spare = self.spare if self.cache_dir is not None else None
        self.tree = spare.tree if spare is not None else Path(config.site_dir)
        # Started now, so that indexing runs while the pages are made, rendered and written.
        self._search = SearchJob.start(self.search_shards, self.tree / FOLDER, self.cache_dir)
        self.pages = build_pages(digest, self._page_settings())
        for page in self.pages:
            if page.src_uri in files.src_uris:
                raise PluginError(
                    f"digest: {files.src_uris[page.src_uri].src_path} in the docs folder "
                    f"would replace the generated page /{page.url}"
                )
            key = shape(page)
            if key not in self.representatives:
                self.representatives[key] = page
                inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, page.src_uri, content="", inclusion=inclusion))
        self._add_feeds_and_sitemap(digest, files, config)
        self._saved_epoch = date_outputs(digest.articles[0].published if digest.articles else None)
        log.info(
            "digest: %s (%d from the cache); %d topics, %d pages",
            self.tally,
            self._corpus.cache_hits if self._corpus else 0,
            len(digest.topics),
            len(self.pages),
        )
        return files

    def _load(self, content_dir: Path, changed: set[str] | None = None) -> Digest:
        """Read the content folder into the index; content errors stop the build here.

        `changed`: the only files that may differ from the last load (see `_refresh`).
        """
        # `mkdocs serve` keeps the last load; once its threads run, it must not fork.
        previous = self._corpus if self.serving else None
        workers = 1 if self._live else None
        corpus = load_corpus(
            content_dir, self.cache_dir, workers=workers, previous=previous, changed=changed
        )
        for problem in [*corpus.warnings, *misdated(corpus.accepted, self.tz)]:
            log.warning(str(problem))
        # Read before `date_outputs` sets SOURCE_DATE_EPOCH: only the user's value stands for now.
        now = None if self.future else build_time()
        self.digest = digest = build_index(
            corpus.accepted, corpus.topics, self.tz, self.drafts, now
        )
        # Indexed even when the build fails, so that the report accounts for every file.
        self.tally = Tally.of(corpus, digest)
        # Kept even then: it is the folder as it is, which the next load starts from.
        self._corpus = corpus
        if corpus.errors:
            raise PluginError(
                f"digest: {self.tally.text(built=False)}; nothing was built, because of "
                f"{len(corpus.errors)} error(s) in the content:\n"
                + "\n".join(str(p) for p in corpus.errors)
            )
        assert self.feed_site is not None
        self.topic_feeds = {
            t.topic.name: topic_feed_links(t.topic, self.feed_site) for t in digest.topics
        }
        if self.renderer is not None:
            self.renderer.topic_feeds = self.topic_feeds
        return digest

    def _page_settings(self) -> PageSettings:
        return PageSettings(
            home_limit=self.config.home_limit,
            per_page=self.config.per_page,
            topic_stories=self.config.topic_stories,
        )

    def _add_feeds_and_sitemap(self, digest: Digest, files: Files, config: MkDocsConfig) -> None:
        self._served_files = feeds = self._feed_files(digest)
        for path, data in feeds.items():
            if path in files.src_uris:  # the theme's own sitemap.xml(.gz)
                files.remove(files.src_uris[path])
            files.append(File.generated(config, path, content=data))
        # The mark that lets the next `digest build` replace this site (see site_folder).
        marker = File.generated(
            config, MARKER, content=MARKER_TEXT, inclusion=InclusionLevel.INCLUDED
        )
        files.append(marker)

    def _feed_files(self, digest: Digest) -> dict[str, bytes]:
        """Every feed and sitemap of the site by its path (see `site_files`)."""
        assert self.feed_site is not None
        settings = FeedSettings(limit=self.config.feed_limit, daily_days=self.config.daily_days)
        planned = plan_site_files(digest, self.feed_site, settings, self.pages)
        files, keys = make_site_files(planned, self.feed_site, settings, self._store())
        self._feed_keys.extend(keys)
        return files

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files):
        assert self.feed_site is not None
        self.renderer = PageRenderer(env, self.feed_site, self.topic_feeds, self.site_feeds)
        if self.cache_dir is not None:
            # Compiling the theme's templates is a fixed half second of every build.
            # Jinja keys compiled code by the template's source and Python's version.
            folder = self.cache_dir / "templates"
            with contextlib.suppress(OSError):
                folder.mkdir(parents=True, exist_ok=True)
                env.bytecode_cache = CheckedBytecodeCache(str(folder))
        # Search results are site-absolute paths; under a sub-path they need its prefix.
        env.globals["digest_search_base"] = urlsplit(config.site_url or "/").path or "/"
        # A site with no stories yet has nothing to search (and Pagefind refuses to index it).
        env.globals["digest_search"] = [f"{FOLDER}/{name}/" for name in self.search_shards]
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files):
        if self._representative(page) is None:
            return None
        page.meta = {
            "title": Markup(SHELL_HEADER),
            "template": PAGE_TEMPLATE,
            "hide": ["navigation", "toc"],
        }
        return ""

    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        if self._representative(page) is None:
            return context
        page.canonical_url = SHELL_CANONICAL
        context["digest_title"] = Markup(SHELL_TITLE)
        context["digest_head"] = Markup(SHELL_HEAD)
        context["digest_content"] = Markup(SHELL_CONTENT)
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        output = self._with_policy(output)
        generated = self._representative(page)
        if generated is None:
            return output
        assert self.renderer is not None
        try:
            shell = Shell.parse(output, page.file.src_uri)
        except BuildError as exc:
            raise PluginError(f"digest: {exc}") from None
        self.renderer.shells[shape(generated)] = shell
        # MkDocs writes this page in place; a stored page linked there by an earlier
        # (dirty) build must not be overwritten through the link.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(page.file.abs_dest_path)
        return shell.fill(self.renderer.values(generated))

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
        try:
            shown = {id(page) for page in self.representatives.values()}  # MkDocs wrote those
            rest = [p for p in self.pages if id(p) not in shown]
            store = self._store()
            if store is not None or self.serving:
                base = self._output_key()
                assert self.renderer is not None
                self.renderer.key_shells(base)
            spare, tree = self.spare if store is not None else None, self.tree
            # What MkDocs (and any other plugin) wrote, before the pages join it.
            written = hash_files(config.site_dir) if store is not None else {}
            search, self._search = self._search, None
            assert search is not None and tree is not None
            folders = {f"{FOLDER}/{name}": key for name, key in search.keys.items()}
            try:
                yielding = search.indexing
                if spare is None:
                    keys = self._write_all(rest, str(tree), store, yielding)
                else:
                    new = Manifest(written, folders)
                    keys = self._patch(spare, rest, new, config.site_dir, store, yielding)
            except BaseException:
                search.cancel()
                raise
            present = spare.manifest.folders if spare is not None else {}
            try:
                search.finish(present={n: present.get(f"{FOLDER}/{n}", "") for n in search.keys})
            except RuntimeError as exc:
                raise PluginError(f"digest: building the search index failed: {exc}") from None
            if store is not None:
                store.prune([*keys.values(), *self._feed_keys])
                self.manifest = Manifest({**written, **keys}, folders)
                if store.damaged:
                    log.warning(
                        "digest: %d damaged page(s) in the cache (%s) were made afresh",
                        store.damaged,
                        store.root,
                    )
            if self.serving:
                assert self.digest is not None
                self._built = BuiltPages(self.digest, self._page_settings(), self.pages)
                self._base = base
                self._served = {page.url: self.renderer.identity(page) for page in self.pages}
                self._served_search.built(self.search_shards)
        finally:
            if not self.serving:  # a server keeps the objects frozen (see `_refresh`)
                gc.unfreeze()
            restore_epoch(self._saved_epoch)

    def _write_all(
        self,
        pages: Sequence[GeneratedPage],
        site_dir: str,
        store: PageStore | None,
        yielding: bool = False,
    ) -> dict[str, str]:
        """Write `pages` into an empty site folder, over the machine's cores; gives their keys.

        `yielding`: the search index is being made meanwhile, and the pages
        give way to it (see `workers.render_all`).
        """
        workers = 1 if self._live else max(1, min(os.cpu_count() or 1, 8))
        assert self.renderer is not None
        return render_all(self.renderer, pages, site_dir, workers, store, yielding)

    def _patch(
        self,
        spare: Spare,
        pages: Sequence[GeneratedPage],
        new: Manifest,
        site_dir: str,
        store: PageStore,
        yielding: bool = False,
    ) -> dict[str, str]:
        """Make the spare tree this build's site: write only what differs from what it holds.

        `new` holds the files MkDocs wrote into `site_dir` (by their hashes),
        which the tree gets linked in where it lacks them, and the search
        bundles, which the search job puts in. Gives the pages' keys;
        `yielding` as for `_write_all`.
        """
        assert self.renderer is not None
        keys = {page_file(page): self.renderer.page_key(page) for page in pages}
        tree, old = spare.tree, spare.manifest
        remove_stale(tree, old, Manifest({**new.files, **keys}, new.folders))
        for path, key in new.files.items():
            if old.files.get(path) != key:
                os.makedirs(os.path.dirname(os.path.join(tree, path)), exist_ok=True)
                replace_with(os.path.join(site_dir, path), os.path.join(tree, path))
        changed = [
            page for page in pages if old.files.get(page_file(page)) != keys[page_file(page)]
        ]
        self._write_all(changed, str(tree), store, yielding)
        return keys

    def on_build_error(self, error: Exception) -> None:
        if self.config.enabled:
            if self._search is not None:
                self._search.cancel()
                self._search = None
            restore_listing()
            gc.unfreeze()
            restore_epoch(self._saved_epoch)

    def _refresh(self) -> bool:
        """Update the served site in place when only article files changed since the last build.

        A full build at archive scale takes seconds: MkDocs cleans the site
        folder and the plugin writes every page again. When only stories
        changed, the shells, the templates and the last load are all still
        good: the corpus is reloaded from memory, and only the pages, feeds and
        sitemaps whose keys changed are written, so the page shows the edit
        within a second. Anything else (mkdocs.yml, the theme, topics.yml,
        other files of the docs folder, content errors, a page of a shape
        MkDocs never rendered, other search shards) gives False, and the
        caller runs a full build.
        """
        started = time.perf_counter()
        changed = self._changes.take() if self._changes is not None else None
        config, renderer = self._config, self.renderer
        if config is None or renderer is None or not self._served:
            return False
        if other_inputs(config) != self._inputs:
            return False
        with paused_gc():
            try:
                digest = self._load(Path(config.docs_dir), changed)
            except PluginError:
                return False  # the full build reports the errors
            base, settings = self._output_key(), self._page_settings()
            previous = self._built if base == self._base else None
            pages = build_pages(digest, settings, previous)
            search_shards = shards(digest, self.config.search_shard_size)
            if list(search_shards) != list(self.search_shards) or any(
                shape(page) not in renderer.shells for page in pages
            ):
                return False
            self.pages, self.search_shards = pages, search_shards
            renderer.forget_cards()
            self._built, self._base = BuiltPages(digest, settings, pages), base
            renderer.key_shells(base)
            served = {page.url: renderer.identity(page) for page in pages}
            changed = [page for page in pages if self._served.get(page.url) != served[page.url]]
            store = self._store()
            make_folders(config.site_dir, (page.url for page in changed))
            for page in changed:
                renderer.write(page, config.site_dir, store)
            for url in self._served.keys() - served.keys():
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(config.site_dir, url, "index.html"))
            files = self._feed_files(digest)
            for path, data in files.items():
                if self._served_files.get(path) != data:
                    os.makedirs(os.path.dirname(os.path.join(config.site_dir, path)), exist_ok=True)
                    write_page(os.path.join(config.site_dir, path), data)
            self._served, self._served_files = served, files
            # Kept out of later collections, as in a build: re-enabling the collector
            # after this much allocation would otherwise walk the whole heap at once.
            gc.freeze()
        self._served_search.later(self.search_shards, Path(config.site_dir), self.cache_dir)
        log.info(
            "digest: %s; %d of %d pages updated in %.2f s",
            self.tally,
            len(changed),
            len(pages),
            time.perf_counter() - started,
        )
        return True

    def _store(self) -> PageStore | None:
        """The output cache, one for builds and one for previews.

        A preview's pages differ from the site's (their URLs are the local
        server's), and each prunes what it did not use: sharing one store,
        a preview and a build would each find the other's pages there.
        """
        if self.cache_dir is None:
            return None
        return PageStore(self.cache_dir, "preview" if self.serving else "pages")

    def _representative(self, page: Page) -> GeneratedPage | None:
        for candidate in self.representatives.values():
            if candidate.src_uri == page.file.src_uri:
                return candidate
        return None

    def _output_key(self) -> bytes:
        """What every page's key starts from (see `PageRenderer.output_key`)."""
        assert self.renderer is not None and self.digest is not None
        # Stories are keyed by their files, which do not hold the registry's topics.
        registry = [entry.topic for entry in self.digest.topics]
        options = (self.drafts, self.future, self.cache_folder)
        return self.renderer.output_key((registry, sorted(self.config.items()), options))
