"""How a paced caller sleeps until it is woken or its time comes: the only part of pacing that
differs between the async and the sync shell."""

from __future__ import annotations

import math
import threading

import anyio


class AsyncWake:
    """Works under asyncio and trio (anyio). Set only from the waiter's own event loop."""

    def __init__(self) -> None:
        self._event = anyio.Event()

    def set(self) -> None:
        self._event.set()

    async def wait(self, seconds: float) -> None:
        with anyio.move_on_after(seconds):
            await self._event.wait()
        if self._event.is_set():
            self._event = anyio.Event()


class SyncWake:
    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def wait(self, seconds: float) -> None:
        self._event.wait(None if math.isinf(seconds) else seconds)
        self._event.clear()
