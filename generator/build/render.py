"""Every page's HTML: its shape's shell filled with what the theme's digest templates render.

The renderer is what page workers are given (see `workers`): it holds the
templates, the shells and the site-wide values, and renders any page from
those alone. It also says what a page is made of (`identity`), so that the
output cache can tell which pages changed without rendering them.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from generator.build.output_store import OutputStore, output_key, write_output
from generator.build.shells import (
    SHELL_CANONICAL,
    SHELL_CONTENT,
    SHELL_DESCRIPTION,
    SHELL_HEAD,
    SHELL_HEADER,
    SHELL_TITLE,
    Shell,
    shape,
)
from generator.content.cache import code_key
from generator.site.feeds import FeedLink, FeedSite
from generator.site.pages import Card, GeneratedPage
from generator.site.share import Share, SiteIdentity, linked_data

# Cards are rendered once with this in front of their links, then given each page's prefix.
_CARD_PREFIX = "\x01"
HEAD_TEMPLATE = "digest/head.html"
SHARE_TEMPLATE = "digest/share.html"
CARD_TEMPLATE = "digest/card.html"


class PageRenderer:
    """Renders pages of one build from the engine's templates and shells."""

    def __init__(
        self,
        env: jinja2.Environment,
        site: FeedSite,
        topic_feeds: dict[str, list[FeedLink]],
        site_feeds: Sequence[FeedLink],
    ):
        self.env, self.site = env, site
        self.site_name = str(escape(site.title))
        self.site_identity = SiteIdentity(site.title, site.url)
        self.topic_feeds, self.site_feeds = topic_feeds, list(site_feeds)
        self.shells: dict[str, Shell] = {}
        self._shell_keys: dict[str, bytes] = {}
        self._cards: dict[str, str] = {}
        self._heads: dict[tuple[str, tuple[str, ...]], str] = {}
        self._templates: dict[str, jinja2.Template] = {}

    def key_shells(self, base: bytes) -> None:
        """Key each shell by `base` (see `output_key`) and its own chrome."""
        self._shell_keys = {name: shell.key(base) for name, shell in self.shells.items()}

    def forget_cards(self) -> None:
        """Drop the rendered cards and heads: the stories they show may have changed."""
        self._cards, self._heads = {}, {}

    def write(self, page: GeneratedPage, site_dir: str, store: OutputStore | None) -> str:
        """Write one page from its shape's shell, or copy it from `store`; gives its key."""
        path = os.path.join(site_dir, page.path)
        if store is None:
            write_output(path, self.html(page))
            return ""
        key = self.page_key(page)
        if not store.place(key, path):
            store.put(key, self.html(page), path)
        return key

    def html(self, page: GeneratedPage) -> bytes:
        return self.shells[shape(page)].encode(self.values(page))

    def values(self, page: GeneratedPage) -> dict[str, str]:
        """What fills the placeholders of the page's shell."""
        prefix = "../" * page.url.count("/")
        rel = _linker(page.url)

        topic_feeds = [link for name in page.topics for link in self.topic_feeds[name]]
        context: dict[str, Any] = {
            "digest": page.context,
            "title": page.title,
            "rel": rel,
            "card": self._card_function(prefix),
            "site_feeds": self.site_feeds,
            "topic_feeds": topic_feeds,
        }
        content = self._template(page.template).render(context)
        # The same for every page at one depth with the same topics: made once for them all.
        head = self._heads.get((prefix, page.topics))
        if head is None:
            # Shared by the pages of one depth and topics, so its links climb to the root.
            head = self._heads[prefix, page.topics] = self._template(HEAD_TEMPLATE).render(
                feeds=topic_feeds + self.site_feeds, rel=lambda url: prefix + url
            )
        share: Share = page.context["share"]
        description = share.description or self.site.summary
        header = str(escape(page.title))
        url = self.site.absolute(page.url)
        return {
            SHELL_TITLE: self.site_name if page.url == "" else f"{header} - {self.site_name}",
            SHELL_HEADER: header,
            SHELL_CANONICAL: str(escape(url)),
            SHELL_DESCRIPTION: str(escape(description)),
            SHELL_HEAD: head + self._share_tags(page, url, share, description),
            SHELL_CONTENT: content,
        }

    def _share_tags(self, page: GeneratedPage, url: str, share: Share, description: str) -> str:
        """What a shared link to the page at `url` (absolute) previews (see
        `generator.site.share`)."""
        picture = page.context.get("picture")
        image = None
        if picture is not None:  # OpenGraph and schema.org want absolute URLs
            image = self.site.absolute(picture.src) if picture.on_site else picture.src
        return self._template(SHARE_TEMPLATE).render(
            share=share,
            title=page.title,
            description=description,
            url=url,
            image=image,
            # Compact, and with `<`, `>`, `&` and `'` escaped so no story text ends the script.
            linked_data=htmlsafe_json_dumps(
                linked_data(share, page.title, url, self.site_identity, image),
                separators=(",", ":"),
                ensure_ascii=False,
            ),
        )

    def _template(self, name: str) -> jinja2.Template:
        """A template of the theme, looked up once a build: Jinja checks its file at each lookup."""
        template = self._templates.get(name)
        if template is None:
            template = self._templates[name] = self.env.get_template(name)
        return template

    def _card_function(self, prefix: str) -> Callable[[Card], Markup]:
        """Cards depend on the page only through the link prefix: render once, re-prefix."""
        template = self._template(CARD_TEMPLATE)

        def rel(url: str) -> str:
            return _CARD_PREFIX + url

        def card(c: Card) -> Markup:
            html = self._cards.get(c.url)
            if html is None:
                html = self._cards[c.url] = template.render(c=c, rel=rel)
            return Markup(html.replace(_CARD_PREFIX, prefix))

        return card

    def page_key(self, page: GeneratedPage) -> str:
        """The page's identity in the output cache: its shell's key and what it is made from."""
        shell, *made_of = self.identity(page)
        return output_key(shell, made_of)

    def identity(self, page: GeneratedPage) -> tuple[Any, ...]:
        """Everything a page's HTML is made from: equal identities, equal pages."""
        shell = self._shell_keys[shape(page)]
        return (shell, page.path, page.title, page.template, page.topics, page.made_of)

    def output_key(self, site_values: object) -> bytes:
        """A hash of everything besides its shell and its own context that a page depends on.

        That is this package's code, the libraries that render, the digest's
        templates and the site-wide values (`site_values`) filled into every
        page; the shells carry the rest of the theme and the engine's settings.
        """
        loader = self.env.loader
        assert loader is not None
        h = hashlib.blake2b(code_key(), digest_size=16)
        libraries = ("jinja2", "markupsafe", "cmarkgfm", "nh3")
        h.update(repr((sys.version, [version(name) for name in libraries])).encode())
        for name in self._digest_templates():
            source = loader.get_source(self.env, name)[0]
            h.update(name.encode() + b"\x00" + source.encode())
        site = (self.site_name, self.site, self.site_feeds, self.topic_feeds, site_values)
        h.update(repr(site).encode())
        return h.digest()

    def _digest_templates(self) -> list[str]:
        """The names of the templates under `digest/` in any of the theme's folders.

        Found on disk rather than with `list_templates`, which walks all of
        material's templates and icons: nearly half a second.
        """
        folders = getattr(self.env.loader, "searchpath", None)
        if folders is None:  # not a FileSystemLoader: ask it, the slow way
            return self.env.list_templates(filter_func=lambda n: n.startswith("digest/"))
        names = set()
        for folder in map(Path, folders):
            for path in (folder / "digest").rglob("*"):
                if path.is_file():
                    names.add(path.relative_to(folder).as_posix())
        return sorted(names)


def _linker(page_url: str) -> Callable[[str], str]:
    """Links from the page at `page_url` to site URLs, by the shortest relative path.

    A story page links mostly to stories of its own year or month: from
    `news/2024/03/01/a/`, `../../../02/28/b/` rather than a climb to the root
    and back down, which on every "Earlier in" link adds up over an archive.
    """
    here = page_url.split("/")[:-1]  # the folders the page is in

    def rel(url: str) -> str:
        there = url.split("/")
        common = 0
        for mine, theirs in zip(here, there[:-1], strict=False):
            if mine != theirs:
                break
            common += 1
        return "../" * (len(here) - common) + "/".join(there[common:]) or "./"

    return rel
