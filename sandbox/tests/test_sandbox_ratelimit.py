"""The sliding-window limiter: exact unit tests on a fake clock, then over HTTP."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from scopix_sandbox.ratelimit import SlidingWindowLimiter
from scopix_sandbox.server import Sandbox, start
from scopix_sandbox.spec import load_spec

SPEC = load_spec()
USAGE = SPEC.operations["get_summary"].rate_limit
CHECK = SPEC.operations["check"].rate_limit


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def limiter(limit: int = 3, window: float = 1.0) -> tuple[SlidingWindowLimiter, FakeClock]:
    clock = FakeClock()
    return SlidingWindowLimiter({"b": limit}, {"b": window}, clock=clock), clock


def test_spec_limits_are_the_documented_ones() -> None:
    assert (USAGE.limit, USAGE.window_seconds) == (30, 60)
    assert (CHECK.limit, CHECK.window_seconds) == (60, 60)
    assert USAGE.bucket != CHECK.bucket


def test_n_pass_then_refused_until_the_oldest_ages_out() -> None:
    lim, clock = limiter(3, 1.0)
    got = [lim.acquire("k", "b") for _ in range(3)]
    assert [d.allowed for d in got] == [True, True, True]
    assert [d.remaining for d in got] == [2, 1, 0]
    assert [d.reset for d in got] == [0.0, 0.0, 1.0]
    clock.t += 0.25
    refused = lim.acquire("k", "b")
    assert not refused.allowed
    assert refused.remaining == 0
    assert refused.reset == pytest.approx(0.75)
    assert refused.retry_after == 1
    clock.t = 1000.0 + 1.0 - 1e-6
    assert not lim.acquire("k", "b").allowed
    clock.t = 1001.0  # exactly one window after the burst: all three slots are free
    assert all(lim.acquire("k", "b").allowed for _ in range(3))
    assert not lim.acquire("k", "b").allowed


def test_refusals_take_no_slot() -> None:
    lim, clock = limiter(2, 10.0)
    lim.acquire("k", "b")
    lim.acquire("k", "b")
    for _ in range(50):
        clock.t += 0.1
        assert not lim.acquire("k", "b").allowed
    clock.t = 1010.0
    assert lim.acquire("k", "b").allowed
    assert lim.acquire("k", "b").allowed


def test_sliding_not_fixed_window() -> None:
    lim, clock = limiter(3, 1.0)
    clock.t = 1000.9
    for _ in range(3):
        assert lim.acquire("k", "b").allowed
    clock.t = 1001.1  # a fixed one-second window would have reset at 1001.0
    d = lim.acquire("k", "b")
    assert not d.allowed
    assert d.reset == pytest.approx(0.8)
    clock.t = 1001.9
    assert lim.acquire("k", "b").allowed


def test_staggered_requests_free_one_slot_at_a_time() -> None:
    lim, clock = limiter(3, 1.0)
    for step in (0.0, 0.3, 0.6):
        clock.t = 1000.0 + step
        assert lim.acquire("k", "b").allowed
    clock.t = 1000.7
    assert lim.acquire("k", "b").reset == pytest.approx(0.3)
    clock.t = 1001.0
    assert lim.acquire("k", "b").allowed
    d = lim.acquire("k", "b")
    assert not d.allowed
    assert d.reset == pytest.approx(0.3)


def test_keys_and_buckets_are_separate_and_peek_takes_nothing() -> None:
    clock = FakeClock()
    lim = SlidingWindowLimiter({"a": 1, "b": 1}, {"a": 1.0, "b": 1.0}, clock=clock)
    assert lim.acquire("k1", "a").allowed
    assert lim.acquire("k2", "a").allowed
    assert lim.acquire("k1", "b").allowed
    assert not lim.acquire("k1", "a").allowed
    for _ in range(5):
        assert lim.peek("k3", "a").remaining == 1
    assert lim.acquire("k3", "a").allowed


def test_disabled_and_reset() -> None:
    lim, _ = limiter(1, 60.0)
    lim.acquire("k", "b")
    assert not lim.acquire("k", "b").allowed
    lim.reset()
    assert lim.acquire("k", "b").allowed
    lim.enabled = False
    assert all(lim.acquire("k", "b").allowed for _ in range(10))


# -- over HTTP ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def one_second() -> Iterator[Sandbox]:
    """The spec's limits over a one-second window (`--window 1`)."""
    sb = start(events=300, window_seconds=1.0, record_requests=False, validate_responses=True)
    try:
        yield sb
    finally:
        sb.stop()


