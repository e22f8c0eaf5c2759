"""Virtual time for async tests: `run(main, backend)` runs `main` under asyncio or trio on a clock
that jumps ahead whenever every task is waiting for a timer, so a test can assert exact instants
(`anyio.current_time()`) and waiting costs no real time.

trio has this built in (`MockClock(autojump_threshold=0)`). For asyncio the loop's `time()` is the
virtual clock and its selector, asked to wait for the next timer with nothing ready, advances the
clock by that timeout instead of sleeping. Only timers move it: I/O and threads still run on the
real clock, so use it for code that only sleeps and wakes (the limiters), not for real sockets.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio

T = TypeVar("T")


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0


class _JumpingSelector(selectors.DefaultSelector):
    """Waits for nothing: with no event ready, a timed wait moves the virtual clock instead."""

    def __init__(self, clock: _Clock) -> None:
        super().__init__()
        self._clock = clock

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is None:  # no timer pending: only I/O or another thread can wake the loop
            return super().select(None)
        ready = super().select(0)
        if not ready and timeout > 0:
            self._clock.now += timeout
        return ready


class _VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self._virtual = _Clock()
        super().__init__(_JumpingSelector(self._virtual))

    def time(self) -> float:
        return self._virtual.now


def run(main: Callable[[], Awaitable[T]], backend: str, *, limit: float = 3600.0) -> T:
    """`main()` under `backend` ("asyncio" or "trio") on virtual time. A `main` still waiting
    after `limit` virtual seconds (a deadlock) fails with TimeoutError at once, never hangs."""

    async def bounded() -> T:
        with anyio.fail_after(limit):
            return await main()

    options: dict[str, Any]
    if backend == "trio":
        import trio.testing

        options = {"clock": trio.testing.MockClock(autojump_threshold=0)}
    else:
        options = {"loop_factory": _VirtualTimeLoop}
    return anyio.run(bounded, backend=backend, backend_options=options)


clock: Callable[[], float] = anyio.current_time
"""The running loop's clock (virtual under `run`): give it to the limiter under test."""
