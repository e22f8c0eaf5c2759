"""Worker processes for the multi-process pacing tests (spawned, so importable by path)."""

from __future__ import annotations

import asyncio
import time

import redis
import redis.asyncio

from scopix._async.redis_limiter import AsyncRedisLimiter
from scopix._ratelimit import BucketLimit, RateLimits
from scopix._sync.redis_limiter import SyncRedisLimiter


def limits(n: int, window: float) -> RateLimits:
    return RateLimits({"usage": BucketLimit(n, window)})


def sync_worker(
    url: str, key: str, n: int, window: float, count: int, start_at: float
) -> list[float]:
    client = redis.from_url(url)
    client.ping()  # a running worker already has its connection
    limiter = SyncRedisLimiter(client, limits=limits(n, window)).for_key(key)
    time.sleep(max(0.0, start_at - time.time()))
    sends = []
    for _ in range(count):
        limiter.acquire("usage")
        sends.append(time.time())
    return sends


def async_worker(
    url: str, key: str, n: int, window: float, count: int, start_at: float
) -> list[float]:
    async def main() -> list[float]:
        limiter = AsyncRedisLimiter(redis.asyncio.from_url(url), limits=limits(n, window)).for_key(
            key
        )
        await asyncio.sleep(max(0.0, start_at - time.time()))
        sends: list[float] = []

        async def one() -> None:
            await limiter.acquire("usage")
            sends.append(time.time())

        await asyncio.gather(*(one() for _ in range(count)))
        return sends

    return asyncio.run(main())
