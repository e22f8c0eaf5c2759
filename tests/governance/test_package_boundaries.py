"""The two distributions stand alone: the SDK never imports the sandbox, the sandbox never imports
the SDK, and each imports only the standard library, itself and the dependencies it declares.

Read from the sources (every import statement, also inside functions) and proven at run time in
a fresh interpreter where the other package cannot be imported.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SDK = [ROOT / "overlay" / "scopix", ROOT / "generated" / "scopix_api"]
SANDBOX = [ROOT / "sandbox" / "src" / "scopix_sandbox"]
SDK_NAMES = {"scopix", "scopix_api"}
SANDBOX_NAMES = {"scopix_sandbox"}
# Import names of declared distributions, where they differ from the distribution's name.
IMPORT_NAMES = {
    "pyyaml": "yaml",
    "rfc3339-validator": "rfc3339_validator",
    "opentelemetry-api": "opentelemetry",
}


def imported_roots(folders: list[Path]) -> dict[str, set[str]]:
    """Top-level module names imported anywhere under `folders`, each with the files."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for source in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(str(source.relative_to(ROOT)))
    return found


def declared(pyproject: Path, *extras: str) -> set[str]:
    project = tomllib.loads(pyproject.read_text("utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    names = set()
    for requirement in requirements:
        name = requirement.split(";")[0].split("[")[0]
        for stop in "<>=!~ ":
            name = name.split(stop)[0]
        names.add(IMPORT_NAMES.get(name.lower(), name.lower().replace("-", "_")))
    return names


def third_party(found: dict[str, set[str]], own: set[str]) -> dict[str, set[str]]:
    return {
        name: files
        for name, files in found.items()
        if name not in sys.stdlib_module_names and name not in own and name != "__future__"
    }


def test_the_sdk_sources_never_import_the_sandbox() -> None:
    found = imported_roots(SDK)
    assert {n: found[n] for n in SANDBOX_NAMES if n in found} == {}
    # httpx and attrs, the extras' redis, click, rich, prometheus_client, opentelemetry,
    # psycopg and msgspec, and nothing undeclared; anyio is httpx's own dependency (the SDK
    # sleeps and waits through it under asyncio and trio).
    extras = ("cli", "redis", "metrics", "otel", "postgres", "fast")
    allowed = declared(ROOT / "pyproject.toml", *extras) | {"anyio"}
    assert {n: f for n, f in third_party(found, SDK_NAMES).items() if n not in allowed} == {}


def test_the_sandbox_sources_never_import_the_sdk() -> None:
    found = imported_roots(SANDBOX)
    assert {n: found[n] for n in SDK_NAMES if n in found} == {}
    # pytest only in the plugin, which pytest itself loads.
    allowed = declared(ROOT / "sandbox" / "pyproject.toml") | {"pytest"}
    assert {n: f for n, f in third_party(found, SANDBOX_NAMES).items() if n not in allowed} == {}
    assert found["pytest"] == {"sandbox/src/scopix_sandbox/pytest_plugin.py"}


BLOCK = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ImportError(f"blocked: {{name}}", name=name)
        return None
sys.meta_path.insert(0, Block())
"""

SDK_RUN = """
import scopix, scopix.types, scopix.pacing, scopix.cli
from scopix import SyncScopix
print("ok")
"""

# Every module of the sandbox, then a server answering a request (urllib: httpx is the SDK's).
SANDBOX_RUN = """
import importlib, json, pkgutil, urllib.request
import scopix_sandbox
for module in pkgutil.walk_packages(scopix_sandbox.__path__, "scopix_sandbox."):
    importlib.import_module(module.name)
with scopix_sandbox.run_sandbox(events=10, rate_limit=False, record_requests=False) as sb:
    request = urllib.request.Request(
        sb.base_url + "/v1/usage/check", headers={"Authorization": "Bearer " + sb.api_key}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert "can_proceed" in json.load(response)
print("ok")
"""


@pytest.mark.parametrize(
    ("blocked", "code"),
    [(SANDBOX_NAMES, SDK_RUN), (SDK_NAMES | {"httpx", "attrs"}, SANDBOX_RUN)],
    ids=["sdk without the sandbox", "sandbox without the sdk"],
)
def test_each_runs_with_the_other_unimportable(blocked: set[str], code: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCK.format(blocked=sorted(blocked)) + code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"
