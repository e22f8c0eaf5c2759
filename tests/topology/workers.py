"""Worker processes of the topology tests and benchmarks (spawned, so importable by path): each
makes its own Redis client for the topology, a SyncScopix paced through it, waits at a barrier
until every worker is ready, then makes its calls against the API and counts those that fail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scopix import APIError, SyncScopix
from scopix.pacing import BucketLimit, RateLimits, SyncRedisLimiter

__all__ = ["Fleet", "Topology", "join", "paced_calls"]


@dataclass(frozen=True)
class Topology:
    """How a worker reaches Redis: `kind` is "redis" (a URL), "cluster" (startup nodes) or
    "sentinel" (sentinel addresses and the master's name)."""

    kind: str
    nodes: tuple[tuple[str, int], ...] = ()
    url: str = ""
    master: str = ""

    def client(self) -> Any:
        if self.kind == "redis":
            import redis

            return redis.from_url(self.url, socket_timeout=2.0, socket_connect_timeout=2.0)
        if self.kind == "cluster":
            from redis.cluster import RedisCluster

            host, port = self.nodes[0]  # the client discovers the other masters
            return RedisCluster(host=host, port=port, socket_timeout=2.0)
        if self.kind == "sentinel":
            from redis.sentinel import Sentinel

            sentinel = Sentinel(list(self.nodes), socket_timeout=0.5)
            return sentinel.master_for(self.master, socket_timeout=1.0)
        allowed = "'redis', 'cluster' or 'sentinel'"
        raise ValueError(f"Topology(kind=...) must be {allowed}, got {self.kind!r}")


@dataclass(frozen=True)
class Fleet:
    """What every worker of a run shares: where the API is, its key, the pacing it is told."""

    base_url: str
    api_key: str
    limit: int
    window: float
    shape: str = "window"
    retry_redis_after: float = 1.0


_start_together: Any = None  # each pool worker's barrier (set by its initializer)


def join(barrier: Any) -> None:
    """Pool initializer: the barrier every worker waits at once it is ready."""
    global _start_together
    _start_together = barrier


def paced_calls(topology: Topology, fleet: Fleet, calls: int) -> int:
    """`calls` get_breakdown() calls in a row; returns how many failed (lost)."""
    limits = RateLimits(
        {
            "usage": BucketLimit(fleet.limit, fleet.window, shape=fleet.shape),
            "check": BucketLimit(2 * fleet.limit, fleet.window, shape=fleet.shape),
        }
    )
    redis_client = topology.client()
    limiter = SyncRedisLimiter(
        redis_client, limits=limits, retry_redis_after=fleet.retry_redis_after
    )
    lost = 0
    with SyncScopix(api_key=fleet.api_key, base_url=fleet.base_url, pacing=limiter) as client:
        redis_client.ping()  # a running worker already has its connections
        _start_together.wait(timeout=120)
        for _ in range(calls):
            try:
                client.usage.get_breakdown()
            except APIError:
                lost += 1
    return lost
