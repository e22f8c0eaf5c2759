"""scripts/lint_spec.py passes on openapi.yaml and refuses every planted defect (defects.py),
naming the gate, the rule and the place: a JSON pointer, and the operation when it is inside one.
All copies that one gate must refuse go through one run of that gate (the node tools take
seconds to start)."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

from tests.openapi import ROOT, SPEC_PATH, fresh
from tests.spec.defects import DEFECTS, Defect

LINT_SPEC = ROOT / "scripts" / "lint_spec.py"
NODE_TOOLS = ROOT / "node_modules" / ".bin"
GATES = ("validator", "spectral", "redocly", "examples")
# `at #/pointer (GET /path, line N): severity rule: message`; the operation part is optional
FINDING = re.compile(
    r"^  at (?P<pointer>#(/[^\s/]*)*) \((?:(?P<operation>(?:[A-Z]+ )?/\S*), )?line [1-9]\d*\):"
    r" (?:error|warn) (?P<rule>[a-z0-9][a-zA-Z0-9.-]*): \S"
)

pytestmark = pytest.mark.skipif(
    not (NODE_TOOLS / "spectral").exists() or not (NODE_TOOLS / "redocly").exists(),
    reason="node tools missing: run `make install` (npm ci)",
)


def lint(specs: list[Path], *only: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(LINT_SPEC), *map(str, specs)]
    for gate in only:
        args += ["--only", gate]
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=600)


def test_every_gate_passes_on_the_spec() -> None:
    result = lint([SPEC_PATH])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 gate(s) passed: validator, spectral, redocly, examples" in result.stdout


def test_the_battery_covers_every_gate() -> None:
    assert len({d.id for d in DEFECTS}) == len(DEFECTS) >= 30
    assert {d.gate for d in DEFECTS} == set(GATES)


@cache
def reports(folder: Path) -> dict[str, tuple[list[str], str]]:
    """defect id -> (lines of its copy's report, stderr), each gate run once on its copies."""
    out: dict[str, tuple[list[str], str]] = {}
    for gate in GATES:
        defects = [d for d in DEFECTS if d.gate == gate]
        paths = []
        for defect in defects:
            spec = fresh()
            defect.plant(spec)
            path = folder / f"{defect.id}.yaml"
            text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        result = lint(paths, gate)
        blocks = re.split(r"^== (.+)\n", result.stdout, flags=re.MULTILINE)[1:]
        by_path = dict(zip(blocks[::2], blocks[1::2], strict=True))
        for defect, path in zip(defects, paths, strict=True):
            out[defect.id] = (by_path.get(str(path), "").splitlines(), result.stderr)
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("defects")


@pytest.mark.parametrize("defect", DEFECTS, ids=[d.id for d in DEFECTS])
def test_each_defect_is_refused_at_its_place_by_its_rule(folder: Path, defect: Defect) -> None:
    lines, stderr = reports(folder)[defect.id]
    path = folder / f"{defect.id}.yaml"
    assert f"lint_spec: FAILED gate: {defect.gate} ({path})" in stderr, lines
    assert lines[:1] == [f"[{defect.gate}] FAILED"], lines
    findings = lines[1:]
    assert findings, lines
    matches = [FINDING.match(line) for line in findings]
    for line, match in zip(findings, matches, strict=True):  # every finding: where and which rule
        assert match, line
    ours = [m for m in matches if m and m["rule"] == defect.rule]
    assert ours, f"no {defect.rule} finding:\n" + "\n".join(findings)
    assert any(m["pointer"].startswith(defect.at) for m in ours), "\n".join(findings)
    if defect.operation:
        assert any(m["operation"] == defect.operation for m in ours), "\n".join(findings)


def test_a_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    broken = tmp_path / "openapi.yaml"
    text = SPEC_PATH.read_text(encoding="utf-8").replace(
        "  title: Scopix Usage API", "  title: [", 1
    )
    broken.write_text(text, encoding="utf-8")
    result = lint([broken], "validator")
    assert result.returncode == 1, result.stdout + result.stderr
    (finding,) = result.stdout.split("[validator] FAILED\n", 1)[1].splitlines()
    match = FINDING.match(finding)
    assert match, finding
    assert match["rule"] == "yaml-syntax"
    assert re.search(r"line [3-9]\b", finding), finding  # at the broken line, not the top
