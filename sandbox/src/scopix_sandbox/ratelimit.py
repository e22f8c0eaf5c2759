"""Per-API-key rate limits as a sliding-window log: at most `limit` requests in any `window`.

A request at time `t` is allowed when fewer than `limit` admitted requests lie in `(t - window, t]`;
it is then logged. A refused request (429) is not logged and so consumes nothing. The window frees
a slot when its oldest logged request turns `window` old: `reset = oldest + window - now`.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Decision", "SlidingWindowLimiter"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: float
    """Seconds until the window frees a slot; 0 when a slot is free now."""

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait (the `Retry-After` header): `reset` rounded up."""
        return math.ceil(self.reset)


class SlidingWindowLimiter:
    """One log of admitted send times per (key, bucket); `clock` is monotonic seconds."""

    def __init__(
        self,
        limits: dict[str, int],
        window_seconds: dict[str, float],
        *,
        enabled: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = dict(limits)
        self.windows = dict(window_seconds)
        self.enabled = enabled
        self.clock = clock
        self._logs: dict[tuple[str, str], deque[float]] = {}

    def reset(self) -> None:
        self._logs.clear()

    def _log(self, key: str, bucket: str, now: float) -> deque[float]:
        log = self._logs.get((key, bucket))
        if log is None:
            log = self._logs[(key, bucket)] = deque()
        horizon = now - self.windows[bucket]
        while log and log[0] <= horizon:
            log.popleft()
        return log

    def acquire(self, key: str, bucket: str) -> Decision:
        """Admit and log the request if the window allows it, else refuse it (not logged)."""
        limit = self.limits[bucket]
        if not self.enabled:
            return Decision(True, limit, limit, 0.0)
        now = self.clock()
        log = self._log(key, bucket, now)
        window = self.windows[bucket]
        if len(log) >= limit:
            reset = max(0.0, log[0] + window - now) if log else window
            return Decision(False, limit, 0, reset)
        log.append(now)
        remaining = limit - len(log)
        reset = 0.0 if remaining > 0 else max(0.0, log[0] + window - now)
        return Decision(True, limit, remaining, reset)

    def peek(self, key: str, bucket: str) -> Decision:
        """The state the headers report, without logging anything."""
        limit = self.limits[bucket]
        if not self.enabled:
            return Decision(True, limit, limit, 0.0)
        now = self.clock()
        log = self._log(key, bucket, now)
        remaining = max(0, limit - len(log))
        reset = 0.0 if remaining > 0 else max(0.0, log[0] + self.windows[bucket] - now)
        return Decision(remaining > 0, limit, remaining, reset)
