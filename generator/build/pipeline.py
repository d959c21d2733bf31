"""One build of the site, as the phases every engine's adapter runs in order.

    load    read the content folder into the index; content errors stop here
    plan    the pages, feeds and sitemaps to make; the search index starts
    shells  the engine draws one page of each shape with placeholders (`add_shell`)
    write   every other page, its shell filled in, over the machine's cores: into
            an empty tree, or by patching the last site; the search index joins

and then the caller swaps the tree in (`site_folder`).

The engine is whatever draws the theme's chrome. The seam is small: it
draws the pages of `shell_pages` with the placeholders of `shells` in them
and hands each back to `add_shell`, and it gives `use_templates` the Jinja
environment that holds the theme's `digest/` templates. Everything else
(which pages there are, what each holds, feeds, sitemaps, search, the
cache, the site folder) is here and below. MkDocs is the one engine today
(`generator.mkdocs.plugin`); another is one class that makes those calls.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import jinja2

from generator.build.clock import build_time, date_outputs, restore_epoch
from generator.build.errors import BuildError
from generator.build.output_store import OutputStore, replace_with
from generator.build.render import PageRenderer
from generator.build.search_index import SearchJob
from generator.build.settings import BuildSettings
from generator.build.shells import Shell, shape
from generator.build.site_files import logo_files, make_site_files, plan_site_files
from generator.build.site_folder import Manifest, Spare, remove_stale
from generator.build.site_size import SiteSize
from generator.build.template_cache import CheckedBytecodeCache
from generator.build.workers import hash_files, render_all
from generator.content.article import Article
from generator.content.corpus import Corpus, load_corpus
from generator.content.file_days import misdated
from generator.content.logos import saved_logos
from generator.site.feeds import FeedLink, site_feed_links, topic_feed_links
from generator.site.index import StoryIndex, Tally, build_index
from generator.site.pages import GeneratedPage, build_pages
from generator.site.search import FOLDER, shard_list, shards

log = logging.getLogger(__name__)


class Build:
    """One build's state, phase by phase (see the module's docstring)."""

    def __init__(
        self, settings: BuildSettings, *, may_fork: bool = True, previous: Corpus | None = None
    ):
        """`may_fork`: False once the engine runs threads (a preview's server), which forked
        workers would copy mid-step. `previous`: the last load of the same folder, which a
        preview reloads from memory."""
        self.settings = settings
        self.may_fork = may_fork
        self.corpus = previous
        self.index: StoryIndex | None = None
        # The sources' logos saved from other sites: file name by logo_key (see plan()).
        self.logos: dict[str, str] = {}
        # What became of every article file (`digest build` prints it).
        self.tally: Tally | None = None
        self.site_feeds = site_feed_links(settings.site)
        self.topic_feeds: dict[str, list[FeedLink]] = {}
        self.pages: list[GeneratedPage] = []
        # One page of each shape, for the engine to draw with placeholders.
        self.shell_pages: dict[str, GeneratedPage] = {}
        # Every feed and sitemap by its path in the site.
        self.site_files: dict[str, bytes] = {}
        self.search_shards: dict[str, list[Article]] = {}
        self.renderer: PageRenderer | None = None
        # What every page's key starts from, once the shells are keyed (see `write`).
        self.base = b""
        # The finished tree (the spare patched, or the engine's folder) and its manifest.
        self.tree: Path | None = None
        self.manifest: Manifest | None = None
        self._spare: Spare | None = None
        self._search: SearchJob | None = None
        # The output store's keys of the site files, so that pruning keeps them.
        self._file_keys: list[str] = []
        self._saved_epoch: str | None = None

    def load(self, content_dir: Path, changed: set[str] | None = None) -> StoryIndex:
        """Read the content folder into the index; raises BuildError on content errors.

        `changed`: the only files that may differ from the last load (a preview's).
        """
        s = self.settings
        corpus = load_corpus(
            content_dir,
            s.cache_dir,
            workers=None if self.may_fork else 1,
            previous=self.corpus if s.preview else None,
            changed=changed,
        )
        # Kept even with errors: it is the folder as it is, which the next load starts from.
        self.corpus = corpus
        for problem in [*corpus.warnings, *misdated(corpus.accepted, s.zone)]:
            log.warning(str(problem))
        # Read before `date_outputs` sets SOURCE_DATE_EPOCH: only the user's value stands for now.
        clock = build_time()
        now = None if s.future else clock
        today = clock.astimezone(s.zone).date()
        self.index = index = build_index(
            corpus.accepted, corpus.topics, s.zone, s.drafts, now, today
        )
        self.tally = Tally.of(corpus, index)
        if corpus.errors:
            raise BuildError(
                f"{self.tally.text(built=False)}; nothing was built, because of "
                f"{len(corpus.errors)} error(s) in the content:\n"
                + "\n".join(str(p) for p in corpus.errors)
            )
        self.topic_feeds = {t.topic.name: topic_feed_links(t.topic, s.site) for t in index.topics}
        if self.renderer is not None:
            self.renderer.topic_feeds = self.topic_feeds
        return index

    def plan(self, site_dir: Path, spare: Spare | None = None) -> None:
        """Decide every page and file of the site, and start indexing it for search.

        `site_dir`: the engine's output folder. `spare`: an earlier site to
        patch instead (see `site_folder`), taken only with the output cache,
        whose keys its manifest holds.
        """
        index, s = self._loaded(), self.settings
        self.search_shards = shards(index, s.search_shard_size)
        self._spare = spare if s.cache_dir is not None else None
        self.tree = self._spare.tree if self._spare is not None else site_dir
        # Started now, so that indexing runs while the pages are made, rendered and written.
        self._search = SearchJob.start(self.search_shards, self.tree / FOLDER, s.cache_dir)
        self.logos = saved_logos(s.logo_dir)
        self.pages = build_pages(index, s.pages, logos=self.logos)
        self.shell_pages = {}
        for page in self.pages:
            self.shell_pages.setdefault(shape(page), page)
        self.site_files = self.site_files_of(index)
        self._saved_epoch = date_outputs(index.articles[0].published if index.articles else None)
        corpus = self.corpus
        log.info(
            "digest: %s (%d from the cache); %d topics, %d pages",
            self.tally,
            corpus.cache_hits if corpus else 0,
            len(index.topics),
            len(self.pages),
        )

    def site_files_of(self, index: StoryIndex) -> dict[str, bytes]:
        """Every feed and sitemap of `index`'s site by its path (see `site_files`)."""
        s = self.settings
        planned = plan_site_files(index, s.site, s.feeds, self.pages, s.pages.per_page)
        planned += logo_files(index.articles, self.logos, s.logo_dir)
        if self.search_shards:
            planned.append(shard_list(list(self.search_shards)))
        files, keys = make_site_files(planned, s.site, s.feeds, self.store())
        self._file_keys.extend(keys)
        return files

    def use_templates(self, env: jinja2.Environment) -> None:
        """The engine's template environment, which renders the digest's part of every page."""
        s = self.settings
        self.renderer = PageRenderer(env, s.site, self.topic_feeds, self.site_feeds)
        if s.cache_dir is not None:
            # Compiling the theme's templates is a fixed half second of every build.
            # Jinja keys compiled code by the template's source and Python's version.
            folder = s.cache_dir / "templates"
            with contextlib.suppress(OSError):
                folder.mkdir(parents=True, exist_ok=True)
                env.bytecode_cache = CheckedBytecodeCache(str(folder))

    def add_shell(self, page: GeneratedPage, html: str) -> str:
        """The engine's drawing of `page` becomes its shape's shell; gives `page`'s own HTML.

        Raises BuildError when the drawing lacks a placeholder.
        """
        renderer = self._rendering()
        shell = Shell.parse(html, page.src_uri)
        renderer.shells[shape(page)] = shell
        return shell.fill(renderer.values(page))

    def write(self, engine_dir: Path) -> None:
        """Write every page the engine did not draw, and put the search index in.

        `engine_dir` holds what the engine wrote (its pages, the theme's
        files, the site files): with a spare, the tree gets those linked in.
        """
        try:
            self._write(engine_dir)
            if self._measures_size():
                warning = SiteSize.of(self.tree).warning(self.settings.size_budget_mb)
                if warning:
                    log.warning(warning)
        finally:
            if not self.settings.preview:  # a preview keeps the objects frozen
                gc.unfreeze()
            restore_epoch(self._saved_epoch)

    def _measures_size(self) -> bool:
        """Whether this build weighs its site against the budget.

        Walking every file costs 0.4 s at 20,000 stories, a seventh of a
        rebuild that patches the site before last (a curator's next build);
        such a build skips it unless warnings fail it. A build that writes
        the whole site (the first, a cold one, CI's from a fresh checkout)
        always weighs it.
        """
        if self.settings.preview or self.tree is None:
            return False
        return self._spare is None or self.settings.strict

    def cancel(self) -> None:
        """After a failed or stopped build: stop the search job, undo what `plan` set."""
        if self._search is not None:
            self._search.cancel()
            self._search = None
        gc.unfreeze()
        restore_epoch(self._saved_epoch)

    def store(self) -> OutputStore | None:
        """The output store, one for builds and one for previews.

        A preview's pages differ from the site's (their URLs are the local
        server's), and each prunes what it did not use: sharing one store,
        a preview and a build would each find the other's pages there.
        """
        if self.settings.cache_dir is None:
            return None
        return OutputStore(self.settings.cache_dir, "preview" if self.settings.preview else "pages")

    def output_key(self) -> bytes:
        """What every page's key starts from (see `PageRenderer.output_key`)."""
        # Stories are keyed by their files, which do not hold the registry's topics.
        registry = [entry.topic for entry in self._loaded().topics]
        # And the logos saved: a card shows one once it is there.
        logos = sorted(self.logos.items())
        return self._rendering().output_key((registry, self.settings.engine_values, logos))

    def _write(self, engine_dir: Path) -> None:
        renderer, tree = self._rendering(), self.tree
        assert self._search is not None and tree is not None, "write() before plan()"
        drawn = {page.path for page in self.shell_pages.values()}
        rest = [page for page in self.pages if page.path not in drawn]
        store = self.store()
        if store is not None or self.settings.preview:
            self.base = self.output_key()
            renderer.key_shells(self.base)
        # What the engine (and any of its plugins) wrote, before the pages join it.
        written = hash_files(str(engine_dir)) if store is not None else {}
        # Taken only now: until here, a stopped build's `cancel` stops it.
        search, self._search = self._search, None
        folders = {f"{FOLDER}/{name}": key for name, key in search.keys.items()}
        try:
            if self._spare is None:
                keys = self._write_all(rest, tree, store, search.indexing)
            else:
                new = Manifest(written, folders)
                keys = self._patch(self._spare, rest, new, engine_dir, store, search.indexing)
        except BaseException:
            search.cancel()
            raise
        present = self._spare.manifest.folders if self._spare is not None else {}
        try:
            search.finish(present={n: present.get(f"{FOLDER}/{n}", "") for n in search.keys})
        except RuntimeError as exc:
            raise BuildError(f"building the search index failed: {exc}") from None
        if store is not None:
            store.prune([*keys.values(), *self._file_keys])
            self.manifest = Manifest({**written, **keys}, folders)
            if store.damaged:
                log.warning(
                    "digest: %d damaged page(s) in the cache (%s) were made afresh",
                    store.damaged,
                    store.root,
                )

    def _write_all(
        self, pages: Sequence[GeneratedPage], tree: Path, store: OutputStore | None, yielding: bool
    ) -> dict[str, str]:
        """Write `pages` into `tree` over the machine's cores; gives their keys by path.

        `yielding`: the search index is being made meanwhile, and the pages
        give way to it (see `workers.render_all`).
        """
        workers = max(1, min(os.cpu_count() or 1, 8)) if self.may_fork else 1
        return render_all(self._rendering(), pages, str(tree), workers, store, yielding)

    def _patch(
        self,
        spare: Spare,
        pages: Sequence[GeneratedPage],
        new: Manifest,
        engine_dir: Path,
        store: OutputStore,
        yielding: bool,
    ) -> dict[str, str]:
        """Make the spare tree this build's site: write only what differs from what it holds.

        `new` holds the files the engine wrote into `engine_dir` (by their
        hashes), which the tree gets linked in where it lacks them, and the
        search bundles, which the search job puts in. Gives the pages' keys.
        """
        renderer = self._rendering()
        keys = {page.path: renderer.page_key(page) for page in pages}
        tree, old = spare.tree, spare.manifest
        remove_stale(tree, old, Manifest({**new.files, **keys}, new.folders))
        for path, key in new.files.items():
            if old.files.get(path) != key:
                os.makedirs(os.path.dirname(os.path.join(tree, path)), exist_ok=True)
                replace_with(os.path.join(engine_dir, path), os.path.join(tree, path))
        changed = [page for page in pages if old.files.get(page.path) != keys[page.path]]
        self._write_all(changed, tree, store, yielding)
        return keys

    def _loaded(self) -> StoryIndex:
        assert self.index is not None, "a phase before load()"
        return self.index

    def _rendering(self) -> PageRenderer:
        assert self.renderer is not None, "a phase before use_templates()"
        return self.renderer
