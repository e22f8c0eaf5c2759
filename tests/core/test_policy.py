"""The retry and wait decisions of the policy core, as tables."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from scopix import _policy
from scopix._policy import Retry

NOW = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)


def _response(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=httpx.Request("GET", "http://x/"))


@pytest.mark.parametrize(
    ("status", "headers", "retryable"),
    [
        (200, {}, False),
        (400, {}, False),
        (401, {}, False),
        (403, {}, False),
        (404, {}, False),
        (408, {}, True),
        (409, {}, True),
        (422, {}, False),
        (429, {}, True),
        (499, {}, False),
        (500, {}, True),
        (502, {}, True),
        (503, {}, True),
        (520, {}, True),
        (599, {}, True),
        (400, {"x-should-retry": "true"}, True),
        (503, {"x-should-retry": "false"}, False),
        (503, {"x-should-retry": "maybe"}, True),
    ],
)
def test_which_statuses_are_retried(status: int, headers: dict[str, str], retryable: bool) -> None:
    assert _policy.is_retryable_status(status, headers) is retryable


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after": " 3 "}, 3.0),
        ({"retry-after": "Wed, 25 Nov 2026 12:00:30 GMT"}, 30.0),
        ({"retry-after": "Wed, 25 Nov 2026 11:59:00 GMT"}, 0.0),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "-4"}, None),
        ({"retry-after": "nan"}, None),
        ({"x-ratelimit-reset": "2.5"}, 2.5),
        ({"retry-after": "soon", "x-ratelimit-reset": "4"}, 4.0),
        ({"retry-after": "9", "x-ratelimit-reset": "4"}, 9.0),
        ({}, None),
    ],
)
def test_retry_after_formats(headers: dict[str, str], seconds: float | None) -> None:
    assert _policy.retry_after(httpx.Headers(headers), now=NOW) == seconds


@pytest.mark.parametrize(
    ("attempt", "low", "high"),
    [(0, 0.375, 0.5), (1, 0.75, 1.0), (2, 1.5, 2.0), (3, 3.0, 4.0), (4, 6.0, 8.0), (9, 6.0, 8.0)],
)
def test_backoff_doubles_from_half_a_second_to_eight_with_jitter(
    attempt: int, low: float, high: float
) -> None:
    assert _policy.backoff(attempt, rand=lambda: 0.0) == high
    assert _policy.backoff(attempt, rand=lambda: 1.0) == low
    assert low <= _policy.backoff(attempt) <= high


def test_decisions() -> None:
    def decide(
        status: int, attempt: int = 0, max_retries: int = 2, headers: dict[str, str] | None = None
    ) -> Retry | None:
        return _policy.decide_response(
            _response(status, **(headers or {})),
            attempt=attempt,
            max_retries=max_retries,
            rand=lambda: 0,
        )

    assert decide(200) is None
    assert decide(400) is None
    assert decide(503) == Retry(0.5)
    assert decide(503, attempt=1) == Retry(1.0)
    assert decide(503, attempt=2) is None  # retries used up
    assert decide(503, max_retries=0) is None
    assert decide(429, headers={"retry-after": "3"}) == Retry(3.0)
    assert decide(429, headers={"x-ratelimit-reset": "1.5"}) == Retry(1.5)
    assert (
        decide(429, headers={"retry-after": "61"}) is None
    )  # over the cap: raise, the caller decides
    assert decide(503, headers={"retry-after": "2"}) == Retry(2.0)
    assert _policy.decide_transport_error(attempt=0, max_retries=1, rand=lambda: 0) == Retry(0.5)
    assert _policy.decide_transport_error(attempt=1, max_retries=1) is None


def test_rate_limit_headers() -> None:
    info = _policy.rate_limit_info(
        httpx.Headers(
            {"x-ratelimit-limit": "30", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1.2"}
        )
    )
    assert info == _policy.RateLimitInfo(limit=30, remaining=0, reset=1.2)
    assert _policy.rate_limit_info(httpx.Headers({"x-ratelimit-limit": "x"})).limit is None


def test_status_error_message_and_class() -> None:
    err = _policy.status_error(
        httpx.Response(
            429,
            json={"code": "rate_limited", "message": "Too many"},
            headers={"retry-after": "5", "x-request-id": "req_1"},
            request=httpx.Request("GET", "http://x/"),
        )
    )
    assert str(err) == "Error code: 429 - Too many (request id req_1)"
    assert err.retry_after == 5.0  # type: ignore[attr-defined]


def _caused(exc: httpx.TransportError, cause: BaseException | None) -> httpx.TransportError:
    exc.__cause__ = cause  # as httpcore raises them: httpx's class over the OS error
    return exc


@pytest.mark.parametrize(
    ("url", "exc", "timeout", "error", "message"),
    [
        ("https://api.example/v1", httpx.ConnectError("x"), None, "APIConnectionError",
         "cannot connect to api.example:443: x"),
        ("http://[::1]:8080/v1", _caused(httpx.ConnectError("x"), ConnectionRefusedError(111, "r")),
         None, "APIConnectionError", "cannot connect to [::1]:8080: connection refused"),
        ("http://h:1/", _caused(httpx.ConnectError("x"), OSError(113, "No route to host")), None,
         "APIConnectionError", "cannot connect to h:1: No route to host"),
        ("http://h:1/", httpx.ConnectTimeout("x"), 5.0, "APITimeoutError",
         "cannot connect to h:1 within 5 s (connect timeout)"),
        ("http://h:1/", httpx.WriteTimeout("x"), 2.5, "APITimeoutError",
         "h:1: could not send the request within 2.5 s (write timeout)"),
        ("http://h:1/", httpx.PoolTimeout("x"), 1.0, "APITimeoutError",
         "h:1: no free connection within 1 s (pool timeout)"),
        ("http://h:1/", httpx.RemoteProtocolError("peer closed"), None, "APIConnectionError",
         "h:1: the connection broke (peer closed)"),
        ("http://h:1/", httpx.ProxyError("407"), None, "APIConnectionError",
         "h:1: ProxyError: 407"),
    ],
)  # fmt: skip
def test_transport_errors_name_host_port_and_cause(
    url: str, exc: httpx.TransportError, timeout: float | None, error: str, message: str
) -> None:
    request = httpx.Request("GET", url)
    if timeout is not None:
        request.extensions["timeout"] = dict.fromkeys(("connect", "read", "write", "pool"), timeout)
    made = _policy.transport_error(exc, request)
    assert (type(made).__name__, str(made), made.request) == (error, message, request)
