"""Compiled templates in the cache: a damaged one is compiled afresh and said once.

Jinja's own file cache ran whatever it read: flipped bytes failed every later build with
`ImportError: cannot import name 'mi3sing' from 'jinja2.runtime'` until the cache was deleted.
"""

from __future__ import annotations

from pathlib import Path

from support import FIXTURES, build


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_damaged_compiled_templates_are_compiled_afresh_and_reported_once(tmp_path: Path, capsys):
    code, site = build(tmp_path, FIXTURES / "valid")
    assert code == 0, site.command
    before = _files(site.root)
    compiled = sorted((tmp_path / ".cache" / "digest" / "templates").glob("*.cache"))
    assert compiled, "the build keeps its compiled templates in the cache"
    for entry in compiled:
        data = bytearray(entry.read_bytes())
        for at in range(40, len(data), 97):  # past the stored hash, through the code
            data[at] ^= 0x20
        entry.write_bytes(bytes(data))
    capsys.readouterr()
    (site.root / "index.html").unlink()  # so that the page is rendered again, not reused
    code, site = build(tmp_path, FIXTURES / "valid")
    err = capsys.readouterr().err
    assert code == 0, f"{err}\nreproduce: {site.command}"
    assert err.count("damaged compiled template") == 1, err
    assert _files(site.root) == before
    code, _ = build(tmp_path, FIXTURES / "valid")
    assert code == 0 and "damaged compiled" not in capsys.readouterr().err, "rewritten whole"
