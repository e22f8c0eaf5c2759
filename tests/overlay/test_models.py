"""What the methods return reads as the spec says: optional fields are None when absent, and
`to_dict()`/`to_json()` give the response back (absent keys stay absent, nulls stay null)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from scopix import _spec
from tests.bodies import SCHEMAS, example, minimal
from tests.spec.test_examples_roundtrip import normalise

from .driver import Driver

OPERATIONS = sorted(_spec.operations().values(), key=lambda op: op.operation_id)


def _nullable(node: dict[str, Any]) -> bool:
    return any(o.get("type") == "null" for o in node.get("anyOf", ())) or "null" in node.get(
        "type", ()
    )


def _variants(name: str) -> list[tuple[str, dict[str, Any]]]:
    """The full example, the required fields only, and each optional nullable field as null."""
    out = [("full", example(name)), ("minimal", minimal(name))]
    schema = SCHEMAS[name]
    for prop, node in schema["properties"].items():
        if prop not in schema.get("required", ()) and _nullable(node):
            out.append((f"{prop}=null", {**minimal(name), prop: None}))
    return out


CASES = [
    pytest.param(op, body, id=f"{op.operation_id}-{label}")
    for op in OPERATIONS
    for label, body in _variants(op.response_schema)
]


@pytest.mark.parametrize(("op", "body"), CASES)
def test_results_give_the_response_back(
    httpserver: HTTPServer, driver: Driver, op: _spec.OperationSpec, body: dict[str, Any]
) -> None:
    httpserver.expect_request(op.path).respond_with_json(body)
    result = driver.call(op.operation_id)
    assert normalise(result.to_dict()) == normalise(body)
    assert normalise(json.loads(result.to_json())) == normalise(body)
    schema = SCHEMAS[op.response_schema]
    for prop in schema["properties"]:
        if prop not in body:
            assert getattr(result, prop) is None, prop


def test_absent_optional_fields_are_none_and_stay_absent(
    httpserver: HTTPServer, driver: Driver
) -> None:
    event = minimal("UsageEvent")
    body = {**example("UsageDetails"), "events": [event, {**event, "input_tokens": 12}]}
    httpserver.expect_request("/v1/usage/details").respond_with_json(body)
    absent, present = driver.call("get_details").events
    assert (absent.input_tokens, present.input_tokens) == (None, 12)
    assert "input_tokens" not in absent.to_dict()
    assert "api_key_id" not in absent.to_dict()
    assert present.to_dict()["input_tokens"] == 12
