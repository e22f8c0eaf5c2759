"""The Redis limiter: one budget for every process sharing an API key."""

from __future__ import annotations

import logging
import multiprocessing
import time
import uuid
from collections.abc import Callable

import anyio
import pytest
import redis
import redis.asyncio

from scopix._async.redis_limiter import AsyncRedisLimiter
from scopix._sync.redis_limiter import SyncRedisLimiter
from scopix.pacing import RedisPacingError
from tests.core.test_limiter import max_in_window
from tests.redis_server import RedisServer

from .workers import async_worker, join, limits, sync_worker

N, WINDOW = 10, 1.0


@pytest.mark.parametrize("worker", [sync_worker, async_worker])
def test_four_processes_share_one_budget(
    redis_server: RedisServer, worker: Callable[..., list[float]]
) -> None:
    key = f"scopix_{uuid.uuid4().hex}"
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4, initializer=join, initargs=(ctx.Barrier(4),)) as pool:
        results = [
            pool.apply_async(worker, (redis_server.url, key, N, WINDOW, 10)) for _ in range(4)
        ]
        sends = sorted(t for r in results for t in r.get(timeout=60))
    # The bookings, on the Redis server's clock: never more than N in any window, however the
    # four processes interleave (how soon they all get through is bench/ratelimit.py's to time)
    assert len(sends) == 40
    assert max_in_window(sends, WINDOW) <= N


def test_keys_do_not_share_a_budget(redis_server: RedisServer) -> None:
    client = redis.from_url(redis_server.url)
    a = SyncRedisLimiter(client, limits=limits(2, 30.0)).for_key("scopix_a_" + uuid.uuid4().hex)
    b = a.for_key("scopix_b_" + uuid.uuid4().hex)
    start = time.monotonic()
    for limiter in (a, a, b, b):
        limiter.acquire("usage")
    assert time.monotonic() - start < 1.0
    keys = [k.decode() if isinstance(k, bytes) else k for k in client.keys("scopix:pacing:*")]
    assert keys
    assert not any("scopix_a_" in k or "scopix_b_" in k for k in keys)


def test_cancelled_waiters_give_their_booking_back(redis_server: RedisServer) -> None:
    key = "scopix_" + uuid.uuid4().hex

    async def main() -> None:
        limiter = AsyncRedisLimiter(
            redis.asyncio.from_url(redis_server.url), limits=limits(2, 1.0)
        ).for_key(key)
        await limiter.acquire("usage")
        await limiter.acquire("usage")
        with anyio.move_on_after(0.1):  # books a slot a window ahead, then gives up
            await limiter.acquire("usage")
        start = time.monotonic()
        await limiter.acquire("usage")  # takes the given-back slot, not the one after it
        assert time.monotonic() - start < 1.3

    anyio.run(main)


def test_an_outage_is_warned_once_however_many_retries_fail(
    tmp_path: object, caplog: pytest.LogCaptureFixture
) -> None:
    """A fleet's log in a long outage: one warning per process, not one per retry_redis_after;
    one line when Redis is back."""
    from pathlib import Path

    server = RedisServer(Path(str(tmp_path)))
    server.start()
    retry = 0.05
    limiter = SyncRedisLimiter(
        redis.from_url(server.url, socket_timeout=0.5),
        limits=limits(50, 0.2),
        retry_redis_after=retry,
    )
    limiter.for_key("scopix_" + uuid.uuid4().hex)
    limiter.finish("usage", limiter.acquire("usage"), None)
    server.stop()
    with caplog.at_level(logging.INFO, logger="scopix"):
        start = time.monotonic()
        while time.monotonic() - start < 6 * retry:  # Redis is tried again at least 5 times
            limiter.finish("usage", limiter.acquire("usage"), None)
        assert caplog.text.count("Redis pacing unavailable") == 1
        server.start()
        while not limiter._use_redis("usage"):  # the retry after the restart gets through
            limiter.finish("usage", limiter.acquire("usage"), None)
        limiter.finish("usage", limiter.acquire("usage"), None)
    assert caplog.text.count("Redis pacing is back") == 1
    server.stop()


def test_survives_a_redis_restart(tmp_path: object, caplog: pytest.LogCaptureFixture) -> None:
    from pathlib import Path

    server = RedisServer(Path(str(tmp_path)))
    server.start()
    limiter = SyncRedisLimiter(
        redis.from_url(server.url, socket_timeout=0.5), limits=limits(5, 0.2), retry_redis_after=0.3
    )
    limiter.for_key("scopix_" + uuid.uuid4().hex)
    limiter.acquire("usage")
    server.stop()
    with caplog.at_level(logging.WARNING, logger="scopix"):
        for _ in range(8):  # falls back to in-process pacing, no exception
            limiter.finish("usage", limiter.acquire("usage"), None)
    assert "Redis pacing unavailable" in caplog.text
    server.start()
    time.sleep(0.4)
    limiter.acquire("usage")
    assert limiter._use_redis("usage")  # back on Redis
    server.stop()


def test_a_client_that_may_not_run_scripts_fails_loudly_at_the_first_call(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A Redis user without EVALSHA: RedisPacingError with the cause at the first acquire, and
    again at the next (never pacing alone while the others book in Redis)."""
    admin = redis.from_url(redis_server.url)
    user = "pacer_" + uuid.uuid4().hex[:8]
    admin.acl_setuser(
        user, enabled=True, nopass=True, keys=["*"], commands=["+@all", "-@scripting"]
    )
    client = redis.from_url(redis_server.url, username=user, socket_timeout=2.0)
    limiter = SyncRedisLimiter(client, limits=limits(5, 1.0)).for_key("scopix_" + uuid.uuid4().hex)
    with caplog.at_level(logging.WARNING, logger="scopix"):
        for _ in range(2):
            with pytest.raises(RedisPacingError, match="no permissions") as caught:
                limiter.acquire("usage")
            assert "may not run scripts" in str(caught.value)
    assert "pacing in-process" not in caplog.text
    admin.acl_deluser(user)


class _BuggyScript:
    def __call__(self, keys: object = None, args: object = None) -> object:
        raise KeyError("a bug in the limiter, not Redis going away")


class _BuggyRedis:
    def register_script(self, source: str) -> _BuggyScript:
        return _BuggyScript()

    def get_connection_kwargs(self) -> dict[str, object]:
        return {"socket_timeout": 1.0}


def test_a_bug_raises_instead_of_pacing_alone(caplog: pytest.LogCaptureFixture) -> None:
    limiter = SyncRedisLimiter(_BuggyRedis(), limits=limits(5, 1.0)).for_key("scopix_bug")
    with caplog.at_level(logging.WARNING, logger="scopix"), pytest.raises(KeyError):
        limiter.acquire("usage")
    assert "pacing in-process" not in caplog.text
