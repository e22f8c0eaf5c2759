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

    A request counts from the moment it is granted, and is stamped with the time it finished
    (its response, or its failure): the server saw it at some instant in between, so the stamp
    is never earlier than the server's. A late sender (a busy thread, a slow connection) cannot
    crowd the next window, and a request still in flight never expires.
    """

    def __init__(self, limit: int, window: float) -> None:
        if limit < 1 or not window > 0:
            raise ValueError(f"a rate limit needs limit >= 1 and window > 0, got {limit}/{window}")
        self.limit = limit
        self.window = pacing_window(window)
        self._done: list[float] = []  # finish times, sorted
        self.in_flight = 0
        self._blocked_until = -math.inf

    def _prune(self, now: float) -> None:
        horizon = now - self.window
        cut = bisect.bisect_right(self._done, horizon)
        if cut:
            del self._done[:cut]

    def earliest(self, now: float) -> float:
        """When a request may leave; infinity until one in flight finishes."""
        self._prune(now)
        at = max(now, self._blocked_until)
        excess = self.in_flight + len(self._done) - self.limit + 1
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
        return max(0, self.limit - self.in_flight - len(self._done))

    def block_until(self, until: float) -> None:
        """A 429 said to wait: nothing leaves this bucket before `until`."""
        self._blocked_until = max(self._blocked_until, until)

    def observe(self, limit: int | None, remaining: int, reset: float, now: float) -> None:
        """The server's `X-RateLimit-*` can only lower what we believe we may send: a lower
        `Limit` is adopted; a lower `Remaining` holds until the reset (phantom requests that
        expire then)."""
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

    def poll(self, waiter: Waiter[W], now: float) -> float | None:
        """None: the waiter may send now (its send is recorded and it leaves the queue).
        Otherwise how long to wait: a time if it is the head, infinity until it becomes head."""
        queue = self._queues[waiter.bucket]
        if queue[0] is not waiter:
            return math.inf
        log = self._logs[waiter.bucket]
        at = log.earliest(now)
        if at > now:
            return at - now
        log.start()
        queue.popleft()
        return None

    def finish(self, bucket: str, now: float) -> None:
        """A granted request finished (answered or failed) at `now`."""
        if bucket in self._logs:
            self._logs[bucket].finish(now)

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
