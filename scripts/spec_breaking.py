"""Breaking-change gate: compare a spec with the released one and fail on a breaking change
unless info.version's major was bumped.

Usage: spec_breaking.py [--base spec/released/openapi.yaml] [--format text|json] [REVISION]
(REVISION defaults to openapi.yaml)

Changes are found and rated by spec_diff.py: operation by operation with `$ref`s resolved (a
change to a shared parameter or schema is reported at every operation it reaches), parameters by
name, request and response told apart (a client may be sent less and must accept less; see
spec_diff.py for the rules, which follow oasdiff's and openapi-diff's, and docs/breaking-rules.md
for how they map). Each change is reported with its operation, its location in it and its rule:

    major  GET /v1/usage/details  query parameter `limit`  [parameter-default-changed]
           default 50 -> 20 (callers that omit it get other answers)

`--format json` prints one object instead: `changes` (impact, breaking, operation, location,
rule, message), `passed` and `verdict`. A `major` change breaks callers. Exit 0: passes;
1: breaking without a major bump, or info.version went backwards; 2: a spec could not be read.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from spec_diff import Change, diff

ROOT = Path(__file__).resolve().parent.parent
RELEASED = ROOT / "spec" / "released" / "openapi.yaml"
VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$")
IMPACTS = ("major", "minor", "patch")


class SpecError(Exception):
    """A spec could not be read or compared."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = VERSION.match(text)
    if match is None:
        raise ValueError(f"info.version {text!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch)


def load(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise SpecError(f"{path}: {err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("paths", {}), dict):
        raise SpecError(f"{path}: not an OpenAPI document")
    return data


def ordered(changes: Sequence[Change]) -> list[Change]:
    """Breaking ones first, then grouped by operation and location."""
    return sorted(changes, key=lambda c: (IMPACTS.index(c.impact), c.where, c.location, c.rule))


def report(changes: Sequence[Change]) -> list[str]:
    """Two lines per change: impact, operation, location and rule; then what happened."""
    return [
        f"{c.impact:5}  {c.where}  {c.location}  [{c.rule}]\n       {c.detail}"
        for c in ordered(changes)
    ]


def as_json(changes: Sequence[Change]) -> list[dict[str, object]]:
    return [
        {
            "impact": c.impact,
            "breaking": c.breaking,
            "operation": c.where,
            "location": c.location,
            "rule": c.rule,
            "message": c.detail,
        }
        for c in ordered(changes)
    ]


def compare(base: Path, revision: Path) -> tuple[list[Change], str, str]:
    """(changes, old info.version, new info.version)."""
    old, new = load(base), load(revision)
    try:
        changes = diff(old, new)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise SpecError(f"cannot compare: {type(err).__name__}: {err}") from None
    old_version, new_version = (str((d.get("info") or {}).get("version")) for d in (old, new))
    return changes, old_version, new_version


def check(base: Path, revision: Path) -> tuple[bool, list[str]]:
    """(passed, report lines)."""
    changes, old_version, new_version = compare(base, revision)
    passed, verdict = judge(changes, old_version, new_version)
    counts = {impact: sum(1 for c in changes if c.impact == impact) for impact in IMPACTS}
    summary = ", ".join(f"{counts[i]} {i}" for i in IMPACTS)
    lines = [*report(changes), f"{summary}; info.version {old_version} -> {new_version}"]
    return passed, [*lines, verdict if not passed else f"passed: {verdict}"]


def judge(changes: Sequence[Change], old_version: str, new_version: str) -> tuple[bool, str]:
    """(passed, verdict): `FAILED: ...` or what passed."""
    try:
        old_v, new_v = parse_version(old_version), parse_version(new_version)
    except ValueError as err:
        return False, f"FAILED: {err}"
    if new_v < old_v:
        return False, f"FAILED: info.version went backwards ({old_version} -> {new_version})"
    majors = sum(1 for c in changes if c.breaking)
    if majors and new_v[0] <= old_v[0]:
        return (
            False,
            f"FAILED: {majors} breaking change(s) need a major version: {old_v[0] + 1}.0.0",
        )
    return True, "breaking change(s) with a major version bump" if majors else "not breaking"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--base", type=Path, default=RELEASED, help="the released spec")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("revision", type=Path, nargs="?", default=ROOT / "openapi.yaml")
    args = parser.parse_args(argv)
    base, revision = args.base.resolve(), args.revision.resolve()
    for path in (base, revision):
        if not path.is_file():
            print(f"spec_breaking: no such file: {path}", file=sys.stderr)
            return 2
    try:
        if args.format == "json":
            changes, old_version, new_version = compare(base, revision)
            passed, verdict = judge(changes, old_version, new_version)
            out = {"base": str(base), "revision": str(revision), "changes": as_json(changes)}
            print(json.dumps({**out, "passed": passed, "verdict": verdict}, indent=2))
        else:
            passed, lines = check(base, revision)
            print(f"spec_breaking: {os.path.relpath(base)} -> {os.path.relpath(revision)}")
            print(*lines, sep="\n")
    except SpecError as err:
        print(f"spec_breaking: {err}", file=sys.stderr)
        return 2
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
