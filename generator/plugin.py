"""The MkDocs adapter: hands the core's pages to MkDocs. Nothing here knows the content rules.

The content folder is MkDocs' `docs_dir` (`docs_dir: content`), so `mkdocs
serve` watches it and local images under it are copied; the article files
and `topics.yml` are the core's input, never pages of their own. The core
(loader -> validate -> index -> pages) runs once per build in `on_files`;
this module only turns its `GeneratedPage`s into virtual files, gives each
its template and context, and reports content problems.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator.config import DigestConfig
from generator.corpus import load_corpus
from generator.feeds import (
    FeedLink,
    FeedSettings,
    FeedSite,
    build_feeds,
    site_feed_links,
    topic_feed_links,
)
from generator.index import Digest, build_index
from generator.pages import GeneratedPage, PageSettings, build_pages

log = logging.getLogger("mkdocs.plugins.digest")

# `digest build --drafts` and `digest serve --drafts` reach the plugin through this,
# since `mkdocs serve` reloads the config from the file on every rebuild.
DRAFTS_ENV = "DIGEST_DRAFTS"
# MkDocs dates the sitemap (and its gzip header) from this; the newest story's
# time makes the whole site a function of its content.
EPOCH_ENV = "SOURCE_DATE_EPOCH"


class DigestPlugin(BasePlugin[DigestConfig]):
    """Generates the digest's pages (home, topics, archive, one per story) in memory."""

    def __init__(self) -> None:
        self.pages: dict[str, GeneratedPage] = {}
        self.content_dir: Path | None = None
        self.feed_site: FeedSite | None = None
        self.topic_feeds: dict[str, list[FeedLink]] = {}
        self._saved_epoch: str | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.pages = {}
        self.topic_feeds = {}
        if not config.site_url:
            raise PluginError(
                "digest: set 'site_url' in mkdocs.yml (e.g. https://owner.github.io/repo/); "
                "feeds need absolute links"
            )
        self.feed_site = FeedSite(
            title=config.site_name,
            description=config.site_description or "",
            url=config.site_url if config.site_url.endswith("/") else config.site_url + "/",
        )
        if not config.use_directory_urls:
            raise PluginError("digest: the site's URLs need 'use_directory_urls: true'")
        self.content_dir = Path(config.docs_dir)
        try:
            self.tz = ZoneInfo(self.config.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise PluginError(f"digest: unknown timezone '{self.config.timezone}'") from None
        if os.environ.get(DRAFTS_ENV, "") not in ("", "0"):
            self.config.drafts = True
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        assert self.content_dir is not None
        if not (self.content_dir / "articles").is_dir():
            raise PluginError(f"digest: no articles folder at {self.content_dir / 'articles'}")
        for file in list(files):
            if file.src_uri.startswith("articles/") or file.src_uri == "topics.yml":
                files.remove(file)
        corpus = load_corpus(self.content_dir)
        for problem in corpus.warnings:
            log.warning(str(problem))
        if corpus.errors:
            raise PluginError(
                f"digest: {len(corpus.errors)} error(s) in the content; nothing was built:\n"
                + "\n".join(str(p) for p in corpus.errors)
            )
        digest = build_index(corpus.articles, corpus.topics, self.tz, self.config.drafts)
        settings = PageSettings(
            home_limit=self.config.home_limit,
            per_page=self.config.per_page,
            topic_stories=self.config.topic_stories,
        )
        for page in build_pages(digest, settings):
            if page.src_uri in files.src_uris:
                raise PluginError(
                    f"digest: {files.src_uris[page.src_uri].src_path} in the docs folder "
                    f"would replace the generated page /{page.url}"
                )
            self.pages[page.src_uri] = page
            files.append(
                File.generated(
                    config,
                    page.src_uri,
                    content="",
                    inclusion=InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV,
                )
            )
        assert self.feed_site is not None
        feeds = build_feeds(
            digest,
            self.feed_site,
            FeedSettings(limit=self.config.feed_limit, daily_days=self.config.daily_days),
        )
        for path, data in feeds.items():
            files.append(File.generated(config, path, content=data))
        self.topic_feeds = {
            t.topic.name: topic_feed_links(t.topic, self.feed_site) for t in digest.topics
        }
        self._date_build(digest)
        log.info(
            "digest: %d stories read, %d shown, %d drafts, %d topics",
            corpus.files,
            len(digest.articles),
            sum(a.is_draft for a in corpus.articles),
            len(digest.topics),
        )
        return files

    def _date_build(self, digest: Digest) -> None:
        """Date MkDocs' own outputs (the sitemap) by the newest story, for the build's length.

        A SOURCE_DATE_EPOCH the user set is theirs to keep.
        """
        self._saved_epoch = os.environ.get(EPOCH_ENV)
        if self._saved_epoch is None:
            newest = digest.articles[0].published if digest.articles else None
            os.environ[EPOCH_ENV] = str(int(newest.timestamp())) if newest else "0"

    def _restore_epoch(self) -> None:
        if self._saved_epoch is None:
            os.environ.pop(EPOCH_ENV, None)
        else:
            os.environ[EPOCH_ENV] = self._saved_epoch

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.config.enabled:
            self._restore_epoch()

    def on_build_error(self, error: Exception) -> None:
        if self.config.enabled:
            self._restore_epoch()

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files):
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return None
        page.meta = {
            # Escaped here because material's templates print the title without escaping.
            "title": escape(generated.title),
            "template": generated.template,
            "hide": ["navigation", "toc"],
        }
        return ""

    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        generated = self.pages.get(page.file.src_uri)
        if generated is not None:
            assert self.feed_site is not None
            topic_feeds = [link for name in generated.topics for link in self.topic_feeds[name]]
            context["digest"] = generated.context
            context["digest_site_feeds"] = site_feed_links(self.feed_site)
            context["digest_topic_feeds"] = topic_feeds
        return context
