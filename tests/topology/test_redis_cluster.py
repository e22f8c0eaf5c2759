"""A fleet sharing one budget through a real 3-master Redis Cluster."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable

import pytest
import redis.asyncio.cluster
import redis.cluster

from scopix import Scopix
from scopix.pacing import AsyncRedisLimiter, BucketLimit, RateLimits, SyncRedisLimiter
from scopix_sandbox.server import Sandbox

from .redis_cluster import RedisCluster
from .workers import Fleet, Topology, join, paced_calls

LIMITS = {"usage": 10, "check": 20}
# The sandbox counts a 1 s window by arrival; the fleet paces one 10% longer (as tests/pacing
# does: at this scale the SDK's own 2% is less than a loaded machine holds a request in flight).
CLIENT_WINDOW = 1.1
PROCESSES, CALLS = 6, 5  # 30 calls: three windows' budget, six processes wanting it at once


def test_six_processes_share_one_budget_on_a_cluster(
    redis_cluster: RedisCluster, scopix_sandbox_factory: Callable[..., Sandbox]
) -> None:
    """Every call answered, none refused by the sandbox's exact sliding window (the independent
    count of what arrived), and the fleet's keys all in one slot of the cluster. Paced alone,
    six processes would send 30 calls into the first window (20 x 429)."""
    sandbox = scopix_sandbox_factory(window_seconds=1.0, limits=LIMITS, record_requests=False)
    topology = Topology("cluster", nodes=tuple(redis_cluster.startup_nodes))
    fleet = Fleet(sandbox.base_url, sandbox.api_key, LIMITS["usage"], CLIENT_WINDOW)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(PROCESSES, initializer=join, initargs=(ctx.Barrier(PROCESSES),)) as pool:
        lost = pool.starmap(paced_calls, [(topology, fleet, CALLS)] * PROCESSES)
    keys = redis_cluster.keys("scopix:pacing*")
    stats = sandbox.stats()
    assert lost == [0] * PROCESSES
    assert stats["rate_limited"] == 0
    assert stats["by_status"] == {"200": PROCESSES * CALLS}
    assert keys, "the fleet booked nothing in the cluster"
    nodes = {key.split(":", 1)[0] for key in keys}
    assert len(nodes) == 1, f"a bucket's keys spread over several masters: {keys}"


def test_async_cluster_clients_share_one_budget(
    redis_cluster: RedisCluster, scopix_sandbox_factory: Callable[..., Sandbox]
) -> None:
    """Two async clients, each with its own redis.asyncio.cluster.RedisCluster and limiter (as
    two processes would be), 10 coroutines each at 10 per second: they meet only in the
    cluster. Paced alone, each would send 10 into the first window (10 x 429)."""
    sandbox = scopix_sandbox_factory(window_seconds=1.0, limits=LIMITS, record_requests=False)
    host, port = redis_cluster.startup_nodes[0]
    pacing = RateLimits({"usage": BucketLimit(LIMITS["usage"], CLIENT_WINDOW)})

    async def one_client() -> None:
        cluster = redis.asyncio.cluster.RedisCluster(host=host, port=port, socket_timeout=2)
        limiter = AsyncRedisLimiter(cluster, limits=pacing)
        async with Scopix(api_key=sandbox.api_key, base_url=sandbox.base_url, pacing=limiter) as c:
            await asyncio.gather(*(c.usage.get_breakdown() for _ in range(10)))
        await cluster.aclose()

    async def main() -> None:
        await asyncio.gather(one_client(), one_client())

    asyncio.run(main())
    stats = sandbox.stats()
    assert stats["rate_limited"] == 0
    assert stats["by_status"] == {"200": 20}


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_cluster_client_with_timeouts_gets_no_warning(
    redis_cluster: RedisCluster, flavour: str, caplog: pytest.LogCaptureFixture
) -> None:
    host, port = redis_cluster.startup_nodes[0]
    with caplog.at_level(logging.WARNING, logger="scopix"):
        if flavour == "sync":
            client = redis.cluster.RedisCluster(host=host, port=port, socket_timeout=2)
            SyncRedisLimiter(client)
            client.close()
        else:
            aclient = redis.asyncio.cluster.RedisCluster(host=host, port=port, socket_timeout=2)
            AsyncRedisLimiter(aclient)
    assert "timeout" not in caplog.text
