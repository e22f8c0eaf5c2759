"""The time ranges the operations answer for, where the spec leaves them to the server.

All in microseconds since the epoch, UTC (dates for the token operations); calendar arithmetic
comes from `clock`.
"""

from __future__ import annotations

from datetime import date

from scopix_sandbox import clock
from scopix_sandbox.clock import DAY_US, HOUR_US

__all__ = [
    "DASHBOARD_DAYS",
    "MAX_FILLED_POINTS",
    "SERIES_DEFAULT_SPAN",
    "billing_period",
    "bucket",
    "bucket_label",
    "bucket_start",
    "plan_window",
    "summary_range",
    "token_dates",
]

SERIES_DEFAULT_SPAN = {"hour": 24, "day": 30, "month": 12}
"""Points of `get_by_period` without dates: the last 24 hours, 30 days or 12 months."""
MAX_FILLED_POINTS = 10_000
"""A series longer than this lists only the periods that have events (no zero-filling)."""
DASHBOARD_DAYS = {"week": 7, "month": 30, "year": 365}
"""Days of `get_dashboard_analytics`, ending today."""


def billing_period(now_us: int) -> tuple[int, int]:
    """The current calendar month (UTC)."""
    start = clock.month_start(now_us)
    return start, clock.add_months(start, 1)


def _period_bounds(period: str, now_us: int) -> tuple[int, int]:
    if period == "day":
        start = clock.day_start(now_us)
        return start, start + DAY_US
    if period == "week":
        start = clock.week_start(now_us)
        return start, start + 7 * DAY_US
    return billing_period(now_us)


def _shift(period: str, us: int, sign: int) -> int:
    if period == "day":
        return clock.clamp(us + sign * DAY_US)
    if period == "week":
        return clock.clamp(us + sign * 7 * DAY_US)
    return clock.add_months(us, sign)


def summary_range(period: str, start: int | None, end: int | None, now_us: int) -> tuple[int, int]:
    """`get_summary`: no dates, the current day, ISO week or month; only a start, that plus one
    period; only an end, one period before it."""
    if start is not None:
        return start, end if end is not None else _shift(period, start, +1)
    if end is not None:
        return _shift(period, end, -1), end
    return _period_bounds(period, now_us)


def bucket(period_type: str, us: int) -> int:
    """The index of the hour, day or month holding `us`."""
    if period_type == "hour":
        return us // HOUR_US
    if period_type == "day":
        return us // DAY_US
    return clock.month_index(us)


def bucket_start(period_type: str, b: int) -> int:
    if period_type == "hour":
        return b * HOUR_US
    if period_type == "day":
        return b * DAY_US
    return clock.month_index_start(b)


def bucket_label(period_type: str, b: int) -> str:
    if period_type == "month":
        return clock.month_label(b)
    dt = clock.from_us(bucket_start(period_type, b))
    return f"{dt:%Y-%m-%dT%H}:00" if period_type == "hour" else f"{dt:%Y-%m-%d}"


def plan_window(period: str, now_us: int) -> tuple[int, int, int]:
    """(start, end, months) of the month, quarter or year holding now."""
    if period == "quarter":
        start, months = clock.quarter_start(now_us), 3
    elif period == "year":
        start, months = clock.year_start(now_us), 12
    else:
        start, months = clock.month_start(now_us), 1
    return start, clock.add_months(start, months), months


def token_dates(start: date | None, end: date | None, now_us: int) -> tuple[date, date]:
    """`get_monthly_tokens`, dates inclusive: without them the billing period; with only a
    start, through today (or that one day, if it is later); with only an end, from the first of
    its month."""
    if start is None and end is None:
        bstart, bend = billing_period(now_us)
        return clock.date_of(bstart), clock.date_of(bend - 1)
    if end is None:
        assert start is not None
        return start, max(start, clock.date_of(now_us))
    if start is None:
        return end.replace(day=1), end
    return start, end
