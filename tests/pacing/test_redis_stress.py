"""The Redis limiter under stress: hostile headers, busy processes, more callers than the
connection pool, an outage, a frozen Redis. Each test talks to a real redis-server (and a real
HTTP server on loopback where the API is involved)."""

from __future__ import annotations

import logging
import signal
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import pytest
import redis
import redis.asyncio
from pytest_httpserver import HTTPServer
from werkzeug import Response

from scopix import RateLimitError, Scopix, SyncScopix
from scopix._async.redis_limiter import AsyncRedisLimiter
from scopix._sync.redis_limiter import SyncRedisLimiter
from scopix_sandbox.server import Sandbox
from tests.conftest import API_KEY
from tests.core.test_limiter import max_in_window
from tests.redis_server import RedisServer

from .test_hostile_servers import _ok, _serve, _status, refused
from .workers import limits


def _base_url(httpserver: HTTPServer) -> str:
    return httpserver.url_for("/").rstrip("/")


@asynccontextmanager
async def _async_limiter(
    url: str, n: int, window: float, **options: object
) -> AsyncIterator[AsyncRedisLimiter]:
    client = redis.asyncio.from_url(url, socket_timeout=2.0)
    try:
        yield AsyncRedisLimiter(client, limits=limits(n, window), **options)  # type: ignore[arg-type]
    finally:
        await client.aclose()


def test_a_long_block_raises_in_a_brand_new_process_too(
    redis_server: RedisServer, httpserver: HTTPServer
) -> None:
    """A 429 with a Retry-After longer than max_retry_wait seen by one process blocks the key in
    Redis; a new client (another process) raises RateLimitError with the time left at once
    instead of sleeping it. (9 s here: Redis keeps a block for at most ten windows.)"""
    arrivals = _serve(httpserver, lambda n: _status(429, **{"Retry-After": "9"}))
    key = "scopix_" + uuid.uuid4().hex

    async def main() -> list[float | None]:
        waits: list[float | None] = []
        for _ in range(2):  # each time a new limiter: nothing shared but Redis
            async with (
                _async_limiter(redis_server.url, 5, 1.0) as limiter,
                Scopix(
                    api_key=key, base_url=_base_url(httpserver), pacing=limiter, max_retry_wait=5
                ) as c,
            ):
                waits.append(await refused(c, within=3))
        return waits

    first, second = anyio.run(main)
    assert first == 9
    assert second is not None
    assert 5 < second <= 9
    assert len(arrivals) == 1


