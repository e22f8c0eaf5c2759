"""Faults: every call returns the right typed result or a documented ScopixError after its
retries; nothing is lost, nothing else escapes; pagination delivers every item once, in order.

The full-size run (10,000 calls, with the memory check) is `python -m bench.faults`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from .faultrun import SANDBOX_FLAGS, Counts, run, run_sync
from .remote import RemoteSandbox, remote_sandbox


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
    counts = run_sync(sandbox, calls=250, threads=16)
    _check(counts, 250)


async def _no_tasks_left() -> bool:
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()} == set()
