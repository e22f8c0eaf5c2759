"""Callers cancelled at random points (waiting for a slot, mid-request, mid-backoff,
mid-pagination) leave the limiter and the pool consistent: the next batch runs at full speed
with zero 429s."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import anyio
import pytest

from scopix import Scopix
from scopix.pacing import BucketLimit, RateLimits

from .remote import RemoteSandbox, remote_sandbox

N = 10
PACING = RateLimits({"usage": BucketLimit(N, 1.0), "check": BucketLimit(2 * N, 1.0)})


@pytest.fixture
def sandbox() -> Iterator[RemoteSandbox]:
    flags = (
        "--window=1",
        f"--limit-usage={N}",
        f"--limit-check={2 * N}",
        "--no-record",
        "--events=600",
    )
    with remote_sandbox(*flags) as remote:
        yield remote


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_random_cancellations_leave_everything_consistent(
    sandbox: RemoteSandbox, backend: str
) -> None:
    rng = random.Random(5)

    async def main() -> None:
        client = Scopix(
            api_key=sandbox.api_key, base_url=sandbox.base_url, pacing=PACING, max_retries=3
        )

        async def victim() -> None:
            with anyio.move_on_after(rng.uniform(0.0, 2.5)):
                choice = rng.random()
                if choice < 0.3:
                    async for _ in client.usage.get_all_details(page_size=20):
                        pass
                elif choice < 0.6:
                    await client.usage.check()
                else:
                    await client.usage.get_summary()

        sandbox.set_faults({"latency_ms": [20, 200], "error_503": 0.25, "retry_after": 0})
        async with anyio.create_task_group() as tg:
            for _ in range(60):
                tg.start_soon(victim)
        sandbox.set_faults()

        pacer = client._limiter._pacer
        for bucket in ("usage", "check"):
            assert pacer.head(bucket) is None  # nobody left queued
            assert pacer._logs[bucket].in_flight == 0  # nothing counted as still in flight
        assert len(client._http._transport._pool.connections) <= 100  # type: ignore[attr-defined]

        await anyio.sleep(1.1)  # past the window: what the victims sent has expired
        # No hole: the whole budget is free again (nothing abandoned holds a slot), so the next
        # batch goes at full speed; its schedule is asserted on virtual time in
        # tests/core/test_limiter.py.
        for bucket, limit in (("usage", N), ("check", 2 * N)):
            assert pacer._logs[bucket].remaining(time.monotonic()) == limit
        sandbox.reset()
        async with anyio.create_task_group() as tg:
            for _ in range(3 * N):
                tg.start_soon(client.usage.get_breakdown)
        for bucket in ("usage", "check"):
            assert pacer.head(bucket) is None
            assert pacer._logs[bucket].in_flight == 0
        await client.aclose()

    anyio.run(main, backend=backend)
    stats = sandbox.stats()
    assert stats["rate_limited"] == 0
    assert stats["by_status"] == {"200": 3 * N}
