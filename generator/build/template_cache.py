"""Compiled templates kept between builds, each checked before it is used.

Compiling the theme's templates is a fixed half second of every build, so the
compiled code is kept in the cache folder. Jinja's own file cache trusts
what it reads: a damaged entry (a flipped byte, say) ran as code and failed
every later build with an error naming nothing (`cannot import name 'mi3sing'
from 'jinja2.runtime'`) until someone deleted the cache; and a full disk
failed the build while it wrote an entry. Here each entry carries a hash of
its bytes: one that does not match is compiled afresh (and said once), and
one that cannot be written costs the next build its head start, never this build.
"""

from __future__ import annotations

import logging
import os

import jinja2
import jinja2.bccache

from generator.content.cache import read_checked, write_checked

log = logging.getLogger(__name__)


class CheckedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache in a folder, one file per template, each with its bytes' hash."""

    def __init__(self, folder: str):
        self.folder = folder
        self.damaged = 0

    def _file(self, bucket: jinja2.bccache.Bucket) -> str:
        return os.path.join(self.folder, f"{bucket.key}.cache")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = self._file(bucket)
        payload, damaged = read_checked(path)
        if damaged:
            self.damaged += 1
            if self.damaged == 1:
                log.warning("digest: a damaged compiled template in %s is compiled afresh", path)
        if payload is not None:
            bucket.bytecode_from_string(payload)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # A full or read-only cache: the template is compiled next time too.
        write_checked(self._file(bucket), bucket.bytecode_to_string())
