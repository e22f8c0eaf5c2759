"""Conformance runner for the Python SDK (`scopix`): each scenario through `SyncScopix`, pages
through its `get_all_*` pagers. Usage: runner.py PLAN.json (scripts/conformance.py runs it)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conformance"))
from pyrunner import Described, Scenario, run, typed_args

from scopix import APIStatusError, InvalidParameterError, SyncScopix


@cache
def client(base_url: str, api_key: str) -> SyncScopix:
    return SyncScopix(api_key=api_key, base_url=base_url, max_retries=0, pacing=False)


def call(scenario: Scenario) -> Any:
    usage = client(scenario["base_url"], scenario["api_key"]).usage
    args = typed_args(scenario)
    if scenario["pages"]:
        pager = getattr(usage, "get_all_" + scenario["operation"].removeprefix("get_"))
        return [item.to_dict() for item in pager(page_size=scenario["pages"]["limit"], **args)]
    return getattr(usage, scenario["operation"])(**args).to_dict()


def error(exc: Exception) -> Described | None:
    if isinstance(exc, APIStatusError):
        return {"error": {"status": exc.status_code, "type": type(exc).__name__, "body": exc.body}}
    if isinstance(exc, InvalidParameterError):  # checked before anything is sent
        return {"refused": {"type": type(exc).__name__, "message": str(exc)}}
    return None


if __name__ == "__main__":
    sys.exit(run(call, error))
