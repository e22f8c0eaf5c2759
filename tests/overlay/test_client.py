"""Client configuration, headers, options, raw responses, closing, and trio."""

from __future__ import annotations

import gc
import inspect
import platform
import warnings
from typing import Any

import anyio
import httpx
import pytest
from pytest_httpserver import HTTPServer

import scopix
from scopix import Scopix, SyncScopix
from scopix._config import ConfigChanges
from tests.bodies import example
from tests.conftest import API_KEY

from .conftest import MakeDriver
from .driver import Driver


def _breakdown(httpserver: HTTPServer, **headers: str) -> None:
    httpserver.expect_request("/v1/usage/breakdown").respond_with_json(
        example("UsageBreakdown"), headers=headers
    )


def test_missing_key_is_a_clear_error() -> None:
    with pytest.raises(scopix.ScopixError, match="SCOPIX_API_KEY"):
        SyncScopix()
    with pytest.raises(scopix.ScopixError, match="api_key"):
        Scopix()


def test_key_and_url_from_environment(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, flavour: str
) -> None:
    monkeypatch.setenv("SCOPIX_API_KEY", "scopix_from_env")
    monkeypatch.setenv("SCOPIX_BASE_URL", httpserver.url_for("/"))
    httpserver.expect_request(
        "/v1/usage/breakdown", headers={"Authorization": "Bearer scopix_from_env"}
    ).respond_with_json(example("UsageBreakdown"))
    driver = Driver(flavour)
    try:
        assert driver.call("get_breakdown").usage_percentage == 15.5
    finally:
        driver.close()


def test_arguments_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCOPIX_API_KEY", "scopix_env")
    monkeypatch.setenv("SCOPIX_BASE_URL", "http://127.0.0.1:9")
    client = SyncScopix(api_key="scopix_arg", base_url="http://127.0.0.1:10/")
    assert client.base_url == "http://127.0.0.1:10"
    assert client._config.api_key == "scopix_arg"
    client.close()


def test_default_base_url_is_the_specs_production_server() -> None:
    with SyncScopix(api_key=API_KEY) as client:
        assert client.base_url == "https://api.scopix.ai"


def test_defaults() -> None:
    with SyncScopix(api_key=API_KEY) as client:
        assert client.max_retries == 2
        assert client.timeout.read == 60.0
        assert client.timeout.connect == 5.0


def test_headers(httpserver: HTTPServer, make_driver: MakeDriver) -> None:
    driver = make_driver(default_headers={"X-Team": "data", "User-Agent": "ignored-by-nobody"})
    _breakdown(httpserver)
    driver.call("get_breakdown", extra_headers={"X-Trace": "t1"})
    request = httpserver.log[0][0]
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["X-Team"] == "data"
    assert request.headers["X-Trace"] == "t1"
    assert request.headers["Accept"] == "application/json"


def test_user_agent(httpserver: HTTPServer, driver: Driver) -> None:
    _breakdown(httpserver)
    driver.call("get_breakdown")
    agent = httpserver.log[0][0].headers["User-Agent"]
    assert agent == f"scopix-python/{scopix.__version__} Python/{platform.python_version()}"


def test_extra_headers_cannot_replace_the_key(httpserver: HTTPServer, driver: Driver) -> None:
    _breakdown(httpserver)
    driver.call("get_breakdown", extra_headers={"Authorization": "Bearer other"})
    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {API_KEY}"


def test_per_call_timeout(make_driver: MakeDriver) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as silent:
        driver = make_driver(base_url=f"http://127.0.0.1:{silent.getsockname()[1]}")
        with pytest.raises(scopix.APITimeoutError):
            driver.call("get_breakdown", timeout=0.2)


def test_a_with_options_typo_names_every_setting_it_takes(driver: Driver) -> None:
    with pytest.raises(TypeError) as caught:
        driver.client.with_options(max_retrys=1)  # type: ignore[call-arg]
    message = str(caught.value)
    assert "did you mean 'max_retries'?" in message
    taken = message.split("it takes: ")[1].split(", ")
    signature = inspect.signature(type(driver.client).with_options).parameters
    assert sorted(taken) == sorted(
        [*signature.keys() - {"self", "changes"}, *ConfigChanges.__annotations__]
    )


