"""`make clients`: run every client of openapi.yaml through the conformance suite.

The suite is clients/conformance/scenarios.yaml. This driver starts the sandboxes it names, turns
the scenarios into a plan (paths, parameter formats, base URLs and keys resolved), fetches the raw
JSON the sandbox answers to each scenario with plain httpx, then runs each client's runner on the
plan under TZ=UTC and a zone behind UTC. A runner prints one JSON line per scenario:

    {"id": ..., "ok": <the client's typed result, written back as JSON>}
    {"id": ..., "error": {"status": 422, "type": "<the language's error class>", "body": {...}}}
    {"id": ..., "refused": {"type": "<error class>", "message": ...}}   arguments refused before
                                                                        sending (if `refusable`)
    {"id": ..., "failure": "<anything else: a refused answer, a crash>"}

and the driver compares each with the raw answer, field by field (`compare`). One line per client
and zone: `<client> (TZ=...): <passed>/<total> scenarios passed`; any failure exits 1.

Usage: conformance.py [--client NAME]... [--zone TZ]... [--verbose]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import yaml
from spec_refs import resolve

from scopix_sandbox.server import Sandbox, start

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "clients" / "conformance" / "scenarios.yaml"
ZONES = ("UTC", "America/Los_Angeles")
UNKNOWN_KEY = "scopix_unknown_0000000000000000000000000000"
SERVERS = {
    "main": {},
    "rate_limited": {"faults": {"rate_limit": 1.0, "retry_after": 1}},
    "unknown_enum": {"faults": {"unknown_enum": 1.0}},
}
PY = sys.executable
# client name -> the command that runs its runner on a plan (built by `make clients`)
RUNNERS: dict[str, list[str]] = {
    "scopix": [PY, str(ROOT / "clients" / "scopix" / "runner.py")],
    "typescript": ["node", str(ROOT / "clients" / "typescript" / "build" / "conformance.mjs")],
    "go": [str(ROOT / "clients" / "go" / "build" / "conformance")],
    "python": [PY, str(ROOT / "clients" / "python" / "runner.py")],
    # runner.args: the classpath `make clients` compiled against (the JDK reads @file arguments)
    "java": [
        "java",
        f"@{ROOT / 'clients' / 'java' / 'build' / 'runner.args'}",
        "ai.scopix.conformance.Conformance",
    ],
}

JSON = Any


@dataclass(frozen=True)
class Call:
    """One scenario, resolved against the spec and the running sandboxes."""

    id: str
    operation: str
    method: str
    path: str
    base_url: str
    api_key: str
    args: dict[str, JSON]
    formats: dict[str, str]
    """Argument name -> `date`, `date-time`, `integer`, `boolean` or `string`."""
    pages: dict[str, JSON] | None
    status: int
    code: str | None
    refusable: bool
    """A client may refuse the arguments itself, before sending (the SDK checks date order)."""
    raw_contains: str | None

    def plan(self) -> dict[str, JSON]:
        keep = ("id", "operation", "method", "path", "base_url", "api_key", "args", "formats")
        return {**{k: getattr(self, k) for k in keep}, "pages": self.pages}


# -- the spec ----------------------------------------------------------------------------------


def _deref(spec: JSON, node: JSON) -> JSON:
    found: JSON = resolve(spec, node)
    return found


def operations(spec: JSON) -> dict[str, tuple[str, str, dict[str, str]]]:
    """operationId -> (method, path, {parameter: format})."""
    out = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            formats = {}
            for param in op.get("parameters", []):
                param = _deref(spec, param)
                schema = _deref(spec, param.get("schema", {}))
                formats[param["name"]] = str(schema.get("format") or schema.get("type", "string"))
            out[op["operationId"]] = (method.upper(), path, formats)
    return out


def load_calls(
    suite: JSON, spec: JSON, base_urls: Mapping[str, str], keys: Mapping[str, str]
) -> list[Call]:
    ops = operations(spec)
    calls, seen = [], set()
    for s in suite["scenarios"]:
        if s["id"] in seen:
            raise ValueError(f"scenario id {s['id']!r} is used twice")
        seen.add(s["id"])
        method, path, formats = ops[s["operation"]]
        args = dict(s.get("args") or {})
        unknown = set(args) - set(formats)
        if unknown:
            raise ValueError(f"{s['id']}: {s['operation']} has no parameter {sorted(unknown)}")
        expect = s.get("expect") or {}
        key = s.get("key", "key_01")
        calls.append(
            Call(
                id=s["id"],
                operation=s["operation"],
                method=method,
                path=path,
                base_url=base_urls[s.get("server", "main")],
                api_key=UNKNOWN_KEY if key == "unknown" else keys[key],
                args=args,
                formats={n: formats[n] for n in [*args, "limit", "offset"] if n in formats},
                pages=s.get("pages"),
                status=int(expect.get("status", 200)),
                code=expect.get("code"),
                refusable=bool(expect.get("refusable", False)),
                raw_contains=s.get("raw_contains"),
            )
        )
    missed = set(ops) - {c.operation for c in calls}
    if missed:
        raise ValueError(f"operations without a scenario: {sorted(missed)}")
    return calls


# -- raw answers -------------------------------------------------------------------------------


def _query(args: Mapping[str, JSON]) -> dict[str, str]:
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in args.items()}


def fetch_raw(client: httpx.Client, call: Call) -> tuple[int, JSON]:
    """(status, body) as plain HTTP sees it; for `pages`, every item of every page."""
    headers = {"Authorization": f"Bearer {call.api_key}"}
    url = call.base_url + call.path
    if not call.pages:
        r = client.request(call.method, url, params=_query(call.args), headers=headers)
        return r.status_code, r.json()
    items: list[JSON] = []
    offset, limit = 0, int(call.pages["limit"])
    while True:
        query = _query({**call.args, "limit": limit, "offset": offset})
        r = client.request(call.method, url, params=query, headers=headers)
        if r.status_code != 200:
            return r.status_code, r.json()
        page = r.json()
        items += page[call.pages["items"]]
        if not page["has_more"]:
            return 200, items
        offset += len(page[call.pages["items"]])


# -- comparing ---------------------------------------------------------------------------------


def _instant(value: JSON) -> datetime | None:
    if not isinstance(value, str) or len(value) < 20 or value[10] != "T":
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def compare(expected: JSON, actual: JSON, where: str = "") -> Iterator[str]:
    """Differences between the raw JSON and a client's result written back as JSON.

    Equal means: the same fields (a field absent from the raw answer may be null or absent in
    the client's), the same strings (date-times: the same instant, in any offset or precision;
    dates exactly), the same numbers (1 == 1.0), the same booleans, lists of the same length.
    """
    at = where or "(body)"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            yield f"{at}: expected an object, got {json.dumps(actual)[:80]}"
            return
        for key, value in expected.items():
            if key not in actual:
                if value is not None:
                    yield f"{where}/{key}: missing (expected {json.dumps(value)[:80]})"
                continue
            yield from compare(value, actual[key], f"{where}/{key}")
        for key in actual.keys() - expected.keys():
            if actual[key] is not None:
                yield f"{where}/{key}: not in the raw answer, got {json.dumps(actual[key])[:80]}"
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            yield f"{at}: expected a list, got {json.dumps(actual)[:80]}"
        elif len(expected) != len(actual):
            yield f"{at}: {len(actual)} items, expected {len(expected)}"
        else:
            for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
                yield from compare(e, a, f"{where}/{i}")
    elif isinstance(expected, bool) or isinstance(actual, bool) or expected is None:
        if expected is not actual:
            yield f"{at}: {json.dumps(actual)[:80]}, expected {json.dumps(expected)}"
    elif isinstance(expected, int | float):
        if not (isinstance(actual, int | float) and math.isclose(expected, actual, rel_tol=1e-12)):
            yield f"{at}: {json.dumps(actual)[:80]}, expected {json.dumps(expected)}"
    elif expected != actual:
        instant = _instant(expected)
        if instant is None or instant != _instant(actual):
            yield f"{at}: {json.dumps(actual)[:80]}, expected {json.dumps(expected)}"


def judge(call: Call, raw: tuple[int, JSON], reported: JSON) -> list[str]:
    """Why a runner's report on one scenario fails (empty: passed)."""
    status, body = raw
    if reported is None:
        return ["no report"]
    if "failure" in reported:
        return [f"failed: {str(reported['failure'])[:300]}"]
    if call.status == 200:
        if "ok" not in reported:
            return [f"expected a result, got {json.dumps(reported)[:200]}"]
        return list(compare(body, reported["ok"]))[:5]
    refused = reported.get("refused")
    if call.refusable and isinstance(refused, dict) and refused.get("type"):
        return []
    error = reported.get("error")
    if not isinstance(error, dict):
        return [f"expected a {call.status} error, got {json.dumps(reported)[:200]}"]
    problems = []
    if error.get("status") != status:
        problems.append(f"error status {error.get('status')}, expected {status}")
    if not error.get("type"):
        problems.append("the error names no error class")
    got = error.get("body") or {}
    for field in ("code", "message"):
        value = got.get(field) if isinstance(got, dict) else got
        if value != body.get(field):
            problems.append(f"error {field} {json.dumps(value)[:80]}, expected {body.get(field)!r}")
    return problems


