"""Client-side pacing, the pure part: at most N sends in any W seconds per bucket, in FIFO order.

A sliding-window log, not a token bucket: a batch of N leaves at once, then each new request leaves
as soon as the oldest send of the window expires. Waiters queue per bucket; only the head of a
queue waits for a time, the others wait to become head, so a caller that gives up (cancelled,
timed out) leaves no hole that others wait behind. The shells (async and sync) only sleep and wake.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import deque
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from . import _spec

# Timer wake-ups jitter and requests reach the server after varying delays: pace against a window
# slightly longer than the server's so a burst never lands inside one server window.
WINDOW_MARGIN = 0.02
MIN_MARGIN_SECONDS = 0.005

W = TypeVar("W")  # whatever a shell uses to wake a waiter

# A wait longer than this is logged at INFO on the `scopix` logger.
LOG_WAIT_SECONDS = 1.0


class WaitTooLong(Exception):
    """A request would have to wait `seconds` for the rate limit, longer than it may: the
    shells turn this into `RateLimitError(retry_after=seconds)` without sending anything."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the rate limit frees a slot in {seconds:.1f} s")
        self.seconds = seconds


def wait_too_long(wait: float, blocked: float, max_wait: float, window: float) -> bool:
    """Whether a pacing wait must raise instead of sleeping. `blocked` is the part the server
    imposed (a 429's Retry-After): it may not exceed `max_wait`. The rest is the pacing itself,
    at most one window by construction; a longer wait (however it came about) raises too."""
    return blocked > max_wait or wait > max(max_wait, window)


def late_wake_tolerance(window: float, latency_margin: float) -> float:
    """How late after its booked instant a Redis booking may still be used.

    Bookings are spaced by the pacing window (the server's window + 2% + the latency margin),
    so a send that leaves late by d still keeps N per server window while d stays within that
    slack. Half of the 2% part is left for network jitter. A fixed tolerance (it was 0.05 s)
    made busy processes give slots back and book again behind everyone: whole windows lost.
    """
    return latency_margin + (pacing_window(window) - window) / 2


def redis_pool_exhausted(exc: BaseException) -> bool:
    """redis-py's "Too many connections": every connection of the pool is busy, Redis is not
    down. Wait for a connection rather than fall back."""
    return type(exc).__name__ == "MaxConnectionsError" or "Too many connections" in str(exc)


class Slot:
    """One granted request. It is stamped once, by whichever comes first: its departure (the
    request headers sent) or its end (a response or a failure). `booked`: for a Redis booking,
    the instant booked on the Redis server's clock (seconds since the epoch), else None."""

    __slots__ = ("booked", "bucket", "stamped")

    def __init__(self, bucket: str, booked: float | None = None) -> None:
        self.bucket = bucket
        self.booked = booked
        self.stamped = False


@dataclass(frozen=True, slots=True)
class BucketLimit:
    limit: int
    window: float  # seconds


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Pacing settings: a limit per bucket (`check`, `usage`), or disabled."""

    buckets: dict[str, BucketLimit] = field(default_factory=dict)
    enabled: bool = True

    @classmethod
    def from_spec(cls, *, window: float | None = None, scale: float = 1.0) -> RateLimits:
        """The limits each operation states in the spec's `x-rate-limit` (optionally rescaled)."""
        buckets = {}
        for op in _spec.operations().values():
            rl = op.rate_limit
            buckets[rl.bucket] = BucketLimit(
                limit=rl.limit, window=window if window is not None else rl.window_seconds * scale
            )
        return cls(buckets)

    @classmethod
    def disabled(cls) -> RateLimits:
        return cls({}, enabled=False)


