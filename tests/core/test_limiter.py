"""The limiter shells under real concurrency: coroutines (asyncio, trio) on virtual time, where a
test can assert the exact instant of every send, and threads on the real clock (counts only)."""

from __future__ import annotations

import random
import threading
import time

import anyio
import anyio.lowlevel
import pytest

from scopix._async.limiter import AsyncLimiter
from scopix._ratelimit import BucketLimit, RateLimits, pacing_window
from scopix._sync.limiter import SyncLimiter
from tests import virtual_time

N, WINDOW = 10, 0.3
LIMITS = RateLimits({"usage": BucketLimit(N, WINDOW)})
PACED = pacing_window(WINDOW)  # the window the limiter keeps (a little longer than the server's)


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(
        (sum(1 for s in times[i:] if s < t + window) for i, t in enumerate(times)), default=0
    )


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_many_coroutines_never_exceed_the_limit_and_waste_nothing(backend: str) -> None:
    sends: list[float] = []
    order: list[int] = []

    async def main() -> None:
        limiter = AsyncLimiter(LIMITS, clock=virtual_time.clock)

        async def worker(i: int) -> None:
            counted = await limiter.acquire("usage")
            sends.append(virtual_time.clock())
            order.append(i)
            await limiter.finish("usage", counted, None)

        async with anyio.create_task_group() as tg:
            for i in range(45):
                tg.start_soon(worker, i)
                await anyio.lowlevel.checkpoint()  # arrive in order

    virtual_time.run(main, backend)
    assert order == list(range(45))  # served in arrival order
    # Batches of N at 0, W, 2W, 3W and 4W: never more than N in a window, and no wait wasted.
    assert sends == pytest.approx([(i // N) * PACED for i in range(45)])
    assert max_in_window(sends, WINDOW) == N


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_cancelled_waiters_take_no_slot(backend: str) -> None:
    rng = random.Random(7)
    sends: list[float] = []
    batch: list[float] = []

    async def main() -> float:
        limiter = AsyncLimiter(LIMITS, clock=virtual_time.clock)

        async def worker() -> None:
            counted = await limiter.acquire("usage")
            batch.append(virtual_time.clock())
            await limiter.finish("usage", counted, None)

        async def impatient(patience: float) -> None:
            with anyio.move_on_after(patience):
                counted = await limiter.acquire("usage")
                sends.append(virtual_time.clock())
                await limiter.finish("usage", counted, None)

        async with anyio.create_task_group() as tg:
            for _ in range(30):
                tg.start_soon(impatient, rng.uniform(0.0, 0.4))
        start = virtual_time.clock()
        async with anyio.create_task_group() as tg:
            for _ in range(N):
                tg.start_soon(worker)
        return start

    start = virtual_time.run(main, backend)
    assert N < len(sends) < 30  # some got a slot, some gave up waiting
    # The next batch waits only for the sends of the last window to expire (its j-th member for
    # all but N-1-j of them), never behind the places the impatient abandoned.
    earlier = sorted(sends)
    expected = [max(start, earlier[-(N - j)] + PACED) for j in range(N)]
    assert batch == pytest.approx(expected)
    assert max_in_window(sends + batch, WINDOW) <= N


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
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(sends) == 48
    assert max_in_window(sends, WINDOW) <= N


def test_unpaced_buckets_do_not_wait() -> None:
    def no_clock() -> float:
        raise AssertionError("an unpaced bucket asked the time: it would have waited")

    limiter = SyncLimiter(RateLimits.disabled(), clock=no_clock)
    assert not any(limiter.acquire("usage") for _ in range(1000))  # never counted
    paced = SyncLimiter(LIMITS, clock=no_clock)
    assert paced.acquire("check") is None  # a bucket without a limit is not paced either
