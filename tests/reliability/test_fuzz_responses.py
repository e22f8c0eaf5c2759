"""Fuzzed response bodies over real HTTP, for every operation: the SDK returns a typed model whose
fields equal the body for every body the spec allows, and raises APIResponseValidationError for
every body it does not; nothing else escapes. SCOPIX_FUZZ_EXAMPLES sets the count per operation."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from enum import Enum
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Response

import scopix
from scopix import SyncScopix
from tests import openapi
from tests.conftest import API_KEY

from .strategies import broken, resolve, valid

EXAMPLES = int(os.environ.get("SCOPIX_FUZZ_EXAMPLES", "200"))
# operationId -> (path, $ref of the 200 body's schema)
OPERATIONS = {op_id: (op.path, op.response_ref) for op_id, op in openapi.operations().items()}

# the page methods need no arguments; the others are called with their defaults
METHODS = {op: op for op in OPERATIONS}


class Served:
    body: bytes = b"{}"


@pytest.fixture(scope="module")
def served() -> Served:
    return Served()


@pytest.fixture(scope="module")
def server(served: Served) -> Iterator[HTTPServer]:
    httpserver = HTTPServer(host="127.0.0.1")
    httpserver.start()
    httpserver.expect_request("/").respond_with_data("")  # unused
    for path, _ in OPERATIONS.values():
        httpserver.expect_request(path).respond_with_handler(
            lambda _request: Response(served.body, content_type="application/json")
        )
    yield httpserver
    httpserver.clear()
    httpserver.stop()


@pytest.fixture(scope="module")
def client(server: HTTPServer) -> Iterator[SyncScopix]:
    with SyncScopix(
        api_key=API_KEY, base_url=server.url_for("/"), pacing=False, max_retries=0
    ) as sdk:
        yield sdk


def _equal(value: Any, body: Any, node: dict[str, Any]) -> bool:
    """Does a parsed value hold exactly what the body said (per the schema)?"""
    node = resolve(node)
    if body is None:
        return value is None
    for option in node.get("anyOf", []):
        option = resolve(option)
        if option.get("type") != "null" and _fits(body, option):
            return _equal(value, body, option)
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object" and "properties" in node:
        props = node["properties"]
        extras = {k: v for k, v in body.items() if k not in props}
        return value.additional_properties == extras and all(
            _equal(getattr(value, k), body.get(k), sub) for k, sub in props.items()
        )
    if kind == "array":
        return len(value) == len(body) and all(
            _equal(v, b, node["items"]) for v, b in zip(value, body, strict=True)
        )
    fmt = node.get("format")
    if fmt == "date-time":
        return value == dt.datetime.fromisoformat(body) and value.tzinfo is not None
    if fmt == "date":
        return bool(value == dt.date.fromisoformat(body))
    if isinstance(value, Enum):
        return bool(value.value == body)
    if kind == "number":  # a float, so a huge integer is only as exact as a float can be
        return isinstance(value, float) and value == float(body)
    return bool(value == body)


def _fits(body: Any, node: dict[str, Any]) -> bool:
    kind = node.get("type")
    return (kind == "object" and isinstance(body, dict)) or (
        kind in ("string", None) and isinstance(body, str)
    )


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_fuzzed_bodies(client: SyncScopix, served: Served, operation_id: str) -> None:
    _, ref = OPERATIONS[operation_id]
    schema = {"$ref": ref}
    validator = openapi.validator_for_ref(ref)
    method = getattr(client.usage, METHODS[operation_id])
    tally = {"valid": 0, "invalid": 0}

    @given(body=st.one_of(valid(schema), broken(schema)))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(body: Any) -> None:
        served.body = json.dumps(body).encode()
        ok = validator.is_valid(body)
        tally["valid" if ok else "invalid"] += 1
        if ok:
            result = method()
            assert _equal(result, body, resolve(schema)), body
        else:
            with pytest.raises(scopix.APIResponseValidationError):
                method()

    check()
    print(f"\n{operation_id}: {tally['valid']} valid and {tally['invalid']} broken bodies")
    assert tally["valid"] > 0
    assert tally["invalid"] > 0
