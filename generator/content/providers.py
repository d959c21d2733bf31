"""A story's source from its URL: the `provider` that `digest new` fills in.

The domain is the registered one (`www.bbc.co.uk` → `bbc.co.uk`), found with
tldextract's bundled copy of the Public Suffix List: never fetched, so
`digest new` works offline and gives the same answer on every machine. The
name is the one the archive already uses for that domain, so one source is
never spelt two ways; a source new to the archive gets a name made from its
domain, for the curator to correct.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from tldextract import TLDExtract

from generator.content.article import Article, Provider

# The bundled suffix list only: no download, no cache folder written.
_EXTRACT = TLDExtract(cache_dir=None, suffix_list_urls=())


def provider_domain(url: str) -> str:
    """The registered domain of an http(s) URL, or its host when it has none (an IP, localhost)."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    return _EXTRACT(host).top_domain_under_public_suffix or host.removeprefix("www.")


def provider_name(domain: str, archive: Iterable[Article]) -> str:
    """The name the archive uses most for `domain` (then the first by name), else one made from it.

    `theverge.com` becomes "Theverge", `the-atlantic.com` "The Atlantic".
    """
    by_domain = Counter(
        (provider.domain, provider.name)
        for article in archive
        for provider in _providers(article)
        if provider.domain
    )
    # Distinct domains are few: look each up once, not once per story.
    same = {d for d in {d for d, _ in by_domain} if provider_domain(f"http://{d}") == domain}
    names: Counter[str] = Counter()
    for (d, name), count in by_domain.items():
        if d in same:
            names[name] += count
    if names:
        return min(names, key=lambda name: (-names[name], name))
    label = _EXTRACT(domain).domain or domain
    return " ".join(word.capitalize() for word in label.split("-"))


def _providers(article: Article) -> Iterable[Provider]:
    if article.provider is not None:
        yield article.provider
    for link in article.related:
        if link.provider is not None:
            yield link.provider