def key_digest(api_key: str) -> str:
    """Names an API key's budget without holding the key (it ends up in Redis key names)."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:24]


def pacing_window(window: float) -> float:
    return window + max(window * WINDOW_MARGIN, MIN_MARGIN_SECONDS)


class WindowLog:
    """The requests of the last window. `earliest(now)` is when the next one may leave.

    A request counts from the moment it is granted and is stamped when it leaves (its headers
    sent), or when it ends if that is not known (a failure before sending, a transport without
    trace events). A request still in flight never expires. Stamping at departure rather than
    at the response is what the Redis limiter does too (it books the send instant): the server
    counts a request on arrival, a loopback or network hop after departure, well inside the
    window margin; a slow server (seconds per answer) then no longer holds slots for the
    whole answer time.
    """

    def __init__(self, limit: int, window: float) -> None:
        if limit < 1 or not window > 0:
            raise ValueError(f"a rate limit needs limit >= 1 and window > 0, got {limit}/{window}")
        self.limit = limit
        self.window = pacing_window(window)
        self._done: list[float] = []  # finish times, sorted
        self.in_flight = 0
        self._blocked_until = -math.inf
        self.share = 1  # while Redis is down: this process's share of a shared budget

    @property
    def budget(self) -> int:
        return max(1, self.limit // self.share)

    def _prune(self, now: float) -> None:
        horizon = now - self.window
        cut = bisect.bisect_right(self._done, horizon)
        if cut:
            del self._done[:cut]

    def earliest(self, now: float) -> float:
        """When a request may leave; infinity until one in flight finishes."""
        self._prune(now)
        at = max(now, self._blocked_until)
        excess = self.in_flight + len(self._done) - self.budget + 1
        if excess <= 0:
            return at
        if excess > len(self._done):
            return math.inf
        return max(at, self._done[excess - 1] + self.window)

    def start(self) -> None:
        self.in_flight += 1

    def finish(self, at: float) -> None:
        self.in_flight -= 1
        bisect.insort(self._done, at)

    def remaining(self, now: float) -> int:
        self._prune(now)
        return max(0, self.budget - self.in_flight - len(self._done))

    def blocked(self, now: float) -> float:
        """Seconds the server still blocks this bucket for (a 429's Retry-After)."""
        return max(0.0, self._blocked_until - now)

    def block_until(self, until: float) -> None:
        """A 429 said to wait: nothing leaves this bucket before `until`."""
        self._blocked_until = max(self._blocked_until, until)

    def observe(self, limit: int | None, remaining: int, reset: float, now: float) -> None:
        """The server's `X-RateLimit-*` can only lower what we believe we may send: a lower
        `Limit` is adopted; a lower `Remaining` holds until the reset (phantom requests that
        expire then). A reset is never believed beyond one window."""
        reset = min(max(reset, 0.0), self.window)
        if limit is not None and 0 < limit < self.limit:
            self.limit = limit
        missing = self.remaining(now) - remaining
        if missing > 0:
            phantom = now + reset - self.window
            for _ in range(missing):
                bisect.insort(self._done, phantom)


class ClockOffset:
    """Maps the Redis server's clock onto the local monotonic clock.

    A booking is made on the server's clock; the caller must sleep until that instant locally,
    even if the reply reached it late (a busy event loop). The offset is estimated like NTP, from
    the round trip with the smallest delay seen lately, so it is accurate to a fraction of it.
    """

    REFRESH_SECONDS = 30.0

    def __init__(self) -> None:
        self._offset = 0.0
        self._rtt = math.inf
        self._measured_at = -math.inf

    def local(self, server_us: int, server_now_us: int, sent: float, received: float) -> float:
        rtt = received - sent
        stale = received - self._measured_at > self.REFRESH_SECONDS
        if rtt <= self._rtt or stale:
            self._offset = server_now_us / 1_000_000 - (sent + received) / 2
            self._rtt = rtt
            self._measured_at = received
        return server_us / 1_000_000 - self._offset


class Waiter(Generic[W]):
    __slots__ = ("bucket", "wake")

    def __init__(self, bucket: str, wake: W) -> None:
        self.bucket = bucket
        self.wake = wake


class Pacer(Generic[W]):
    """FIFO queues of waiters over one WindowLog per bucket. Not thread-safe by itself: the sync
    shell holds a lock around every call; the async shell runs on one event loop."""

    def __init__(self, limits: RateLimits) -> None:
        self.enabled = limits.enabled
        self._logs = {name: WindowLog(b.limit, b.window) for name, b in limits.buckets.items()}
        self._queues: dict[str, deque[Waiter[W]]] = {name: deque() for name in self._logs}

    def paces(self, bucket: str) -> bool:
        return self.enabled and bucket in self._logs

    def join(self, bucket: str, wake: W) -> Waiter[W]:
        waiter = Waiter(bucket, wake)
        self._queues[bucket].append(waiter)
        return waiter

    def poll(self, waiter: Waiter[W], now: float, max_wait: float = math.inf) -> float | None:
        """None: the waiter may send now (its send is recorded and it leaves the queue).
        Otherwise how long to wait: a time if it is the head, infinity until it becomes head.
        Raises WaitTooLong (the waiter has left the queue) when the head's wait is too long."""
        queue = self._queues[waiter.bucket]
        if queue[0] is not waiter:
            return math.inf
        log = self._logs[waiter.bucket]
        at = log.earliest(now)
        if at > now:
            # infinity: until a request in flight leaves, which is no time the server imposes
            if at < math.inf and wait_too_long(at - now, log.blocked(now), max_wait, log.window):
                queue.popleft()
                raise WaitTooLong(at - now)
            return at - now
        log.start()
        queue.popleft()
        return None

    def record(self, bucket: str) -> None:
        """A request granted elsewhere (by Redis) leaves now: counted here too, so that pacing
        in-process (when Redis is down) knows this process's own recent sends."""
        if bucket in self._logs:
            self._logs[bucket].start()

    def finish(self, bucket: str, now: float) -> None:
        """A granted request left, or ended without being seen to leave, at `now`."""
        if bucket in self._logs:
            self._logs[bucket].finish(now)

    def share(self, bucket: str, processes: int) -> None:
        """Pace to 1/`processes` of the budget (Redis is down and that many share the key)."""
        if bucket in self._logs:
            self._logs[bucket].share = max(1, processes)

    def leave(self, waiter: Waiter[W]) -> None:
        """A waiter gave up before sending: it takes no slot."""
        queue = self._queues[waiter.bucket]
        if waiter in queue:
            queue.remove(waiter)

    def head(self, bucket: str) -> Waiter[W] | None:
        queue = self._queues[bucket]
        return queue[0] if queue else None

    def observe(
        self, bucket: str, info: tuple[int | None, int | None, float | None], now: float
    ) -> None:
        limit, remaining, reset = info
        if bucket in self._logs and remaining is not None and reset is not None:
            self._logs[bucket].observe(limit, remaining, reset, now)

    def block(self, bucket: str, until: float) -> None:
        if bucket in self._logs:
            self._logs[bucket].block_until(until)
