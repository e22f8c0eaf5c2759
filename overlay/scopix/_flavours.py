"""The few primitives that differ between the async and the sync shell, each in both flavours.

Shell code in `_async/` uses the async names; `scripts/unasync.py` renames them to the sync ones.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ._ratelimit import Slot
    from .observe import CallRecord

__all__ = [
    "AsyncWake",
    "SyncWake",
    "async_paced",
    "async_redis_from_url",
    "async_shielded",
    "async_sleep",
    "sync_paced",
    "sync_redis_from_url",
    "sync_shielded",
    "sync_sleep",
]

T = TypeVar("T")


class AsyncWake:
    """A waiter's wake-up call. Works under asyncio and trio; set from the waiter's own loop."""

    def __init__(self) -> None:
        import anyio  # imported on first use: keeps `import scopix` light

        self._anyio = anyio
        self._event = anyio.Event()

    def set(self) -> None:
        self._event.set()

    async def wait(self, seconds: float) -> None:
        anyio = self._anyio
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


async def async_sleep(seconds: float) -> None:
    import anyio

    await anyio.sleep(seconds)


def sync_sleep(seconds: float) -> None:
    time.sleep(seconds)


async def async_shielded(step: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run clean-up that must finish even while the caller is being cancelled."""
    import anyio

    with anyio.CancelScope(shield=True):
        result = await step(*args)
    return result


def sync_shielded(step: Callable[..., T], *args: Any) -> T:
    return step(*args)


async def async_paced(
    record: CallRecord,
    acquire: Callable[[str, float], Awaitable[Slot | None]],
    bucket: str,
    max_wait: float,
) -> Slot | None:
    """`acquire(bucket, max_wait)`, with its wait told to the call's record (observers see it)."""
    start = time.monotonic()
    slot = await acquire(bucket, max_wait)
    record.paced(start, time.monotonic())
    return slot


def sync_paced(
    record: CallRecord, acquire: Callable[[str, float], Slot | None], bucket: str, max_wait: float
) -> Slot | None:
    start = time.monotonic()
    slot = acquire(bucket, max_wait)
    record.paced(start, time.monotonic())
    return slot


def async_redis_from_url(url: str, **options: Any) -> Any:
    import redis.asyncio

    return redis.asyncio.from_url(url, **options)


def sync_redis_from_url(url: str, **options: Any) -> Any:
    import redis

    return redis.from_url(url, **options)
