"""A server that counts a burst later than it left (busy or descheduled when it arrived) says so
in the reset it sends once nothing remains; the fleet's next burst must then wait for it, not
reach the server that lag too early (the 429s of a loaded machine). On a real redis-server,
with the shipped scripts, timed by the Redis server's own clock."""

from __future__ import annotations

import uuid
from typing import Any

import redis

from scopix import _redis_protocol as protocol
from scopix._ratelimit import BucketLimit
from scopix._redis_scripts import LEARN, RESERVE
from tests.redis_server import RedisServer

US = protocol.US
N, WINDOW = 5, 6.0


def _fleet(redis_server: RedisServer) -> tuple[Any, protocol.Plan, dict[str, Any]]:
    client = redis.Redis.from_url(redis_server.url, socket_timeout=2)
    keys = protocol.bucket_keys(f"lag:{uuid.uuid4().hex[:8]}", "digest", "usage")
    plan = protocol.plan(keys, BucketLimit(N, WINDOW), 0.05, 10.0)
    scripts = {"reserve": client.register_script(RESERVE), "learn": client.register_script(LEARN)}
    return client, plan, scripts


def _reserve(plan: protocol.Plan, scripts: dict[str, Any]) -> protocol.Reply:
    """Booked as a process that has learned no send delay yet: its departures hold the
    latency margin (0.05 s) for the trip from the go-ahead to the send."""
    ident, margin = uuid.uuid4().hex, plan.latency_margin_us
    args = (plan.limit, plan.window_us, plan.horizon_us, ident, -1, "peer", margin)
    return protocol.decode(scripts["reserve"](keys=plan.keys, args=args))


def _redis_now(client: Any) -> int:
    seconds, micros = client.time()
    return int(seconds) * US + int(micros)


def _burst_then_told(
    redis_server: RedisServer, lag: float, told: int = 1
) -> tuple[int, int, protocol.Plan]:
    """A burst of N leaves; the server's answers (`told` of them) say its oldest frees `lag` s
    later than the oldest departure's stamp plus its window. Returns (oldest stamp, the next
    one's planned instant, plan), us on the Redis clock."""
    client, plan, scripts = _fleet(redis_server)
    burst = [_reserve(plan, scripts) for _ in range(N)]
    assert all(r.status == protocol.GO for r in burst)
    oldest = min(r.now for r in burst)
    counted = oldest + int(lag * US)
    # the server answers once it has counted: its answer comes after the lag, on Redis's clock
    while _redis_now(client) < counted:
        pass
    frees = counted + plan.server_window_us
    for _ in range(told):
        step = protocol.learn(plan, 0, (frees - _redis_now(client)) / US, None, "lesson")
        assert step is not None
        scripts["learn"](keys=step.keys, args=step.args)
    after = _reserve(plan, scripts)
    assert after.status == protocol.WAIT
    client.close()
    return oldest, after.instant, plan


def test_a_burst_counted_late_delays_the_next_burst_by_that_lag(redis_server: RedisServer) -> None:
    oldest, planned, plan = _burst_then_told(redis_server, lag=0.2)
    # the server frees its oldest at oldest + 0.2 s + its window; the next leaves no sooner,
    # with the pacing margin on top (the departure held 0.05 s for the trip to the send, which
    # the lag measured includes); without the lesson it would leave 0.15 s too early
    counted = oldest + int(0.2 * US)
    assert counted + plan.window_us <= planned <= counted + plan.window_us + 20_000


def test_a_lag_moves_a_departure_once_by_one_margin_at_most(redis_server: RedisServer) -> None:
    """A server that answers 1 s late after counting sends resets 1 s old: they look like a
    count 1 s late. Told so by every answer, the departures move once, by the lag's cap (2 % of
    the window + latency_margin): a slow answer costs that once, never the answer's time."""
    oldest, planned, plan = _burst_then_told(redis_server, lag=1.0, told=N)
    held = oldest + plan.latency_margin_us  # the departure with its send margin
    assert planned == held + plan.lag_cap_us + plan.window_us


def test_a_burst_counted_on_time_keeps_its_stamps(redis_server: RedisServer) -> None:
    oldest, planned, plan = _burst_then_told(redis_server, lag=0.04)  # within the send margin
    assert planned == oldest + plan.latency_margin_us + plan.window_us
