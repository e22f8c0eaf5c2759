"""The CLI is an extra: `import scopix` works without click and rich, the `scopix` console script
then says what to install, and with them it runs as `scopix` and `python -m scopix.cli`."""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import scopix
from tests.governance.test_module_exports import defined as public_definitions
from tests.governance.test_module_exports import listed as module_all

# Makes click and rich unimportable in a fresh interpreter, as if the extra were not installed.
BLOCK = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("click", "rich"):
            raise ImportError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
"""


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_the_library_works_without_the_extra() -> None:
    done = python(BLOCK + "import scopix, scopix.types, scopix.pacing, scopix.cli\nprint('ok')")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"


def test_the_console_script_says_what_to_install() -> None:
    done = python(BLOCK + "from scopix.cli import main\nmain(['usage', 'breakdown'])")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "ImportError: the command line needs click: pip install 'scopix[cli]'"
    ]


def test_only_the_cli_package_imports_click_or_rich() -> None:
    # httpx imports click and rich for its own CLI when they are installed, so sys.modules after
    # `import scopix` says nothing; the sources do.
    root = Path(scopix.__file__).parent
    offenders = []
    for source in root.rglob("*.py"):
        if "cli" in source.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(name.split(".")[0] in ("click", "rich") for name in names):
                offenders.append(str(source.relative_to(root)))
    assert offenders == []


def test_entry_point_and_module() -> None:
    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "scopix"]
    assert script.value == "scopix.cli:main"
    done = subprocess.run(
        [sys.executable, "-m", "scopix.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Exit status" in done.stdout


def test_every_cli_module_lists_what_it_defines() -> None:
    """`__all__` in every module of the CLI, naming each public class and function it defines
    and nothing it does not have; none builds commands on click's private `__click_params__`."""
    cli = Path(scopix.__file__).parent / "cli"
    for source in sorted(cli.rglob("*.py")):
        text = source.read_text("utf-8")
        tree = ast.parse(text)
        listed = module_all(tree)
        where = source.relative_to(cli)
        assert listed is not None, f"{where} has no __all__"
        missing = public_definitions(tree) - set(listed)
        assert not missing, (where, missing)
        module = ".".join(("scopix", "cli", *where.with_suffix("").parts))
        module = module.removesuffix(".__init__")
        if where.name != "__main__.py":  # importing it runs the command
            names = vars(importlib.import_module(module))
            assert [n for n in listed if n not in names] == [], where
        assert "__click_params__" not in text, where


def test_serve_metrics_says_what_to_install() -> None:
    block = BLOCK.replace('("click", "rich")', '("prometheus_client",)')
    code = block + "from scopix.cli import main\nmain(['usage', 'serve-metrics', '--port', '0'])"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "SCOPIX_API_KEY": "scopix_test_key"},
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "ImportError: serve-metrics needs prometheus-client: pip install 'scopix[metrics]'"
    ]
