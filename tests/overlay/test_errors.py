"""Whatever the server answers, the user gets a typed ScopixError with status and request id."""

from __future__ import annotations

import json
import pickle
import socket
import threading
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

import scopix
from tests.bodies import example
from tests.conftest import API_KEY

from .conftest import MakeDriver
from .driver import Driver

ERROR_JSON = {"code": "bad", "message": "Something specific went wrong", "request_id": "req_9"}

STATUS_CASES = [
    (400, scopix.BadRequestError),
    (401, scopix.AuthenticationError),
    (403, scopix.PermissionDeniedError),
    (404, scopix.NotFoundError),
    (409, scopix.ConflictError),
    (418, scopix.APIStatusError),
    (422, scopix.UnprocessableEntityError),
    (429, scopix.RateLimitError),
    (499, scopix.APIStatusError),
    (500, scopix.InternalServerError),
    (502, scopix.InternalServerError),
    (503, scopix.InternalServerError),
    (520, scopix.InternalServerError),
]


@pytest.mark.parametrize(("status", "error"), STATUS_CASES)
@pytest.mark.parametrize("body_kind", ["json", "html", "text", "empty"])
def test_status_maps_to_typed_error(
    httpserver: HTTPServer,
    driver: Driver,
    status: int,
    error: type[scopix.APIStatusError],
    body_kind: str,
) -> None:
    body, content_type = {
        "json": (json.dumps(ERROR_JSON), "application/json"),
        "html": ("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
        "text": ("upstream said no", "text/plain"),
        "empty": ("", "text/plain"),
    }[body_kind]
    httpserver.expect_request("/v1/usage/breakdown").respond_with_response(
        Response(body, status=status, content_type=content_type, headers={"X-Request-Id": "req_9"})
    )
    with pytest.raises(error) as caught:
        driver.call("get_breakdown")
    exc = caught.value
    assert isinstance(exc, scopix.APIStatusError)
    assert type(exc) is error
    assert exc.status_code == status
    assert exc.request_id == "req_9"
    assert exc.headers["x-request-id"] == "req_9"
    assert str(status) in str(exc)
    assert "req_9" in str(exc)
    assert API_KEY not in str(exc)
    assert API_KEY not in repr(exc)
    if body_kind == "json":
        assert exc.body == ERROR_JSON
        assert exc.code == "bad"
        assert "Something specific went wrong" in str(exc)


def test_rate_limit_error_carries_retry_after(httpserver: HTTPServer, driver: Driver) -> None:
    httpserver.expect_request("/v1/usage/check").respond_with_json(
        {"code": "rate_limited", "message": "slow down"}, status=429, headers={"Retry-After": "7"}
    )
    with pytest.raises(scopix.RateLimitError) as caught:
        driver.call("check")
    assert caught.value.retry_after == 7.0


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("", "not JSON"),
        ('{"can_proceed": true, "available_cre', "not JSON"),
        ("<html>oops</html>", "not JSON"),
        ("[]", "expected an object"),
        ("null", "expected an object"),
    ],
)
def test_unparsable_success_body(
    httpserver: HTTPServer, driver: Driver, body: str, fragment: str
) -> None:
    httpserver.expect_request("/v1/usage/check").respond_with_data(
        body, content_type="application/json", headers={"X-Request-Id": "req_7"}
    )
    with pytest.raises(scopix.APIResponseValidationError) as caught:
        driver.call("check")
    exc = caught.value
    assert fragment in str(exc)
    assert (exc.status_code, exc.request_id) == (200, "req_7")
    assert exc.excerpt == body[:200]


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda b: b.update(total_credits="abc"), "total_credits: expected an integer"),
        (lambda b: b.pop("total_requests"), "required field 'total_requests' is missing"),
        (lambda b: b.update(start_date="yesterday"), "start_date: expected an RFC 3339 date-time"),
        (lambda b: b["limits"].update(remaining=None), "limits.remaining: expected an integer"),
        (lambda b: b.update(limits=[1]), "limits: expected an object"),
        (lambda b: b.update(total_credits=True), "total_credits: expected an integer"),
        (lambda b: b.update(period=5), "period: expected a string"),
    ],
)
def test_wrong_types_and_missing_fields(
    httpserver: HTTPServer, driver: Driver, mutate: object, fragment: str
) -> None:
    body = example("UsageSummary")
    mutate(body)  # type: ignore[operator]
    httpserver.expect_request("/v1/usage/summary").respond_with_json(body)
    with pytest.raises(scopix.APIResponseValidationError, match=fragment):
        driver.call("get_summary")


