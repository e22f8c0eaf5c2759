"""Pacing and retries against servers that misbehave: odd rate-limit headers, long Retry-After,
slow answers. Each test talks to a real server on loopback (pytest-httpserver or the sandbox)."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable

import anyio
import pytest
import redis.asyncio
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from scopix import InternalServerError, RateLimitError, Scopix, _spec
from scopix.pacing import AsyncLimiter, AsyncRedisLimiter, BucketLimit, RateLimits
from scopix_sandbox.server import Sandbox
from tests.bodies import example
from tests.conftest import API_KEY
from tests.core.test_limiter import max_in_window
from tests.redis_server import RedisServer

PATH = "/v1/usage/breakdown"


def _serve(httpserver: HTTPServer, answer: Callable[[int], Response]) -> list[float]:
    """Answer each request with `answer(n)` (n counts from 0); returns the arrival times."""
    arrivals: list[float] = []

    def handler(request: Request) -> Response:
        arrivals.append(time.monotonic())
        return answer(len(arrivals) - 1)

    httpserver.expect_request(PATH).respond_with_handler(handler)
    return arrivals


def _ok(**headers: str) -> Response:
    body = json.dumps(example("UsageBreakdown"))
    return Response(body, content_type="application/json", headers=headers)


def _status(code: int, **headers: str) -> Response:
    return Response(
        '{"message": "x"}', status=code, content_type="application/json", headers=headers
    )


async def refused(client: Scopix, within: float = 5) -> float | None:
    """The `retry_after` of the RateLimitError one call raises within `within` seconds."""
    with anyio.fail_after(within), pytest.raises(RateLimitError) as caught:
        await client.usage.get_breakdown()
    return caught.value.retry_after


def _client(httpserver: HTTPServer, **options: object) -> Scopix:
    return Scopix(api_key=API_KEY, base_url=httpserver.url_for("/").rstrip("/"), **options)  # type: ignore[arg-type]


def test_5xx_back_off_whatever_the_rate_limit_headers_say(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A gateway sending `X-RateLimit-Reset: 0` on every 500 does not turn backoff into
    "retry now": the waits are the exponential ones (0.5 s, then 1 s, each at least 75%)."""
    headers = {"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "29", "X-RateLimit-Reset": "0"}
    arrivals = _serve(httpserver, lambda n: _status(500, **headers))

    async def main() -> None:
        async with _client(httpserver, max_retries=2, pacing=False) as client:
            with pytest.raises(InternalServerError):
                await client.usage.get_breakdown()

    with caplog.at_level(logging.DEBUG, logger="scopix"):
        anyio.run(main)
    assert len(arrivals) == 3
    delays = [float(d) for d in re.findall(r"retrying in ([0-9.]+) s", caplog.text)]
    assert len(delays) == 2
    assert delays[0] >= 0.375
    assert delays[1] >= 0.75
    # the server saw them that far apart (a sleep never returns early)
    assert arrivals[1] - arrivals[0] >= 0.375
    assert arrivals[2] - arrivals[1] >= 0.75


def test_a_long_retry_after_raises_on_the_next_call_too(httpserver: HTTPServer) -> None:
    """After a 429 with Retry-After: 120, the next call raises RateLimitError with the time left
    at once (nothing sent) instead of sleeping two minutes."""
    arrivals = _serve(httpserver, lambda n: _status(429, **{"Retry-After": "120"}))

    async def main() -> list[float | None]:
        async with _client(httpserver, max_retries=2) as client:
            return [await refused(client) for _ in range(2)]

    first, second = anyio.run(main)
    assert first == 120
    assert second is not None
    assert 110 < second <= 120
    assert len(arrivals) == 1  # the second call sent nothing


def test_a_wait_over_a_second_is_logged_at_info(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    arrivals = _serve(
        httpserver, lambda n: _status(429, **{"Retry-After": "1.5"}) if n == 0 else _ok()
    )

    async def main() -> None:
        async with _client(httpserver, max_retries=0) as client:
            with pytest.raises(RateLimitError):
                await client.usage.get_breakdown()
            await client.usage.get_breakdown()  # waits out the 1.5 s the server asked

    with caplog.at_level(logging.INFO, logger="scopix"):
        anyio.run(main)
    assert len(arrivals) == 2
    assert re.search(r"waiting 1\.[0-9] s for the 'usage' rate limit", caplog.text)


@pytest.mark.parametrize("reset", ["1000000000000", "3600"])
def test_a_429s_reset_is_believed_for_one_window_at_most(
    httpserver: HTTPServer, reset: str
) -> None:
    """A 429 without Retry-After whose `X-RateLimit-Reset` is a Unix time in milliseconds (a
    gateway's) or an hour: the wait it asks is capped at the spec's longest window (60 s), not
    31,000 years (or an hour) of every call on the bucket raising."""
    arrivals = _serve(httpserver, lambda n: _status(429, **{"X-RateLimit-Reset": reset}))
    window = max(op.rate_limit.window_seconds for op in _spec.operations().values())

    async def main() -> list[float | None]:
        async with _client(httpserver, max_retries=0, max_retry_wait=5) as client:
            return [await refused(client) for _ in range(2)]

    first, second = anyio.run(main)
    assert first == window
    assert second is not None
    assert 0 < second <= window  # the next call raises with the time left, nothing sent
    assert len(arrivals) == 1


LIMITS = RateLimits({"usage": BucketLimit(5, 1.0)})


@pytest.mark.parametrize("reset", ["unix-time", "3600"])
def test_a_reset_beyond_the_window_does_not_wedge_the_budget(
    httpserver: HTTPServer, reset: str
) -> None:
    """`X-RateLimit-Reset` as a Unix time (gateways do that) or far beyond the window is believed
    for at most one window: once it is over, a full batch of 5 leaves again at once."""

    def answer(n: int) -> Response:
        if n:
            return _ok()
        value = str(int(time.time()) + 1) if reset == "unix-time" else reset
        limits = {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0"}
        return _ok(**limits, **{"X-RateLimit-Reset": value})

    arrivals = _serve(httpserver, answer)

    async def main() -> None:
        async with _client(httpserver, pacing=LIMITS) as client:
            with anyio.fail_after(30):
                for _ in range(6):
                    await client.usage.get_breakdown()

    anyio.run(main)  # within 30 s: before, the budget was wedged for 61 s
    assert len(arrivals) == 6
    # Never more than the limit; how close together the five leave depends on the machine's load
    assert max_in_window(arrivals[1:], 1.0) <= 5


def test_a_slow_server_in_process_paces_like_redis(
    scopix_sandbox_factory: Callable[..., Sandbox], redis_server: RedisServer
) -> None:
    """Answers 0.5 s late: the in-process limiter counts a request from its departure, as the
    Redis limiter does, so 15 calls at 5 per second take as long with either, with no 429."""
    sandbox = scopix_sandbox_factory(
        window_seconds=1.0, limits={"usage": 5, "check": 10}, faults={"latency_ms": 500}
    )

    async def run(over_redis: bool) -> float:
        client = redis.asyncio.from_url(redis_server.url, socket_timeout=2.0)
        pacing = AsyncRedisLimiter(client, limits=LIMITS) if over_redis else AsyncLimiter(LIMITS)
        async with Scopix(api_key=sandbox.api_key, base_url=sandbox.base_url, pacing=pacing) as c:
            start = time.monotonic()
            async with anyio.create_task_group() as tg:
                for _ in range(15):
                    tg.start_soon(c.usage.get_breakdown)
            elapsed = time.monotonic() - start
        await client.aclose()
        return elapsed

    in_process = anyio.run(run, False)
    assert sandbox.stats()["by_status"] == {"200": 15}  # no 429
    sandbox.reset()  # empty windows: the next run starts as this one did
    over_redis = anyio.run(run, True)
    assert sandbox.stats()["by_status"] == {"200": 15}
    assert in_process / over_redis < 1.15  # was 1.3: each slot held for the answer's 0.5 s
