"""Conformance runner for openapi-generator's `python` client (clients/python/generated, from
clients/python/config.yaml). Usage: runner.py PLAN.json (scripts/conformance.py runs it)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

sys.path.insert(0, str(Path(__file__).resolve().parent / "generated"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conformance"))
from pyrunner import Described, Scenario, run, typed_args
from scopix_openapi import ApiClient, Configuration, UsageApi
from scopix_openapi.exceptions import ApiException


@cache
def api(base_url: str, api_key: str) -> UsageApi:
    return UsageApi(ApiClient(Configuration(host=base_url, access_token=api_key)))


def utc(value: Any) -> Any:
    # The configured datetimeFormat writes a literal Z (Python 3.11 has no `%:z`): pass UTC.
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value


def call(scenario: Scenario) -> Any:
    method = getattr(api(scenario["base_url"], scenario["api_key"]), scenario["operation"])
    args = {name: utc(value) for name, value in typed_args(scenario).items()}
    if not scenario["pages"]:
        return method(**args).to_dict()
    items: list[Any] = []
    field, limit, offset = scenario["pages"]["items"], scenario["pages"]["limit"], 0
    while True:
        page = method(**args, limit=limit, offset=offset)
        batch = getattr(page, field)
        items += [item.to_dict() for item in batch]
        if not page.has_more:
            return items
        offset += len(batch)


def error(exc: Exception) -> Described | None:
    if isinstance(exc, ApiException):
        body = json.loads(exc.body) if exc.body else None
        return {"error": {"status": exc.status, "type": type(exc).__name__, "body": body}}
    if isinstance(exc, ValidationError):  # pydantic checks the arguments before sending
        return {"refused": {"type": type(exc).__name__, "message": str(exc)}}
    return None


if __name__ == "__main__":
    sys.exit(run(call, error))
