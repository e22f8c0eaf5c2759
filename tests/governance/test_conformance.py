"""scripts/conformance.py (`make clients`): how a client's result is compared with the raw JSON,
and how the suite is resolved against the spec. The clients themselves run in `make clients`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from tests import openapi

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    path = ROOT / "scripts" / "conformance.py"
    spec = importlib.util.spec_from_file_location("conformance", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


conformance = _load()
SPEC = openapi.spec()
SUITE = yaml.safe_load(conformance.SCENARIOS.read_text(encoding="utf-8"))


def diff(expected: Any, actual: Any) -> list[str]:
    return list(conformance.compare(expected, actual))


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        ({"a": 1, "b": "x"}, {"b": "x", "a": 1.0}),  # 1 == 1.0
        ({"t": "2026-11-20T14:03:11.5Z"}, {"t": "2026-11-20T06:03:11.500000-08:00"}),
        ({"t": "2026-11-20T14:03:11Z"}, {"t": "2026-11-20T14:03:11+00:00"}),
        ({"opt": None}, {}),  # null and absent are the same to a client
        ({}, {"opt": None}),
        ({"items": [{"k": "chat_v2"}]}, {"items": [{"k": "chat_v2"}]}),
    ],
)
def test_equal_results(expected: Any, actual: Any) -> None:
    assert diff(expected, actual) == []


@pytest.mark.parametrize(
    ("expected", "actual", "message"),
    [
        ({"d": "2026-11-20"}, {"d": "2026-11-19"}, "/d: "),  # a date shifted by a zone
        ({"t": "2026-11-20T14:03:11Z"}, {"t": "2026-11-20T14:03:11"}, "/t: "),  # offset lost
        ({"t": "2026-11-20T14:03:11Z"}, {"t": "2026-11-20T14:03:12Z"}, "/t: "),
        ({"a": 1}, {}, "/a: missing"),
        ({}, {"extra": 0}, "/extra: not in the raw answer"),
        ({"b": True}, {"b": 1}, "/b: "),  # a bool is not a number
        ({"n": 1}, {"n": True}, "/n: "),
        ({"k": "chat_v2"}, {"k": None}, "/k: "),  # an unknown enum value dropped
        ({"l": [1, 2]}, {"l": [1]}, "/l: 1 items, expected 2"),
        ({"o": {"x": 1}}, {"o": [1]}, "/o: expected an object"),
    ],
)
def test_differences_are_named(expected: Any, actual: Any, message: str) -> None:
    problems = diff(expected, actual)
    assert problems, "no difference found"
    assert problems[0].startswith(message), problems


def _call(**overrides: Any) -> Any:
    base: dict[str, Any] = {
        "id": "x",
        "operation": "get_summary",
        "method": "GET",
        "path": "/v1/usage/summary",
        "base_url": "http://127.0.0.1:1",
        "api_key": "scopix_k",
        "args": {},
        "formats": {},
        "pages": None,
        "status": 422,
        "code": "invalid_date_range",
        "refusable": False,
        "raw_contains": None,
    }
    return conformance.Call(**{**base, **overrides})


ERROR_BODY = {"code": "invalid_date_range", "message": "start after end", "request_id": "req_1"}


def test_an_error_must_be_the_same_error() -> None:
    raw = (422, ERROR_BODY)
    same = {"error": {"status": 422, "type": "E", "body": {**ERROR_BODY, "request_id": "req_2"}}}
    assert conformance.judge(_call(), raw, same) == []
    assert conformance.judge(_call(), raw, {"error": {**same["error"], "status": 400}})
    assert conformance.judge(_call(), raw, {"error": {**same["error"], "type": ""}})
    assert conformance.judge(_call(), raw, {"ok": {}})
    assert conformance.judge(_call(), raw, None) == ["no report"]


def test_a_refusal_counts_only_where_the_scenario_allows_it() -> None:
    refused = {"refused": {"type": "InvalidParameterError", "message": "start after end"}}
    assert conformance.judge(_call(), (422, ERROR_BODY), refused)
    assert conformance.judge(_call(refusable=True), (422, ERROR_BODY), refused) == []


def test_the_suite_covers_every_operation_and_resolves_formats() -> None:
    urls = {name: f"http://127.0.0.1:{i}" for i, name in enumerate(conformance.SERVERS)}
    keys = {f"key_0{i}": f"scopix_{i}" for i in range(1, 6)}
    calls = conformance.load_calls(SUITE, SPEC, urls, keys)
    ops = {c.operation for c in calls}
    assert ops == set(conformance.operations(SPEC))
    by_id = {c.id: c for c in calls}
    dates = by_id["monthly-tokens-across-months"].formats
    assert dates == {"start_date": "date", "end_date": "date"}
    assert by_id["summary-range-with-offsets"].formats["start_date"] == "date-time"
    assert any(c.pages for c in calls if c.operation == "get_details")
    assert {c.status for c in calls} >= {200, 401, 422, 429}


def test_a_scenario_with_an_unknown_parameter_is_refused() -> None:
    suite = {"scenarios": [{"id": "x", "operation": "get_plan", "args": {"nope": 1}}]}
    with pytest.raises(ValueError, match="has no parameter"):
        conformance.load_calls(suite, SPEC, {"main": "u"}, {"key_01": "k"})
