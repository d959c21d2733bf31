"""Feeds as subscribers' feed readers see them: the `reader` library and newsboat, each
subscribed from the OPML.

The site is served over HTTP (127.0.0.1) and built again between updates, as an hourly
deploy would: each update must bring exactly the stories added since (`reader`: once in the
site's feed and once in each of their topics'; newsboat, which keeps one copy of an id
across feeds: once), and never an old story as new.
"""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import etree
from reader import Reader, make_reader

from support import SUB_PATH, QuietHandler, build, copy_fixture

NEW_STORIES = {
    "2024-03-05-kilo-added.md": ("Kilo: a story added later", ["AI", "Microsoft AI"]),
    "2024-03-05-lima-added.md": ("Lima: another one", ["AI in Finance"]),
}


def _story(title: str, topics: list[str], slug: str) -> str:
    listed = "".join(f"\n  - {name}" for name in topics)
    return (
        f'---\ntitle: "{title}"\nexcerpt: "Excerpt of {slug}."\n'
        f"publishedDateTime: 2024-03-05T09:00:00Z\n"
        f'webUrl: "https://source.example.com/{slug}"\ntopics:{listed}\n---\n'
    )


ECHO = "news/2024/02/15/echo-microsoft/"
CORRECTED_TITLE = "Echo: Microsoft ships a new model"


def _add_stories(subscriber: Subscriber) -> set[str]:
    """Write NEW_STORIES and build; their story pages' URLs."""
    for name, (title, topics_of) in NEW_STORIES.items():
        (subscriber.content / "articles" / "2024" / name).write_text(
            _story(title, topics_of, name[11:-3]), encoding="utf-8"
        )
    subscriber.build()
    return {f"{subscriber.url}news/2024/03/05/{name[11:-3]}/" for name in NEW_STORIES}


def _correct_a_story(subscriber: Subscriber) -> None:
    """Give Echo a better title, dated by `updatedDateTime`, and build."""
    story = subscriber.content / "articles" / "2024" / "2024-02-15-echo-microsoft.md"
    text = story.read_text("utf-8").replace("ships a model", "ships a new model")
    story.write_text(
        text.replace(
            "publishedDateTime:", "updatedDateTime: 2024-03-06T08:00:00Z\npublishedDateTime:"
        ),
        "utf-8",
    )
    subscriber.build()


class WholeFileHandler(QuietHandler):
    """Answers every request in full and says nothing of when a file changed. The standard
    handler dates files to the second, so a build within the second of the last fetch
    looked unchanged: answered 304 to `reader`'s If-Modified-Since, and skipped by newsboat,
    which compares Last-Modified with the one it stored. GitHub Pages compares content."""

    def send_head(self):  # type: ignore[no-untyped-def]
        del self.headers["If-Modified-Since"]
        return super().send_head()

    def send_header(self, keyword: str, value: str) -> None:
        if keyword != "Last-Modified":
            super().send_header(keyword, value)


class Subscriber:
    """A built site behind a local server, and a feed reader subscribed from its OPML."""

    def __init__(self, root: Path, url: str):
        self.root, self.url = root, url
        self.content = copy_fixture("valid", root)
        self.reader: Reader | None = None

    def build(self) -> None:
        code, site = build(self.root, self.content, "--no-cache", site_url=self.url)
        assert code == 0, site.command

    def subscribe(self) -> Reader:
        opml = etree.parse(str(self.root / "site" / "feeds.opml"))
        self.reader = make_reader(str(self.root / "reader.sqlite"))
        for outline in opml.iter("outline"):
            if outline.get("xmlUrl"):
                self.reader.add_feed(outline.get("xmlUrl"))
        return self.reader

    def update(self) -> Counter[tuple[str, str]]:
        """Fetch every feed; the unread entries as (feed file, entry id), then all read."""
        assert self.reader is not None
        # Now, as a reader's "refresh" does, not at the next time reader would schedule.
        self.reader.update_feeds(scheduled=False)
        for feed in self.reader.get_feeds():
            assert feed.last_exception is None, (feed.url, feed.last_exception)
        unread = list(self.reader.get_entries(read=False))
        for entry in unread:
            self.reader.mark_entry_as_read(entry)
        return Counter((e.feed_url.removeprefix(self.url), e.id) for e in unread)


@pytest.fixture
def subscriber(tmp_path: Path) -> Iterator[Subscriber]:
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / SUB_PATH.strip("/")).symlink_to(tmp_path / "site", target_is_directory=True)
    handler = partial(WholeFileHandler, directory=str(tmp_path / "www"))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield Subscriber(tmp_path, f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}")
        server.shutdown()
        thread.join()


