"""scripts/lint_spec.py passes on openapi.yaml and fails, naming the gate, on broken copies."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.openapi import ROOT, SPEC_PATH, fresh

LINT_SPEC = ROOT / "scripts" / "lint_spec.py"
NODE_TOOLS = ROOT / "node_modules" / ".bin"

pytestmark = pytest.mark.skipif(
    not (NODE_TOOLS / "spectral").exists() or not (NODE_TOOLS / "redocly").exists(),
    reason="node tools missing: run `make install` (npm ci)",
)


def lint(spec: Path, *only: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(LINT_SPEC), str(spec)]
    for gate in only:
        args += ["--only", gate]
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=300)


def test_every_gate_passes_on_the_spec() -> None:
    result = lint(SPEC_PATH)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 gate(s) passed: validator, spectral, redocly, examples" in result.stdout


def drop_429(spec: dict[str, Any]) -> None:
    del spec["paths"]["/v1/usage/plan"]["get"]["responses"]["429"]


def drop_responses(spec: dict[str, Any]) -> None:
    # Legal in OAS 3.1 (responses became optional), so the 429 rule is what must catch it.
    del spec["paths"]["/v1/usage/plan"]["get"]["responses"]


def drop_property_description(spec: dict[str, Any]) -> None:
    del spec["components"]["schemas"]["UsageEvent"]["properties"]["endpoint"]["description"]


def string_example_on_integer(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["UsageEvent"]["properties"]["status_code"]["examples"] = ["ok"]


def limit_without_maximum(spec: dict[str, Any]) -> None:
    params = spec["paths"]["/v1/usage/top-endpoints"]["get"]["parameters"]
    (limit,) = (p for p in params if p.get("name") == "limit")
    del limit["schema"]["maximum"]


def parameter_without_in(spec: dict[str, Any]) -> None:
    del spec["components"]["parameters"]["Offset"]["in"]


def drop_schema_description(spec: dict[str, Any]) -> None:
    del spec["components"]["schemas"]["UsageDetails"]["description"]


def unused_component(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Orphan"] = {"type": "string", "description": "Never used."}


Break = Callable[[dict[str, Any]], None]
CASES = [
    pytest.param(drop_429, "spectral", "scopix-operation-429", id="operation-without-429"),
    pytest.param(
        drop_responses, "spectral", "scopix-operation-429", id="operation-without-responses"
    ),
    pytest.param(
        drop_property_description,
        "spectral",
        "scopix-property-docs",
        id="property-without-description",
    ),
    pytest.param(
        string_example_on_integer,
        "examples",
        "properties/status_code (line ",
        id="example-not-matching-schema",
    ),
    pytest.param(
        limit_without_maximum, "spectral", "scopix-page-param-bounds", id="limit-without-maximum"
    ),
    pytest.param(
        parameter_without_in,
        "validator",
        "at #/components/parameters/Offset (line ",
        id="structurally-invalid",
    ),
    pytest.param(unused_component, "redocly", "warn no-unused-components", id="redocly-warning"),
    pytest.param(
        drop_schema_description,
        "spectral",
        "at #/components/schemas/UsageDetails (line ",
        id="component-schema-without-description",
    ),
]
FINDING = re.compile(r"^  at #(/\S+)? \(line [1-9]\d*\): \S")


@pytest.mark.parametrize(("breaker", "gate", "expected"), CASES)
def test_gate_fails_on_broken_copy(
    tmp_path: Path, breaker: Break, gate: str, expected: str
) -> None:
    spec = fresh()
    breaker(spec)
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    # Only the gate under test runs: the node tools take seconds each.
    result = lint(path, gate)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"lint_spec: FAILED gate: {gate}" in result.stderr
    assert f"[{gate}] FAILED" in result.stdout
    # jsonschema versions differ in how they quote property names
    assert expected in result.stdout.replace('"', "'")
    findings = result.stdout.split(f"[{gate}] FAILED\n", 1)[1].splitlines()
    assert findings
    for line in findings:  # every finding says where: a JSON pointer and a line
        assert FINDING.match(line), line
