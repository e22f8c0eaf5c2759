"""When the generated events happen: a business-hours curve, quieter weekends, growth.

Like a live account on any day: `RECENT_SHARE` of every active key's other (non-chat) events
falls in its last days, inside the current calendar month, so month-to-date figures (credits,
usage percentage, tokens) are never empty, even minutes after the month turned. Every instant is
a whole millisecond, drawn from the generator's seeded `random.Random`.
"""

from __future__ import annotations

import math
import random

from scopix_sandbox.clock import DAY_US, HOUR_US, day_index, month_start

__all__ = [
    "HOUR_WEIGHTS",
    "RECENT_DAYS",
    "RECENT_SHARE",
    "WEEKDAY_FACTORS",
    "TimeSampler",
    "cumulative",
    "recent_stamps",
    "time_sampler",
]

# UTC hour-of-day activity (a business-hours curve) and weekday factors (Mon..Sun).
HOUR_WEIGHTS = (0.25, 0.2, 0.18, 0.18, 0.2, 0.3, 0.5, 0.8, 1.1, 1.35, 1.5, 1.55,
                1.5, 1.5, 1.55, 1.5, 1.4, 1.2, 1.0, 0.8, 0.6, 0.45, 0.35, 0.3)  # fmt: skip
WEEKDAY_FACTORS = (1.0, 1.05, 1.05, 1.0, 0.9, 0.45, 0.4)

RECENT_SHARE = 0.04
"""Share of an active key's non-chat events placed in its last `RECENT_DAYS` days, within the
current month: a busy last week, or the hours of the month so far."""
RECENT_DAYS = 7


def cumulative(weights: list[float] | tuple[float, ...]) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


_HOUR_CUM = cumulative(HOUR_WEIGHTS)


class TimeSampler:
    """Instants in [start_us, end_us) with day weights and a diurnal hour curve, whole ms."""

    def __init__(
        self,
        rng: random.Random,
        days: list[int],
        day_cum: list[float],
        start_us: int,
        end_us: int,
    ) -> None:
        self.rng, self.days, self.day_cum = rng, days, day_cum
        self.start_us, self.end_us = start_us, end_us

    def sample(self, k: int) -> list[int]:
        rng = self.rng
        days = rng.choices(self.days, cum_weights=self.day_cum, k=k)
        hours = rng.choices(range(24), cum_weights=_HOUR_CUM, k=k)
        out = []
        for d, h in zip(days, hours, strict=True):
            ts = d * DAY_US + h * HOUR_US + rng.randrange(3_600_000) * 1000
            while not self.start_us <= ts < self.end_us:  # partial first/last day
                ts = d * DAY_US + rng.randrange(86_400_000) * 1000
            out.append(ts)
        return out


def time_sampler(rng: random.Random, start_us: int, end_us: int, growth: float) -> TimeSampler:
    """A sampler over [start_us, end_us) whose days weigh `growth` more at the end than at the
    start, by weekday, with some day-to-day noise (partial first and last days weigh less)."""
    first, last = day_index(start_us), day_index(end_us - 1)
    days = list(range(first, last + 1))
    n = len(days)
    weights = []
    for i, d in enumerate(days):
        w = 1.0 + growth * (i / max(1, n - 1))
        w *= WEEKDAY_FACTORS[(d + 3) % 7]  # 1970-01-01 was a Thursday
        w *= math.exp(0.25 * rng.gauss())
        lo, hi = max(start_us, d * DAY_US), min(end_us, (d + 1) * DAY_US)
        w *= (hi - lo) / DAY_US
        weights.append(w)
    return TimeSampler(rng, days, cumulative(weights), start_us, end_us)


def recent_stamps(
    rng: random.Random, start_us: int, end_us: int, revoked: bool, k: int
) -> list[int]:
    """`k` whole-ms instants spread over a key's last days in the month holding its `end_us`
    (none for a revoked key, nor when the month began this very millisecond)."""
    if revoked:
        return []
    lo = max(start_us, month_start(end_us), end_us - RECENT_DAYS * DAY_US)
    lo = -(-lo // 1000) * 1000
    span_ms = (end_us - lo) // 1000
    if span_ms <= 0:
        return []
    return [lo + rng.randrange(span_ms) * 1000 for _ in range(k)]
