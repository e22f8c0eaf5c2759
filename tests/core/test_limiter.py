"""The limiter shells under real concurrency: coroutines (asyncio, trio) and threads."""

from __future__ import annotations

import random
import threading
import time

import anyio
import anyio.lowlevel
import pytest

from scopix._async.limiter import AsyncLimiter
from scopix._ratelimit import BucketLimit, RateLimits
from scopix._sync.limiter import SyncLimiter

N, WINDOW = 10, 0.3
LIMITS = RateLimits({"usage": BucketLimit(N, WINDOW)})


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(
        (sum(1 for s in times[i:] if s < t + window) for i, t in enumerate(times)), default=0
    )


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_many_coroutines_never_exceed_the_limit_and_waste_nothing(backend: str) -> None:
    sends: list[float] = []
    order: list[int] = []

    async def main() -> float:
        limiter = AsyncLimiter(LIMITS)
        start = time.monotonic()

        async def worker(i: int) -> None:
            counted = await limiter.acquire("usage")
            sends.append(time.monotonic())
            order.append(i)
            await limiter.finish("usage", counted, None)

        async with anyio.create_task_group() as tg:
            for i in range(45):
                tg.start_soon(worker, i)
                await anyio.lowlevel.checkpoint()  # arrive in order
        return time.monotonic() - start

    elapsed = anyio.run(main, backend=backend)
    assert max_in_window(sends, WINDOW) <= N
    assert order == list(range(45))  # served in arrival order
    assert sends[N - 1] - sends[0] < WINDOW / 2  # the first batch of N goes at once
    ideal = 4 * WINDOW  # 45 sends: batches at 0, W, 2W, 3W, 4W
    assert elapsed < ideal * 1.5  # loose: the bench measures the ratio


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_cancelled_waiters_take_no_slot(backend: str) -> None:
    sends: list[float] = []

    async def main() -> None:
        limiter = AsyncLimiter(LIMITS)

        async def worker() -> None:
            counted = await limiter.acquire("usage")
            sends.append(time.monotonic())
            await limiter.finish("usage", counted, None)

        async def impatient() -> None:
            with anyio.move_on_after(random.uniform(0.0, 0.4)):
                counted = await limiter.acquire("usage")
                sends.append(time.monotonic())
                await limiter.finish("usage", counted, None)

        async with anyio.create_task_group() as tg:
            for _ in range(30):
                tg.start_soon(impatient)
        before = len(sends)
        start = time.monotonic()
        async with anyio.create_task_group() as tg:
            for _ in range(N):
                tg.start_soon(worker)
        # the next batch waits only for the window, never behind abandoned places
        assert len(sends) == before + N
        assert time.monotonic() - start <= WINDOW * 1.5

    anyio.run(main, backend=backend)
    assert max_in_window(sends, WINDOW) <= N


def test_many_threads_never_exceed_the_limit() -> None:
    limiter = SyncLimiter(LIMITS)
    sends: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(4):
            counted = limiter.acquire("usage")
            with lock:
                sends.append(time.monotonic())
            limiter.finish("usage", counted, None)

    threads = [threading.Thread(target=worker) for _ in range(12)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    assert len(sends) == 48
    assert max_in_window(sends, WINDOW) <= N
    assert elapsed < 4 * WINDOW * 1.5


def test_unpaced_buckets_do_not_wait() -> None:
    limiter = SyncLimiter(RateLimits.disabled())
    start = time.monotonic()
    for _ in range(1000):
        limiter.acquire("usage")
    assert time.monotonic() - start < 0.5
