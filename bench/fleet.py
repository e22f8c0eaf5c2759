"""Fleets for bench/ratelimit.py: processes started once per row (spawned, so their start-up is
not timed) that make their calls from one instant, run after run, each run under its own key
prefix in Redis (no bookings carried from the run before). A run ends with when each process
finished and how many of its calls failed.

Process kinds: `sync` (SyncScopix, calls one after another) and `async` (Scopix, all its calls
at once as coroutines, beside one that blocks the event loop at given instants: a process busy
parsing a big page while its next requests are due)."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.topology.workers import Topology

__all__ = ["FleetRun", "Stalls", "fleet_pool", "run_fleet"]


@dataclass(frozen=True)
class Stalls:
    """Block the process's event loop for `seconds` at each offset after the start."""

    at: tuple[float, ...] = ()
    seconds: float = 0.0

    @property
    def total(self) -> float:
        return len(self.at) * self.seconds


@dataclass(frozen=True)
class FleetRun:
    """One run's orders to every process."""

    topology: Topology
    base_url: str
    api_key: str
    limit: int
    window: float
    calls: int
    prefix: str
    kind: str = "sync"
    stalls: list[Stalls] = field(default_factory=list)  # one per process (async kind)
    retry_redis_after: float = 1.0


def _limits(run: FleetRun) -> Any:
    from scopix.pacing import BucketLimit, RateLimits

    return RateLimits(
        {
            "usage": BucketLimit(run.limit, run.window),
            "check": BucketLimit(2 * run.limit, run.window),
        }
    )


def _sync_process(run: FleetRun, index: int, start: Any) -> tuple[float, int]:
    from scopix import APIError, SyncScopix
    from scopix.pacing import SyncRedisLimiter

    ready, go_event, go_at = start
    client = run.topology.client()
    limiter = SyncRedisLimiter(
        client, limits=_limits(run), prefix=run.prefix, retry_redis_after=run.retry_redis_after
    )
    lost = 0
    with SyncScopix(api_key=run.api_key, base_url=run.base_url, pacing=limiter) as sdk:
        sdk._http.get(run.base_url + "/")  # the connection open before the clock starts
        client.ping()
        ready.put(index)
        go_event.wait()
        time.sleep(max(0.0, go_at["go"] - time.time()))
        for _ in range(run.calls):
            try:
                sdk.usage.get_breakdown()
            except APIError:
                lost += 1
    return time.time(), lost


def _async_process(run: FleetRun, index: int, start: Any) -> tuple[float, int]:
    import asyncio

    import redis.asyncio

    from scopix import APIError, Scopix
    from scopix.pacing import AsyncRedisLimiter

    ready, go_event, go_at = start
    stalls = run.stalls[index] if run.stalls else Stalls()
    assert run.topology.kind == "redis", "the async fleet takes a plain Redis URL"

    async def main() -> tuple[float, int]:
        client = redis.asyncio.from_url(run.topology.url, socket_timeout=2.0)
        limiter = AsyncRedisLimiter(
            client, limits=_limits(run), prefix=run.prefix, retry_redis_after=run.retry_redis_after
        )
        async with Scopix(api_key=run.api_key, base_url=run.base_url, pacing=limiter) as sdk:
            await sdk._http.get(run.base_url + "/")
            await client.ping()
            ready.put(index)
            go_event.wait()  # blocks the loop, but nothing else runs on it yet
            go = go_at["go"]
            await asyncio.sleep(max(0.0, go - time.time()))

            async def stall() -> None:
                for at in stalls.at:
                    await asyncio.sleep(max(0.0, go + at - time.time()))
                    time.sleep(stalls.seconds)  # noqa: ASYNC251 (the loop blocked, as by a parse)

            async def one() -> int:
                try:
                    await sdk.usage.get_breakdown()
                except APIError:
                    return 1
                return 0

            stalling = asyncio.create_task(stall())
            lost = sum(await asyncio.gather(*(one() for _ in range(run.calls))))
            await stalling
        await client.aclose()
        return time.time(), lost

    return asyncio.run(main())


@contextmanager
def fleet_pool(processes: int) -> Iterator[Callable[..., list[tuple[float, int]]]]:
    """`run(fleet_run, during=None) -> [(ended at, lost)]` on `processes` spawned processes;
    `during(go)` runs in this process once the start instant `go` (Unix time) is set."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(processes) as pool:

        def run(
            orders: FleetRun, during: Callable[[float], None] | None = None
        ) -> list[tuple[float, int]]:
            start = (manager.Queue(), manager.Event(), manager.dict())
            target = _async_process if orders.kind == "async" else _sync_process
            jobs = [pool.apply_async(target, (orders, i, start)) for i in range(processes)]
            for _ in range(processes):
                start[0].get(timeout=300)
            go = time.time() + 0.5
            start[2]["go"] = go
            start[1].set()
            if during is not None:
                during(go)
            ends = [job.get(timeout=900) for job in jobs]
            return [(end - go, lost) for end, lost in ends]

        yield run


def run_fleet(
    pool: Callable[..., list[tuple[float, int]]],
    orders: FleetRun,
    during: Callable[[float], None] | None = None,
) -> tuple[float, int]:
    """One run: (elapsed from the start to the last process's end, calls lost)."""
    ends = pool(orders, during)
    return max(e for e, _ in ends), sum(lost for _, lost in ends)
