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
from generator.index import build_index
from generator.pages import GeneratedPage, PageSettings, build_pages

log = logging.getLogger("mkdocs.plugins.digest")

# `digest build --drafts` and `digest serve --drafts` reach the plugin through this,
# since `mkdocs serve` reloads the config from the file on every rebuild.
DRAFTS_ENV = "DIGEST_DRAFTS"


class DigestPlugin(BasePlugin[DigestConfig]):
    """Generates the digest's pages (home, topics, archive, one per story) in memory."""

    def __init__(self) -> None:
        self.pages: dict[str, GeneratedPage] = {}
        self.content_dir: Path | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.pages = {}
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
        log.info(
            "digest: %d stories read, %d shown, %d drafts, %d topics",
            corpus.files,
            len(digest.articles),
            sum(a.is_draft for a in corpus.articles),
            len(digest.topics),
        )
        return files

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
            context["digest"] = generated.context
        return context
