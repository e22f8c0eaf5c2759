"""Worker processes for the multi-process pacing tests (spawned, so importable by path)."""

from __future__ import annotations

import asyncio
from typing import Any

import redis
import redis.asyncio

from scopix._async.redis_limiter import AsyncRedisLimiter
from scopix._ratelimit import BucketLimit, RateLimits, Slot
from scopix._sync.redis_limiter import SyncRedisLimiter


def limits(n: int, window: float) -> RateLimits:
    return RateLimits({"usage": BucketLimit(n, window)})


def booked(slot: Slot | None) -> float:
    """The instant the limiter booked, on the Redis server's clock: what the limiter decided,
    whenever a busy machine then lets the process run."""
    assert slot is not None
    assert slot.booked is not None
    return slot.booked


_start_together: Any = None  # each pool worker's barrier (set by its initializer)


def join(barrier: Any) -> None:
    """Pool initializer: the barrier every worker waits at once it is ready to book."""
    global _start_together
    _start_together = barrier


def sync_worker(url: str, key: str, n: int, window: float, count: int) -> list[float]:
    client = redis.from_url(url)
    client.ping()  # a running worker already has its connection
    limiter = SyncRedisLimiter(client, limits=limits(n, window)).for_key(key)
    _start_together.wait()
    sends = []
    for _ in range(count):
        sends.append(booked(limiter.acquire("usage")))
    return sends


def async_worker(url: str, key: str, n: int, window: float, count: int) -> list[float]:
    async def main() -> list[float]:
        client = redis.asyncio.from_url(url)
        await client.ping()  # a running worker already has its connection
        limiter = AsyncRedisLimiter(client, limits=limits(n, window)).for_key(key)
        _start_together.wait()  # blocks the loop, but nothing else runs on it yet
        sends: list[float] = []

        async def one() -> None:
            sends.append(booked(await limiter.acquire("usage")))

        try:
            await asyncio.gather(*(one() for _ in range(count)))
        finally:
            await client.aclose()
        return sends

    return asyncio.run(main())


def told_worker(url: str, base_url: str, api_key: str, n: int, window: float, calls: int) -> int:
    """Calls the API `calls` times through a Redis limiter told `n` per `window`, with no
    retries; returns how many were refused (429). Ready (Redis connected), it waits at the
    barrier: the test lets it go once another process has learned the server's limit."""
    from scopix import RateLimitError, SyncScopix

    client = redis.from_url(url, socket_timeout=2)
    client.ping()
    limiter = SyncRedisLimiter(client, limits=limits(n, window))
    refused = 0
    with SyncScopix(api_key=api_key, base_url=base_url, pacing=limiter, max_retries=0) as api:
        _start_together.wait(timeout=120)
        for _ in range(calls):
            try:
                api.usage.get_breakdown()
            except RateLimitError:
                refused += 1
    return refused
