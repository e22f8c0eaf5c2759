"""scripts/build_docs.py (`make docs`): both references are built, complete and self-contained."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import scopix
import scopix.pacing
import scopix.types
from tests import openapi

ROOT = Path(__file__).resolve().parents[2]
# Anything in the static HTML that a browser would fetch from another host.
EXTERNAL = re.compile(
    r"<(?:script|img|iframe)\b[^>]*\bsrc=[\"']?(?:https?:)?//|<link\b[^>]*\bhref=[\"']?(?:https?:)?//"
)

pytestmark = pytest.mark.skipif(
    not (ROOT / "node_modules" / ".bin" / "redocly").exists(),
    reason="node tools missing: run `make install` (npm ci)",
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("site")
    args = [sys.executable, str(ROOT / "scripts" / "build_docs.py"), str(out)]
    result = subprocess.run(args, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return {page.name: page.read_text(encoding="utf-8") for page in out.glob("*.html")}


def test_pages_are_built_and_self_contained(pages: dict[str, str]) -> None:
    assert set(pages) == {"index.html", "api.html", "sdk.html"}
    for name, html in pages.items():
        assert not EXTERNAL.findall(html), name
    assert "<script" in pages["api.html"]  # Redoc inlined, not loaded from a CDN


def test_api_reference_has_every_operation(pages: dict[str, str]) -> None:
    spec = openapi.spec()
    for item in spec["paths"].values():
        for operation in item.values():
            assert operation["summary"] in pages["api.html"]


def test_sdk_reference_has_every_public_name(pages: dict[str, str]) -> None:
    sdk = pages["sdk.html"]
    assert f"Scopix Python SDK {scopix.__version__} reference" in sdk
    for module in (scopix, scopix.pacing, scopix.types):
        for name in module.__all__:
            if not name.startswith("__"):
                assert f'id="{module.__name__}.{name}"' in sdk, f"{module.__name__}.{name}"
    for method in ("check", "get_all_details", "get_plan", "with_raw_response"):
        assert f"def {method}(" in sdk or f"property {method}" in sdk, method
