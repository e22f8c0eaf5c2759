"""Time for the sandbox: an injectable clock, RFC 3339 parsing/formatting and calendar periods.

Instants are integers of microseconds since the Unix epoch (UTC) throughout the sandbox.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, date, datetime, timedelta

__all__ = [
    "DAY_US",
    "EPOCH",
    "HOUR_US",
    "MAX_US",
    "MIN_US",
    "US",
    "Clock",
    "add_months",
    "clamp",
    "date_of",
    "date_start_us",
    "day_index",
    "day_start",
    "fmt_date",
    "fmt_event_ts",
    "fmt_instant",
    "from_us",
    "month_index",
    "month_index_start",
    "month_label",
    "month_start",
    "parse_date",
    "parse_datetime",
    "quarter_start",
    "to_us",
    "week_start",
    "year_start",
]

US = 1_000_000
DAY_US = 86_400 * US
HOUR_US = 3_600 * US
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$",
    re.ASCII,
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


class Clock:
    """Real UTC time, or a pinned instant that never moves (tests pin it)."""

    def __init__(self, pinned: datetime | None = None) -> None:
        if pinned is not None and pinned.tzinfo is None:
            raise ValueError("a pinned `now` must be timezone-aware")
        self.pinned_us = None if pinned is None else to_us(pinned)

    def now_us(self) -> int:
        if self.pinned_us is not None:
            return self.pinned_us
        return time.time_ns() // 1000


def to_us(dt: datetime) -> int:
    delta = dt - EPOCH
    return (delta.days * 86_400 + delta.seconds) * US + delta.microseconds


MIN_US = -62_135_596_800 * US  # 0001-01-01T00:00:00Z
MAX_US = 253_402_300_800 * US - 1  # 9999-12-31T23:59:59.999999Z


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


_DAY_PREFIX: dict[int, str] = {}


def fmt_event_ts(us: int) -> str:
    """`2026-11-20T14:03:11.482Z`: millisecond precision, as every usage event carries."""
    day, rest = divmod(us, DAY_US)
    prefix = _DAY_PREFIX.get(day)
    if prefix is None:
        if len(_DAY_PREFIX) > 100_000:
            _DAY_PREFIX.clear()
        prefix = _DAY_PREFIX[day] = from_us(day * DAY_US).date().isoformat() + "T"
    ms = rest // 1000
    secs, ms = divmod(ms, 1000)
    mins, secs = divmod(secs, 60)
    hours, mins = divmod(mins, 60)
    return f"{prefix}{hours:02d}:{mins:02d}:{secs:02d}.{ms:03d}Z"


def fmt_instant(us: int) -> str:
    """`2026-11-01T00:00:00Z`, with as many fraction digits as the instant needs (0, 3 or 6)."""
    dt = from_us(us)
    # isoformat, not strftime: %Y does not zero-pad years before 1000 on every platform
    base = dt.replace(microsecond=0, tzinfo=None).isoformat()
    frac = dt.microsecond
    if frac == 0:
        return base + "Z"
    if frac % 1000 == 0:
        return f"{base}.{frac // 1000:03d}Z"
    return f"{base}.{frac:06d}Z"


def fmt_date(d: date) -> str:
    return d.isoformat()


def parse_datetime(text: str) -> int | None:
    """An RFC 3339 date-time with an offset, in microseconds; None when it is not one."""
    m = _RFC3339.match(text)
    if m is None:
        return None
    frac = m.group(7)
    # Python keeps microseconds; finer digits are cut (RFC 3339 allows any number of them).
    iso = text[:19].replace("t", "T") + (frac[:7] if frac else "")
    offset = m.group(8)
    iso += "+00:00" if offset in ("Z", "z") else offset
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return None
    # An offset can put a valid text outside year 1..9999 in UTC, where no instant can be
    # written back: clamp to the first and last instants an answer can hold.
    return clamp(to_us(dt))


def parse_date(text: str) -> date | None:
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def day_index(us: int) -> int:
    return us // DAY_US


def day_start(us: int) -> int:
    return us - us % DAY_US


def date_of(us: int) -> date:
    return from_us(us).date()


def date_start_us(d: date) -> int:
    return (d - EPOCH.date()).days * DAY_US


def month_index(us: int) -> int:
    """Months since year 0: `year * 12 + month - 1`."""
    dt = from_us(us)
    return dt.year * 12 + dt.month - 1


def month_index_start(index: int) -> int:
    year, month0 = divmod(index, 12)
    return to_us(datetime(year, month0 + 1, 1, tzinfo=UTC))


def month_label(index: int) -> str:
    year, month0 = divmod(index, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def month_start(us: int) -> int:
    return month_index_start(month_index(us))


def add_months(us: int, months: int) -> int:
    """The same day and time `months` later, clamped to the month's last day."""
    dt = from_us(us)
    index = dt.year * 12 + dt.month - 1 + months
    if not 12 <= index < 120_000:  # before year 1 or after 9999: the first or last instant
        return MIN_US if index < 12 else MAX_US
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return to_us(dt.replace(year=year, month=month0 + 1, day=min(dt.day, last)))


def clamp(us: int) -> int:
    """`us` within the instants an answer can hold."""
    return min(max(us, MIN_US), MAX_US)


def week_start(us: int) -> int:
    """Monday 00:00 UTC of the ISO week holding `us`."""
    d = date_of(us)
    return date_start_us(d - timedelta(days=d.weekday()))


def quarter_start(us: int) -> int:
    index = month_index(us)
    return month_index_start(index - index % 3)


def year_start(us: int) -> int:
    return month_index_start(month_index(us) // 12 * 12)
