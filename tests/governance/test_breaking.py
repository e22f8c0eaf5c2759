"""scripts/spec_breaking.py (`make breaking`) on fixture specs: each is fixtures/base.yaml with one
change, and the gate must refuse the breaking ones unless info.version's major grew."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GATE = ROOT / "scripts" / "spec_breaking.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# fixture -> the rule (scripts/spec_diff.py) that must be reported as breaking
BREAKING = {
    "remove_response_field": "response-property-removed",
    "tighten_bound": "bound-changed",
    "add_required_parameter": "parameter-required-added",
    "remove_enum_value": "request-enum-value-removed",
    "add_closed_enum_value": "response-enum-value-added",
    "breaking_with_minor_bump": "request-enum-value-removed",
}
ALLOWED = ["base", "add_optional_field", "add_open_enum_value", "breaking_with_major_bump"]


def gate(
    revision: Path, base: Path = FIXTURES / "base.yaml", *options: str
) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(GATE), "--base", str(base), *options, str(revision)]
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=120)


@cache
def results() -> dict[str, subprocess.CompletedProcess[str]]:
    """Every fixture through the gate once, two at a time (each run is a process)."""
    names = [*BREAKING, *ALLOWED]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(lambda name: gate(FIXTURES / f"{name}.yaml"), names)
        return dict(zip(names, done, strict=True))


def test_every_fixture_is_tested() -> None:
    assert {p.stem for p in FIXTURES.glob("*.yaml")} == {*BREAKING, *ALLOWED}


@pytest.mark.parametrize(("fixture", "rule"), BREAKING.items())
def test_breaking_change_fails(fixture: str, rule: str) -> None:
    result = results()[fixture]
    assert result.returncode == 1, result.stdout + result.stderr
    # the operation, the location in it and the rule on one line, what happened on the next
    assert re.search(rf"^major  (GET|POST) /\S+  \S.*  \[{rule}\]\n {{7}}\S", result.stdout, re.M)
    assert "FAILED: 1 breaking change(s) need a major version: 2.0.0" in result.stdout


@pytest.mark.parametrize("fixture", ALLOWED)
def test_compatible_change_or_major_bump_passes(fixture: str) -> None:
    result = results()[fixture]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed: " in result.stdout


def test_major_bump_is_reported_as_breaking() -> None:
    out = results()["breaking_with_major_bump"].stdout
    assert "1 major" in out
    assert "passed: breaking change(s) with a major version bump" in out


def test_open_enum_addition_is_rated_minor() -> None:
    out = results()["add_open_enum_value"].stdout
    assert "0 major, 1 minor" in out
    assert "query parameter `kind`  [request-enum-value-added]\n       'audio' accepted too" in out


def test_version_going_backwards_fails(tmp_path: Path) -> None:
    older = tmp_path / "older.yaml"
    text = (FIXTURES / "base.yaml").read_text(encoding="utf-8")
    older.write_text(text.replace("  version: 1.0.0\n", "  version: 0.9.0\n"), encoding="utf-8")
    result = gate(older)
    assert result.returncode == 1
    assert "info.version went backwards (1.0.0 -> 0.9.0)" in result.stdout


def test_unreadable_spec_is_a_tool_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\npaths: [\n", encoding="utf-8")
    result = gate(broken)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "spec_breaking:" in result.stderr


def test_json_report_names_operation_location_and_rule() -> None:
    result = gate(FIXTURES / "tighten_bound.yaml", FIXTURES / "base.yaml", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["passed"] is False
    assert report["verdict"] == "FAILED: 1 breaking change(s) need a major version: 2.0.0"
    (change,) = [c for c in report["changes"] if c["breaking"]]
    assert change["impact"] == "major"
    assert change["rule"] == "bound-changed"
    assert change["operation"].startswith("GET /")
    assert change["location"].startswith("query parameter `")
    assert " -> " in change["message"]
