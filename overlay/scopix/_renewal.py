"""A hold's lease renewed in the background while its block runs, in both flavours: a task in a
task group of its own (asyncio or trio, through anyio) and a daemon thread.

`step()` is called every `every` seconds until it returns False or `stop()` is called; it must
not raise (the shells log their failures and go on), since an exception here would cancel the
block of work it runs beside.
"""

from __future__ import annotations

import threading
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
    def __init__(self, step: Callable[[], bool], every: float) -> None:
        self._step = step
        self._every = every
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="scopix-lease", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self._every):
            if not self._step():
                return

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self._thread = None
