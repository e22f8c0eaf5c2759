"""docs/breaking-rules.md, the table of oasdiff's rule families against the gate, is held to the
code: every rule the gate reports on the mutation battery is in a row, every rule a row names
is reported by one of that row's tests, and every test a row names exists."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from tests.governance.test_mutations import MUTATIONS, changes_of, spec_diff

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "breaking-rules.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RULE = re.compile(r"[a-z]+(?:-[a-z0-9]+)+")


def _rows(section: str) -> list[list[str]]:
    text = TABLE.read_text(encoding="utf-8").split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


ROWS = _rows("Families that apply to this spec")


def _ticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def ours(row: list[str]) -> set[str]:
    return {t for t in _ticked(row[1]) if RULE.fullmatch(t)}


@cache
def rules_of(test: str) -> frozenset[str]:
    """The rules the gate reports for a mutation id or a fixture of tests/governance/fixtures."""
    if test in MUTATIONS:
        return frozenset(c.rule for c in changes_of(test))
    path = ROOT / test
    if path.parent == FIXTURES and path.suffix == ".yaml":
        base = yaml.safe_load((FIXTURES / "base.yaml").read_text(encoding="utf-8"))
        revision = yaml.safe_load(path.read_text(encoding="utf-8"))
        return frozenset(c.rule for c in spec_diff.diff(base, revision))
    return frozenset()


def test_the_table_has_rows() -> None:
    assert len(ROWS) >= 30
    assert all(len(row) == 4 for row in ROWS), [row[0][:40] for row in ROWS if len(row) != 4]
    assert len(_rows("Families that cannot arise here")) >= 10


def _row_id(row: list[str]) -> str:
    match = RULE.search(row[0])
    return match.group() if match else row[0][:30]


@pytest.mark.parametrize("row", ROWS, ids=[_row_id(r) for r in ROWS])
def test_each_row_names_tests_that_exist_and_report_its_rules(row: list[str]) -> None:
    tests = _ticked(row[2])
    assert tests, "a row without tests"
    for test in tests:
        assert test in MUTATIONS or (ROOT / test).is_file(), f"no mutation or file {test}"
    reported = frozenset().union(*(rules_of(t) for t in tests))
    assert ours(row) <= reported, f"not reported by its tests: {sorted(ours(row) - reported)}"


def test_every_rule_the_gate_reports_is_in_the_table() -> None:
    documented = set().union(*(ours(row) for row in ROWS))
    reported = {c.rule for m in MUTATIONS for c in changes_of(m)}
    assert reported <= documented, sorted(reported - documented)
    # and every rule the code can name: string literals and the format/pattern family
    source = (ROOT / "scripts" / "spec_diff.py").read_text(encoding="utf-8")
    literal = set(
        re.findall(
            r'"((?:request|response|parameter|path|operation|security|servers|bound)-[a-z-]+)"',
            source,
        )
    )
    family = {
        f"{s}-{k}-{w}"
        for s in ("request", "response")
        for k in ("format", "pattern")
        for w in ("added", "changed", "removed")
    }
    assert literal | family <= documented, sorted((literal | family) - documented)
