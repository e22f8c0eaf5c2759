"""The pacing core: exact sliding-window accounting and fair queues, on a fake clock."""

from __future__ import annotations

import math

import pytest

from scopix._ratelimit import BucketLimit, Pacer, RateLimits, WindowLog, pacing_window


def test_limits_come_from_the_spec() -> None:
    limits = RateLimits.from_spec()
    assert limits.buckets == {"check": BucketLimit(60, 60.0), "usage": BucketLimit(30, 60.0)}
    scaled = RateLimits.from_spec(window=1.0)
    assert scaled.buckets["usage"] == BucketLimit(30, 1.0)


def test_a_batch_of_n_goes_at_once_then_one_per_expiry() -> None:
    log = WindowLog(3, 10.0)
    w = pacing_window(10.0)
    for t in (0.0, 0.0, 1.0):
        assert log.earliest(t) == t
        log.record(t)
    assert log.earliest(2.0) == w  # the first send expires
    log.record(w)
    assert log.earliest(w) == w  # the second of the batch expired at the same time
    log.record(w)
    assert log.earliest(w) == 1.0 + w


def test_never_more_than_n_in_any_window() -> None:
    log = WindowLog(5, 1.0)
    sends: list[float] = []
    now = 0.0
    for _ in range(200):
        now = log.earliest(now)
        log.record(now)
        sends.append(now)
        now += 0.013
    window = pacing_window(1.0)
    for i, t in enumerate(sends):
        assert sum(1 for s in sends[i:] if s < t + window) <= 5


def test_server_headers_only_lower_the_budget_until_the_reset() -> None:
    log = WindowLog(10, 60.0)
    log.record(0.0)
    log.observe(remaining=20, reset=0.0, now=0.0)  # more than we think: ignored
    assert log.remaining(0.0) == 9
    log.observe(remaining=2, reset=5.0, now=1.0)  # fewer: believed until the reset
    assert log.remaining(1.0) == 2
    assert log.remaining(6.0 + 1e-9) == 9


def test_a_429_blocks_the_bucket() -> None:
    log = WindowLog(10, 60.0)
    log.block_until(12.0)
    assert log.earliest(1.0) == 12.0
    assert log.earliest(13.0) == 13.0


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="limit"):
        WindowLog(0, 1.0)


def test_fifo_and_cancellation_leaves_no_hole() -> None:
    pacer: Pacer[str] = Pacer(RateLimits({"usage": BucketLimit(1, 10.0)}))
    a, b, c = (pacer.join("usage", name) for name in "abc")
    assert pacer.poll(a, 0.0) is None  # sends
    assert pacer.poll(c, 0.0) == math.inf  # not head: waits its turn
    delay = pacer.poll(b, 0.0)
    assert delay == pytest.approx(pacing_window(10.0))
    pacer.leave(b)  # b gives up while waiting
    assert pacer.head("usage") is c
    assert pacer.poll(c, pacing_window(10.0)) is None  # c takes the slot b would have had


def test_disabled_paces_nothing() -> None:
    pacer: Pacer[str] = Pacer(RateLimits.disabled())
    assert not pacer.paces("usage")