def _headers(r: httpx.Response) -> tuple[int, int, float]:
    return (
        int(r.headers["X-RateLimit-Limit"]),
        int(r.headers["X-RateLimit-Remaining"]),
        float(r.headers["X-RateLimit-Reset"]),
    )


def test_window_over_http(
    scopix_sandbox_factory: Callable[..., Sandbox], make_client: Callable[..., httpx.Client]
) -> None:
    # A window far longer than the burst takes, however busy the machine: every count is exact.
    sb = scopix_sandbox_factory(events=300, window_seconds=60.0)
    c = make_client(sb)
    path = SPEC.operations["get_breakdown"].path
    for i in range(USAGE.limit):
        r = c.get(path)
        assert r.status_code == 200, r.text
        limit, remaining, reset = _headers(r)
        assert (limit, remaining) == (USAGE.limit, USAGE.limit - i - 1)
        assert reset == 0 or remaining == 0
    r = c.get(path)
    assert r.status_code == 429
    limit, remaining, reset = _headers(r)
    assert (limit, remaining) == (USAGE.limit, 0)
    assert 0 < reset <= 60.0
    assert r.headers["Retry-After"] == str(math.ceil(reset))
    body = r.json()
    assert body["code"] == "rate_limited"
    assert body["request_id"] == r.headers["X-Request-Id"]
    # Other buckets and other keys have their own windows.
    assert c.get(SPEC.operations["check"].path).status_code == 200
    other = make_client(sb, sb.api_keys["key_02"])
    assert other.get(path).status_code == 200
    assert sb.stats()["rate_limited"] == 1

    # More 429s take no slot: once the `reset` they report has passed, the next one goes through.
    sb.configure(limits={"usage": 1}, window_seconds=3.0)  # windows start empty again
    assert c.get(path).status_code == 200
    assert [c.get(path).status_code for _ in range(5)] == [429] * 5
    time.sleep(float(c.get(path).headers["X-RateLimit-Reset"]) + 0.01)
    assert c.get(path).status_code == 200
    assert sb.stats()["rate_limited"] == 7


def test_limit_overrides_and_runtime_config(
    scopix_sandbox_factory: Callable[..., Sandbox], make_client: Callable[..., httpx.Client]
) -> None:
    sb = scopix_sandbox_factory(events=300, window_seconds=1.0, limits={"usage": 3, "check": 5})
    c = make_client(sb)
    usage, check = SPEC.operations["get_plan"].path, SPEC.operations["check"].path
    assert [c.get(usage).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert [c.get(check).status_code for _ in range(6)] == [200] * 5 + [429]
    assert c.get(usage).headers["X-RateLimit-Limit"] == "3"
    sb.configure(rate_limit=False)
    assert all(c.get(usage).status_code == 200 for _ in range(5))
    assert c.get(usage).headers["X-RateLimit-Remaining"] == "3"
    sb.configure(rate_limit=True, limits={"usage": 1}, window_seconds=30)
    assert [c.get(usage).status_code for _ in range(2)] == [200, 429]
    assert c.get(usage).headers["Retry-After"] == "30"
    summary = c.get(SPEC.operations["get_summary"].path)
    assert summary.status_code == 429
    sb.reset()
    assert c.get(SPEC.operations["get_summary"].path).json()["limits"]["requests_per_minute"] == 2


def test_rate_limit_headers_on_every_kind_of_response(
    one_second: Sandbox, make_client: Callable[..., httpx.Client]
) -> None:
    one_second.reset()
    c = make_client(one_second)
    path = SPEC.operations["get_details"].path
    responses = [
        c.get(path),
        c.get(path, params={"limit": 0}),
        c.get(path, params={"bogus": 1}),
        c.get(path, params={"api_key_id": "key_04"}),
        httpx.get(one_second.base_url + path),
        c.get("/v1/nothing"),
    ]
    assert [r.status_code for r in responses] == [200, 422, 400, 403, 401, 404]
    for r in responses:
        assert r.headers["X-Request-Id"].startswith("req_")
        _headers(r)
    # 400/422/403 count against the window like any served request; 401 does not.
    assert int(responses[3].headers["X-RateLimit-Remaining"]) == USAGE.limit - 4
