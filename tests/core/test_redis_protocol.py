"""The Redis limiter's protocol, called directly: key names, argument vectors, reply decoding,
clamps and the decisions after a reply, a wake, an error and a response. No Redis here: the
scripts themselves run in tests/pacing (the model check and the real topologies)."""

from __future__ import annotations

import logging

import pytest
import redis.asyncio.cluster
import redis.exceptions
import redis.sentinel
from redis.crc import key_slot

from scopix import _redis_protocol as protocol
from scopix._ratelimit import (
    BucketLimit,
    ClockOffset,
    RateLimits,
    WaitTooLong,
    block_seconds,
    pacing_window,
)
from scopix.pacing import RedisPacingError, SyncRedisLimiter

US = protocol.US
KEYS = protocol.bucket_keys("scopix:pacing", "abc123", "usage")
PLAN = protocol.plan(KEYS, BucketLimit(10, 60.0), 0.05, 10.0)
NOW = 1_700_000_000_000_000  # us on the server's clock


def booking(max_wait: float = float("inf")) -> protocol.Booking:
    return protocol.Booking(PLAN, "id1", "peer1", max_wait, ClockOffset())


def reply(instant: int, status: int, member: str = "", peers: int = 0) -> list[object]:
    return [instant, NOW, status, peers, member.encode()]


def test_keys_of_a_bucket_share_one_cluster_slot_and_not_the_api_key() -> None:
    assert len({key_slot(k.encode()) for k in KEYS}) == 1
    names = ["sent", "queue", "blocked", "peers", "lagged", "learned"]
    assert [k.rsplit(":", 1)[1] for k in KEYS] == names
    other = protocol.bucket_keys("scopix:pacing", "abc123", "check")
    assert key_slot(other[0].encode()) != key_slot(KEYS[0].encode())  # buckets spread out


def test_a_plan_is_the_paced_window_in_us_and_even_is_one_per_spacing() -> None:
    # a window shape keeps the paced window: each departure holds its own send margin besides
    # (Booking's margin)
    assert (PLAN.limit, PLAN.window_us) == (10, int(pacing_window(60.0) * US))
    window = pacing_window(60.0) + 0.05
    assert PLAN.horizon_us == int(window * 10 * US)
    assert PLAN.lag_cap_us == int((window - 60.0) * US)  # 2 % + latency_margin: 1.25 s
    even = protocol.plan(KEYS, BucketLimit(10, 4.0, shape="even"), 0.05, 10.0)
    assert even.limit == 1
    assert even.window_us == int((pacing_window(4.0) + 0.05) / 10 * US)
    assert even.reset_us == int((pacing_window(4.0) + 0.05) * US)  # a reset: a whole window


def test_a_booking_that_may_go_at_once_needs_one_script() -> None:
    b = booking()
    step = b.start()
    assert step == protocol.Run(
        "reserve", KEYS, (10, PLAN.window_us, PLAN.horizon_us, "id1", -1, "peer1", 50_000)
    )  # no margin learned: latency_margin
    go = b.answer(reply(NOW, protocol.GO, f"{NOW}:id1", peers=3), 100.0, 100.001)
    assert go == protocol.Go(NOW / US, f"{NOW}:id1", 0.05)
    assert b.peers == 3
    assert b.give_back() is None  # it left: nothing to give back


def test_a_place_in_line_is_confirmed_on_waking_and_kept_when_told_to_wait() -> None:
    b = booking()
    b.start()
    member = f"{NOW + 5 * US}:id1"
    # sent at local 100.000, back at 100.002: the server's NOW is local 100.001
    sleep = b.answer(reply(NOW + 5 * US, protocol.WAIT, member), 100.0, 100.002)
    assert isinstance(sleep, protocol.Sleep)
    # never before the server's clock surely got there: + half the round trip
    assert sleep.until == pytest.approx(105.001 + 0.001)
    confirm = b.woke()
    assert confirm == protocol.Run(
        "confirm", KEYS, (10, PLAN.window_us, PLAN.horizon_us, member, -1, 50_000)
    )
    again = b.answer(reply(NOW + 6 * US, protocol.WAIT, member), 100.0, 100.002)
    assert isinstance(again, protocol.Sleep)
    assert b.woke() == confirm  # the same place, never a new booking behind everyone
    assert b.give_back() == protocol.Run(
        "cancel", KEYS, (PLAN.window_us, PLAN.horizon_us, member, "")
    )
    assert b.give_back() is None


