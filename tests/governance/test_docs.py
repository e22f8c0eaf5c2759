"""scripts/build_docs.py (`make docs`): the API reference, the SDK reference (pdoc) and the CLI
captures are built, complete and self-contained."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sdk_reference import documented_modules

import scopix
from tests import openapi

ROOT = Path(__file__).resolve().parents[2]

# Anything in the static HTML or SVG that a browser would fetch from another host, written here
# apart from the build's own check, so the two do not share a blind spot.
EXTERNAL = re.compile(
    r"<(?:script|img|iframe|image)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//"
    r"|<link\b[^>]*\bhref=[\"']?(?:https?:)?//"
    r"|url\([\"']?(?:https?:)?//"
)
# Pages without inlined JavaScript (Redoc's mentions both in its CSS-in-JS code) import no
# stylesheet and declare no font at all.
NO_FONTS = re.compile(r"@import|@font-face")

pytestmark = pytest.mark.skipif(
    not (ROOT / "node_modules" / ".bin" / "redocly").exists(),
    reason="node tools missing: run `make install` (npm ci)",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    (out / "sdk.html").write_text("the hand-written renderer's page")  # left from an old build
    args = [sys.executable, str(ROOT / "scripts" / "build_docs.py"), str(out)]
    result = subprocess.run(args, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pdoc:" not in result.stderr  # every annotation of the public API was read
    return out


def _read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def _page_of(module: str) -> str:
    return "sdk/" + module.replace(".", "/") + ".html"


def test_pages_are_built_and_self_contained(site: Path) -> None:
    pages = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
    expected = {"index.html", "api.html", "sdk/index.html", "sdk/search.js"}
    expected |= {_page_of(m) for m in documented_modules()}
    expected |= {"cli/dashboard.svg", "cli/chart.svg"}
    assert pages == expected
    for name in pages - {"sdk/search.js"}:
        assert not EXTERNAL.findall(_read(site, name)), name
        if name != "api.html":
            assert not NO_FONTS.findall(_read(site, name)), name
    assert "<script" in _read(site, "api.html")  # Redoc inlined, not loaded from a CDN


def test_the_reference_covers_the_public_modules() -> None:
    wanted = {"scopix", "scopix.types", "scopix.pacing", "scopix.usage_db", "scopix.observe"}
    wanted |= {"scopix.otel", "scopix.prometheus", "scopix_sandbox"}
    assert wanted <= set(documented_modules())


def test_api_reference_has_every_operation(site: Path) -> None:
    api = _read(site, "api.html")
    for item in openapi.spec()["paths"].values():
        for operation in item.values():
            assert operation["summary"] in api


def test_sdk_reference_has_every_public_name(site: Path) -> None:
    for module_name in documented_modules():
        module = importlib.import_module(module_name)
        page = _read(site, _page_of(module_name))
        for name in getattr(module, "__all__", []):
            if not name.startswith("__"):
                assert f'id="{name}"' in page, f"{module_name}.{name}"
    page = _read(site, _page_of("scopix"))
    for method in ("check", "get_all_details", "get_plan", "with_raw_response"):
        assert f'id="SyncUsageResource.{method}"' in page, method
        assert f'id="UsageResource.{method}"' in page, method
    assert f"scopix {scopix.__version__}" in page


def _signature(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</div>", page.index('class="signature', start))]


def test_signatures_show_types_and_link_to_them(site: Path) -> None:
    page = _read(site, _page_of("scopix"))
    details = _signature(page, "SyncUsageResource.get_details")
    assert "limit: int = 50" in re.sub(r"<[^>]+>", "", details)
    assert 'href="scopix/types.html#UsageDetails"' in details  # the result's model
    assert 'href="#RequestOptions"' in details  # **options: Unpack[RequestOptions]
    usage_db = _read(site, _page_of("scopix.usage_db"))
    sync = _signature(usage_db, "sync_usage")
    assert 'href="../scopix.html#SyncScopix"' in sync  # a name published from a private module
    assert 'href="#SyncReport"' in sync


def test_every_link_of_the_reference_leads_somewhere(site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "api.html":
            continue  # Redoc's page is built by its JavaScript
        for target in re.findall(
            r'<a [^>]*href="([^"]*)"', _read(site, str(page.relative_to(site)))
        ):
            if re.match(r"[a-z]+:", target) or "${" in target:
                continue  # another site (pdoc's footer), or a template in the search's script
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.is_file():
                broken.append(f"{page.relative_to(site)}: {target}")
            elif anchor:
                if file not in ids:
                    ids[file] = set(re.findall(r'\bid="([^"]+)"', file.read_text("utf-8")))
                if anchor not in ids[file]:
                    broken.append(f"{page.relative_to(site)}: {target}")
    assert broken == []


def test_search_is_built(site: Path) -> None:
    index = _read(site, "sdk/search.js")
    for name in ("get_all_details", "SyncRedisLimiter", "sync_usage", "OTelObserver"):
        assert name in index, name


def _svg_text(site: Path, name: str) -> str:
    root = ET.fromstring(_read(site, name))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = "".join(root.itertext()).replace("\xa0", " ")
    return text


def test_the_cli_captures_show_the_real_output(site: Path) -> None:
    dashboard = _svg_text(site, "cli/dashboard.svg")
    assert "scopix usage dashboard" in dashboard
    # the pinned clock; a dashboard month is the last 30 days, not the calendar month
    period = "month: the last 30 days (2026-10-22 \N{EN DASH} 2026-11-20)"
    assert period in dashboard
    for doc in ("README.md", "docs/cli.md"):  # they quote the line as the command prints it
        assert period in " ".join((ROOT / doc).read_text("utf-8").split()), doc
    assert "Daily requests" in dashboard
    assert "\N{FULL BLOCK}" in dashboard
    chart = _svg_text(site, "cli/chart.svg")
    assert "Credits per day, 2026-11-01 to 2026-11-20" in chart
    index = _read(site, "index.html")
    for name in ("cli/dashboard.svg", "cli/chart.svg", "api.html", "sdk/index.html"):
        assert f"'{name}'" in index, name
