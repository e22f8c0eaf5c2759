"""Breaking-change gate: compare a spec with the released one and fail on a breaking change
unless info.version's major was bumped.

Usage: spec_breaking.py [--base spec/released/openapi.yaml] [REVISION (default openapi.yaml)]

Changes are found and rated by `redocly diff` (@redocly/cli, rules in spec/redocly-diff.yaml); a
`major` rating is a breaking change. One refinement: a value added to an enum whose every use is
open (an `anyOf`/`oneOf` alternative next to a plain string, as this spec models enums that may
grow) or a request parameter is not breaking, since clients already accept unknown values there.
Exit 0: passes; 1: breaking without a major bump, or info.version went backwards; 2: tool error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"
DIFF_CONFIG = ROOT / "spec" / "redocly-diff.yaml"
RELEASED = ROOT / "spec" / "released" / "openapi.yaml"
NODE_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}
VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$")
IMPACTS = ("major", "minor", "patch")
NAMED_SCHEMA = re.compile(r"/components/schemas/[^/]+")  # used through $refs, not in place
PARAMETER_SCHEMA = re.compile(
    r"^/paths/[^/]+(/[^/]+)?/parameters/\d+/schema$|^/components/parameters/[^/]+/schema$"
)


class ToolError(Exception):
    """redocly could not compare the two specs."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = VERSION.match(text)
    if match is None:
        raise ValueError(f"info.version {text!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch)


def redocly_diff(base: Path, revision: Path) -> dict[str, Any]:
    if not REDOCLY.exists():
        raise ToolError(f"{REDOCLY} is missing: run `make install` (npm ci)")
    args = [str(REDOCLY), "diff", str(base), str(revision), "--config", str(DIFF_CONFIG)]
    args += ["--lint-config=error", "--format=json", "--fail-on=none"]
    proc = subprocess.run(
        args, capture_output=True, text=True, check=False, cwd=ROOT, env={**os.environ, **NODE_ENV}
    )
    try:
        report: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise ToolError(f"redocly diff exited {proc.returncode}: {proc.stderr.strip()}") from None
    if proc.returncode != 0:
        raise ToolError(f"redocly diff exited {proc.returncode}: {proc.stderr.strip()}")
    return report


def _walk(node: Any, pointer: str, parent: Any) -> Iterator[tuple[str, Any, Any]]:
    """Every (pointer, node, parent container) of a parsed document."""
    yield pointer, node, parent
    if isinstance(node, dict):
        for key, value in node.items():
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            yield from _walk(value, f"{pointer}/{escaped}", node)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{i}", node)


def _plain_string(schema: Any) -> bool:
    if not isinstance(schema, dict) or "enum" in schema or "const" in schema:
        return False
    kind = schema.get("type")
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


def _open_site(pointer: str, node: Any, parent: Any) -> bool:
    """A use of an enum schema where a new value cannot break a client."""
    if PARAMETER_SCHEMA.match(pointer):
        return True  # a request value: accepting one more is compatible
    alternatives = re.search(r"/(anyOf|oneOf)/\d+$", pointer) and isinstance(parent, list)
    return bool(alternatives) and any(_plain_string(s) for s in parent if s is not node)


def enum_is_open(spec: Any, enum_pointer: str) -> bool:
    """True when every use of the schema holding `enum_pointer` (`#/.../enum`) is open."""
    target = enum_pointer.removeprefix("#").removesuffix("/enum")
    sites = [
        (pointer, node, parent)
        for pointer, node, parent in _walk(spec, "", None)
        if (isinstance(node, dict) and node.get("$ref") == f"#{target}")
        or (pointer == target and not NAMED_SCHEMA.fullmatch(target))
    ]
    return bool(sites) and all(_open_site(*site) for site in sites)


def _where(path: str) -> str:
    """`#/paths/~1v1~1items/get/parameters/0` as `GET /v1/items parameters/0`."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.removeprefix("#/").split("/")]
    if len(parts) >= 3 and parts[0] == "paths":
        return f"{parts[2].upper()} {parts[1]} {'/'.join(parts[3:])}".strip()
    return "/".join(parts)


def rate(report: dict[str, Any], revision_spec: Any) -> list[tuple[str, str, str]]:
    """(impact, where, what) for each change, with open-enum additions rated minor."""
    rated = []
    for change in report.get("changes", []):
        impact = str(change.get("impact", "patch"))
        where = _where(str(change.get("path", "?")))
        verdicts = change.get("verdicts") or []
        what = "; ".join(f"{v['message']} ({v['ruleId']})" for v in verdicts) or (
            f"{change.get('kind', 'changed')} {change.get('property', '')}".strip()
        )
        pointer = str((change.get("revision") or {}).get("pointer", ""))
        if (
            impact == "major"
            and verdicts
            and all(v.get("ruleId") == "enum-values-added" for v in verdicts)
            and enum_is_open(revision_spec, pointer)
        ):
            impact, what = "minor", f"{what} [open enum: clients keep unknown values]"
        rated.append((impact, where, what))
    return rated


def check(base: Path, revision: Path) -> tuple[bool, list[str]]:
    """(passed, report lines)."""
    report = redocly_diff(base, revision)
    revision_spec = yaml.safe_load(revision.read_text(encoding="utf-8"))
    versions = report.get("infoVersions", {})
    old, new = str(versions.get("base")), str(versions.get("revision"))
    rated = rate(report, revision_spec)
    counts = {impact: sum(1 for r in rated if r[0] == impact) for impact in IMPACTS}
    lines = [f"{impact:5}  {where}\n       {what}" for impact, where, what in rated]
    lines.append(", ".join(f"{counts[i]} {i}" for i in IMPACTS) + f"; info.version {old} -> {new}")
    try:
        old_v, new_v = parse_version(old), parse_version(new)
    except ValueError as err:
        return False, [*lines, f"FAILED: {err}"]
    if new_v < old_v:
        return False, [*lines, f"FAILED: info.version went backwards ({old} -> {new})"]
    if counts["major"] and new_v[0] <= old_v[0]:
        msg = (
            f"FAILED: {counts['major']} breaking change(s) need a major version: {old_v[0] + 1}.0.0"
        )
        return False, [*lines, msg]
    verdict = "breaking change(s) with a major version bump" if counts["major"] else "not breaking"
    return True, [*lines, f"passed: {verdict}"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--base", type=Path, default=RELEASED, help="the released spec")
    parser.add_argument("revision", type=Path, nargs="?", default=ROOT / "openapi.yaml")
    args = parser.parse_args(argv)
    base, revision = args.base.resolve(), args.revision.resolve()
    for path in (base, revision):
        if not path.is_file():
            print(f"spec_breaking: no such file: {path}", file=sys.stderr)
            return 2
    try:
        passed, lines = check(base, revision)
    except ToolError as err:
        print(f"spec_breaking: {err}", file=sys.stderr)
        return 2
    print(f"spec_breaking: {os.path.relpath(base)} -> {os.path.relpath(revision)}")
    print(*lines, sep="\n")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
