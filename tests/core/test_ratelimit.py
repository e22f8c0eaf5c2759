"""The pacing core: exact sliding-window accounting and fair queues, on a fake clock."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scopix._ratelimit import BucketLimit, Pacer, RateLimits, WindowLog, pacing_window


def test_limits_come_from_the_spec() -> None:
    limits = RateLimits.from_spec()
    assert limits.buckets == {"check": BucketLimit(60, 60.0), "usage": BucketLimit(30, 60.0)}
    scaled = RateLimits.from_spec(window=1.0)
    assert scaled.buckets["usage"] == BucketLimit(30, 1.0)


def _send(log: WindowLog, at: float) -> None:
    log.start()
    log.finish(at)


def test_a_batch_of_n_goes_at_once_then_one_per_expiry() -> None:
    log = WindowLog(3, 10.0)
    w = pacing_window(10.0)
    for t in (0.0, 0.0, 1.0):
        assert log.earliest(t) == t
        _send(log, t)
    assert log.earliest(2.0) == w  # the first send expires
    _send(log, w)
    assert log.earliest(w) == w  # the second of the batch expired at the same time
    _send(log, w)
    assert log.earliest(w) == 1.0 + w


def test_requests_count_until_they_finish_and_from_when_they_finish() -> None:
    log = WindowLog(2, 10.0)
    w = pacing_window(10.0)
    log.start()
    log.start()
    assert log.earliest(100.0) == math.inf  # both still in flight: nothing expires
    log.finish(3.0)  # a slow sender: stamped when it finished, not when it was granted
    assert log.earliest(4.0) == 3.0 + w
    log.finish(5.0)
    assert log.earliest(3.0 + w) == 3.0 + w


def test_never_more_than_n_in_any_window() -> None:
    log = WindowLog(5, 1.0)
    sends: list[float] = []
    now = 0.0
    for _ in range(200):
        now = log.earliest(now)
        _send(log, now)
        sends.append(now)
        now += 0.013
    window = pacing_window(1.0)
    for i, t in enumerate(sends):
        assert sum(1 for s in sends[i:] if s < t + window) <= 5


def test_server_headers_only_lower_the_budget_until_the_reset() -> None:
    log = WindowLog(10, 60.0)
    _send(log, 0.0)
    log.observe(limit=None, remaining=20, reset=0.0, now=0.0)  # more than we think: ignored
    assert log.remaining(0.0) == 9
    log.observe(limit=None, remaining=2, reset=5.0, now=1.0)  # fewer: believed until the reset
    assert log.remaining(1.0) == 2
    assert log.remaining(6.0 + 1e-9) == 9


def test_a_lower_server_limit_is_adopted_a_higher_one_ignored() -> None:
    log = WindowLog(10, 60.0)
    log.observe(limit=30, remaining=29, reset=0.0, now=0.0)
    assert log.limit == 10
    log.observe(limit=4, remaining=3, reset=0.0, now=0.0)
    assert log.limit == 4


def test_a_stricter_servers_window_is_learned_from_its_reset() -> None:
    """Spec: 30 per 60 s; the server: 2 per 2.5 s. Its Limit is adopted, and when it says none
    are left its Reset tells when its oldest request frees: the window is learned from that
    (it was paired with the 60 s one: a 61 s wait)."""
    log = WindowLog(30, 60.0)
    _send(log, 0.0)
    log.observe(limit=2, remaining=1, reset=0.0, now=0.05, counted=0.0)
    _send(log, 0.1)
    log.observe(limit=2, remaining=0, reset=2.4, now=0.15, counted=0.1)  # the oldest frees at 2.55
    assert log.window == pytest.approx(pacing_window(2.55))
    assert log.earliest(0.2) == pytest.approx(pacing_window(2.55))
    _send(log, 2.7)  # the window only shrinks, never back towards the configured one
    log.observe(limit=2, remaining=0, reset=2.45, now=2.75, counted=2.7)
    assert log.window == pytest.approx(pacing_window(2.55))


def test_a_window_learned_with_other_senders_is_never_shorter_than_the_servers() -> None:
    """Another process sent 1.0 s after ours: the server's oldest counted request is then
    later than our second latest, and the window learned is longer than its 2.5 s."""
    log = WindowLog(30, 60.0)
    _send(log, 0.0)
    log.observe(limit=2, remaining=1, reset=0.0, now=0.05, counted=0.0)
    _send(log, 2.0)
    log.observe(
        limit=2, remaining=0, reset=1.5, now=2.05, counted=2.0
    )  # its oldest (1.0) frees at 3.55
    assert log.window == pytest.approx(pacing_window(3.55))


def test_a_send_after_the_response_is_not_taken_for_one_the_server_counted() -> None:
    """The server (2 per 0.5 s) answered our request sent at 0.05 s with none left, its oldest
    (sent at 0) freeing at 0.5 s. Two more left at 0.11 and 0.12 s, while that answer was on its
    way or unread (a busy loop), and it was read at 0.13 s. The server had not counted them, so
    they must not shorten the window learned: counted, they made it 0.42 s, and the next sends
    overfilled the server's window."""
    log = WindowLog(4, 10.0)
    for at in (0.0, 0.05, 0.11, 0.12):
        _send(log, at)
    log.observe(limit=2, remaining=1, reset=0.0, now=0.02, counted=0.0)
    log.observe(limit=2, remaining=0, reset=0.4, now=0.13, counted=0.05)
    assert log.window == pytest.approx(pacing_window(0.53))  # the reset counted from 0.13
    assert log.window >= 0.5


