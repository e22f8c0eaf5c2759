"""A fleet on Sentinel's `master_for` clients while the master is SIGKILLed mid-run."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from typing import Any

from scopix_sandbox.server import Sandbox

from .daemons import wait_until
from .redis_sentinel import MASTER_NAME, RedisSentinel
from .workers import Fleet, Topology, calls_until_stopped, join

LIMITS = {"usage": 10, "check": 20}
CLIENT_WINDOW = 1.1  # 10% over the sandbox's 1 s window, as in tests/pacing
PROCESSES = 3
KILL_AFTER = 20  # requests the sandbox has seen when the master is killed
AFTER = 20  # requests served after the failover's window before the workers are stopped


def _served(sandbox: Sandbox, count: int) -> Callable[[], bool | None]:
    return lambda: sandbox.stats()["requests"] >= count or None


def _fresh_entries(client: Any, pattern: str, since_us: int) -> list[str]:
    """Keys of sorted sets holding an entry scored after `since_us` (the server's clock, us)."""
    fresh = []
    for key in client.scan_iter(match=pattern):
        if client.type(key) == "zset" and client.zcount(key, f"({since_us}", "+inf"):
            fresh.append(key)
    return fresh


def test_the_master_killed_mid_run_loses_no_call(
    redis_sentinel: RedisSentinel, scopix_sandbox_factory: Callable[..., Sandbox]
) -> None:
    """Three processes call until stopped. 0 calls lost; no 429 from the sandbox's exact
    window before the kill nor after the failover's window (from the kill until the sentinels
    have promoted the replica, the clients have tried Redis again and one window has passed;
    two more windows of calls follow it); and the fleet books on the new master afterwards
    (entries there stamped after the promotion)."""
    sandbox = scopix_sandbox_factory(window_seconds=1.0, limits=LIMITS, record_requests=False)
    topology = Topology("sentinel", nodes=tuple(redis_sentinel.sentinel_addresses),
                        master=MASTER_NAME)  # fmt: skip
    fleet = Fleet(sandbox.base_url, sandbox.api_key, LIMITS["usage"], CLIENT_WINDOW)
    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()
    with ctx.Pool(PROCESSES, initializer=join, initargs=(ctx.Barrier(PROCESSES), stop)) as pool:
        run = pool.starmap_async(calls_until_stopped, [(topology, fleet)] * PROCESSES)
        wait_until(_served(sandbox, KILL_AFTER), f"{KILL_AFTER} requests", timeout=120)
        before_kill = sandbox.stats()
        redis_sentinel.kill_master()
        redis_sentinel.wait_failover()
        new_master = redis_sentinel.client(redis_sentinel.replica_port)
        seconds, micros = new_master.time()
        promoted_us = int(seconds) * 1_000_000 + int(micros)
        settled = time.monotonic() + fleet.retry_redis_after + fleet.window
        wait_until(lambda: time.monotonic() >= settled or None, "the failover's window to end")
        after_failover = sandbox.stats()
        wait_until(_served(sandbox, after_failover["requests"] + AFTER), "calls after it")
        stop.set()
        outcomes = run.get(timeout=120)
    end = sandbox.stats()
    fresh = _fresh_entries(new_master, "scopix:pacing*", promoted_us)
    refused = [s["rate_limited"] for s in (before_kill, after_failover, end)]
    assert [lost for _, lost in outcomes] == [0] * PROCESSES
    assert end["by_status"]["200"] == sum(made for made, _ in outcomes)
    # 429s at the kill, after the failover's window, at the end: none outside the failover
    assert refused[0] == 0, refused
    assert refused[2] == refused[1], refused
    assert fresh, "nothing booked on the new master after the failover"
