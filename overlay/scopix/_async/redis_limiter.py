from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from .. import _policy
from .._flavours import async_redis_from_url, async_shielded, async_sleep
from .._ratelimit import ClockOffset, RateLimits, pacing_window
from .._redis_scripts import CANCEL, LEARN, RESERVE
from .limiter import AsyncLimiter

log = logging.getLogger("scopix")
US = 1_000_000
MAX_REBOOKINGS = 3


class AsyncRedisLimiter(AsyncLimiter):
    """Pacing shared through Redis by every process and machine that uses the same API key.

    Same guarantee as the in-process limiter (at most N requests in any W seconds per bucket),
    kept atomically by Lua scripts on the Redis server's clock. If Redis cannot be reached, the
    client falls back to in-process pacing (logged as a warning) and tries Redis again a few
    seconds later; it never wedges on a Redis restart.

    Pass a `redis.asyncio.Redis` (the sync client takes a `redis.Redis`) or a URL.
    Needs the `scopix[redis]` extra.
    """

    def __init__(
        self,
        redis: Any,
        *,
        limits: RateLimits | None = None,
        prefix: str = "scopix:pacing",
        max_ahead_windows: float = 10.0,
        retry_redis_after: float = 5.0,
        latency_margin: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(limits or RateLimits.from_spec(), clock)
        self._redis = async_redis_from_url(redis) if isinstance(redis, str) else redis
        self._prefix = prefix
        self._max_ahead_windows = max_ahead_windows
        self._retry_redis_after = retry_redis_after
        # A booking is made one round trip (and maybe a busy event loop) before the request
        # leaves: pace against a window that is longer by that much.
        self._latency_margin = latency_margin
        self._down_until = -1.0
        self._clocks = ClockOffset()
        self._scripts = {
            name: self._redis.register_script(source)
            for name, source in (("reserve", RESERVE), ("cancel", CANCEL), ("learn", LEARN))
        }

    def _fresh(self) -> AsyncRedisLimiter:
        return AsyncRedisLimiter(
            self._redis,
            limits=self.limits,
            prefix=self._prefix,
            max_ahead_windows=self._max_ahead_windows,
            retry_redis_after=self._retry_redis_after,
            latency_margin=self._latency_margin,
            clock=self._clock,
        )

    def _keys(self, bucket: str) -> list[str]:
        base = f"{self._prefix}:{self._key}:{bucket}"
        return [f"{base}:log", f"{base}:blocked"]

    def _window_us(self, bucket: str) -> int:
        window = pacing_window(self.limits.buckets[bucket].window) + self._latency_margin
        return int(window * US)

    def _redis_failed(self, exc: Exception) -> None:
        if self._clock() >= self._down_until:
            log.warning("scopix: Redis pacing unavailable (%s); pacing in-process", exc)
        self._down_until = self._clock() + self._retry_redis_after

    def _use_redis(self, bucket: str) -> bool:
        return self._pacer.paces(bucket) and self._clock() >= self._down_until

    async def _reserve(self, keys: list[str], args: list[Any]) -> float:
        """Book a send time; returns it on the local monotonic clock (negative: not booked)."""
        sent = self._clock()
        at, server_now = (int(x) for x in await self._scripts["reserve"](keys=keys, args=args))
        return self._clocks.local(abs(at), server_now, sent, self._clock()) * (1 if at > 0 else -1)

    async def acquire(self, bucket: str) -> bool:
        if not self._use_redis(bucket):
            return await super().acquire(bucket)
        keys, member = self._keys(bucket), uuid.uuid4().hex
        window = self._window_us(bucket)
        args = [self.limits.buckets[bucket].limit, window, int(window * self._max_ahead_windows)]
        for attempt in range(MAX_REBOOKINGS + 1):
            try:
                while (at := await self._reserve(keys, [*args, member])) < 0:
                    # booked too far ahead: wait until a booking is allowed, then ask again
                    await async_sleep(max(0.0, -at - args[2] / US - self._clock()))
            except Exception as exc:  # a Redis failure: pace in-process rather than fail
                self._redis_failed(exc)
                return await super().acquire(bucket)
            try:
                await async_sleep(max(0.0, at - self._clock()))
            except BaseException:
                await async_shielded(self._give_back, keys, member, False)
                raise
            # Woken later than the margin covers (a busy process): sending now could crowd the
            # next window, so give the stale slot back and book again.
            if self._clock() - at <= self._latency_margin or attempt == MAX_REBOOKINGS:
                return False
            await self._give_back(keys, member, True)
        return False

    async def _give_back(self, keys: list[str], member: str, force: bool) -> None:
        try:
            await self._scripts["cancel"](keys=keys, args=[member, "1" if force else "0"])
        except Exception as exc:
            self._redis_failed(exc)

    async def learn(self, bucket: str, response: httpx.Response) -> None:
        await super().learn(bucket, response)
        if not self._use_redis(bucket):
            return
        info = _policy.rate_limit_info(response.headers)
        block = _policy.retry_after(response.headers) if response.status_code == 429 else None
        if block is None and (info.remaining is None or info.reset is None):
            return
        args = [
            self.limits.buckets[bucket].limit,
            self._window_us(bucket),
            -1 if info.remaining is None or info.reset is None else info.remaining,
            int((info.reset or 0) * US),
            int((block or 0) * US),
            uuid.uuid4().hex,
        ]
        try:
            await self._scripts["learn"](keys=self._keys(bucket), args=args)
        except Exception as exc:
            self._redis_failed(exc)