def test_giving_up_while_a_reply_is_on_its_way_frees_the_place_by_its_id() -> None:
    """Cancelled during the round trip of RESERVE, the caller does not know its member (nor
    whether it was stamped to leave): the place and the departure are found by its id."""
    b = booking()
    b.start()
    assert b.give_back() == protocol.Run(
        "cancel", KEYS, (PLAN.window_us, PLAN.horizon_us, "", "id1")
    )
    assert b.give_back() is None
    b = booking()
    b.start()
    member = f"{NOW + 5 * US}:id1"
    b.answer(reply(NOW + 5 * US, protocol.WAIT, member), 0.0, 0.0)
    assert b.give_back() == protocol.Run(  # asleep: its member is known
        "cancel", KEYS, (PLAN.window_us, PLAN.horizon_us, member, "")
    )
    b = booking()
    b.start()
    b.answer(reply(NOW + PLAN.horizon_us + 3 * US, protocol.TOO_FAR), 0.0, 0.0)
    assert b.give_back() is None  # asleep with nothing booked
    b.woke()
    assert b.give_back() == protocol.Run(  # asking again: maybe booked
        "cancel", KEYS, (PLAN.window_us, PLAN.horizon_us, "", "id1")
    )


def test_a_line_beyond_the_horizon_books_nothing_and_asks_again_later() -> None:
    b = booking()
    first = b.start()
    sleep = b.answer(reply(NOW + PLAN.horizon_us + 3 * US, protocol.TOO_FAR), 0.0, 0.0)
    assert isinstance(sleep, protocol.Sleep)
    assert sleep.until == pytest.approx(3.0)  # the server's NOW is local 0 here
    assert b.give_back() is None  # asleep, nothing booked: nothing to give back
    assert b.woke() == first


def test_a_block_longer_than_the_caller_may_wait_raises_with_the_time_left() -> None:
    b = booking(max_wait=5.0)
    assert b.start().args[4] == 5 * US
    with pytest.raises(WaitTooLong) as caught:
        b.answer(reply(NOW + 9 * US, protocol.BLOCKED), 0.0, 0.0)
    assert caught.value.seconds == 9.0
    assert b.give_back() is None  # the script gave the place up


@pytest.mark.parametrize("raw", [None, [1, 2, 3], [1, 2, 9, 0, b"m"], ["x", 2, 0, 0, b"m"], b"OK"])
def test_a_reply_that_is_not_the_scripts_is_refused_loudly(raw: object) -> None:
    with pytest.raises(RedisPacingError, match="unexpected"):
        protocol.decode(raw)


def test_headers_lower_the_budget_until_a_reset_of_one_window_at_most() -> None:
    step = protocol.learn(PLAN, 3, 1e9, None, "p")
    assert step is not None
    assert step.script == "learn"
    limit, window, remaining, reset, block, prefix, horizon, *lag = step.args
    assert (limit, window, remaining, block, prefix) == (10, PLAN.window_us, 3, 0, "p")
    assert reset == PLAN.reset_us  # a Unix time or a reset in ms: believed for one window
    assert horizon == PLAN.horizon_us
    # age, the server's window, the lag's cap, no limit stated
    assert lag == [0, 60 * US, PLAN.lag_cap_us, -1]
    assert protocol.learn(PLAN, None, None, None, "p") is None  # nothing to learn
    assert protocol.learn(PLAN, 3, None, None, "p") is None  # a Remaining without its reset


