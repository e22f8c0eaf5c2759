from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from .. import _policy
from .._flavours import async_redis_from_url, async_shielded, async_sleep
from .._ratelimit import (
    LOG_WAIT_SECONDS,
    ClockOffset,
    RateLimits,
    Slot,
    WaitTooLong,
    late_wake_tolerance,
    pacing_window,
    redis_pool_exhausted,
)
from .._redis_scripts import CANCEL, LEARN, RESERVE
from .limiter import AsyncLimiter

log = logging.getLogger("scopix")
US = 1_000_000
MAX_REBOOKINGS = 3
BOOKED, TOO_FAR_AHEAD, BLOCKED = 0, 1, 2
# A Redis that stops answering (no error, no reply) would stall every caller: clients made from a
# URL get these socket timeouts; pass your own client with `socket_timeout=` set.
REDIS_SOCKET_TIMEOUT = 2.0


class AsyncRedisLimiter(AsyncLimiter):
    """Pacing shared through Redis by every process and machine that uses the same API key.

    Same guarantee as the in-process limiter (at most N requests in any W seconds per bucket),
    kept atomically by Lua scripts on the Redis server's clock. If Redis cannot be reached, the
    client falls back to in-process pacing (logged as a warning) at its share of the budget
    (1/P of it, P the processes seen booking on the key lately) and tries Redis again a few
    seconds later; it never wedges on a Redis restart. A connection pool with no free connection
    is waited for, not taken for an outage.

    Pass a `redis.asyncio.Redis` (the sync client takes a `redis.Redis`) or a URL. A client of
    your own should have a `socket_timeout` (a URL gets 2 s): without one, a Redis that stops
    answering stalls callers. Needs the `scopix[redis]` extra.
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
        if isinstance(redis, str):
            redis = async_redis_from_url(
                redis,
                socket_timeout=REDIS_SOCKET_TIMEOUT,
                socket_connect_timeout=REDIS_SOCKET_TIMEOUT,
            )
        else:
            _check_timeouts(redis)
        self._redis = redis
        self._prefix = prefix
        self._max_ahead_windows = max_ahead_windows
        self._retry_redis_after = retry_redis_after
        # A booking is made one round trip (and maybe a busy event loop) before the request
        # leaves: pace against a window that is longer by that much.
        self._latency_margin = latency_margin
        self._down_until = -1.0
        self._sharing = False  # pacing in-process at a share of the budget
        self._peer = uuid.uuid4().hex
        self._peers: dict[str, int] = {}  # bucket -> processes seen booking on its key
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
        return [f"{base}:log", f"{base}:blocked", f"{base}:peers"]

    def _window_us(self, bucket: str) -> int:
        window = pacing_window(self.limits.buckets[bucket].window) + self._latency_margin
        return int(window * US)

    def _redis_failed(self, exc: Exception) -> None:
        if self._clock() >= self._down_until:
            log.warning("scopix: Redis pacing unavailable (%s); pacing in-process", exc)
        self._down_until = self._clock() + self._retry_redis_after
        with self._lock:
            for bucket, peers in self._peers.items():
                self._pacer.share(bucket, peers)
        self._sharing = True

    def _redis_back(self) -> None:
        if self._sharing:
            self._sharing = False
            with self._lock:
                for bucket in self._peers:
                    self._pacer.share(bucket, 1)

    def _use_redis(self, bucket: str) -> bool:
        return self._pacer.paces(bucket) and self._clock() >= self._down_until

    async def _script(self, name: str, keys: list[str], args: list[Any]) -> Any:
        """Run a script. A pool with no free connection (more callers than connections) is
        waited for: it is not Redis going away."""
        delay, deadline = 0.002, self._clock() + self._retry_redis_after
        while True:
            try:
                return await self._scripts[name](keys=keys, args=args)
            except Exception as exc:
                if not redis_pool_exhausted(exc) or self._clock() > deadline:
                    raise
            await async_sleep(delay)
            delay = min(2 * delay, 0.05)

    async def _reserve(
        self, bucket: str, keys: list[str], args: list[Any]
    ) -> tuple[float, int, int]:
        """Book a send time; returns it on the local monotonic clock, the status, and the time
        on the server's clock (us)."""
        sent = self._clock()
        reply = await self._script("reserve", keys, args)
        at, server_now, status, peers = (int(x) for x in reply)
        self._peers[bucket] = peers
        return self._clocks.local(at, server_now, sent, self._clock()), status, at

    async def acquire(self, bucket: str, max_wait: float = math.inf) -> Slot | None:
        if not self._use_redis(bucket):
            return await super().acquire(bucket, max_wait)
        keys, member = self._keys(bucket), uuid.uuid4().hex
        window = self._window_us(bucket)
        horizon = int(window * self._max_ahead_windows)
        longest_block = -1 if math.isinf(max_wait) else int(max_wait * US)
        args = [self.limits.buckets[bucket].limit, window, horizon, member, longest_block]
        tolerance = late_wake_tolerance(self.limits.buckets[bucket].window, self._latency_margin)
        for attempt in range(MAX_REBOOKINGS + 1):
            try:
                while True:
                    at, status, booked = await self._reserve(bucket, keys, [*args, self._peer])
                    if status == BLOCKED:
                        raise WaitTooLong(at - self._clock())
                    if status == BOOKED:
                        break
                    # booked too far ahead: wait until a booking is allowed, then ask again
                    await async_sleep(max(0.0, at - horizon / US - self._clock()))
            except WaitTooLong:
                raise
            except Exception as exc:  # a Redis failure: pace in-process rather than fail
                self._redis_failed(exc)
                return await super().acquire(bucket, max_wait)
            self._redis_back()
            wait = at - self._clock()
            if wait > LOG_WAIT_SECONDS:
                log.info("waiting %.1f s for the %r rate limit (Redis)", wait, bucket)
            try:
                await async_sleep(max(0.0, wait))
            except BaseException:
                await async_shielded(self._give_back, keys, member, False)
                raise
            # Woken later than the slack of the window covers (a busy process): sending now
            # could crowd the next window, so give the stale slot back and book again.
            late = self._clock() - at
            if late <= tolerance or attempt == MAX_REBOOKINGS:
                break
            log.debug(
                "woke %.3f s after the booked slot (tolerance %.3f s): booking again",
                late,
                tolerance,
            )
            await self._give_back(keys, member, True)
        with self._lock:  # counted here too: pacing in-process knows this process's sends
            self._pacer.record(bucket)
        return Slot(bucket, booked / US)

    async def _give_back(self, keys: list[str], member: str, force: bool) -> None:
        try:
            await self._script("cancel", keys, [member, "1" if force else "0"])
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
        window = self._window_us(bucket)
        args = [
            self.limits.buckets[bucket].limit,
            window,
            -1 if info.remaining is None or info.reset is None else info.remaining,
            int(min(info.reset or 0, window / US) * US),
            int(min(block or 0, window * self._max_ahead_windows / US) * US),
            uuid.uuid4().hex,
            int(window * self._max_ahead_windows),
        ]
        try:
            await self._script("learn", self._keys(bucket), args)
        except Exception as exc:
            self._redis_failed(exc)


def _check_timeouts(redis: Any) -> None:
    kwargs = getattr(getattr(redis, "connection_pool", None), "connection_kwargs", {})
    if kwargs.get("socket_timeout") is None:
        log.warning(
            "scopix: the Redis client has no socket_timeout: a Redis that stops answering "
            "would stall callers; pass socket_timeout= (e.g. %g s)",
            REDIS_SOCKET_TIMEOUT,
        )
