from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from .. import _policy
from .._flavours import AsyncWake
from .._logs import pacing_wait
from .._ratelimit import LOG_WAIT_SECONDS, Pacer, RateLimits, Slot, block_seconds, key_digest

__all__ = ["AsyncLimiter"]


class AsyncLimiter:
    """In-process pacing: at most N requests in any W seconds per bucket, waiters in FIFO order.

    Safe for many coroutines (and, in its sync form, many threads) on one client. A caller that is
    cancelled while waiting takes no slot and holds nobody up.
    """

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._pacer: Pacer[AsyncWake] = Pacer(limits)
        self._lock = threading.Lock()  # never held across a wait
        self._clock = clock
        self._key: str | None = None  # digest of the API key this limiter paces

    def for_key(self, api_key: str) -> AsyncLimiter:
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

    def _fresh(self) -> AsyncLimiter:
        return AsyncLimiter(self.limits, self._clock)

    def _wake_head(self, bucket: str) -> None:
        head = self._pacer.head(bucket)
        if head is not None:
            head.wake.set()

    async def acquire(self, bucket: str, max_wait: float = math.inf) -> Slot | None:
        """Wait until a request of `bucket` may leave; the slot is taken when this returns.
        Returns the slot this limiter counts (pass it to `finish`), None if unpaced. Raises
        WaitTooLong instead of waiting longer than the policy core allows (`max_wait`)."""
        if not self._pacer.paces(bucket):
            return None
        with self._lock:
            waiter = self._pacer.join(bucket, AsyncWake())
        logged = False
        try:
            while True:
                with self._lock:
                    delay = self._pacer.poll(waiter, self._clock(), max_wait)
                if delay is None:
                    break
                if not logged and LOG_WAIT_SECONDS < delay < math.inf:
                    pacing_wait(delay, bucket, "memory")
                    logged = True
                await waiter.wake.wait(delay)
        except BaseException:
            with self._lock:
                self._pacer.leave(waiter)
                self._wake_head(bucket)
            raise
        with self._lock:
            self._wake_head(bucket)
        return Slot(bucket)

    def depart(self, slot: Slot | None) -> None:
        """The request of `slot` left (or ended): it counts from now."""
        if slot is None or slot.stamped:
            return
        with self._lock:
            slot.stamped = True
            slot.sent = self._clock()
            self._pacer.finish(slot.bucket, slot.sent)
            self._wake_head(slot.bucket)

    def tracer(self, slot: Slot) -> Callable[[str, dict[str, Any]], Any]:
        """An httpx `trace` extension that stamps `slot` when the request headers are sent."""

        async def trace(event: str, info: dict[str, Any]) -> None:
            if event.endswith("send_request_headers.complete"):
                await self._departed(slot)
            elif event.endswith("receive_response_headers.complete"):
                slot.answered = self._clock()

        return trace

    async def _departed(self, slot: Slot | None) -> None:
        self.depart(slot)

    async def finish(self, bucket: str, slot: Slot | None, response: httpx.Response | None) -> None:
        """A request granted by `acquire` finished: with `response`, or with an error (None)."""
        await self._departed(slot)
        if response is not None:
            answered, sent = (None, None) if slot is None else (slot.answered, slot.sent)
            await self.learn(bucket, response, answered, sent)

    async def learn(
        self,
        bucket: str,
        response: httpx.Response,
        answered: float | None = None,
        sent: float | None = None,
    ) -> None:
        """Take in what the server said: X-RateLimit-* can only lower the budget until the
        reset, and a 429 stops the bucket until Retry-After (one window if it says nothing).
        `answered`: the local clock when its headers came in (else: now); `sent`: when its
        request left (a window the server reveals is learned from the sends up to it)."""
        if not self._pacer.paces(bucket):
            return
        info = _policy.rate_limit_info(response.headers)
        wait = self._block(bucket, response)
        with self._lock:
            now = self._clock()
            counted = sent if response.is_success else None  # the server counted it
            self._pacer.observe(bucket, (info.limit, info.remaining, info.reset), now, counted)
            if wait is not None:
                self._pacer.block(bucket, now + wait)
            self._wake_head(bucket)

    def _block(self, bucket: str, response: httpx.Response) -> float | None:
        if response.status_code != 429:
            return None
        window = self.limits.buckets[bucket].window
        return block_seconds(429, _policy.retry_after(response.headers), window)
