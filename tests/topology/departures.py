"""Checks on the server side's log of request times, independent of what the client counts."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["leaky_bucket_excess", "max_in_window"]


def max_in_window(times: Sequence[float], window: float) -> int:
    """The most requests any half-open interval [t, t + window) holds."""
    ordered = sorted(times)
    most, first = 0, 0
    for last, at in enumerate(ordered):
        while ordered[first] <= at - window:
            first += 1
        most = max(most, last - first + 1)
    return most


def leaky_bucket_excess(times: Sequence[float], rate: float) -> float:
    """The most a leaky bucket draining `rate` per second holds over what it lets through at
    once, as nginx's limit_req counts it: a request finding `excess` above its burst is refused.
    (Times to the millisecond, as nginx keeps them.)"""
    excess, most, last = 0.0, 0.0, None
    for at in sorted(times):
        if last is not None:
            excess = max(0.0, excess - (at - last) * rate + 1)
        last = at
        most = max(most, excess)
    return most
