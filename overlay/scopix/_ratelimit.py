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

__all__ = [
    "LOG_WAIT_SECONDS",
    "SHAPES",
    "BucketLimit",
    "ClockOffset",
    "Pacer",
    "RateLimits",
    "Slot",
    "WaitTooLong",
    "Waiter",
    "WindowLog",
    "block_seconds",
    "key_digest",
    "pacing_window",
    "wait_too_long",
    "window_log",
]

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


def block_seconds(status: int, retry_after: float | None, window: float) -> float | None:
    """How long a response stops its bucket: a 429 for the wait it asks (Retry-After, else its
    X-RateLimit-Reset), and one that says nothing for the configured window, so that the retry
    never feeds a gateway that counts denied requests too (HAProxy's stick tables do)."""
    if status != 429:
        return None
    return window if retry_after is None else retry_after


class Slot:
    """One granted request. It is stamped once, by whichever comes first: its departure (the
    request headers sent) or its end (a response or a failure). `booked`: for a Redis booking,
    the departure stamped on the Redis server's clock (seconds since the epoch), else None;
    `member`: that departure's name in Redis; `granted`: the local clock when the script that
    let it go was sent (its stamp is no earlier); `margin`: how long after `granted` it may
    leave without moving its stamp; `answered`: the local clock when the response's headers
    came in; `sent`: the local clock it was stamped at."""

    __slots__ = ("answered", "booked", "bucket", "granted", "margin", "member", "sent", "stamped")

    def __init__(
        self,
        bucket: str,
        booked: float | None = None,
        member: str | None = None,
        granted: float | None = None,
        margin: float = 0.0,
    ) -> None:
        self.bucket = bucket
        self.booked = booked
        self.member = member
        self.granted = granted
        self.margin = margin
        self.answered: float | None = None
        self.sent: float | None = None
        self.stamped = False


SHAPES = ("window", "even")


@dataclass(frozen=True, slots=True)
class BucketLimit:
    """At most `limit` requests in any `window` seconds. `shape`: "window" (a batch of `limit`
    leaves at once, then one as each send of the window expires: what a sliding-window server
    allows) or "even" (one every window / limit seconds: for gateways that smooth, such as
    HAProxy's rate counters, nginx's leaky bucket or a token bucket)."""

    limit: int
    window: float  # seconds
    shape: str = "window"

    def __post_init__(self) -> None:
        if isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 1:
            raise ValueError(f"BucketLimit(limit=...) must be an int >= 1, got {self.limit!r}")
        if (
            isinstance(self.window, bool)
            or not isinstance(self.window, int | float)
            or not 0 < self.window < math.inf
        ):
            raise ValueError(f"BucketLimit(window=...) must be seconds > 0, got {self.window!r}")
        if self.shape not in SHAPES:
            allowed = ", ".join(repr(s) for s in SHAPES)
            raise ValueError(f"BucketLimit(shape=...) must be one of {allowed}, got {self.shape!r}")


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

    def __init__(self, limit: int, window: float, *, longest_reset: float | None = None) -> None:
        if limit < 1 or not window > 0:
            raise ValueError(f"a rate limit needs limit >= 1 and window > 0, got {limit}/{window}")
        self.limit = limit
        self.window = pacing_window(window)
        # a server's reset is believed for one of its windows at most
        self.longest_reset = self.window if longest_reset is None else longest_reset
        self._done: list[float] = []  # finish times, sorted
        self._counted: list[float] = []  # finish times of requests the server answered 2xx
        self.in_flight = 0
        self._blocked_until = -math.inf
        self._server_limit = False  # the limit is one the server stated (lower than ours)
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

    def observe(
        self,
        limit: int | None,
        remaining: int,
        reset: float,
        now: float,
        counted: float | None = None,
    ) -> None:
        """The server's `X-RateLimit-*` can only lower what we believe we may send: a lower
        `Limit` is adopted (with the window its reset reveals, see `_learn_window`); a lower
        `Remaining` holds until the reset (phantom requests that expire then). A reset is
        never believed beyond one window. `counted`: when the response's own request left
        (its `finish` time), given for an answer the server counted (a 2xx)."""
        reset = min(max(reset, 0.0), self.longest_reset)
        if limit is not None and 0 < limit < self.limit:
            self.limit = limit
            self._server_limit = True
        if counted is not None:
            del self._counted[: bisect.bisect_right(self._counted, now - self.window)]
            bisect.insort(self._counted, counted)
            if self._server_limit and remaining <= 0 and reset > 0:
                self._learn_window(now + reset, counted)
        missing = self.remaining(now) - remaining
        if missing > 0:
            phantom = now + reset - self.window
            for _ in range(missing):
                bisect.insort(self._done, phantom)

    def _learn_window(self, frees_at: float, sent: float) -> None:
        """A server whose own (lower) limit is spent frees its oldest counted request at
        `frees_at`. Pairing its limit with the configured window (the spec's 60 s) would wait
        a whole minute on a server that counts 2 per 2.5 s: learn its window instead. It
        counts the last `limit` requests it let through on the key, ours among them, so the
        `limit`-th latest of ours it counted up to this one (`sent`) is that oldest one or
        older: the window learned is the server's or longer, never shorter, even when other
        processes share the key. Only sends it answered 2xx are taken (a 429 was not counted),
        and only up to this response's own: one that left after it, while the answer was on
        its way or unread in a busy loop, was not counted in it either. Either would make the
        window look shorter than the server's. An answer not in yet only makes it longer."""
        upto = bisect.bisect_right(self._counted, sent)
        if upto < self.limit:
            return
        learned = pacing_window(frees_at - self._counted[upto - self.limit])
        if 0 < learned < self.window:
            self.window = learned


def window_log(limit: BucketLimit) -> WindowLog:
    """The log that paces a bucket: its window, or for an evenly spaced one a window of one
    request per window / limit (a reset is still believed for the whole window)."""
    if limit.shape == "even":
        return WindowLog(1, limit.window / limit.limit, longest_reset=pacing_window(limit.window))
    return WindowLog(limit.limit, limit.window)


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

    def not_before(self, server_us: int, server_now_us: int, sent: float, received: float) -> float:
        """The local instant by which the server's clock has surely reached `server_us`: the
        mapping errs by at most half the round trip it was taken from. A process that woke
        early would ask again and again until the server's clock got there."""
        local = self.local(server_us, server_now_us, sent, received)
        return local + max(0.0, self._rtt) / 2


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
        self._logs = {name: window_log(b) for name, b in limits.buckets.items()}
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
        self,
        bucket: str,
        info: tuple[int | None, int | None, float | None],
        now: float,
        counted: float | None = None,
    ) -> None:
        """A response's rate-limit headers (`WindowLog.observe`; `counted`: when its request
        left, for a 2xx)."""
        limit, remaining, reset = info
        if bucket in self._logs and remaining is not None and reset is not None:
            log = self._logs[bucket]
            log.observe(limit if log.limit > 1 else None, remaining, reset, now, counted)

    def block(self, bucket: str, until: float) -> None:
        if bucket in self._logs:
            self._logs[bucket].block_until(until)
