"""Bad input over every method and every parameter, derived from the spec: each bad value is
refused before sending with a ScopixError that is a ValueError or TypeError and names the
parameter; odd but legal strings are sent exactly, URL-encoded."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

import scopix
from scopix import SyncScopix
from tests import openapi
from tests.conftest import API_KEY

# method -> the operation it calls (page_size is the operation's limit)
OPERATION_OF = {
    "get_all_details": "get_details",
    "get_all_file_tokens": "get_file_tokens",
    "get_all_conversation_tokens": "get_conversation_tokens",
}
# operationId -> parameter name -> its schema ($refs followed)
PARAMS: dict[str, dict[str, dict[str, Any]]] = {
    op_id: {name: p["schema"] for name, p in op.parameters.items()}
    for op_id, op in openapi.operations().items()
}

NAIVE = dt.datetime(2026, 11, 1, 12, 0)
AWARE = NAIVE.replace(tzinfo=dt.UTC)


def bad_values(schema: dict[str, Any]) -> list[tuple[Any, type[Exception]]]:
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "integer":
        low, high = schema["minimum"], schema["maximum"]
        return [
            (True, TypeError),
            ("5", TypeError),
            (2.5, TypeError),
            (low - 1, ValueError),
            (high + 1, ValueError),
            (10**30, ValueError),
            (-(10**30), ValueError),
        ]
    if kind == "boolean":
        return [("yes", TypeError), (1, TypeError), ("true", TypeError)]
    if "enum" in schema:
        return [
            ("nope", ValueError),
            ("", ValueError),
            (5, TypeError),
            (schema["enum"][0].upper(), ValueError),
        ]
    if fmt == "date-time":
        return [
            (NAIVE, ValueError),
            (AWARE.date(), TypeError),
            ("2026-11-01T00:00:00Z", TypeError),
            (0, TypeError),
        ]
    if fmt == "date":
        return [(AWARE, TypeError), ("2026-11-01", TypeError), (20261101, TypeError)]
    return [
        ("", ValueError),
        ("x" * (schema["maxLength"] + 1), ValueError),
        (5, TypeError),
        (b"key", TypeError),
    ]


def methods() -> list[str]:
    return [name for name in vars(scopix.SyncUsageResource) if name.startswith(("check", "get_"))]


def table() -> list[tuple[str, str, Any, type[Exception]]]:
    rows = []
    for method in methods():
        operation = OPERATION_OF.get(method, method)
        keywords = [
            p
            for p in inspect.signature(getattr(scopix.SyncUsageResource, method)).parameters
            if p not in ("self", "resume_from", "options")
        ]
        for keyword in keywords:
            schema = PARAMS[operation]["limit" if keyword == "page_size" else keyword]
            rows += [(method, keyword, value, kind) for value, kind in bad_values(schema)]
    return rows


TABLE = table()


def test_the_table_covers_every_method_and_keyword() -> None:
    assert {row[0] for row in TABLE} == set(methods()) - {"get_breakdown"}  # it takes none
    assert len(TABLE) > 150


@pytest.fixture(scope="module")
def client(httpserver_module: HTTPServer) -> Any:
    with SyncScopix(
        api_key=API_KEY, base_url=httpserver_module.url_for("/"), pacing=False, max_retries=0
    ) as sdk:
        yield sdk


@pytest.fixture(scope="module")
def httpserver_module() -> Any:
    server = HTTPServer(host="127.0.0.1")
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize(("method", "keyword", "value", "kind"), TABLE, ids=str)
def test_bad_input_is_refused_before_sending(
    client: SyncScopix,
    httpserver_module: HTTPServer,
    method: str,
    keyword: str,
    value: Any,
    kind: type[Exception],
) -> None:
    before = len(httpserver_module.log)
    with pytest.raises(scopix.ScopixError) as caught:
        getattr(client.usage, method)(**{keyword: value})  # a pager checks when it is made
    assert isinstance(caught.value, kind), repr(caught.value)
    assert f"`{keyword}`" in str(caught.value)
    assert caught.value.parameter == keyword  # type: ignore[attr-defined]
    assert len(httpserver_module.log) == before  # the server saw nothing


ODD = [
    "key'; DROP TABLE events;--",
    "../../etc/passwd",
    "a&limit=1000&b=",
    "ключ-ü-🔑",
    "x y+z%20#frag?q",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("odd", ODD)
@pytest.mark.parametrize(
    ("method", "keyword"),
    [("get_summary", "api_key_id"), ("get_details", "api_key_id"), ("check", "content_category")],
)
def test_odd_strings_are_sent_exactly(
    client: SyncScopix, httpserver_module: HTTPServer, method: str, keyword: str, odd: str
) -> None:
    httpserver_module.clear()
    httpserver_module.expect_request("/v1/usage/summary").respond_with_response(Response("", 418))
    httpserver_module.expect_request("/v1/usage/details").respond_with_response(Response("", 418))
    httpserver_module.expect_request("/v1/usage/check").respond_with_response(Response("", 418))
    with pytest.raises(scopix.APIStatusError):
        getattr(client.usage, method)(**{keyword: odd})
    request = httpserver_module.log[-1][0]
    assert request.args.getlist(keyword) == [odd]
    assert "limit" not in request.args or request.args["limit"] == "50"
