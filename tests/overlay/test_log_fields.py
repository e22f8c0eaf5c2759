"""The SDK's log records carry their facts as attributes (`scopix_event`, `reason`,
`wait_seconds`, `attempt`, `operation`, ...), so a program reads a wait or a retry without
parsing the text; the text stays as it was."""

from __future__ import annotations

import logging
import re
import socket
import uuid
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

import scopix
from scopix.pacing import AsyncRedisLimiter, BucketLimit, RateLimits, SyncRedisLimiter
from tests.bodies import example
from tests.redis_server import RedisServer

from .conftest import MakeDriver

PATH = "/v1/usage/breakdown"
COMMON = ("scopix_event", "operation", "method", "path", "attempt", "max_attempts")


def fields(record: logging.LogRecord, *names: str) -> dict[str, object]:
    return {name: getattr(record, name) for name in (*COMMON, *names)}


def values(record: logging.LogRecord, *names: str) -> tuple[object, ...]:
    return tuple(getattr(record, name) for name in names)


def records(caplog: pytest.LogCaptureFixture, event: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "scopix_event", None) == event]


def test_a_retry_after_a_429(
    make_driver: MakeDriver, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_json(
        {"code": "rate_limited", "message": "slow down"},
        status=429,
        headers={"Retry-After": "1.1", "X-Request-Id": "req_1"},
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(example("UsageBreakdown"))
    driver = make_driver(max_retries=2)
    with caplog.at_level(logging.INFO, logger="scopix"):
        driver.call("get_breakdown")
    (wait,) = records(caplog, "wait")
    assert wait.getMessage() == "retrying in 1.10 s"
    assert wait.levelno == logging.INFO
    assert fields(wait, "reason", "wait_seconds", "bucket", "status_code", "error") == {
        "scopix_event": "wait",
        "operation": "get_breakdown",
        "method": "GET",
        "path": PATH,
        "attempt": 2,  # the attempt it waits for
        "max_attempts": 3,
        "reason": "retry",
        "wait_seconds": 1.1,
        "bucket": "usage",
        "status_code": 429,
        "error": None,
    }
    first, second = records(caplog, "response")
    assert [values(r, "attempt", "status_code", "request_id") for r in (first, second)] == [
        (1, 429, "req_1"),
        (2, 200, None),
    ]
    assert first.getMessage().startswith(f"GET {PATH} -> 429 in ")
    assert isinstance(vars(first)["elapsed_ms"], float)


def test_a_retry_after_a_refused_connection(
    make_driver: MakeDriver, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    driver = make_driver(base_url=f"http://127.0.0.1:{port}", max_retries=1)
    with (
        caplog.at_level(logging.DEBUG, logger="scopix"),
        pytest.raises(scopix.APIConnectionError),
    ):
        driver.call("get_plan")
    failures = records(caplog, "failure")
    assert [values(r, "operation", "attempt", "error") for r in failures] == [
        ("get_plan", 1, "ConnectError"),
        ("get_plan", 2, "ConnectError"),
    ]
    (wait,) = records(caplog, "wait")  # backoff under a second: DEBUG
    assert wait.levelno == logging.DEBUG
    assert values(wait, "reason", "attempt", "status_code", "error") == (
        "retry",
        2,
        None,
        "ConnectError",
    )
    assert 0.3 <= vars(wait)["wait_seconds"] <= 0.5


def test_a_rate_limit_wait(
    make_driver: MakeDriver, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    # The first answer says no request is left for 1.5 s: the client paces the next call.
    spent = {"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1.5"}
    httpserver.expect_ordered_request(PATH).respond_with_json(
        example("UsageBreakdown"), headers=spent
    )
    httpserver.expect_ordered_request("/v1/usage/summary").respond_with_json(
        example("UsageSummary")
    )
    driver = make_driver(pacing=True)
    with caplog.at_level(logging.INFO, logger="scopix"):
        driver.call("get_breakdown")
        driver.call("get_summary")
    httpserver.check_assertions()
    (wait,) = records(caplog, "wait")
    assert wait.getMessage().startswith("waiting ")
    assert wait.getMessage().endswith(" s for the 'usage' rate limit")
    got = fields(wait, "reason", "bucket", "limiter")
    assert got == {
        "scopix_event": "wait",
        "operation": "get_summary",  # the call that waits, not the one that spent the budget
        "method": "GET",
        "path": "/v1/usage/summary",
        "attempt": 1,
        "max_attempts": 1,
        "reason": "rate_limit",
        "bucket": "usage",
        "limiter": "memory",
    }
    assert 1.0 < vars(wait)["wait_seconds"] <= 1.6


DOC = Path(__file__).resolve().parents[2] / "docs" / "logging.md"
STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def documented_fields() -> set[str]:
    rows = [line for line in DOC.read_text("utf-8").splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`(\w+)`", row.split("|")[1])}


def test_the_documented_fields_are_those_the_records_carry(
    make_driver: MakeDriver, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    spent = {"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1.2"}
    httpserver.expect_ordered_request(PATH).respond_with_json(
        {"code": "rate_limited"}, status=429, headers={"Retry-After": "1.1"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(
        example("UsageBreakdown"), headers=spent
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(example("UsageBreakdown"))
    code = DOC.read_text("utf-8").split("```python\n")[2].split("```")[0]
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # the documented handler, as a reader would paste it
    scopix_log = logging.getLogger("scopix")
    try:
        with caplog.at_level(logging.INFO, logger="scopix"):
            driver = make_driver(pacing=True, max_retries=1)
            driver.call("get_breakdown")  # a 429, a retry: a retry wait
            driver.call("get_breakdown")  # after "none left for 1.2 s": a rate-limit wait
            closed = make_driver(base_url=f"http://127.0.0.1:{free_port()}")
            with pytest.raises(scopix.APIConnectionError):
                closed.call("get_plan")  # a failure
    finally:
        for handler in [h for h in scopix_log.handlers if type(h).__name__ == "Waits"]:
            scopix_log.removeHandler(handler)
    carried = {name for r in caplog.records for name in vars(r)} - STANDARD
    assert carried == documented_fields()
    assert namespace["waited"]["retry"] == 1.1
    assert 1.0 < namespace["waited"]["rate_limit"] <= 1.3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_a_rate_limit_wait_on_redis(
    make_driver: MakeDriver,
    httpserver: HTTPServer,
    caplog: pytest.LogCaptureFixture,
    redis_server: RedisServer,
    flavour: str,
) -> None:
    # One usage request per 1.5 s, booked in Redis: the second call waits for the first's slot.
    httpserver.expect_request(PATH).respond_with_json(example("UsageBreakdown"))
    limiter = AsyncRedisLimiter if flavour == "async" else SyncRedisLimiter
    pacing = limiter(
        redis_server.url,
        limits=RateLimits({"usage": BucketLimit(1, 1.5)}),
        prefix=f"test:{uuid.uuid4().hex}",
    )
    driver = make_driver(pacing=pacing)
    with caplog.at_level(logging.INFO, logger="scopix"):
        driver.call("get_breakdown")
        driver.call("get_breakdown")
    (wait,) = records(caplog, "wait")
    assert wait.getMessage().endswith(" s for the 'usage' rate limit (Redis)")
    assert values(wait, "reason", "bucket", "limiter", "operation", "attempt") == (
        "rate_limit",
        "usage",
        "redis",
        "get_breakdown",
        1,
    )
    assert 1.0 < vars(wait)["wait_seconds"] <= 1.6
