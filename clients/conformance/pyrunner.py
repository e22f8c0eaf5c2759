"""What the two Python runners share: reading the plan, typing the arguments, writing reports.

A runner calls `run(call, error)`: `call(scenario)` returns the client's typed result (or, for a
scenario with `pages`, the list of every item), `error(exc)` describes an exception as the API
error it stands for (`{"error": {"status", "type", "body"}}`), as the client refusing the
arguments before sending (`{"refused": {"type", "message"}}`), or returns None (a failure).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Scenario = dict[str, Any]


def typed_args(scenario: Scenario) -> dict[str, Any]:
    """The scenario's arguments with dates and date-times as `date` and aware `datetime`."""
    out: dict[str, Any] = {}
    for name, value in scenario["args"].items():
        kind = scenario["formats"].get(name)
        if kind == "date":
            value = dt.date.fromisoformat(value)
        elif kind == "date-time":
            value = dt.datetime.fromisoformat(value)
        out[name] = value
    return out


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    raise TypeError(f"not JSON: {type(value).__name__}")


Described = dict[str, dict[str, Any]]


def run(call: Callable[[Scenario], Any], error: Callable[[Exception], Described | None]) -> int:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for scenario in plan["scenarios"]:
        report: dict[str, Any] = {"id": scenario["id"]}
        try:
            report["ok"] = call(scenario)
        except Exception as exc:
            described = error(exc)
            if described is None:
                report["failure"] = f"{type(exc).__name__}: {exc}"
            else:
                report.update(described)
        print(json.dumps(report, default=_json_default), flush=True)
    return 0
