"""Run the quality gates on OpenAPI specs; exit 1 naming, per spec, the first gate that fails.

Gates, in order:
  validator  openapi-spec-validator (structure against the OAS 3.1 schema), and every Schema
             Object against the JSON Schema 2020-12 dialect
  spectral   Spectral with .spectral.yaml, failing on warnings too
  redocly    Redocly CLI with redocly.yaml, failing on warnings too
  examples   every example fits its schema (spec_examples.py)

Usage: lint_spec.py [--only GATE]... SPEC [SPEC...]

The rulesets and node tools come from the repo root (found from this file), so SPEC may be any
path, such as a temporary copy; several specs are linted with one run of each node tool. Every
finding names its place and its rule:

    at #/paths/~1v1~1usage~1plan/get (GET /v1/usage/plan, line 325): error scopix-operation-429: ...
    at #/components/schemas/UsageEvent (line 884): error scopix-schema-description: ...

(`#` is the document as a whole; the operation is named when the finding is inside one).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import ValidatorDetectError
from referencing.exceptions import Unresolvable
from spec_examples import example_problems

__all__ = ["GATES", "lint", "located"]

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "node_modules" / ".bin"
NODE_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

Parts = Sequence[object]
Findings = dict[Path, list[str]]
Gate = Callable[[Sequence[Path]], Findings]  # problems per spec; an empty list: it passed


def _pointer(parts: Parts) -> str:
    """The URI fragment form of a JSON pointer (RFC 6901): `~1` for `/`, `%20` for a space."""
    return "#" + "".join("/" + quote(_escaped(p), safe="~!$&'()*+,;=:@") for p in parts)


def _escaped(part: object) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _lines(spec: Path) -> dict[str, int]:
    """JSON pointer -> 1-based line of every node of the YAML document (read once per version)."""
    stat = spec.stat()
    key = (spec, stat.st_mtime_ns, stat.st_size)
    if key not in _LINES:
        _LINES[key] = _line_map(spec)
    return _LINES[key]


_LINES: dict[tuple[Path, int, int], dict[str, int]] = {}


def _line_map(spec: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        root = yaml.compose(spec.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return out

    def walk(node: yaml.Node, pointer: str) -> None:
        out[pointer] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, pointer + _pointer([key.value])[1:])
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                walk(value, f"{pointer}/{i}")

    if root is not None:
        walk(root, "#")
    return out


def _operation(parts: Parts) -> str | None:
    """`GET /v1/usage/plan` for a place inside that operation, the path for one in a path item."""
    if len(parts) < 2 or parts[0] != "paths":
        return None
    if len(parts) >= 3 and str(parts[2]).lower() in METHODS:
        return f"{str(parts[2]).upper()} {parts[1]}"
    return str(parts[1])


def located(
    spec: Path,
    parts: Parts,
    rule: str,
    message: str,
    *,
    severity: str = "error",
    line: int | None = None,
) -> str:
    """`at #/pointer (METHOD /path, line N): severity rule: message`.

    Without a line, that of the nearest node found above the place.
    """
    if line is None:
        lines, up = _lines(spec), list(parts)
        while line is None:
            line = lines.get(_pointer(up))
            if not up:
                break
            up.pop()
    operation = _operation(parts)
    where = f"{operation}, line {line or 1}" if operation else f"line {line or 1}"
    return f"at {_pointer(parts)} ({where}): {severity} {rule}: {message}"


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


# -- validator ---------------------------------------------------------------------------------

SCHEMA_DIALECT = Draft202012Validator(Draft202012Validator.META_SCHEMA)


def _schema_roots(node: Any, parts: tuple[object, ...] = ()) -> Iterator[tuple[Parts, Any]]:
    """(place, schema) of every outermost Schema Object: components.schemas.* and every `schema`
    of a parameter, header or media type. The dialect check covers what is inside them."""
    if isinstance(node, list):
        for i, child in enumerate(node):
            yield from _schema_roots(child, (*parts, i))
        return
    if not isinstance(node, Mapping):
        return
    for key, child in node.items():
        here = (*parts, key)
        if parts == ("components", "schemas") or key == "schema":
            yield here, child
        elif key not in ("example", "examples") and not str(key).startswith("x-"):
            yield from _schema_roots(child, here)


def _explained(err: ValidationError) -> ValidationError:
    """The most specific cause of an anyOf/oneOf failure, not `... is not valid under any`."""
    return best_match(err.context) if err.context else err


UNEXPECTED = re.compile(r"""\((['"])(?P<key>[^'"]+)\1 was unexpected\)""")
BAD_NAME = re.compile(r"""^(['"])(?P<key>.+?)\1 does not match """)


def _where_and_why(err: ValidationError) -> tuple[list[object], str]:
    """(place, message) of a schema error: at the offending key itself when the error is about a
    key (an unexpected field, a name the pattern refuses), with the keyword that failed."""
    parts: list[object] = list(err.absolute_path)
    message = err.message.splitlines()[0]
    keyword = err.validator if isinstance(err.validator, str) else None
    schema_path = [str(p) for p in err.schema_path]
    keyword = keyword or (schema_path[-1] if schema_path else None)
    key = UNEXPECTED.search(message) or (
        BAD_NAME.match(message) if "propertyNames" in schema_path else None
    )
    if key and (keyword != "additionalProperties" or message.count("was unexpected") == 1):
        parts.append(key["key"])
    return parts, f"{message} (keyword: {keyword})" if keyword else message


def validator_problems(spec: Path) -> list[str]:
    try:
        data = _load(spec)
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else 1
        return [located(spec, [], "yaml-syntax", f"{err.problem}", line=line)]
    except (ValueError, yaml.YAMLError) as err:
        return [located(spec, [], "yaml-syntax", f"{type(err).__name__}: {err}")]
    # openapi-spec-validator checks Schema Objects too, but reports where inside the schema only
    # (`#/required`), not which schema: check them here first, each at its place.
    problems = []
    for parts, schema in _schema_roots(data):
        for found in SCHEMA_DIALECT.iter_errors(schema):
            place, message = _where_and_why(_explained(found))
            problems.append(located(spec, [*parts, *place], "json-schema-2020-12", message))
    if problems:
        return problems
    try:
        validate(data, base_uri=spec.resolve().as_uri())
    except ValidationError as err:
        place, message = _where_and_why(_explained(err))
        return [located(spec, place, "oas3.1-schema", message)]
    except Unresolvable as err:
        return [located(spec, [], "ref-resolves", f"unresolvable $ref: {err.ref}")]
    except (ValidatorDetectError, ValueError) as err:
        return [located(spec, [], "oas3.1-schema", f"{type(err).__name__}: {err}")]
    return []


# -- node tools --------------------------------------------------------------------------------

SPECTRAL_SEVERITY = {0: "error", 1: "warn", 2: "info", 3: "hint"}


def _json_values(text: str) -> list[Any]:
    """The JSON values printed one after another (redocly prints one report per file)."""
    decoder, values, at = json.JSONDecoder(), [], 0
    text = text.strip()
    while at < len(text):
        value, at = decoder.raw_decode(text, at)
        values.append(value)
        while at < len(text) and text[at].isspace():
            at += 1
    return values


def _tool_failed(
    specs: Sequence[Path], name: str, proc: subprocess.CompletedProcess[str]
) -> Findings:
    message = f"{name} exited {proc.returncode}: " + " | ".join(
        proc.stderr.strip().splitlines()[-5:]
    )
    return {spec: [located(spec, [], f"{name}-run", message)] for spec in specs}


def gate_spectral(specs: Sequence[Path]) -> Findings:
    # JSON output, so each finding is printed with its pointer and line like the other gates'.
    ruleset = str(ROOT / ".spectral.yaml")
    args = ["lint", "--ruleset", ruleset, "--fail-severity=warn", "--format=json", *map(str, specs)]
    proc = _node_tool("spectral", args)
    try:  # spectral appends a sentence after the JSON when nothing failed
        findings, _ = json.JSONDecoder().raw_decode(proc.stdout.strip() or "[]")
    except json.JSONDecodeError:
        return _tool_failed(specs, "spectral", proc)
    out: Findings = {spec: [] for spec in specs}
    for f in findings:
        if f.get("severity", 0) > 1:  # errors and warnings fail, as --fail-severity=warn says
            continue
        spec = Path(str(f.get("source") or specs[0])).resolve()
        line = (f.get("range") or {}).get("start", {}).get("line", -1) + 1 or None
        severity = SPECTRAL_SEVERITY.get(f.get("severity"), "?")
        problem = located(
            spec,
            f.get("path") or [],
            str(f.get("code")),
            str(f.get("message")),
            severity=severity,
            line=line,
        )
        out.setdefault(spec, []).append(problem)
    if proc.returncode != 0 and not any(out.values()):
        return _tool_failed(specs, "spectral", proc)
    return out


def gate_redocly(specs: Sequence[Path]) -> Findings:
    # JSON output because redocly exits 0 on warnings; we count them ourselves.
    config = str(ROOT / "redocly.yaml")
    args = ["lint", "--config", config, "--lint-config=error", "--format=json", *map(str, specs)]
    proc = _node_tool("redocly", args)
    try:
        reports = _json_values(proc.stdout)
    except json.JSONDecodeError:
        return _tool_failed(specs, "redocly", proc)
    if len(reports) != len(specs):  # one report per spec, in order
        return _tool_failed(specs, "redocly", proc)
    out: Findings = {}
    for spec, report in zip(specs, reports, strict=True):
        out[spec] = []
        for p in report.get("problems", []):
            loc = (p.get("location") or [{}])[0]
            parts = [
                unquote(part).replace("~1", "/").replace("~0", "~")
                for part in str(loc.get("pointer") or "#").removeprefix("#").split("/")[1:]
            ]
            line = loc.get("start", {}).get("line")
            problem = located(
                spec,
                parts,
                str(p["ruleId"]),
                str(p["message"]),
                severity=str(p["severity"]),
                line=line,
            )
            out[spec].append(problem)
    if proc.returncode != 0 and not any(out.values()):
        return _tool_failed(specs, "redocly", proc)
    return out


def examples_problems(spec: Path) -> list[str]:
    return [
        located(spec, parts, "example-matches-schema", msg)
        for parts, msg in example_problems(_load(spec))
    ]


def _each(check: Callable[[Path], list[str]]) -> Gate:
    return lambda specs: {spec: check(spec) for spec in specs}


GATES: dict[str, Gate] = {
    "validator": _each(validator_problems),
    "spectral": gate_spectral,
    "redocly": gate_redocly,
    "examples": _each(examples_problems),
}


def lint(
    specs: Sequence[Path], gates: Sequence[str]
) -> dict[Path, tuple[list[str], str | None, list[str]]]:
    """spec -> (gates passed, the gate that failed or None, its findings). A spec's later gates
    do not run once one fails."""
    results: dict[Path, tuple[list[str], str | None, list[str]]] = {
        s: ([], None, []) for s in specs
    }
    for name in gates:
        pending = [s for s in specs if results[s][1] is None]
        if not pending:
            break
        try:
            found = GATES[name](pending)
        except FileNotFoundError as err:
            found = {s: [str(err)] for s in pending}
        except Exception as err:  # a crash is a failed gate too, reported as such
            found = {s: [f"crashed: {type(err).__name__}: {str(err)[:300]}"] for s in pending}
        for spec in pending:
            passed, _, _ = results[spec]
            problems = found.get(spec, [])
            results[spec] = (passed, name, problems) if problems else ([*passed, name], None, [])
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("specs", type=Path, nargs="+", metavar="spec")
    parser.add_argument(
        "--only", action="append", choices=list(GATES), help="run only this gate (repeatable)"
    )
    args = parser.parse_args(argv)
    specs: list[Path] = [s.resolve() for s in args.specs]  # the node tools run from the repo root
    for spec in specs:
        if not spec.is_file():
            print(f"lint_spec: no such file: {spec}", file=sys.stderr)
            return 2
    selected = [name for name in GATES if not args.only or name in args.only]
    failed = 0
    for spec, (passed, gate, problems) in lint(specs, selected).items():
        if len(specs) > 1:
            print(f"== {spec}")
        for name in passed:
            print(f"[{name}] ok")
        if gate is not None:
            failed += 1
            print(f"[{gate}] FAILED", *problems, sep="\n  ")
            print(f"lint_spec: FAILED gate: {gate} ({spec})", file=sys.stderr)
        else:
            print(f"lint_spec: {len(passed)} gate(s) passed: {', '.join(passed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