def test_a_response_tells_the_scripts_how_long_ago_it_came_in() -> None:
    step = protocol.learn(PLAN, 0, 1.5, None, "p", age=0.25)
    assert step is not None
    assert step.args[7:] == (250_000, 60 * US, PLAN.lag_cap_us, -1)
    stated = protocol.learn(PLAN, None, None, None, "p", stated=4)  # lower: shared
    assert stated is not None
    assert stated.args[-1] == 4
    step = protocol.learn(PLAN, 0, 1.5, None, "p", age=1e9)  # never more than one window
    assert step is not None
    assert step.args[7] == PLAN.reset_us


def test_a_send_within_the_latency_margin_of_its_go_ahead_keeps_its_stamp() -> None:
    # the window the scripts keep covers a send up to the margin after the stamp: no DEPART
    assert not protocol.departs_late(10.0, 10.04, 0.05)
    assert protocol.departs_late(10.0, 10.06, 0.05)  # a process busy in between
    assert protocol.departs_late(None, 10.0, 0.05)  # no go-ahead time known


def test_a_429_blocks_for_its_wait_clamped_to_the_horizon() -> None:
    step = protocol.learn(PLAN, None, None, 3600.0, "p")
    assert step is not None
    assert step.args[2:5] == (-1, 0, PLAN.horizon_us)
    assert block_seconds(429, 2.5, 60.0) == 2.5
    # a 429 saying nothing waits until the configured window frees: a gateway that counts
    # denied requests must not see the retry early
    assert block_seconds(429, None, 60.0) == 60.0
    assert block_seconds(503, None, 60.0) is None


def test_an_even_bucket_learns_none_left_as_a_block_until_the_reset() -> None:
    even = protocol.plan(KEYS, BucketLimit(10, 4.0, shape="even"), 0.05, 10.0)
    step = protocol.learn(even, 0, 2.0, None, "p")
    assert step is not None
    assert step.args[2:5] == (-1, 0, 2 * US)
    assert protocol.learn(even, 4, 2.0, None, "p") is None  # some left: nothing to lower


def test_redis_errors_are_told_apart() -> None:
    e = redis.exceptions
    assert protocol.failure(e.ConnectionError("Too many connections")) == "pool"
    assert protocol.failure(e.MaxConnectionsError("pool")) == "pool"
    for down in (
        e.ConnectionError("refused"),
        e.TimeoutError("Timeout reading from socket"),
        ConnectionResetError(),
        e.BusyLoadingError("LOADING"),
        e.ClusterDownError("CLUSTERDOWN"),
        e.TryAgainError("TRYAGAIN"),
        e.ClusterError("TTL exhausted."),
        redis.sentinel.MasterNotFoundError("No master found for 'mymaster'"),
        # no node of a cluster answers (redis-py 6+; 5.x raises its base class with this text)
        e.RedisClusterUnreachableError("Redis Cluster cannot be connected. Please provide ..."),
        e.RedisClusterException("Redis Cluster cannot be connected. Please provide ..."),
        e.RedisClusterException("All slots are not covered after query all startup_nodes."),
    ):
        assert protocol.failure(down) == "down", down
    with pytest.raises(RedisPacingError):  # any other cluster error is not an outage
        protocol.failure(e.RedisClusterException("Invalid args in command: ['EVALSHA']"))


@pytest.mark.parametrize(
    ("exc", "hint"),
    [
        (redis.exceptions.ResponseError("CROSSSLOT Keys in request don't hash"), "slots"),
        (redis.exceptions.NoScriptError("No matching script. Please use EVAL."), "scripts"),
        (
            redis.exceptions.ReadOnlyError("You can't write against a read only replica."),
            "master_for",
        ),
        (redis.exceptions.AuthenticationError("invalid password"), "invalid password"),
        (redis.exceptions.ResponseError("ERR unknown command 'EVALSHA'"), "Lua"),
    ],
)
def test_a_client_that_cannot_run_the_scripts_raises_with_the_cause(
    exc: Exception, hint: str
) -> None:
    with pytest.raises(RedisPacingError, match="cannot run the pacing scripts") as caught:
        protocol.failure(exc)
    assert hint in str(caught.value)
    assert caught.value.__cause__ is exc