def test_with_options_shares_the_pool(httpserver: HTTPServer, driver: Driver) -> None:
    _breakdown(httpserver)
    other = driver.client.with_options(api_key="scopix_other", max_retries=5, timeout=3.0)
    assert other._http is driver.client._http
    assert other.max_retries == 5
    assert other.timeout.read == 3.0
    assert driver.client.max_retries == 0
    driver.run(other.usage.get_breakdown())
    assert httpserver.log[0][0].headers["Authorization"] == "Bearer scopix_other"
    if isinstance(other, Scopix):
        driver.run(other.aclose())
    else:
        other.close()
    assert not driver.client._http.is_closed  # a copy does not close the shared pool


def test_user_supplied_http_client_keeps_auth_and_base_url(httpserver: HTTPServer) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(
        base_url="http://127.0.0.1:1",
        event_hooks={"request": [seen.append]},
        headers={"X-Own": "1"},
    )
    client = SyncScopix(api_key=API_KEY, base_url=httpserver.url_for("/"), http_client=http)
    _breakdown(httpserver)
    client.usage.get_breakdown()
    assert seen[0].url.host == "localhost" or seen[0].url.host == "127.0.0.1"
    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {API_KEY}"
    assert httpserver.log[0][0].headers["X-Own"] == "1"
    client.close()
    assert not http.is_closed  # the caller's client is the caller's to close
    http.close()


def test_raw_response(httpserver: HTTPServer, driver: Driver) -> None:
    _breakdown(
        httpserver,
        **{
            "X-Request-Id": "req_42",
            "X-RateLimit-Limit": "30",
            "X-RateLimit-Remaining": "12",
            "X-RateLimit-Reset": "4.5",
        },
    )
    raw = driver.raw("get_breakdown")
    assert isinstance(raw, scopix.RawResponse)
    assert (raw.status_code, raw.request_id) == (200, "req_42")
    assert raw.headers["x-ratelimit-limit"] == "30"
    assert raw.rate_limit == scopix.RateLimitInfo(limit=30, remaining=12, reset=4.5)
    assert raw.parse().usage_percentage == 15.5


def test_raw_response_still_raises_errors(httpserver: HTTPServer, driver: Driver) -> None:
    httpserver.expect_request("/v1/usage/plan").respond_with_json({"message": "no"}, status=403)
    with pytest.raises(scopix.PermissionDeniedError):
        driver.raw("get_plan")


def test_repr_has_no_key(driver: Driver) -> None:
    assert API_KEY not in repr(driver.client)
    assert API_KEY not in str(driver.client)
    assert API_KEY not in repr(driver.client._config)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_client_under_asyncio_and_trio(httpserver: HTTPServer, backend: str) -> None:
    _breakdown(httpserver)
    body = example("UsageDetails")
    body["has_more"] = False
    httpserver.expect_request("/v1/usage/details").respond_with_json(body)

    async def main() -> tuple[float, list[Any]]:
        async with Scopix(api_key=API_KEY, base_url=httpserver.url_for("/")) as client:
            breakdown = await client.usage.get_breakdown()
            events = [event async for event in client.usage.get_all_details()]
        assert client._http.is_closed
        return breakdown.usage_percentage, events

    percentage, events = anyio.run(main, backend=backend)
    assert percentage == 15.5
    assert len(events) == 1


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_early_break_leaves_nothing_open(httpserver: HTTPServer, backend: str) -> None:
    body = example("UsageDetails")
    body["events"] = body["events"] * 10
    httpserver.expect_request("/v1/usage/details").respond_with_json(body)

    async def main() -> None:
        async with Scopix(api_key=API_KEY, base_url=httpserver.url_for("/")) as client:
            pager = client.usage.get_all_details(page_size=10)
            async for _ in pager:
                break
            await pager.aclose()  # the walk left by break: closed, no further page

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        anyio.run(main, backend=backend)
        gc.collect()
    assert len(httpserver.log) == 1


def test_sync_close_releases_connections(httpserver: HTTPServer) -> None:
    _breakdown(httpserver)
    with SyncScopix(api_key=API_KEY, base_url=httpserver.url_for("/")) as client:
        for _ in range(5):
            client.usage.get_breakdown()
        pool = client._http._transport._pool  # type: ignore[attr-defined]
        assert len(pool.connections) <= 1  # never more than one idle connection here
    assert client._http.is_closed
    assert pool.connections == []
