"""The API key stays secret: not in reprs, errors, tracebacks or logs, not over plain http to
another host, not to another origin on a redirect."""

from __future__ import annotations

import logging
import ssl
import subprocess
import sys
import traceback
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

import scopix
from scopix import Scopix, SyncScopix
from tests.bodies import example
from tests.conftest import API_KEY

from .conftest import MakeDriver
from .driver import Driver


def test_key_never_in_logs_or_errors(
    httpserver: HTTPServer, driver: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/v1/usage/breakdown").respond_with_json(example("UsageBreakdown"))
    httpserver.expect_request("/v1/usage/plan").respond_with_json({"message": "no"}, status=401)
    with caplog.at_level(logging.DEBUG):
        driver.call("get_breakdown")
        with pytest.raises(scopix.AuthenticationError) as caught:
            driver.call("get_plan")
        raw = driver.raw("get_breakdown")
    text = "".join(traceback.format_exception(caught.value))
    assert "/v1/usage/plan -> 401" in caplog.text  # the request line is logged
    for place in (caplog.text, text, repr(caught.value), str(caught.value), repr(raw)):
        assert API_KEY not in place
    assert API_KEY not in repr(driver.client)
    assert API_KEY not in repr(driver.client.usage)


def test_scopix_log_env_prints_one_line_per_request(
    httpserver: HTTPServer, tmp_path: object
) -> None:
    httpserver.expect_request("/v1/usage/breakdown").respond_with_json(
        example("UsageBreakdown"), headers={"X-RateLimit-Remaining": "29", "X-Request-Id": "r1"}
    )
    code = (
        "from scopix import SyncScopix\n"
        f"c = SyncScopix(api_key={API_KEY!r}, base_url={httpserver.url_for('/')!r})\n"
        "c.usage.get_breakdown()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"SCOPIX_LOG": "info", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in out.stderr.splitlines() if "scopix" in line]
    assert len(lines) == 1
    assert "GET /v1/usage/breakdown -> 200" in lines[0]
    assert "attempt 1, rate-limit remaining 29, request id r1" in lines[0]
    assert API_KEY not in out.stderr


@pytest.mark.parametrize(
    "url",
    ["http://api.scopix.ai", "http://10.0.0.5:8080", "http://example.com/v1"],
)
def test_plain_http_to_another_host_is_refused(url: str) -> None:
    with pytest.raises(scopix.InvalidParameterError, match="plain http"):
        SyncScopix(api_key=API_KEY, base_url=url)
    with pytest.raises(scopix.InvalidParameterError, match="plain http"):
        Scopix(api_key=API_KEY, base_url=url)
    client = SyncScopix(api_key=API_KEY, base_url=url, allow_insecure_http=True)
    client.close()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost:1", "http://[::1]:80", "http://127.2.3.4"]
)
def test_plain_http_to_loopback_is_fine(url: str) -> None:
    SyncScopix(api_key=API_KEY, base_url=url).close()


def test_with_options_cannot_move_to_plain_http() -> None:
    with SyncScopix(api_key=API_KEY) as client, pytest.raises(scopix.InvalidParameterError):
        client.with_options(base_url="http://api.scopix.ai")


def test_tls_is_verified_by_default() -> None:
    with SyncScopix(api_key=API_KEY) as client:
        context = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname


def test_redirects_are_not_followed_so_the_key_stays_home(
    httpserver: HTTPServer, driver: Driver
) -> None:
    other = HTTPServer(host="127.0.0.1")
    other.start()
    try:
        other.expect_request("/steal").respond_with_data("thanks")
        httpserver.expect_request("/v1/usage/breakdown").respond_with_data(
            "", status=302, headers={"Location": other.url_for("/steal")}
        )
        with pytest.raises(scopix.APIStatusError) as caught:
            driver.call("get_breakdown")
        assert caught.value.status_code == 302
        assert other.log == []
    finally:
        other.stop()


def test_odd_keys_warn_bad_keys_fail() -> None:
    with pytest.warns(scopix.KeyFormatWarning):
        SyncScopix(api_key="sk-not-scopix").close()
    with pytest.raises(scopix.InvalidParameterError, match="whitespace"):
        SyncScopix(api_key="scopix_abc\r\nX-Evil: 1")
    with pytest.raises(scopix.InvalidParameterTypeError):
        SyncScopix(api_key=12345)  # type: ignore[arg-type]


def _own_http_client(flavour: str, **kwargs: Any) -> httpx.Client | httpx.AsyncClient:
    return httpx.Client(**kwargs) if flavour == "sync" else httpx.AsyncClient(**kwargs)


def _close(driver: Driver, http: httpx.Client | httpx.AsyncClient) -> None:
    if isinstance(http, httpx.AsyncClient):
        driver.run(http.aclose())
    else:
        http.close()


def test_own_http_client_cannot_change_the_auth(
    httpserver: HTTPServer, make_driver: MakeDriver, flavour: str
) -> None:
    http = _own_http_client(flavour, auth=("user", "pass"), headers={"X-Own": "1"})
    driver = make_driver(http_client=http)
    httpserver.expect_request("/v1/usage/breakdown").respond_with_json(example("UsageBreakdown"))
    driver.call("get_breakdown")
    (request, _), *_ = httpserver.log
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["X-Own"] == "1"  # the rest of the user's client still applies
    _close(driver, http)


def test_own_http_client_cannot_follow_redirects(
    httpserver: HTTPServer, make_driver: MakeDriver, flavour: str
) -> None:
    other = HTTPServer(host="127.0.0.1")
    other.start()
    http = _own_http_client(flavour, follow_redirects=True)
    driver = make_driver(http_client=http)
    try:
        other.expect_request("/v1/usage/breakdown").respond_with_json(example("UsageBreakdown"))
        httpserver.expect_request("/v1/usage/breakdown").respond_with_data(
            "", status=307, headers={"Location": other.url_for("/v1/usage/breakdown")}
        )
        with pytest.raises(scopix.APIStatusError) as caught:
            driver.call("get_breakdown")
        assert caught.value.status_code == 307
        assert other.log == []
    finally:
        other.stop()
        _close(driver, http)


def test_http_client_of_the_other_flavour_is_refused_at_construction() -> None:
    with httpx.Client() as sync_http, pytest.raises(TypeError, match=r"httpx\.AsyncClient"):
        scopix.Scopix(api_key=API_KEY, http_client=sync_http)  # type: ignore[arg-type]
    async_http = httpx.AsyncClient()
    with pytest.raises(scopix.InvalidParameterTypeError, match=r"SyncScopix\(http_client=") as e:
        scopix.SyncScopix(api_key=API_KEY, http_client=async_http)  # type: ignore[arg-type]
    assert e.value.parameter == "http_client"
    assert "httpx.Client" in str(e.value)