def test_a_reader_subscribed_from_the_opml_gets_each_story_once_per_channel(
    subscriber: Subscriber,
):
    subscriber.build()
    reader = subscriber.subscribe()
    first = subscriber.update()
    feeds = sorted(feed.url.removeprefix(subscriber.url) for feed in reader.get_feeds())
    # One subscription per channel, in Atom; the daily digest, in RSS only.
    assert feeds == sorted(
        ["atom.xml", "daily.xml"]
        + [
            f"topics/{slug}/atom.xml"
            for slug in ("ai", "ai-in-finance", "microsoft-ai", "robotics")
        ]
    )
    assert set(first.values()) == {1}, "an entry twice in one feed"
    site = {entry for feed, entry in first if feed == "atom.xml"}
    pages = subscriber.root / "site" / "news"
    assert len(site) == len(list(pages.glob("*/*/*/*/index.html")))  # every published story
    topics = {entry for feed, entry in first if feed.startswith("topics/")}
    assert topics <= site

    added = _add_stories(subscriber)
    arrived = subscriber.update()
    slugs = {"AI": "ai", "Microsoft AI": "microsoft-ai", "AI in Finance": "ai-in-finance"}
    expected = Counter({("atom.xml", story): 1 for story in added})
    for name, (_, topics_of) in NEW_STORIES.items():
        story = f"{subscriber.url}news/2024/03/05/{name[11:-3]}/"
        expected.update((f"topics/{slugs[t]}/atom.xml", story) for t in topics_of)
    daily = {key: n for key, n in arrived.items() if key[0] == "daily.xml"}
    stories = arrived - Counter(daily)
    assert stories == expected, "exactly the new stories, once in each of their feeds"
    assert list(daily.values()) == [1], "one new daily item: 5 March, now over"

    # A correction (a better title, dated) is not news: it updates the entry readers have.
    _correct_a_story(subscriber)
    assert subscriber.update() == Counter()
    echo = f"{subscriber.url}{ECHO}"
    entry = subscriber.reader.get_entry((subscriber.url + "atom.xml", echo))
    assert entry.title == CORRECTED_TITLE and entry.read
    # And a rebuild of the same content brings nothing either.
    subscriber.build()
    assert subscriber.update() == Counter()


class Newsboat:
    """newsboat 2.21 (Debian) run headless: `-i` imports the OPML, `-x reload` fetches every
    feed, `-x print-unread` counts; its cache (SQLite) says which items it holds."""

    def __init__(self, folder: Path):
        folder.mkdir()
        (folder / "config").write_text("", encoding="utf-8")
        self.files = ["-u", str(folder / "urls"), "-c", str(folder / "cache.db")]
        self.files += ["-C", str(folder / "config")]
        self.cache = folder / "cache.db"

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["newsboat", *self.files, *args], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def reload(self) -> None:
        self.run("-x", "reload")
        with sqlite3.connect(self.cache) as db:
            feeds = db.execute("SELECT rssurl, title FROM rss_feed").fetchall()
        assert feeds and all(title for _, title in feeds), f"a feed was not read: {feeds}"

    def unread(self) -> int:
        said = self.run("-x", "print-unread").split()
        assert said[1:] == ["unread", "articles"], said
        return int(said[0])

    def items(self) -> dict[str, str]:
        """Every item newsboat keeps: title by id."""
        with sqlite3.connect(self.cache) as db:
            return dict(db.execute("SELECT guid, title FROM rss_item"))

    def read_all(self) -> None:
        """What a reader who reads everything leaves (`-x` has no command for it)."""
        with sqlite3.connect(self.cache) as db:
            db.execute("UPDATE rss_item SET unread = 0")


def test_newsboat_subscribed_from_the_opml_gets_each_new_story_once(
    subscriber: Subscriber, tmp_path: Path
):
    subscriber.build()
    boat = Newsboat(tmp_path / "newsboat")
    boat.run("-i", str(subscriber.root / "site" / "feeds.opml"))
    boat.reload()
    first = boat.items()
    daily = etree.parse(str(subscriber.root / "site" / "daily.xml")).findall("channel/item")
    pages = subscriber.root / "site" / "news"
    stories = len(list(pages.glob("*/*/*/*/index.html")))
    assert len(first) == stories + len(daily) == boat.unread()
    boat.read_all()

    added = _add_stories(subscriber)
    boat.reload()
    new = set(boat.items()) - set(first)
    assert {item for item in new if "/news/" in item} == added
    assert len(new) == len(added) + 1 == boat.unread(), "the stories and 5 March's daily item"
    boat.read_all()

    _correct_a_story(subscriber)
    boat.reload()
    assert boat.unread() == 0, "a correction is not a new story"
    assert boat.items()[subscriber.url + ECHO] == CORRECTED_TITLE
    subscriber.build()
    boat.reload()
    assert boat.unread() == 0
