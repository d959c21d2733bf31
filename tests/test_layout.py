"""The package's layout as the README's "How it works" shows it: folders are the stages, and
dependencies point one way (content ← site ← build ← mkdocs ← cli)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from support import REPO

PACKAGE = REPO / "generator"
# What each stage may import of the package; the top-level helpers import none of it.
ALLOWED = {
    "content": {"content", "lifetime"},
    "site": {"content", "site"},
    "build": {"content", "site", "build", "lifetime"},
    "migrate": {"content", "migrate"},
    "mkdocs": {"content", "site", "build", "mkdocs", "lifetime", "stopping"},
    "lifetime": set(),
    "stopping": set(),
}
ENGINES = {"mkdocs", "material", "properdocs"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def _stage(path: Path) -> str:
    part = path.relative_to(PACKAGE).parts[0]
    return part.removesuffix(".py")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_its_own_stage_and_those_before_it(path: Path):
    stage = _stage(path)
    if stage in ("cli", "__init__", "__main__"):
        return
    used = {name.split(".")[1] for name in _imports(path) if name.startswith("generator.")}
    used = {name.removesuffix(".py") for name in used}
    assert used <= ALLOWED[stage], f"{path.relative_to(REPO)} reaches {used - ALLOWED[stage]}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_adapter_imports_the_engine(path: Path):
    engines = {name.split(".")[0] for name in _imports(path)} & ENGINES
    if _stage(path) != "mkdocs":
        assert not engines, f"{path.relative_to(REPO)} imports {engines}"


def test_every_stage_is_a_folder_the_readme_names():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for stage in ("content", "site", "build", "migrate", "mkdocs"):
        assert (PACKAGE / stage / "__init__.py").is_file()
        assert f"generator/{stage}/" in readme, f"the README's layout lacks generator/{stage}/"
