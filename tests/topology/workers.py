"""Worker processes of the topology tests and benchmarks (spawned, so importable by path): each
makes its own Redis client for the topology, a SyncScopix paced through it, waits at a barrier
until every worker is ready, then makes its calls against the API and counts those that fail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from scopix import APIError, SyncScopix
from scopix.pacing import BucketLimit, RateLimits, SyncRedisLimiter

__all__ = ["Fleet", "Topology", "calls_until_stopped", "join", "paced_calls"]


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
_stop: Any = None  # an event: workers that call until told stop when it is set


def join(barrier: Any, stop: Any = None) -> None:
    """Pool initializer: the barrier every worker waits at once it is ready, and the event that
    tells `calls_until_stopped` workers to stop."""
    global _start_together, _stop
    _start_together, _stop = barrier, stop


@contextmanager
def _paced_client(topology: Topology, fleet: Fleet) -> Iterator[SyncScopix]:
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
    with SyncScopix(api_key=fleet.api_key, base_url=fleet.base_url, pacing=limiter) as client:
        redis_client.ping()  # a running worker already has its connections
        _start_together.wait(timeout=120)
        yield client


def _answered(client: SyncScopix) -> bool:
    try:
        client.usage.get_breakdown()
    except APIError:
        return False
    return True


def paced_calls(topology: Topology, fleet: Fleet, calls: int) -> int:
    """`calls` get_breakdown() calls in a row; returns how many failed (lost)."""
    with _paced_client(topology, fleet) as client:
        return sum(not _answered(client) for _ in range(calls))


def calls_until_stopped(topology: Topology, fleet: Fleet) -> tuple[int, int]:
    """get_breakdown() calls in a row until the stop event is set; returns (made, lost)."""
    made = lost = 0
    with _paced_client(topology, fleet) as client:
        while not _stop.is_set():
            made += 1
            lost += not _answered(client)
    return made, lost
