"""What a running sandbox lets change: recording served requests, the rate limits, the faults.

Changed through `POST /_sandbox/config` and `/_sandbox/faults`, `Sandbox.configure()` and
`Sandbox.set_faults()`; `restore()` puts back what the sandbox started with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scopix_sandbox.injector import FaultInjector
from scopix_sandbox.ratelimit import SlidingWindowLimiter
from scopix_sandbox.spending import CreditBook

__all__ = ["KNOWN", "Settings"]

KNOWN = ("record_requests", "rate_limit", "limits", "window_seconds", "remaining_credits")


class Settings:
    def __init__(
        self,
        limiter: SlidingWindowLimiter,
        faults: FaultInjector,
        credits: CreditBook,
        *,
        record_requests: bool,
        validate_responses: bool,
    ) -> None:
        self.limiter = limiter
        self.faults = faults
        self.credits = credits
        self.record_requests = record_requests
        self.validate_responses = validate_responses
        """Fixed at start: the validators are compiled then."""
        self._started_with = (
            dict(limiter.limits),
            dict(limiter.windows),
            limiter.enabled,
            record_requests,
            faults.config,
        )

    def per_minute(self, bucket: str) -> int:
        return round(self.limiter.limits[bucket] * 60 / self.limiter.windows[bucket])

    def to_json(self) -> dict[str, Any]:
        return {
            "record_requests": self.record_requests,
            "rate_limit": self.limiter.enabled,
            "limits": dict(self.limiter.limits),
            "window_seconds": dict(self.limiter.windows),
            "validate_responses": self.validate_responses,
            "faults": self.faults.config.to_json(),
            "credit_limits": dict(self.credits.limits),
        }

    def update(self, data: Mapping[str, Any]) -> None:
        """Apply `{record_requests, rate_limit, limits, window_seconds, remaining_credits}` (any
        of them; `remaining_credits`: `{account or key id: credits left now}`); the rate-limit
        windows start empty again."""
        unknown = set(data) - set(KNOWN)
        if unknown:
            raise ValueError(f"unknown settings {sorted(unknown)}; known: {sorted(KNOWN)}")
        limiter = self.limiter
        if "remaining_credits" in data:
            self.credits.set_remaining(data["remaining_credits"])
        if "record_requests" in data:
            self.record_requests = bool(data["record_requests"])
        if "rate_limit" in data:
            limiter.enabled = bool(data["rate_limit"])
        if "limits" in data:
            for bucket, n in dict(data["limits"]).items():
                if bucket not in limiter.limits or not isinstance(n, int) or n < 0:
                    raise ValueError(f"bad limit {bucket}={n!r}")
                limiter.limits[bucket] = n
        if "window_seconds" in data:
            w = data["window_seconds"]
            windows = w if isinstance(w, dict) else dict.fromkeys(limiter.windows, w)
            for bucket, seconds in windows.items():
                if bucket not in limiter.windows or float(seconds) <= 0:
                    raise ValueError(f"bad window {bucket}={seconds!r}")
                limiter.windows[bucket] = float(seconds)
        limiter.reset()

    def restore(self) -> None:
        """Back to the settings it started with (limits, recording, faults)."""
        limits, windows, enabled, record, faults = self._started_with
        self.limiter.limits.update(limits)
        self.limiter.windows.update(windows)
        self.limiter.enabled = enabled
        self.record_requests = record
        self.faults.configure(faults)
        self.credits.restore()
