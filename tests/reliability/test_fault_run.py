"""Faults: every call returns the right typed result or a documented ScopixError after its
retries; nothing is lost, nothing else escapes; pagination delivers every item once, in order."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Iterator

import pytest

from .faultrun import SANDBOX_FLAGS, Counts, run, run_sync
from .remote import RemoteSandbox, remote_sandbox

FULL = int(os.environ.get("SCOPIX_FAULT_CALLS", "10000"))


def _check(counts: Counts, calls: int) -> None:
    print(f"\nfault run: {counts.line()}")
    assert counts.calls == calls
    assert counts.unexpected == []
    assert counts.wrong == 0
    assert counts.successes + sum(counts.errors.values()) == calls  # none lost
    assert counts.retries > 0.2 * calls  # the faults did happen and were retried
    assert counts.successes > 0.9 * calls  # the rest are documented errors after 6 tries


@pytest.fixture
def sandbox() -> Iterator[RemoteSandbox]:
    with remote_sandbox(*SANDBOX_FLAGS) as remote:
        yield remote


def test_fault_run_async(sandbox: RemoteSandbox) -> None:
    counts = asyncio.run(run(sandbox, calls=1_000))
    _check(counts, 1_000)
    assert asyncio.run(_no_tasks_left())


def test_fault_run_sync_threads(sandbox: RemoteSandbox) -> None:
    counts = run_sync(sandbox, calls=400, threads=16)
    _check(counts, 400)


async def _no_tasks_left() -> bool:
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()} == set()


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


@pytest.mark.slow
def test_full_fault_run_and_memory_stays_flat(sandbox: RemoteSandbox) -> None:
    small = asyncio.run(run(sandbox, calls=1_000, seed=1))
    gc.collect()
    after_small = _rss_mb()
    full = asyncio.run(run(sandbox, calls=FULL, seed=2))
    gc.collect()
    after_full = _rss_mb()
    _check(small, 1_000)
    _check(full, FULL)
    print(f"RSS after 1,000 calls {after_small:.1f} MB, after {FULL:,} more {after_full:.1f} MB")
    assert after_full - after_small < 10.0
