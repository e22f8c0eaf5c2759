"""Run the quality gates on an OpenAPI spec; exit 1 naming the first gate that fails.

Gates, in order:
  validator  openapi-spec-validator (structure against the OAS 3.1 schema)
  spectral   Spectral with .spectral.yaml, failing on warnings too
  redocly    Redocly CLI with redocly.yaml, failing on warnings too
  examples   every example fits its schema (spec_examples.py)

Usage: lint_spec.py [--only GATE]... SPEC

The rulesets and node tools come from the repo root (found from this file), so SPEC may be any
path, such as a temporary copy. Node tools come from `npm ci` (`make install`).
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
from spec_examples import example_errors

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "node_modules" / ".bin"
NODE_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}

Gate = Callable[[Path], list[str]]  # returns problems; empty means the gate passed


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
        where = "/".join(str(p) for p in err.absolute_path) or "(root)"
        return [f"at {where}: {err.message}"]
    except Unresolvable as err:
        return [f"unresolvable $ref: {err.ref}"]
    except (ValidatorDetectError, ValueError, yaml.YAMLError) as err:
        return [f"{type(err).__name__}: {err}"]
    return []


def gate_spectral(spec: Path) -> list[str]:
    ruleset = str(ROOT / ".spectral.yaml")
    proc = _node_tool("spectral", ["lint", "--ruleset", ruleset, "--fail-severity=warn", str(spec)])
    if proc.returncode == 0:
        return []
    return (proc.stdout + proc.stderr).strip().splitlines()


def gate_redocly(spec: Path) -> list[str]:
    # JSON output because redocly exits 0 on warnings; we count them ourselves.
    config = str(ROOT / "redocly.yaml")
    args = ["lint", "--config", config, "--lint-config=error", "--format=json", str(spec)]
    proc = _node_tool("redocly", args)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return [f"redocly exited {proc.returncode}:", *proc.stderr.strip().splitlines()[-20:]]
    problems = [
        f"{p['severity']} {p['ruleId']} at {_location(p)}: {p['message']}"
        for p in report.get("problems", [])
    ]
    if proc.returncode != 0 and not problems:
        problems.append(f"redocly exited {proc.returncode}")
    return problems


def _location(problem: Mapping[str, Any]) -> str:
    loc = (problem.get("location") or [{}])[0]
    line = loc.get("start", {}).get("line", "?")
    return f"{loc.get('pointer', '?')} (line {line})"


def gate_examples(spec: Path) -> list[str]:
    return example_errors(_load(spec))


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