def test_nested_list_errors_name_the_item(httpserver: HTTPServer, driver: Driver) -> None:
    body = example("UsageDetails")
    body["events"].append(dict(body["events"][0], status_code="200"))
    httpserver.expect_request("/v1/usage/details").respond_with_json(body)
    with pytest.raises(scopix.APIResponseValidationError, match=r"events\[1\]\.status_code"):
        driver.call("get_details")


@pytest.fixture
def broken_server() -> Iterator[str]:
    """A server that sends headers and half a body, then hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b'Content-Length: 500\r\n\r\n{"can_proceed": tr'
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    listener.close()


def test_connection_closed_mid_body(make_driver: MakeDriver, broken_server: str) -> None:
    driver = make_driver(base_url=broken_server)
    with pytest.raises(scopix.APIConnectionError) as caught:
        driver.call("check")
    assert not isinstance(caught.value, scopix.APITimeoutError)


def test_unreachable_server(make_driver: MakeDriver) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    driver = make_driver(base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(scopix.APIConnectionError):
        driver.call("check")


def test_timeout(make_driver: MakeDriver) -> None:
    listener = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        driver = make_driver(base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=0.3)
        with pytest.raises(scopix.APITimeoutError):
            driver.call("check")
    finally:
        listener.close()


def test_every_error_is_a_scopix_error() -> None:
    for name in scopix._errors.__all__:
        assert issubclass(getattr(scopix, name), scopix.ScopixError)


def _round_trip(exc: BaseException) -> BaseException:
    data = pickle.dumps(exc)
    assert API_KEY.encode() not in data
    copy: BaseException = pickle.loads(data)
    assert type(copy) is type(exc)
    assert str(copy) == str(exc)
    return copy


@pytest.mark.parametrize("status", [400, 401, 404, 409, 422, 429, 500, 418])
def test_status_errors_pickle(httpserver: HTTPServer, driver: Driver, status: int) -> None:
    httpserver.expect_request("/v1/usage/check").respond_with_json(
        ERROR_JSON, status=status, headers={"X-Request-Id": "req_9", "Retry-After": "3"}
    )
    with pytest.raises(scopix.APIStatusError) as caught:
        driver.call("check")
    copy = _round_trip(caught.value)
    assert isinstance(copy, scopix.APIStatusError)
    assert (copy.status_code, copy.request_id, copy.body, copy.code) == (
        status,
        "req_9",
        ERROR_JSON,
        "bad",
    )
    assert copy.message == caught.value.message
    assert copy.response.status_code == status
    assert copy.response.json() == ERROR_JSON
    assert copy.headers["x-request-id"] == "req_9"
    assert "authorization" not in copy.response.request.headers
    assert copy.response.request.url == caught.value.response.request.url
    if isinstance(copy, scopix.RateLimitError):
        assert copy.retry_after == 3.0


def test_validation_error_pickles(httpserver: HTTPServer, driver: Driver) -> None:
    httpserver.expect_request("/v1/usage/check").respond_with_data(
        "<html>oops</html>", content_type="text/html", headers={"X-Request-Id": "req_7"}
    )
    with pytest.raises(scopix.APIResponseValidationError) as caught:
        driver.call("check")
    copy = _round_trip(caught.value)
    assert isinstance(copy, scopix.APIResponseValidationError)
    assert (copy.status_code, copy.request_id, copy.excerpt) == (200, "req_7", "<html>oops</html>")


def test_connection_errors_and_bad_arguments_pickle(make_driver: MakeDriver) -> None:
    listener = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        driver = make_driver(base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=0.3)
        with pytest.raises(scopix.APITimeoutError) as caught:
            driver.call("check")
    finally:
        listener.close()
    copy = _round_trip(caught.value)
    assert isinstance(copy, scopix.APITimeoutError)
    assert copy.request is not None
    assert copy.request.url.path == "/v1/usage/check"
    with pytest.raises(scopix.InvalidParameterError) as bad:
        driver.call("get_details", limit=0)
    bad_copy = _round_trip(bad.value)
    assert isinstance(bad_copy, scopix.InvalidParameterError)
    assert bad_copy.parameter == "limit"


def test_a_code_that_is_not_a_string_is_not_the_code(
    httpserver: HTTPServer, driver: Driver
) -> None:
    body = {"code": 42, "message": "numbered"}
    httpserver.expect_request("/v1/usage/breakdown").respond_with_json(body, status=400)
    with pytest.raises(scopix.BadRequestError) as caught:
        driver.call("get_breakdown")
    assert caught.value.code is None  # `code` is `str | None`: 42 is kept in `body` only
    assert caught.value.body == body
