"""Page shells: one page of each shape rendered by the engine, with placeholders to fill.

Rendering the theme's full chrome for each of tens of thousands of pages is
what makes an engine slow at archive scale. Pages that share a shape (their
first URL segment and depth, or a navigation page of their own) differ only in
title, canonical URL, feed links and content, since every link in the chrome is
relative. The engine renders one page of each shape with the placeholders
below in place of those; every other page of the shape is that shell with its
own values filled in.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from generator.build.errors import BuildError
from generator.site.pages import GeneratedPage

# What differs between pages of one shape; plain ASCII so escaping keeps them intact.
SHELL_TITLE = "@@digest-title@@"
SHELL_HEADER = "@@digest-header@@"
SHELL_CANONICAL = "@@digest-canonical@@"
SHELL_HEAD = "@@digest-head@@"
SHELL_DESCRIPTION = "@@digest-description@@"
SHELL_CONTENT = "@@digest-content@@"
_SHELL_SPLIT = re.compile(
    "("
    + "|".join(
        [SHELL_TITLE, SHELL_HEADER, SHELL_CANONICAL, SHELL_DESCRIPTION, SHELL_HEAD, SHELL_CONTENT]
    )
    + ")"
)


# A line break and the indentation (and blank lines) after it.
_INDENT = re.compile(r"\n\s+")


def compact(chrome: str) -> str:
    """A drawn page with its template's indentation and blank lines taken out.

    Every page repeats its shape's chrome, and material's templates indent
    it with a few kilobytes of spaces. A line break stays where there was
    one, so markup and scripts mean the same; the chrome holds no `<pre>`
    or `<textarea>`, and content fills its placeholder afterwards, untouched.
    """
    return _INDENT.sub("\n", chrome)


@dataclass(frozen=True)
class Shell:
    """A rendered page split at its placeholders: literal text and placeholder names alternate."""

    parts: tuple[str, ...]

    @classmethod
    def parse(cls, html: str, src_uri: str) -> Shell:
        parts = tuple(_SHELL_SPLIT.split(html))
        found = parts[1::2]
        if found.count(SHELL_CONTENT) != 1 or SHELL_TITLE not in found:
            raise BuildError(
                f"the theme must print the page content exactly once and the title "
                f"(rendering {src_uri}); is 'digest/page.html' overridden?"
            )
        return cls(parts)

    def fill(self, values: dict[str, str]) -> str:
        parts = list(self.parts)
        parts[1::2] = [values[name] for name in parts[1::2]]
        return "".join(parts)

    def encode(self, values: dict[str, str]) -> bytes:
        """`fill`, as the page file's bytes.

        Joined as bytes from parts encoded one by one, the chrome's once for
        all pages: a page with one character beyond Latin-1 in its content
        would otherwise be widened whole to two or four bytes a character,
        then narrowed again to UTF-8.
        """
        parts = list(self._encoded)
        parts[1::2] = [_encode(values[name]) for name in self.parts[1::2]]
        return b"".join(parts)

    @functools.cached_property
    def _encoded(self) -> tuple[bytes, ...]:
        return tuple(map(_encode, self.parts))

    def key(self, base: bytes) -> bytes:
        """`base` extended by this shell: the chrome of every page of its shape."""
        h = hashlib.blake2b(base, digest_size=16)
        h.update("\x00".join(self.parts).encode("utf-8", errors="surrogatepass"))
        return h.digest()


def _encode(text: str) -> bytes:
    """Text as a page's bytes; a lone surrogate (no UTF-8 for it) becomes a character reference."""
    return text.encode("utf-8", errors="xmlcharrefreplace")


def shape(page: GeneratedPage) -> str:
    """Pages whose chrome is byte-identical: same first segment and depth, or one nav page."""
    if page.in_nav:
        return page.src_uri
    return f"{page.url.split('/', 1)[0]}:{page.url.count('/')}"
