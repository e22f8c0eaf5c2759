"""A limit the server states (`X-RateLimit-Limit`) lower than the configured one is shared
through Redis: processes that have not had a single answer yet book with it too, so the fleet
does not overfill the server's window on the configured number."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable

import redis

from scopix import SyncScopix
from scopix._sync.redis_limiter import SyncRedisLimiter
from scopix_sandbox.server import Sandbox
from tests.redis_server import RedisServer

from .workers import join, limits, told_worker

MakeSandbox = Callable[..., Sandbox]
SERVER_LIMIT, TOLD = 3, 10  # the sandbox allows 3 per 1 s; the SDK is told 10
# a window 10 % longer than the sandbox's, as tests/pacing/test_pacing_sandbox.py explains
WINDOW = 1.1
WORKERS, CALLS = 3, 4


def test_a_stricter_limit_learned_by_one_process_paces_every_process(
    scopix_sandbox_factory: MakeSandbox, redis_server: RedisServer
) -> None:
    sandbox = scopix_sandbox_factory(window_seconds=1.0, limits={"usage": SERVER_LIMIT})
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS + 1)
    with ctx.Pool(WORKERS, initializer=join, initargs=(barrier,)) as pool:
        args = (redis_server.url, sandbox.base_url, sandbox.api_key, TOLD, WINDOW, CALLS)
        jobs = [pool.apply_async(told_worker, args) for _ in range(WORKERS)]
        # the first answer, in this process: it states the server's limit
        scout = SyncRedisLimiter(redis.from_url(redis_server.url), limits=limits(TOLD, WINDOW))
        with SyncScopix(
            api_key=sandbox.api_key, base_url=sandbox.base_url, pacing=scout, max_retries=0
        ) as client:
            client.usage.get_breakdown()
        barrier.wait(timeout=120)  # the workers, ready, go together
        refused = [job.get(timeout=120) for job in jobs]
    assert refused == [0] * WORKERS  # every process: no 429 after the first answer
    stats = sandbox.stats()
    assert stats["rate_limited"] == 0
    assert stats["by_status"] == {"200": 1 + WORKERS * CALLS}
