"""A fleet on Sentinel's `master_for` clients while the master is SIGKILLed mid-run."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from typing import Any

from scopix_sandbox.server import Sandbox

from .daemons import wait_until
from .redis_sentinel import MASTER_NAME, RedisSentinel
from .workers import Fleet, Topology, join, paced_calls

LIMITS = {"usage": 10, "check": 20}
CLIENT_WINDOW = 1.1  # 10% over the sandbox's 1 s window, as in tests/pacing
PROCESSES, CALLS = 3, 30  # 90 calls, about eight windows: the failover falls well inside
KILL_AFTER = 20  # requests the sandbox has seen when the master is killed


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
    """0 calls lost; no 429 from the sandbox's exact window before the kill nor after the
    failover's window (from the kill until the sentinels have promoted the replica, the
    clients have tried Redis again and one window has passed); and the fleet books on the new
    master afterwards (entries there stamped after the promotion)."""
    sandbox = scopix_sandbox_factory(window_seconds=1.0, limits=LIMITS, record_requests=False)
    topology = Topology("sentinel", nodes=tuple(redis_sentinel.sentinel_addresses),
                        master=MASTER_NAME)  # fmt: skip
    fleet = Fleet(sandbox.base_url, sandbox.api_key, LIMITS["usage"], CLIENT_WINDOW)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(PROCESSES, initializer=join, initargs=(ctx.Barrier(PROCESSES),)) as pool:
        run = pool.starmap_async(paced_calls, [(topology, fleet, CALLS)] * PROCESSES)
        wait_until(lambda: sandbox.stats()["requests"] >= KILL_AFTER or None,
                   f"the sandbox to serve {KILL_AFTER} requests", timeout=120)  # fmt: skip
        before_kill = sandbox.stats()
        redis_sentinel.kill_master()
        redis_sentinel.wait_failover()
        new_master = redis_sentinel.client(redis_sentinel.replica_port)
        promoted_us = int(new_master.time()[0]) * 1_000_000 + int(new_master.time()[1])
        settled = time.monotonic() + fleet.retry_redis_after + fleet.window
        wait_until(lambda: time.monotonic() >= settled or None, "the failover's window to end")
        after_failover = sandbox.stats()
        lost = run.get(timeout=120)
    end = sandbox.stats()
    fresh = _fresh_entries(new_master, "scopix:pacing*", promoted_us)
    refused = [s["rate_limited"] for s in (before_kill, after_failover, end)]
    assert lost == [0] * PROCESSES
    assert end["by_status"]["200"] == PROCESSES * CALLS
    assert after_failover["requests"] < PROCESSES * CALLS, "the run ended inside the failover"
    # 429s at the kill, after the failover's window, at the end: none outside the failover
    assert refused[0] == 0, refused
    assert refused[2] == refused[1], refused
    assert fresh, "nothing booked on the new master after the failover"
