# Generated from _async/limiter.py by scripts/unasync.py; edit that, then make generate.
from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx

from .. import _policy
from .._flavours import SyncWake
from .._ratelimit import Pacer, RateLimits, key_digest


class SyncLimiter:
    """In-process pacing: at most N requests in any W seconds per bucket, waiters in FIFO order.

    Safe for many coroutines (and, in its sync form, many threads) on one client. A caller that is
    cancelled while waiting takes no slot and holds nobody up.
    """

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._pacer: Pacer[SyncWake] = Pacer(limits)
        self._lock = threading.Lock()  # never held across a wait
        self._clock = clock
        self._key: str | None = None  # digest of the API key this limiter paces

    def for_key(self, api_key: str) -> SyncLimiter:
        """The limiter for a client of `api_key`: this one, unless it already paces another key
        (the server counts per key, so each key gets its own budget)."""
        digest = key_digest(api_key)
        if self._key is None:
            self._key = digest
        if self._key == digest:
            return self
        other = self._fresh()
        other._key = digest
        return other

    def _fresh(self) -> SyncLimiter:
        return SyncLimiter(self.limits, self._clock)

    def _wake_head(self, bucket: str) -> None:
        head = self._pacer.head(bucket)
        if head is not None:
            head.wake.set()

    def acquire(self, bucket: str) -> bool:
        """Wait until a request of `bucket` may leave; the slot is taken when this returns.
        Returns whether this limiter counts the request in flight (pass it to `finish`)."""
        if not self._pacer.paces(bucket):
            return False
        with self._lock:
            waiter = self._pacer.join(bucket, SyncWake())
        try:
            while True:
                with self._lock:
                    delay = self._pacer.poll(waiter, self._clock())
                if delay is None:
                    break
                waiter.wake.wait(delay)
        except BaseException:
            with self._lock:
                self._pacer.leave(waiter)
                self._wake_head(bucket)
            raise
        with self._lock:
            self._wake_head(bucket)
        return True

    def finish(self, bucket: str, counted: bool, response: httpx.Response | None) -> None:
        """A request granted by `acquire` finished: with `response`, or with an error (None)."""
        if counted:
            with self._lock:
                self._pacer.finish(bucket, self._clock())
                self._wake_head(bucket)
        if response is not None:
            self.learn(bucket, response)

    def learn(self, bucket: str, response: httpx.Response) -> None:
        """Take in what the server said: X-RateLimit-* can only lower the budget until the
        reset, and a 429 stops the bucket until Retry-After."""
        if not self._pacer.paces(bucket):
            return
        info = _policy.rate_limit_info(response.headers)
        wait = _policy.retry_after(response.headers) if response.status_code == 429 else None
        with self._lock:
            now = self._clock()
            self._pacer.observe(bucket, (info.limit, info.remaining, info.reset), now)
            if wait is not None:
                self._pacer.block(bucket, now + wait)
            self._wake_head(bucket)
