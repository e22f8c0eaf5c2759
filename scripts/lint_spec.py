"""Run the quality gates on an OpenAPI spec; exit 1 naming the first gate that fails.

Gates, in order:
  validator  openapi-spec-validator (structure against the OAS 3.1 schema)
  spectral   Spectral with .spectral.yaml, failing on warnings too
  redocly    Redocly CLI with redocly.yaml, failing on warnings too
  examples   every example fits its schema (spec_examples.py)

Usage: lint_spec.py [--only GATE]... SPEC

The rulesets and node tools come from the repo root (found from this file), so SPEC may be any
path, such as a temporary copy. Node tools come from `npm ci` (`make install`). Every finding
names its place: `at #/json/pointer (line N): message` (`#` for the document as a whole).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import ValidatorDetectError
from referencing.exceptions import Unresolvable
from spec_examples import example_problems

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "node_modules" / ".bin"
NODE_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}

Gate = Callable[[Path], list[str]]  # returns problems; empty means the gate passed


def _pointer(parts: Sequence[object]) -> str:
    return "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _lines(spec: Path) -> dict[str, int]:
    """JSON pointer -> 1-based line of every node of the YAML document."""
    out: dict[str, int] = {}
    try:
        root = yaml.compose(spec.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return out

    def walk(node: yaml.Node, pointer: str) -> None:
        out[pointer] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                escaped = str(key.value).replace("~", "~0").replace("/", "~1")
                walk(value, f"{pointer}/{escaped}")
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                walk(value, f"{pointer}/{i}")

    if root is not None:
        walk(root, "#")
    return out


def located(spec: Path, parts: Sequence[object], message: str, line: int | None = None) -> str:
    """`at #/pointer (line N): message`; without a line, that of the nearest node found."""
    if line is None:
        lines, up = _lines(spec), list(parts)
        while line is None:
            line = lines.get(_pointer(up))
            if not up:
                break
            up.pop()
    return f"at {_pointer(parts)} (line {line or 1}): {message}"


def _load(spec: Path) -> Mapping[str, Any]:
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping):
        raise ValueError("the document is not a mapping")
    return data


def _node_tool(name: str, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    exe = NODE_BIN / name
    if not exe.exists():
        raise FileNotFoundError(f"{exe} is missing: run `make install` (npm ci)")
    return subprocess.run(
        [str(exe), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **NODE_ENV},
        cwd=ROOT,
    )


def gate_validator(spec: Path) -> list[str]:
    try:
        validate(_load(spec), base_uri=spec.resolve().as_uri())
    except ValidationError as err:
        return [located(spec, list(err.absolute_path), err.message.splitlines()[0])]
    except Unresolvable as err:
        return [located(spec, [], f"unresolvable $ref: {err.ref}")]
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else 1
        return [located(spec, [], f"{type(err).__name__}: {err.problem}", line)]
    except (ValidatorDetectError, ValueError, yaml.YAMLError) as err:
        return [located(spec, [], f"{type(err).__name__}: {err}")]
    return []


SPECTRAL_SEVERITY = {0: "error", 1: "warn", 2: "info", 3: "hint"}


def gate_spectral(spec: Path) -> list[str]:
    # JSON output, so each finding is printed with its pointer and line like the other gates'.
    ruleset = str(ROOT / ".spectral.yaml")
    args = ["lint", "--ruleset", ruleset, "--fail-severity=warn", "--format=json", str(spec)]
    proc = _node_tool("spectral", args)
    try:  # spectral appends a sentence after the JSON when nothing failed
        findings, _ = json.JSONDecoder().raw_decode(proc.stdout.strip() or "[]")
    except json.JSONDecodeError:
        return [f"spectral exited {proc.returncode}:", *proc.stderr.strip().splitlines()[-20:]]
    problems = [
        located(
            spec,
            f.get("path") or [],
            f"{SPECTRAL_SEVERITY.get(f.get('severity'), '?')} {f.get('code')}: {f.get('message')}",
            (f.get("range") or {}).get("start", {}).get("line", -1) + 1 or None,
        )
        for f in findings
        if f.get("severity", 0) <= 1  # errors and warnings fail, as --fail-severity=warn says
    ]
    if proc.returncode != 0 and not problems:
        problems.append(located(spec, [], f"spectral exited {proc.returncode}: {proc.stderr}"))
    return problems


def gate_redocly(spec: Path) -> list[str]:
    # JSON output because redocly exits 0 on warnings; we count them ourselves.
    config = str(ROOT / "redocly.yaml")
    args = ["lint", "--config", config, "--lint-config=error", "--format=json", str(spec)]
    proc = _node_tool("redocly", args)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return [f"redocly exited {proc.returncode}:", *proc.stderr.strip().splitlines()[-20:]]
    problems = []
    for p in report.get("problems", []):
        loc = (p.get("location") or [{}])[0]
        parts = [
            part.replace("~1", "/").replace("~0", "~")
            for part in str(loc.get("pointer") or "#").removeprefix("#").split("/")[1:]
        ]
        message = f"{p['severity']} {p['ruleId']}: {p['message']}"
        problems.append(located(spec, parts, message, loc.get("start", {}).get("line")))
    if proc.returncode != 0 and not problems:
        problems.append(located(spec, [], f"redocly exited {proc.returncode}"))
    return problems


def gate_examples(spec: Path) -> list[str]:
    return [located(spec, parts, msg) for parts, msg in example_problems(_load(spec))]


GATES: dict[str, Gate] = {
    "validator": gate_validator,
    "spectral": gate_spectral,
    "redocly": gate_redocly,
    "examples": gate_examples,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("spec", type=Path)
    parser.add_argument(
        "--only", action="append", choices=list(GATES), help="run only this gate (repeatable)"
    )
    args = parser.parse_args(argv)
    spec: Path = args.spec.resolve()  # the node tools run from the repo root
    if not spec.is_file():
        print(f"lint_spec: no such file: {spec}", file=sys.stderr)
        return 2
    selected = [name for name in GATES if not args.only or name in args.only]
    for name in selected:
        try:
            problems = GATES[name](spec)
        except FileNotFoundError as err:
            problems = [str(err)]
        except Exception as err:  # a crash is a failed gate too, reported as such
            problems = [f"crashed: {type(err).__name__}: {str(err)[:300]}"]
        if problems:
            print(f"[{name}] FAILED", *problems, sep="\n  ")
            print(f"lint_spec: FAILED gate: {name} ({spec})", file=sys.stderr)
            return 1
        print(f"[{name}] ok")
    print(f"lint_spec: {len(selected)} gate(s) passed: {', '.join(selected)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
