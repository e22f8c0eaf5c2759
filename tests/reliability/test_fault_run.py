"""Faults: every call returns the right typed result or a documented ScopixError after its
retries; nothing is lost, nothing else escapes; pagination delivers every item once, in order."""

from __future__ import annotations

import asyncio
import gc
import os
import tracemalloc
from collections.abc import Callable

import pytest

from sandbox.server import Sandbox

from .faultrun import SANDBOX_OPTIONS, Counts, run

MakeSandbox = Callable[..., Sandbox]
FULL = int(os.environ.get("SCOPIX_FAULT_CALLS", "10000"))


def _check(counts: Counts, calls: int) -> None:
    print(f"\nfault run: {counts.line()}")
    assert counts.calls == calls
    assert counts.unexpected == []
    assert counts.wrong == 0
    assert counts.successes + sum(counts.errors.values()) == calls  # none lost
    assert counts.retries > 0.2 * calls  # the faults did happen and were retried
    assert counts.successes > 0.9 * calls  # the rest are documented errors after 6 tries


def test_fault_run_async(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox(**SANDBOX_OPTIONS)
    counts = asyncio.run(run(sandbox, calls=1_000))
    _check(counts, 1_000)
    assert asyncio.run(_no_tasks_left())


async def _no_tasks_left() -> bool:
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()} == set()


@pytest.mark.slow
def test_full_fault_run_and_memory_stays_flat(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox(**SANDBOX_OPTIONS)
    tracemalloc.start()
    try:
        small = asyncio.run(run(sandbox, calls=1_000, seed=1))
        gc.collect()
        after_small = tracemalloc.get_traced_memory()[0]
        full = asyncio.run(run(sandbox, calls=FULL, seed=2))
        gc.collect()
        after_full = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    _check(small, 1_000)
    _check(full, FULL)
    grown = (after_full - after_small) / 1e6
    print(f"retained memory after 1,000 calls vs after {FULL:,}: +{grown:.2f} MB")
    assert grown < 2.0
