"""Checks on the server side's log of request times, independent of what the client counts."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["max_in_window"]


def max_in_window(times: Sequence[float], window: float) -> int:
    """The most requests any half-open interval [t, t + window) holds."""
    ordered = sorted(times)
    most, first = 0, 0
    for last, at in enumerate(ordered):
        while ordered[first] <= at - window:
            first += 1
        most = max(most, last - first + 1)
    return most
