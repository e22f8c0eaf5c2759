"""Retries over real HTTP: what is retried, how often, with which header, honouring the server."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import scopix
from tests.bodies import example

from .conftest import MakeDriver


def _script(httpserver: HTTPServer, path: str, answers: list[Response]) -> list[Request]:
    """Answer the requests to `path` in turn with `answers` (the last one repeats)."""
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return answers[min(len(seen), len(answers)) - 1]

    httpserver.expect_request(path).respond_with_handler(handler)
    return seen


def _ok() -> Response:
    return Response(json.dumps(example("UsageBreakdown")), content_type="application/json")


def _status(code: int, **headers: str) -> Response:
    return Response(
        '{"message": "x"}', status=code, content_type="application/json", headers=headers
    )


FAST = {"Retry-After": "0"}


@pytest.mark.parametrize("code", [408, 409, 429, 500, 502, 503, 504, 520])
def test_retried_statuses_then_success(
    httpserver: HTTPServer, make_driver: MakeDriver, code: int
) -> None:
    seen = _script(httpserver, "/v1/usage/breakdown", [_status(code, **FAST), _ok()])
    driver = make_driver(max_retries=2)
    assert driver.call("get_breakdown").usage_percentage == 15.5
    assert len(seen) == 2
    assert "X-Scopix-Retry-Count" not in seen[0].headers
    assert seen[1].headers["X-Scopix-Retry-Count"] == "1"


@pytest.mark.parametrize("code", [400, 401, 403, 404, 422])
def test_other_4xx_are_not_retried(
    httpserver: HTTPServer, make_driver: MakeDriver, code: int
) -> None:
    seen = _script(httpserver, "/v1/usage/breakdown", [_status(code, **FAST), _ok()])
    with pytest.raises(scopix.APIStatusError):
        make_driver(max_retries=3).call("get_breakdown")
    assert len(seen) == 1


def test_retries_run_out(httpserver: HTTPServer, make_driver: MakeDriver) -> None:
    seen = _script(httpserver, "/v1/usage/breakdown", [_status(503, **FAST)])
    with pytest.raises(scopix.InternalServerError):
        make_driver(max_retries=3).call("get_breakdown")
    assert [r.headers.get("X-Scopix-Retry-Count") for r in seen] == [None, "1", "2", "3"]


def test_per_call_max_retries(httpserver: HTTPServer, make_driver: MakeDriver) -> None:
    seen = _script(httpserver, "/v1/usage/breakdown", [_status(503, **FAST)])
    with pytest.raises(scopix.InternalServerError):
        make_driver(max_retries=5).call("get_breakdown", max_retries=1)
    assert len(seen) == 2


def test_x_should_retry(httpserver: HTTPServer, make_driver: MakeDriver) -> None:
    seen = _script(
        httpserver,
        "/v1/usage/breakdown",
        [
            _status(400, **{"x-should-retry": "true", **FAST}),
            _status(503, **{"x-should-retry": "false"}),
        ],
    )
    with pytest.raises(scopix.InternalServerError):
        make_driver(max_retries=5).call("get_breakdown")
    assert len(seen) == 2


def test_retry_after_is_honoured(httpserver: HTTPServer, make_driver: MakeDriver) -> None:
    seen = _script(httpserver, "/v1/usage/breakdown", [_status(429, **{"Retry-After": "1"}), _ok()])
    start = time.monotonic()
    make_driver(max_retries=1).call("get_breakdown")
    assert time.monotonic() - start >= 1.0
    assert len(seen) == 2


def test_a_wait_over_the_cap_raises_with_retry_after(
    httpserver: HTTPServer, make_driver: MakeDriver
) -> None:
    seen = _script(httpserver, "/v1/usage/breakdown", [_status(429, **{"Retry-After": "3600"})])
    with pytest.raises(scopix.RateLimitError) as caught:
        make_driver(max_retries=5, max_retry_wait=30).call("get_breakdown")
    assert caught.value.retry_after == 3600
    assert len(seen) == 1


def test_a_connection_dropped_mid_body_is_retried(make_driver: MakeDriver) -> None:
    body = json.dumps(example("UsageBreakdown")).encode()
    full = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(
        body
    )
    answers = [full + body[:10], full + body]  # first cut short, then whole
    served: list[int] = []
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        for answer in answers:
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(answer)
                served.append(1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        driver = make_driver(
            base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", max_retries=2
        )
        assert driver.call("get_breakdown").usage_percentage == 15.5
    finally:
        thread.join(5)
        listener.close()
    assert len(served) == 2
