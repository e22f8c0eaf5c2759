"""The few primitives that differ between the async and the sync shell, each in both flavours.

Shell code in `_async/` uses the async names; `scripts/unasync.py` renames them to the sync ones.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, TypeVarTuple

from ._redis_urls import TopologyURL, parse_topology_url

if TYPE_CHECKING:
    from ._ratelimit import Slot
    from .observe import CallRecord

__all__ = [
    "AsyncWake",
    "SyncWake",
    "async_paced",
    "async_redis_from_url",
    "async_shielded",
    "async_sleep",
    "sync_paced",
    "sync_redis_from_url",
    "sync_shielded",
    "sync_sleep",
]

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


class AsyncWake:
    """A waiter's wake-up call. Works under asyncio and trio; set from the waiter's own loop."""

    def __init__(self) -> None:
        import anyio  # imported on first use: keeps `import scopix` light

        self._anyio = anyio
        self._event = anyio.Event()

    def set(self) -> None:
        self._event.set()

    async def wait(self, seconds: float) -> None:
        anyio = self._anyio
        with anyio.move_on_after(seconds):
            await self._event.wait()
        if self._event.is_set():
            self._event = anyio.Event()


class SyncWake:
    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def wait(self, seconds: float) -> None:
        self._event.wait(None if math.isinf(seconds) else seconds)
        self._event.clear()


async def async_sleep(seconds: float) -> None:
    import anyio

    await anyio.sleep(seconds)


def sync_sleep(seconds: float) -> None:
    time.sleep(seconds)


async def async_shielded(step: Callable[[*Ts], Awaitable[T]], *args: *Ts) -> T:
    """Run clean-up that must finish even while the caller is being cancelled."""
    import anyio

    with anyio.CancelScope(shield=True):
        result = await step(*args)
    return result


def sync_shielded(step: Callable[[*Ts], T], *args: *Ts) -> T:
    return step(*args)


async def async_paced(
    record: CallRecord,
    acquire: Callable[[str, float], Awaitable[Slot | None]],
    bucket: str,
    max_wait: float,
) -> Slot | None:
    """`acquire(bucket, max_wait)`, with its wait told to the call's record (observers see it)."""
    start = time.monotonic()
    slot = await acquire(bucket, max_wait)
    record.paced(start, time.monotonic())
    return slot


def sync_paced(
    record: CallRecord, acquire: Callable[[str, float], Slot | None], bucket: str, max_wait: float
) -> Slot | None:
    start = time.monotonic()
    slot = acquire(bucket, max_wait)
    record.paced(start, time.monotonic())
    return slot


def _topology_client(target: TopologyURL, defaults: dict[str, object], *classes: type) -> object:
    sentinel_class, cluster_class, node_class = classes  # the flavour's redis-py classes
    client, sentinels = target.arguments(defaults)
    if target.kind == "sentinel":
        found = sentinel_class(list(target.nodes), sentinel_kwargs=sentinels, **client)
        return found.master_for(target.service_name)
    return cluster_class(startup_nodes=[node_class(*node) for node in target.nodes], **client)


def async_redis_from_url(url: str, **options: object) -> Any:  # the URL's kind of client
    """A `redis.asyncio` client for `url`: redis-py's own schemes, or `redis+sentinel://` (the
    service's master) and `redis+cluster://` (`_redis_urls`). `options` are defaults that the
    URL's query overrides. A bad URL raises `InvalidParameterError` before anything connects;
    nothing connects before the first command (the sync cluster client is `_lazy_cluster`'s)."""
    target = parse_topology_url(url)
    if target is None:
        import redis.asyncio

        return redis.asyncio.from_url(url, **options)
    from redis.asyncio.cluster import ClusterNode, RedisCluster
    from redis.asyncio.sentinel import Sentinel

    return _topology_client(target, options, Sentinel, RedisCluster, ClusterNode)


def sync_redis_from_url(url: str, **options: object) -> Any:
    target = parse_topology_url(url)
    if target is None:
        import redis

        return redis.from_url(url, **options)
    from redis.cluster import ClusterNode
    from redis.sentinel import Sentinel

    from ._lazy_cluster import LazyRedisCluster

    return _topology_client(target, options, Sentinel, LazyRedisCluster, ClusterNode)