def check_raw(call: Call, raw: tuple[int, JSON]) -> list[str]:
    """The sandbox answered as the scenario says (else the suite, not a client, is wrong)."""
    status, body = raw
    problems = []
    if status != call.status:
        problems.append(f"the sandbox answered {status}, the scenario expects {call.status}")
    if call.code is not None and (not isinstance(body, dict) or body.get("code") != call.code):
        problems.append(f"the sandbox's error code is not {call.code!r}: {json.dumps(body)[:200]}")
    if call.raw_contains and call.raw_contains not in json.dumps(body):
        problems.append(f"the raw answer does not contain {call.raw_contains!r}")
    return problems


# -- running -----------------------------------------------------------------------------------


def run_client(
    name: str, zone: str, plan: Path, calls: Sequence[Call], raw: Mapping[str, tuple[int, JSON]]
) -> tuple[str, list[str]]:
    """(summary line, failure lines) of one client's runner in one time zone."""
    label = f"{name} (TZ={zone})"
    env = {**os.environ, "TZ": zone, "NODE_NO_WARNINGS": "1"}
    cmd = [*RUNNERS[name], str(plan)]
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=300, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"{label}: 0/{len(calls)} scenarios passed", [f"{label}: {err}"]
    reports: dict[str, JSON] = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
            reports[report["id"]] = report
    failures = []
    for call in calls:
        problems = judge(call, raw[call.id], reports.get(call.id))
        failures += [f"{label}: {call.id}: {p}" for p in problems]
    passed = sum(1 for c in calls if not judge(c, raw[c.id], reports.get(c.id)))
    if done.returncode != 0:
        failures.append(f"{label}: runner exited {done.returncode}: {done.stderr.strip()[-1500:]}")
    return f"{label}: {passed}/{len(calls)} scenarios passed", failures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--client", action="append", choices=list(RUNNERS))
    parser.add_argument("--zone", action="append")
    parser.add_argument("--verbose", action="store_true", help="print every failed comparison")
    args = parser.parse_args(argv)
    clients, zones = args.client or list(RUNNERS), args.zone or list(ZONES)
    suite = yaml.safe_load(SCENARIOS.read_text(encoding="utf-8"))
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    options = suite["sandbox"]
    now = datetime.fromisoformat(options["now"].replace("Z", "+00:00"))
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        sandboxes: dict[str, Sandbox] = {}
        for name, extra in SERVERS.items():
            sb = start(
                now=now,
                events=options["events"],
                seed=options["seed"],
                rate_limit=False,
                record_requests=False,
                validate_responses=True,
                **extra,
            )
            stack.callback(sb.stop)
            sandboxes[name] = sb
        main_sb = sandboxes["main"]
        calls = load_calls(
            suite, spec, {n: sb.base_url for n, sb in sandboxes.items()}, main_sb.api_keys
        )
        with httpx.Client(timeout=30) as http:
            raw = {call.id: fetch_raw(http, call) for call in calls}
        broken = [f"{c.id}: {p}" for c in calls for p in check_raw(c, raw[c.id])]
        if broken:
            print("conformance: the suite does not match the sandbox:", *broken, sep="\n  ")
            return 2
        plan = Path(tmp) / "plan.json"
        plan.write_text(json.dumps({"scenarios": [c.plan() for c in calls]}), encoding="utf-8")
        jobs = [(name, zone) for name in clients for zone in zones]
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda job: run_client(job[0], job[1], plan, calls, raw), jobs))
        invalid = sum(sb.stats()["response_validation_failures"] for sb in sandboxes.values())
    failures = [f for _, fs in results for f in fs]
    for line, _ in results:
        print(line)
    if invalid:
        failures.append(f"the sandbox served {invalid} answers that do not match the spec")
    for failure in failures if args.verbose else failures[:40]:
        print(f"  FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
