"""Per-call options: keyword-only methods whose keywords, defaults and enums are the spec's;
a typo or a bad option value is a TypeError/ValueError before anything is sent; `timeout=None`
means no timeout; `extra_query=` sends what a newer server accepts."""

from __future__ import annotations

import inspect
from typing import Any, get_args

import httpx
import pytest
from pytest_httpserver import HTTPServer

import scopix
from scopix import Scopix, SyncScopix, _spec
from scopix._generated import literals as _literals
from tests.bodies import example
from tests.conftest import API_KEY

from .conftest import MakeDriver
from .driver import Driver

OPTIONS = ["timeout", "max_retries", "extra_headers", "extra_query"]
PAGERS = {
    "get_all_details": "get_details",
    "get_all_file_tokens": "get_file_tokens",
    "get_all_conversation_tokens": "get_conversation_tokens",
}
METHODS = sorted([*_spec.operations(), *PAGERS])


@pytest.mark.parametrize("method", METHODS)
def test_a_misspelt_keyword_is_refused_naming_it_and_the_accepted_ones(
    httpserver: HTTPServer, driver: Driver, method: str
) -> None:
    with pytest.raises(TypeError) as caught:
        driver.call(method, operation_typ="chat")
    message = str(caught.value)
    assert f"{method}()" in message
    assert "'operation_typ'" in message
    for option in OPTIONS:
        assert option in message
    if method in ("get_details", "get_all_details"):
        assert "did you mean 'operation_type'?" in message
    assert isinstance(caught.value, scopix.InvalidParameterTypeError)
    assert caught.value.parameter == "operation_typ"
    with pytest.raises(TypeError, match="keyword arguments only"):
        driver.run(getattr(driver.client.usage, method)(50))
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("options", "error", "words"),
    [
        ({"timeout": -1}, ValueError, ["timeout", "positive"]),
        ({"timeout": 0}, ValueError, ["timeout", "positive"]),
        ({"timeout": "5"}, TypeError, ["timeout", "str"]),
        ({"timeout": True}, TypeError, ["timeout", "bool"]),
        ({"max_retries": -1}, ValueError, ["max_retries", ">= 0"]),
        ({"max_retries": 1.5}, TypeError, ["max_retries", "int"]),
        ({"extra_headers": ["X-A: 1"]}, TypeError, ["extra_headers", "mapping"]),
        ({"extra_headers": {"X-A": 1}}, TypeError, ["extra_headers['X-A']", "str"]),
        ({"extra_query": {"limit": [1, 2]}}, TypeError, ["extra_query['limit']", "list"]),
        ({"extra_query": {1: "a"}}, TypeError, ["extra_query", "keys"]),
    ],
)
def test_bad_option_values_are_refused_before_sending(
    httpserver: HTTPServer,
    driver: Driver,
    options: dict[str, Any],
    error: type[Exception],
    words: list[str],
) -> None:
    for method in ("get_breakdown", "get_all_details"):
        with pytest.raises(error) as caught:
            driver.call(method, **options)
        assert isinstance(caught.value, scopix.ScopixError)
        for word in words:
            assert word in str(caught.value)
    assert httpserver.log == []


def test_timeout_none_means_no_timeout(httpserver: HTTPServer, make_driver: MakeDriver) -> None:
    httpserver.expect_request("/v1/usage/breakdown").respond_with_json(example("UsageBreakdown"))
    driver = make_driver(timeout=None)
    assert driver.client.timeout == httpx.Timeout(None)
    assert driver.call("get_breakdown", timeout=None).usage_percentage is not None
    other = driver.client.with_options(timeout=None)
    assert other.timeout == httpx.Timeout(None)


def test_extra_query_sends_a_value_a_newer_server_accepts(
    httpserver: HTTPServer, driver: Driver
) -> None:
    """Forward compatibility: the typed keyword keeps its early errors; extra_query= is sent as
    given, over the keyword of the same name."""
    with pytest.raises(scopix.InvalidParameterError, match="operation_type"):
        driver.call("get_details", operation_type="chat_v2")
    with pytest.raises(scopix.InvalidParameterTypeError, match="operation_type"):
        driver.call("get_details", operation_type=5)
    assert httpserver.log == []
    body = {**example("UsageDetails"), "events": [], "has_more": False}
    httpserver.expect_request("/v1/usage/details").respond_with_json(body)
    driver.call("get_details", extra_query={"operation_type": "chat_v2", "new_flag": True})
    assert driver.collect("get_all_details", extra_query={"operation_type": "chat_v2"}) == []
    for request, _ in httpserver.log:
        assert request.args["operation_type"] == "chat_v2"
    assert httpserver.log[0][0].args["new_flag"] == "true"


@pytest.mark.parametrize("flavour", [Scopix, SyncScopix])
@pytest.mark.parametrize("method", METHODS)
def test_signatures_are_the_specs(flavour: type[Scopix] | type[SyncScopix], method: str) -> None:
    """Keywords, defaults, bounds and enums of every method, both flavours, against the spec."""
    resource = {"Scopix": scopix.UsageResource, "SyncScopix": scopix.SyncUsageResource}[
        flavour.__name__
    ]
    params = inspect.signature(getattr(resource, method)).parameters
    op = _spec.operation(PAGERS.get(method, method))
    spec_params = dict(op.params)
    options = ["options"]
    if method in PAGERS:
        spec_params["page_size"] = spec_params.pop("limit")
        del spec_params["offset"]
        options = ["resume_from", "options"]
    assert next(iter(params)) == "self"
    assert [p for p in params if p != "self"] == [*spec_params, *options]
    # the per-call options: **options typed as RequestOptions, whose keys are OPTIONS
    assert params["options"].kind is inspect.Parameter.VAR_KEYWORD
    assert params["options"].annotation == "Unpack[RequestOptions]"
    assert list(scopix.RequestOptions.__annotations__) == OPTIONS
    for name, param in params.items():
        if name in ("self", "options"):
            continue
        assert param.kind is inspect.Parameter.KEYWORD_ONLY, name
        if name in options:
            continue
        spec_param = spec_params[name]
        assert param.default == spec_param.schema.get("default"), (method, name)
        if "enum" in spec_param.schema:
            alias = f"{spec_param.ref_name}Value"
            assert str(param.annotation).startswith(f"{alias} | "), (method, name)
            assert list(get_args(getattr(_literals, alias))) == spec_param.schema["enum"]
    if method in PAGERS:
        limit = spec_params["page_size"].schema
        pager = getattr(SyncScopix(api_key=API_KEY, pacing=False).usage, method)
        for bad in (limit["minimum"] - 1, limit["maximum"] + 1):
            with pytest.raises(ValueError, match="page_size"):
                pager(page_size=bad)
        pager(page_size=limit["maximum"])