def test_a_configured_window_is_not_learned_from_a_reset() -> None:
    """With the server's Limit no lower than ours, the configured window stands: headers only
    lower the budget until their reset."""
    log = WindowLog(2, 60.0)
    _send(log, 0.0)
    _send(log, 0.1)
    log.observe(limit=2, remaining=0, reset=2.4, now=0.15)
    assert log.window == pacing_window(60.0)
    assert log.earliest(3.0) == pytest.approx(pacing_window(60.0))


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
    pacer.finish("usage", 0.0)
    assert pacer.poll(c, 0.0) == math.inf  # not head: waits its turn
    delay = pacer.poll(b, 0.0)
    assert delay == pytest.approx(pacing_window(10.0))
    pacer.leave(b)  # b gives up while waiting
    assert pacer.head("usage") is c
    assert pacer.poll(c, pacing_window(10.0)) is None  # c takes the slot b would have had


def test_disabled_paces_nothing() -> None:
    pacer: Pacer[str] = Pacer(RateLimits.disabled())
    assert not pacer.paces("usage")


@st.composite
def _strict_server_run(draw: st.DrawFn) -> tuple[int, float, list[tuple[float, str, float]]]:
    """Our sends to a server counting `limit` per `window` (sliding, by arrival; one it refuses
    with a 429 is not counted), each arriving `latency` after it left; its answers are read a
    while after they come in, in any order. Returns the limit, the window and the timeline:
    (time, "send", 0) and (time, "read", index of the send it answers)."""
    limit = draw(st.integers(1, 4))
    window = draw(st.floats(0.1, 3.0))
    latency = draw(st.floats(0.0, 0.3))
    sends = sorted(draw(st.lists(st.floats(0.0, 6.0), min_size=1, max_size=14)))
    events: list[tuple[float, str, float]] = [(t, "send", 0.0) for t in sends]
    for i, sent in enumerate(sends):
        events.append((sent + 2 * latency + draw(st.floats(0.0, 1.0)), "read", float(i)))
    return limit, window, sorted(events, key=lambda e: (e[0], e[1] == "read"))


def _answers(limit: int, window: float, sends: list[float]) -> list[tuple[int, int, float]]:
    """The server's (status, remaining, reset) for each send, arriving in send order."""
    counted: list[float] = []
    out = []
    for arrival in sends:
        inside = [a for a in counted if arrival - window < a <= arrival]
        if len(inside) >= limit:
            out.append((429, 0, inside[-limit] + window - arrival))
            continue
        counted.append(arrival)
        inside.append(arrival)
        oldest = inside[-limit] if len(inside) >= limit else inside[0]
        out.append((200, limit - len(inside), oldest + window - arrival))
    return out


@given(_strict_server_run())
@settings(max_examples=500, deadline=None)
def test_a_learned_window_is_never_shorter_than_the_servers(
    run: tuple[int, float, list[tuple[float, str, float]]],
) -> None:
    """Whatever the order answers are read in, with 429s among them, the window learned from
    a stricter server's resets is never shorter than its own."""
    limit, window, events = run
    sends = [t for t, kind, _ in events if kind == "send"]
    answers = _answers(limit, window, sends)
    log = WindowLog(10, 60.0)  # configured: more per a longer window than the server allows
    for now, kind, index in events:
        if kind == "send":
            _send(log, now)
            continue
        status, remaining, reset = answers[int(index)]
        sent = sends[int(index)]
        log.observe(limit, remaining, reset, now, counted=sent if status == 200 else None)
        assert log.window >= window
