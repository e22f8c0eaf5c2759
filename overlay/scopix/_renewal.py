"""A hold's lease renewed in the background while its block runs, in both flavours: a task in a
task group of its own (asyncio or trio, through anyio) and a daemon thread.

`step()` is called every `every` seconds until it returns False or `stop()` is called; it must
not raise (the shells log their failures and go on): an exception would cancel the block of
work it runs beside (async) or stop the renewals of every hold (sync).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["AsyncRenewal", "SyncRenewal"]


class AsyncRenewal:
    def __init__(self, step: Callable[[], Awaitable[bool]], every: float) -> None:
        self._step = step
        self._every = every
        self._group: Any = None

    async def start(self) -> None:
        import anyio

        # Entered here and left in stop(), both from the task of the `async with` block, so
        # the scopes nest as anyio requires.
        group = anyio.create_task_group()
        await group.__aenter__()
        group.start_soon(self._run)
        self._group = group

    async def _run(self) -> None:
        import anyio

        while True:
            await anyio.sleep(self._every)
            if not await self._step():
                return

    async def stop(self) -> None:
        group, self._group = self._group, None
        if group is not None:
            group.cancel_scope.cancel()
            await group.__aexit__(None, None, None)


class SyncRenewal:
    """The sync flavour: every hold of the process is renewed by one daemon thread (a thread
    per hold would cost more to start than a reservation's round trips)."""

    def __init__(self, step: Callable[[], bool], every: float) -> None:
        self.step = step
        self.every = every

    def start(self) -> None:
        _KEEPER.add(self)

    def stop(self) -> None:
        _KEEPER.remove(self)  # a step already running finishes; the hold is ended after it


class _Keeper:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._due: dict[SyncRenewal, float] = {}
        self._thread: threading.Thread | None = None

    def add(self, renewal: SyncRenewal) -> None:
        with self._cond:
            self._due[renewal] = time.monotonic() + renewal.every
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="scopix-leases", daemon=True)
                self._thread.start()
            self._cond.notify()

    def remove(self, renewal: SyncRenewal) -> None:
        with self._cond:
            self._due.pop(renewal, None)

    def _next(self) -> SyncRenewal:
        with self._cond:
            while True:
                if not self._due:
                    self._cond.wait()
                    continue
                renewal, at = min(self._due.items(), key=lambda item: item[1])
                delay = at - time.monotonic()
                if delay <= 0:
                    self._due[renewal] = time.monotonic() + renewal.every
                    return renewal
                self._cond.wait(delay)

    def _run(self) -> None:
        while True:
            renewal = self._next()
            try:
                keep = renewal.step()
            except Exception:  # a bug in a step: the other holds are still renewed
                logging.getLogger("scopix").exception("scopix: renewing a credit hold failed")
                keep = True
            if not keep:
                self.remove(renewal)


_KEEPER = _Keeper()


def _forked() -> None:
    # A child of fork() has no keeper thread, and holds of its own to renew.
    global _KEEPER
    _KEEPER = _Keeper()


os.register_at_fork(after_in_child=_forked)
