"""Each departure holds the send margin its process learned (how long after asking for its
go-ahead it sends), not a fixed guess: the window the fleet keeps is the paced one (the
server's + 2 %), and a later grant respects an earlier sender's margin."""

from __future__ import annotations

import uuid

import pytest
import redis

from scopix import _redis_protocol as protocol
from scopix._ratelimit import BucketLimit, ClockOffset
from scopix._redis_scripts import RESERVE
from tests.redis_server import RedisServer

US = protocol.US


def test_a_process_starts_low_and_learns_from_its_first_send() -> None:
    """Not the ceiling until measured: a burst booked at start-up holds its first margin in
    every window it spans (60 coroutines over 5 windows of 2 s: 1.05x at 50 ms, 1.03x at 10)."""
    delay = protocol.SendDelay(0.05)
    assert delay.margin() == protocol.SendDelay.START == 0.010
    delay.observe(0.024)
    assert delay.margin() == pytest.approx(0.030)  # the longest, plus a quarter
    assert protocol.SendDelay(0.003).margin() == 0.003  # never above the ceiling


def test_a_slow_send_raises_the_margin_until_it_is_out_of_the_recent_sends() -> None:
    delay = protocol.SendDelay(0.05)
    for _ in range(protocol.SendDelay.SAMPLES):
        delay.observe(0.0)
    assert delay.margin() == protocol.SendDelay.FLOOR  # never below the floor
    delay.observe(0.3)  # a busy event loop: bounded by the ceiling
    assert delay.margin() == 0.05
    for _ in range(protocol.SendDelay.SAMPLES - 1):
        delay.observe(0.02)
        assert delay.margin() == 0.05
    delay.observe(0.02)
    assert delay.margin() == pytest.approx(0.025)


def test_a_booking_s_margin_is_bounded_by_the_latency_margin() -> None:
    keys = protocol.bucket_keys("p", "d", "usage")
    plan = protocol.plan(keys, BucketLimit(2, 10.0), 0.05, 10.0)
    for given, held in ((None, 50_000), (0.02, 20_000), (3.0, 50_000), (-1.0, 0)):
        booking = protocol.Booking(plan, "id", "peer", float("inf"), ClockOffset(), given)
        assert booking.start().args[-1] == held
    even = protocol.plan(keys, BucketLimit(2, 10.0, shape="even"), 0.05, 10.0)
    booking = protocol.Booking(even, "id", "peer", float("inf"), ClockOffset(), 0.02)
    assert booking.start().args[-1] == 0  # an even window already holds latency_margin


def test_a_later_grant_respects_an_earlier_sender_s_margin(redis_server: RedisServer) -> None:
    """A slow process (its margin the ceiling, 50 ms) and a fast one (5 ms) share one per
    10 s: the fast one's turn comes a window after the slow one's send could have left, not
    after its stamp; the fast one's own departure holds only its 5 ms."""
    client = redis.Redis.from_url(redis_server.url, socket_timeout=2)
    reserve = client.register_script(RESERVE)
    keys = protocol.bucket_keys(f"margin:{uuid.uuid4().hex[:8]}", "digest", "usage")
    plan = protocol.plan(keys, BucketLimit(1, 10.0), 0.05, 10.0)

    def book(margin: float) -> protocol.Reply:
        booking = protocol.Booking(
            plan, uuid.uuid4().hex, "peer", float("inf"), ClockOffset(), margin
        )
        return protocol.decode(reserve(keys=plan.keys, args=booking.start().args))

    try:
        slow = book(0.05)
        assert slow.status == protocol.GO
        fast = book(protocol.SendDelay.FLOOR)
        assert fast.status == protocol.WAIT
        assert fast.instant == slow.now + 50_000 + plan.window_us
        held = client.zscore(plan.keys[1], fast.member)  # its place, with its own margin
        assert held == fast.instant + protocol.SendDelay.FLOOR * US
    finally:
        client.close()