@pytest.mark.parametrize("reset", ["unix-time", "3600"])
def test_a_reset_beyond_the_window_never_books_beyond_it(
    redis_server: RedisServer, httpserver: HTTPServer, reset: str
) -> None:
    """A Unix-time or over-long `X-RateLimit-Reset` over Redis: believed for one window at most
    (a full batch leaves again after it), and no key lives longer than a few windows."""

    def answer(n: int) -> Response:
        if n:
            return _ok()
        value = str(int(time.time()) + 1) if reset == "unix-time" else reset
        headers = {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0"}
        return _ok(**headers, **{"X-RateLimit-Reset": value})

    arrivals = _serve(httpserver, answer)
    prefix = "scopix:test:" + uuid.uuid4().hex

    async def main() -> None:
        async with (
            _async_limiter(redis_server.url, 5, 1.0, prefix=prefix) as limiter,
            Scopix(api_key=API_KEY, base_url=_base_url(httpserver), pacing=limiter) as c,
        ):
            with anyio.fail_after(30):
                for _ in range(6):
                    await c.usage.get_breakdown()

    anyio.run(main)  # within 30 s: before, the budget was wedged for 61 s or for decades
    assert len(arrivals) == 6
    # Never more than the limit; how close together the five leave depends on the machine's load
    assert max_in_window(arrivals[1:], 1.0) <= 5
    client = redis.from_url(redis_server.url)
    ttls = {k: client.pttl(k) for k in client.keys(prefix + ":*")}
    assert ttls
    assert all(0 < ttl <= 5_000 for ttl in ttls.values()), ttls  # ms; the window is ~1.07 s


def test_busy_processes_keep_their_slot_when_they_wake_a_little_late(
    redis_server: RedisServer,
) -> None:
    """Exactly two windows of calls in a busy process (each caller holds the event loop 15 ms, so
    the 5th of a batch wakes 60 ms after its slot): every call leaves within the two batches,
    none gives its slot back to book again behind everyone (which cost a whole window)."""
    window, key = 5.0, "scopix_" + uuid.uuid4().hex

    async def main() -> list[float]:
        sends: list[float] = []
        async with _async_limiter(redis_server.url, 5, window) as shared:
            limiter = shared.for_key(key)

            async def one() -> None:
                await limiter.acquire("usage")
                sends.append(time.monotonic())
                time.sleep(0.015)  # noqa: ASYNC251 (a busy process: the next waiter wakes late)

            async with anyio.create_task_group() as tg:
                for _ in range(10):
                    tg.start_soon(one)
        return sends

    sends = anyio.run(main)
    assert max_in_window(sends, window) <= 5
    # the second batch leaves one (pacing) window after the first, not two
    assert sum(1 for s in sends if s < sends[0] + 1.5 * window) == 10


def test_more_coroutines_than_connections_wait_for_the_pool(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """30 coroutines over a pool of 4 connections: "Too many connections" is not an outage, so
    nobody falls back to pacing alone while the others book in Redis."""
    key = "scopix_" + uuid.uuid4().hex

    async def main() -> list[float]:
        client = redis.asyncio.from_url(redis_server.url, max_connections=4, socket_timeout=2.0)
        limiter = AsyncRedisLimiter(client, limits=limits(10, 1.0)).for_key(key)
        sends: list[float] = []

        async def one() -> None:
            slot = await limiter.acquire("usage")
            sends.append(time.monotonic())
            await limiter.finish("usage", slot, None)

        async with anyio.create_task_group() as tg:
            for _ in range(30):
                tg.start_soon(one)
        await client.aclose()
        return sends

    with caplog.at_level(logging.WARNING, logger="scopix"):
        sends = anyio.run(main)
    assert max_in_window(sends, 1.0) <= 10
    assert len(sends) == 30
    assert "Redis pacing unavailable" not in caplog.text


def test_more_threads_than_connections_wait_for_the_pool(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    key = "scopix_" + uuid.uuid4().hex
    client = redis.from_url(redis_server.url, max_connections=4, socket_timeout=2.0)
    limiter = SyncRedisLimiter(client, limits=limits(10, 1.0)).for_key(key)

    def one(_: int) -> float:
        slot = limiter.acquire("usage")
        sent = time.monotonic()
        limiter.finish("usage", slot, None)
        return sent

    with caplog.at_level(logging.WARNING, logger="scopix"), ThreadPoolExecutor(30) as pool:
        sends = list(pool.map(one, range(30)))
    assert max_in_window(sends, 1.0) <= 10
    assert "Redis pacing unavailable" not in caplog.text


def test_an_outage_loses_no_call(
    scopix_sandbox_factory: Callable[..., Sandbox], tmp_path: Path
) -> None:
    """Six clients (as six processes would: nothing shared but Redis) make 12 calls each at
    6 per second; Redis is down from the 12th answer to the 60th. Each paces at its share of the
    budget meanwhile (learned from Redis before), so every call is answered with the default
    retries."""
    sandbox = scopix_sandbox_factory(window_seconds=1.0, limits={"usage": 6, "check": 12})
    server = RedisServer(tmp_path)
    server.start()
    done, lost = [0], [0]
    lock = threading.Condition()

    def worker(_: int) -> None:
        client = redis.from_url(server.url, socket_timeout=0.5, socket_connect_timeout=0.5)
        limiter = SyncRedisLimiter(client, limits=limits(6, 1.0), retry_redis_after=0.5)
        with SyncScopix(api_key=sandbox.api_key, base_url=sandbox.base_url, pacing=limiter) as c:
            for _ in range(12):
                try:
                    c.usage.get_breakdown()
                except RateLimitError:
                    lost[0] += 1
                with lock:
                    done[0] += 1
                    lock.notify_all()

    try:
        with ThreadPoolExecutor(6) as pool:
            jobs = [pool.submit(worker, i) for i in range(6)]
            with lock:
                lock.wait_for(lambda: done[0] >= 12)
            server.stop()
            with lock:
                lock.wait_for(lambda: done[0] >= 60)
            server.start()
            for job in jobs:
                job.result()
    finally:
        server.stop()
    stats = sandbox.stats()
    print(f"429s: {stats['rate_limited']}, lost: {lost[0]}")
    assert lost[0] == 0
    assert stats["by_status"]["200"] == 72


def test_a_frozen_redis_stalls_nobody(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A Redis that stops answering (SIGSTOP: connections open, no replies): a limiter made from
    a URL gives up after its socket timeout (2 s) and paces in-process."""
    server = RedisServer(tmp_path)
    server.start()
    assert server.process is not None
    key = "scopix_" + uuid.uuid4().hex

    async def main() -> None:
        shared = AsyncRedisLimiter(server.url, limits=limits(5, 1.0))
        limiter = shared.for_key(key)
        await limiter.acquire("usage")  # connected
        server.process.send_signal(signal.SIGSTOP)  # type: ignore[union-attr]
        try:
            with anyio.fail_after(4):
                await limiter.acquire("usage")
        finally:
            await shared._redis.aclose()

    try:
        with caplog.at_level(logging.WARNING, logger="scopix"):
            anyio.run(main)
    finally:
        server.process.send_signal(signal.SIGCONT)
        server.stop()
    assert "Redis pacing unavailable" in caplog.text
