"""`__all__` in every module the two distributions ship, and nothing in it the module does not
have. In a private module (a `_` name on its path) it names each public class and function the
module defines, so a reader can tell what the module offers the rest of the package from its own
helpers without reading it through; a public module's `__all__` is its documented surface (pdoc
renders it) and may leave out helpers the package imports. A rename that leaves a stale name
behind fails here."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "scopix": ROOT / "overlay" / "scopix",
    "scopix_sandbox": ROOT / "sandbox" / "src" / "scopix_sandbox",
}


def listed(tree: ast.Module) -> list[str] | None:
    """The names a module's top-level `__all__ = [...]` lists (None without one)."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "__all__":
            names = ast.literal_eval(value)
            assert isinstance(names, list), "__all__ is a list literal"
            return names
    return None


def defined(tree: ast.Module) -> set[str]:
    """The public classes and functions a module defines at its top level."""
    kinds = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    return {n.name for n in tree.body if isinstance(n, kinds) and not n.name.startswith("_")}


def modules() -> list[tuple[str, Path]]:
    found = []
    for package, folder in PACKAGES.items():
        for source in sorted(folder.rglob("*.py")):
            parts = source.relative_to(folder).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            found.append((name, source))
    return found


def is_private(name: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in name.split("."))


@pytest.mark.parametrize(("name", "source"), modules(), ids=[m for m, _ in modules()])
def test_every_module_lists_what_it_defines(name: str, source: Path) -> None:
    tree = ast.parse(source.read_text("utf-8"))
    names = listed(tree)
    assert names is not None, f"{source.relative_to(ROOT)} has no __all__"
    missing = defined(tree) - set(names) if is_private(name) else set()
    assert not missing, f"{source.relative_to(ROOT)}: __all__ leaves out {sorted(missing)}"
    if source.name == "__main__.py":  # importing it runs the program
        return
    module = vars(importlib.import_module(name))
    stale = [n for n in names if n not in module]
    assert not stale, f"{name}.__all__ names what it does not have: {stale}"


def test_the_check_sees_a_module_without_all_and_a_stale_name(tmp_path: Path) -> None:
    tree = ast.parse("def run():\n    pass\n")
    assert listed(tree) is None
    tree = ast.parse("__all__ = ['gone']\nclass Kept:\n    pass\n")
    assert listed(tree) == ["gone"]
    assert defined(tree) == {"Kept"}
    assert is_private("scopix._call")
    assert is_private("scopix._async.client")
    assert not is_private("scopix.observe")
    assert not is_private("scopix.cli.__main__")