def test_a_bug_is_not_a_redis_error() -> None:
    errors = protocol.redis_errors()
    assert not isinstance(KeyError("x"), errors)
    assert not isinstance(TypeError("x"), errors)
    assert isinstance(redis.exceptions.ResponseError("x"), errors)


def test_a_pool_wait_doubles_and_gives_up() -> None:
    wait = protocol.PoolWait(now=0.0, patience=1.0)
    assert [wait.next_delay(0.5) for _ in range(7)] == [
        0.002,
        0.004,
        0.008,
        0.016,
        0.032,
        0.05,
        0.05,
    ]
    assert wait.next_delay(1.01) is None


def test_an_outage_is_told_once_and_redis_tried_again_later() -> None:
    health = protocol.RedisHealth(retry_after=5.0)
    assert health.usable(0.0)
    assert health.failed(0.0)  # starts an outage: warn
    assert not health.usable(4.9)
    assert not health.failed(4.0)  # the same outage
    assert health.usable(9.0)
    assert not health.failed(9.0)  # tried again and still down: the same outage, no new warning
    assert not health.usable(13.9)
    assert health.usable(14.0)
    assert health.answered()  # back: pace at the whole budget again
    assert not health.answered()
    assert health.failed(20.0)  # a new outage: warn again


@pytest.mark.parametrize(
    ("client", "warned"),
    [
        (redis.Redis(socket_timeout=None), True),
        (redis.from_url("redis://127.0.0.1:1"), True),  # redis-py 8: no default from a URL
        (redis.Redis(socket_timeout=2.0), False),
        (redis.sentinel.Sentinel([("127.0.0.1", 1)]).master_for("m"), True),
        (redis.sentinel.Sentinel([("127.0.0.1", 1)]).master_for("m", socket_timeout=1), False),
        (redis.asyncio.Redis(socket_timeout=1.0), False),
        (redis.asyncio.cluster.RedisCluster("127.0.0.1", 1), False),  # its default: 5 s
        (redis.asyncio.cluster.RedisCluster("127.0.0.1", 1, socket_timeout=None), True),
    ],
)
def test_a_client_without_a_socket_timeout_is_warned_about(client: object, warned: bool) -> None:
    assert (protocol.timeout_warning(client) is not None) is warned


def test_the_limiter_warns_only_when_the_client_has_no_timeout(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="scopix"):
        SyncRedisLimiter(redis.Redis(socket_timeout=1.0))
        assert "socket_timeout" not in caplog.text
        SyncRedisLimiter(redis.Redis(socket_timeout=None))
        assert "no socket_timeout" in caplog.text


def test_a_clock_mapping_never_wakes_before_the_server_got_there() -> None:
    clocks = ClockOffset()
    # the server's NOW was read somewhere within the round trip 10.0 .. 10.004
    at = clocks.not_before(NOW + US, NOW, 10.0, 10.004)
    assert at == pytest.approx(11.002 + 0.002)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": 0, "window": 1.0}, "limit=.*must be an int >= 1"),
        ({"limit": 1.5, "window": 1.0}, "limit=.*must be an int >= 1"),
        ({"limit": 1, "window": 0}, "window=.*seconds > 0"),
        ({"limit": 1, "window": float("inf")}, "window=.*seconds > 0"),
        ({"limit": 1, "window": 1.0, "shape": "gcra"}, "shape=.*one of 'window', 'even'"),
    ],
)
def test_bad_bucket_limits_are_refused_naming_the_parameter(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        BucketLimit(**kwargs)  # type: ignore[arg-type]


def test_rate_limits_keep_the_shape() -> None:
    limits = RateLimits({"usage": BucketLimit(10, 4.0, shape="even")})
    assert limits.buckets["usage"].shape == "even"
